"""Pictures made in the tests, as customers send them: QR codes (a real VietQR of the demo account, another
account's, a look-alike domain's, a pay link's), a photo of a fake notice drawn with Pillow, a 2 MB phone photo
with a code in it; and hostile ones: a decompression bomb, a huge image, bytes that are no image."""
from __future__ import annotations

import io
import random
import struct
import zlib
from pathlib import Path

import segno
from PIL import Image, ImageDraw, ImageFont

from evn.domain import vietqr

DEMO_BIN, DEMO_ACCOUNT = "970436", "0071000888999"
FONTS = (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
         Path("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"))


def qr_png(text: str, scale: int = 8) -> bytes:
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def vietqr_payload(amount: int, bill_number: str, bank_bin: str = DEMO_BIN, account: str = DEMO_ACCOUNT) -> str:
    return vietqr.build_payload(bank_bin, account, amount, bill_number, "TIEN DIEN")


def vietqr_png(amount: int, bill_number: str, bank_bin: str = DEMO_BIN, account: str = DEMO_ACCOUNT) -> bytes:
    """The code a bank app scans to pay `bill_number` ("PE01000000001202610": code and period)."""
    return qr_png(vietqr_payload(amount, bill_number, bank_bin, account))


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    for path in FONTS:
        if path.exists():
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default()


def fake_notice_png(lines: list[str], qr_text: str | None = None) -> bytes:
    """A "notice" as scammers send it: a heading, lines of text, and a QR code to pay."""
    image = Image.new("RGB", (900, 1200), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 900, 120), fill=(0, 70, 160))
    draw.text((40, 35), "EVN - THÔNG BÁO CẮT ĐIỆN", fill="white", font=_font(44))
    for number, line in enumerate(lines):
        draw.text((40, 170 + number * 50), line, fill="black", font=_font(30))
    if qr_text:
        code = Image.open(io.BytesIO(qr_png(qr_text, scale=10))).convert("RGB")
        image.paste(code, (450 - code.width // 2, 1150 - code.height))
    return _png(image)


def photo_jpeg(qr_text: str, target_bytes: int = 2 * 1024 * 1024, seed: int = 7) -> bytes:
    """A phone photo (noise, as a camera's) about `target_bytes` large, with a QR code on a sheet in it."""
    rng = random.Random(seed)
    width, height = 2400, 1800
    noise = rng.randbytes(width * height // 4)
    image = Image.frombytes("L", (width // 2, height // 2), noise).resize((width, height)).convert("RGB")
    code = Image.open(io.BytesIO(qr_png(qr_text, scale=12))).convert("RGB")
    image.paste(code, (width // 2 - code.width // 2, height // 2 - code.height // 2))
    quality = 95
    while True:
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=quality)
        if buffer.tell() <= target_bytes * 1.05 or quality <= 40:
            return buffer.getvalue()
        quality -= 5


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def bomb_png(side: int = 50_000) -> bytes:
    """A few hundred bytes whose header declares side × side pixels (2.5 gigapixels at 50.000)."""
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (side + 1) * 4, 9)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", rows) + _chunk(b"IEND", b"")


def oversized_png(megabytes: int = 6) -> bytes:
    """A real PNG larger than the 5 MB limit (random pixels do not compress)."""
    side = int((megabytes * 1024 * 1024 / 3) ** 0.5) + 16
    return _png(Image.frombytes("RGB", (side, side), random.Random(3).randbytes(side * side * 3)))


NOT_AN_IMAGE = b"<!doctype html><html><body>not a picture</body></html>"
TRUNCATED_PNG = qr_png("PE01000000001")[:120]
