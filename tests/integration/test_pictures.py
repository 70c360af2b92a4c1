"""Pictures fetched from a platform's CDN (a local HTTPS server with its own certificate) and uploaded, on SQLite
and PostgreSQL: what is kept, and that nothing is kept of what is refused (foreign hosts, plain HTTP, redirects
away, too large, no image, a bomb, a trickle), the rate limit, ownership and retention."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from evn.adapters import orm
from evn.adapters.picture_fetcher import PictureFetcher
from evn.adapters.picture_store import PictureStore
from evn.adapters.unit_of_work import Factory
from evn.domain.pictures import PictureRefused, Refusal
from evn.services.errors import RateLimited
from evn.settings import PictureSettings
from tests.fakes.picture_cdn import PictureCdn
from tests.support import pictures

codec = pytest.importorskip("evn.adapters.picture_codec")
reader = pytest.importorskip("evn.adapters.qr_reader")
from evn.services.pictures import PictureService  # noqa: E402 - after the environment check

CHAT = "facebook-2001"


@pytest.fixture(scope="module")
def cdn(tmp_path_factory):
    server = PictureCdn(tmp_path_factory.mktemp("cdn")).start()
    yield server
    server.stop()


@pytest.fixture
def service(fresh_sessions, cdn, tmp_path, clock):
    settings = PictureSettings(tmp_path / "pictures", retention_days=30,
                               hosts={"facebook": ("localhost",), "zalo": ("localhost",)}, ca_bundle=str(cdn.cert),
                               allow_loopback=True)
    return PictureService(Factory(fresh_sessions), settings, PictureFetcher(str(cdn.cert), allow_loopback=True),
                          PictureStore(settings.directory), codec.reencoded, reader.read_codes, clock=clock)


def kept(service, fresh_sessions) -> tuple[list[str], int]:
    with fresh_sessions() as session:
        rows = session.execute(select(func.count(orm.Picture.id))).scalar_one()
    return service.store.names(), rows


def test_a_picture_from_the_platform_is_kept_reencoded_and_read(service, cdn, fresh_sessions):
    cdn.files["/v/t1/qr.png"] = ("image/png", pictures.vietqr_png(979_560, "PE01000000001202610"))
    picture = service.from_platform(CHAT, "facebook", f"{cdn.url}/v/t1/qr.png?oh=sig&oe=6a1b2c3d")
    assert (picture.source, picture.media_type) == ("facebook", "png")
    assert service.owned(picture.id, CHAT) == picture
    (code,) = service.codes(picture)
    assert code.startswith("000201") and "0071000888999" in code
    assert kept(service, fresh_sessions) == ([picture.id], 1)
    with pytest.raises(PictureRefused):
        service.owned(picture.id, "facebook-someone-else")


@pytest.mark.parametrize(("path", "body", "reason"), [
    ("/big.png", pictures.oversized_png(), Refusal.TOO_LARGE),
    ("/page.png", pictures.NOT_AN_IMAGE, Refusal.NOT_AN_IMAGE),
    ("/bomb.png", pictures.bomb_png(), Refusal.TOO_MANY_PIXELS),
    ("/missing.png", None, Refusal.UNREACHABLE),
])
def test_what_is_refused_is_not_kept(service, cdn, fresh_sessions, path, body, reason):
    if body is not None:
        cdn.files[path] = ("image/png", body)
    with pytest.raises(PictureRefused) as refused:
        service.from_platform(CHAT, "facebook", f"{cdn.url}{path}")
    assert refused.value.reason == reason and kept(service, fresh_sessions) == ([], 0)


def test_foreign_hosts_plain_http_and_redirects_away(service, cdn, fresh_sessions):
    cdn.files["/ok.png"] = ("text/html", pictures.qr_png("x"))  # a wrong content type does not matter: the bytes do
    port = cdn.url.rsplit(":", 1)[1]
    for url in (f"https://127.0.0.1:{port}/ok.png", f"http://localhost:{port}/ok.png", "https://evil.example/ok.png",
                f"https://user@localhost:{port}/ok.png"):
        with pytest.raises(PictureRefused) as refused:
            service.from_platform(CHAT, "facebook", url)
        assert refused.value.reason == Refusal.FOREIGN_HOST, url
    cdn.redirects["/away.png"] = "https://evil.example/x.png"
    cdn.redirects["/loop.png"] = "/loop.png"
    for path in ("/away.png", "/loop.png"):
        with pytest.raises(PictureRefused) as refused:
            service.from_platform(CHAT, "facebook", f"{cdn.url}{path}")
        assert refused.value.reason == Refusal.FOREIGN_HOST
    assert kept(service, fresh_sessions) == ([], 0)
    cdn.redirects["/moved.png"] = "/ok.png"  # a redirect within the platform is followed
    assert service.from_platform(CHAT, "facebook", f"{cdn.url}/moved.png").media_type == "png"


def test_a_url_claimed_for_another_channel_is_refused(service, cdn):
    cdn.files["/ok.png"] = ("image/png", pictures.qr_png("x"))
    with pytest.raises(PictureRefused) as refused:
        service.from_platform("web-abc", "facebook", f"{cdn.url}/ok.png")
    assert refused.value.reason == Refusal.FOREIGN_HOST


def test_the_rate_limit_and_the_retention(service, cdn, fresh_sessions, clock):
    first = service.from_upload("web-upload1", pictures.qr_png("one"), "addr")
    for _ in range(9):
        service.from_upload("web-upload1", pictures.qr_png("more"), "addr")
    with pytest.raises(RateLimited):
        service.from_upload("web-upload1", pictures.qr_png("too many"), "addr")
    assert kept(service, fresh_sessions)[1] == 10
    clock.advance(days=31)
    assert service.purge_expired() == 10 and kept(service, fresh_sessions) == ([], 0)
    with pytest.raises(PictureRefused):
        service.owned(first.id, "web-upload1")


def test_a_trickle_is_cut_off(service, cdn, fresh_sessions):
    with pytest.raises(PictureRefused) as refused:
        service.from_platform(CHAT, "facebook", f"{cdn.url}/trickle")
    assert refused.value.reason == Refusal.UNREACHABLE and kept(service, fresh_sessions) == ([], 0)

