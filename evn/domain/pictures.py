"""Pictures from customers: what is accepted before a byte is kept.

A picture comes from a platform's own hosts over HTTPS (Messenger's CDN, Zalo's), or from the widget's upload;
it is at most 5 MB, its type is read from its first bytes (never its name or the Content-Type header), and it
must decode to at most 40 megapixels (a decompression bomb is refused before it is expanded). What is kept is a
re-encoding, never the bytes received: metadata and anything hidden after the image are gone.
"""
from __future__ import annotations

from enum import Enum

# A message that carries a picture: the channel puts it in the message's metadata under METADATA_KEY
# ({"source": "facebook"|"zalo"|"upload", "url" or "id", "caption"}) and sends PAYLOAD as its text, so the dialogue
# runs the picture's check whatever the caption says. Only a channel sets it (the guard, connectors/guard.py).
METADATA_KEY = "evn_picture"
PAYLOAD = "/send_picture"
UPLOAD = "upload"  # the source of a picture the widget uploaded
UPLOAD_ID_LENGTH = 32

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 12_000
REDIRECTS = 3
# The formats a phone or a messenger sends, by their first bytes.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
)


class Refusal(str, Enum):
    """Why a picture was not taken; each has its answer in the domain (utter_picture_refused_<value>)."""

    TOO_LARGE = "too_large"
    NOT_AN_IMAGE = "not_an_image"
    TOO_MANY_PIXELS = "too_many_pixels"
    FOREIGN_HOST = "foreign_host"
    UNREACHABLE = "unreachable"
    UNKNOWN = "unknown"  # an id that is not this conversation's picture, or is gone


# What the widget reports when the web app refused its upload (the refusals, and the rate limit's).
RATE_LIMITED = "rate_limited"


class PictureRefused(Exception):
    def __init__(self, reason: Refusal) -> None:
        super().__init__(reason.value)
        self.reason = reason


def sniffed_format(head: bytes) -> str | None:
    """The image format the first bytes declare, or None (HTML, a PDF, a zip, an SVG are no pictures)."""
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def picture_metadata(source: str, *, url: str | None = None, picture_id: str | None = None,
                     caption: str | None = None, refused: str | None = None) -> dict[str, dict[str, str]]:
    """What a channel puts in a picture message's metadata."""
    found = {"source": source}
    if url is not None:
        found["url"] = url
    if picture_id is not None:
        found["id"] = picture_id
    if caption:
        found["caption"] = caption
    if refused is not None:
        found["refused"] = refused
    return {METADATA_KEY: found}


def upload_refusal(value: object) -> str | None:
    """A refusal the widget reports for its upload, when it is one the web app gives; else None."""
    known = {reason.value for reason in Refusal} | {RATE_LIMITED}
    return value if isinstance(value, str) and value in known else None


def host_allowed(host: str | None, suffixes: tuple[str, ...]) -> bool:
    """Whether `host` is one of the platform's (`fbcdn.net` admits `scontent.xx.fbcdn.net`)."""
    if not host:
        return False
    host = host.lower().rstrip(".")
    return any(host == suffix or host.endswith("." + suffix) for suffix in suffixes)
