"""Pictures before anything is kept: the type from the bytes, the platform's hosts, the re-encoding that drops
metadata, and the hostile ones (a bomb, a huge image, bytes that are no image, a truncated file)."""
from __future__ import annotations

import io

import pytest

from evn.domain.pictures import PictureRefused, Refusal, host_allowed, sniffed_format

Image = pytest.importorskip("PIL.Image")  # the application's environment (the Rasa server's may lack it)
pictures = pytest.importorskip("tests.support.pictures")
codec = pytest.importorskip("evn.adapters.picture_codec")


def test_the_type_is_read_from_the_bytes():
    assert sniffed_format(pictures.qr_png("x")[:16]) == "png"
    assert sniffed_format(b"\xff\xd8\xff\xe0rest") == "jpeg"
    assert sniffed_format(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "webp"
    assert sniffed_format(pictures.NOT_AN_IMAGE) is None
    assert sniffed_format(b"%PDF-1.7") is None


@pytest.mark.parametrize(("host", "allowed"), [
    ("scontent.xx.fbcdn.net", True), ("fbcdn.net", True), ("fbcdn.net.evil.com", False), ("evilfbcdn.net", False),
    ("", False), (None, False),
])
def test_only_the_platforms_hosts(host, allowed):
    assert host_allowed(host, ("fbcdn.net", "fbsbx.com")) is allowed


def test_a_picture_is_encoded_anew_without_its_metadata():
    image = Image.new("RGB", (400, 300), "white")
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"  # Make
    exif[0x8825] = {2: (10.0, 45.0, 0.0)}  # GPS
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif, comment=b"hidden")
    received = buffer.getvalue() + b"appended after the image"
    kept = codec.reencoded(received)
    assert (kept.media_type, kept.width, kept.height) == ("jpeg", 400, 300)
    again = Image.open(io.BytesIO(kept.data))
    assert not again.getexif() and "comment" not in again.info and b"appended" not in kept.data


@pytest.mark.parametrize(("data", "reason"), [
    (pictures.bomb_png(), Refusal.TOO_MANY_PIXELS),
    (pictures.NOT_AN_IMAGE, Refusal.NOT_AN_IMAGE),
    (pictures.TRUNCATED_PNG, Refusal.NOT_AN_IMAGE),
    (b"GIF89a" + b"\x00" * 40, Refusal.NOT_AN_IMAGE),
])
def test_hostile_pictures_are_refused(data, reason):
    with pytest.raises(PictureRefused) as refused:
        codec.reencoded(data)
    assert refused.value.reason == reason


def test_a_qr_code_is_read_from_a_photo():
    reader = pytest.importorskip("evn.adapters.qr_reader")
    kept = codec.reencoded(pictures.photo_jpeg("https://evnhcmc-thanhtoan.com/pay"))
    assert reader.read_codes(kept.data) == ["https://evnhcmc-thanhtoan.com/pay"]
    assert reader.read_codes(codec.reencoded(pictures.fake_notice_png(["Nợ tiền điện"])).data) == []
