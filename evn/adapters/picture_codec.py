"""A picture's bytes decoded and encoded anew with Pillow: only the pixels survive (no metadata, nothing
appended after the image, no second frame). Refused before decoding when the first bytes are no image format
or the header declares more pixels than a phone camera takes (a decompression bomb)."""
from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps

from evn.domain.pictures import MAX_PIXELS, MAX_SIDE, PictureRefused, Refusal, sniffed_format

Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow's own guard, below ours: a bigger header is refused, never expanded
_PILLOW_NAMES = {"png": "PNG", "jpeg": "JPEG", "gif": "GIF", "webp": "WEBP"}
JPEG_QUALITY = 90
KEPT_SIDE = 4096  # the longest side kept: a QR code or a notice reads at it, and memory stays bounded


@dataclass(frozen=True)
class Reencoded:
    data: bytes
    media_type: str  # "png" or "jpeg": what is kept
    width: int
    height: int


def reencoded(data: bytes) -> Reencoded:
    """The picture encoded anew (photos as JPEG, drawings and screenshots as PNG), or PictureRefused."""
    found = sniffed_format(data[:16])
    if found is None:
        raise PictureRefused(Refusal.NOT_AN_IMAGE)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[_PILLOW_NAMES[found]])
            width, height = image.size
            if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
                raise PictureRefused(Refusal.TOO_MANY_PIXELS)
            if found == "jpeg":
                image.draft("RGB", (KEPT_SIDE, KEPT_SIDE))  # a large JPEG decoded at a fraction of its size
            image.load()
            image.thumbnail((KEPT_SIDE, KEPT_SIDE))  # before any copy: memory follows the kept size
            upright = ImageOps.exif_transpose(image)  # a phone's photo the right way up before its EXIF goes
    except PictureRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PictureRefused(Refusal.TOO_MANY_PIXELS) from None
    except (OSError, ValueError, SyntaxError, EOFError, MemoryError):
        raise PictureRefused(Refusal.NOT_AN_IMAGE) from None
    photo = found in ("jpeg", "webp")
    pixels = upright.convert("RGB" if photo or upright.mode not in ("L", "1") else "L")
    pixels.info.clear()  # Pillow would write a comment, an ICC profile or text chunks it read back out
    out = io.BytesIO()
    if photo:
        pixels.save(out, format="JPEG", quality=JPEG_QUALITY)
    else:
        pixels.save(out, format="PNG")
    return Reencoded(out.getvalue(), "jpeg" if photo else "png", pixels.width, pixels.height)
