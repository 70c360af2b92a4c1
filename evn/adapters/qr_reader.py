"""QR codes in a picture, read by ZXing's C++ port (zxing-cpp): the text of each valid code, in reading order."""
from __future__ import annotations

import io

import zxingcpp
from PIL import Image

MAX_CODES = 5
QR_ONLY = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)


def read_codes(data: bytes) -> list[str]:
    """The texts of the QR codes in a picture kept by evn.adapters.picture_codec (already safe to decode)."""
    with Image.open(io.BytesIO(data)) as image:
        grey = image.convert("L")
    found = zxingcpp.read_barcodes(grey, formats=QR_ONLY, text_mode=zxingcpp.TextMode.Plain)
    return [code.text for code in found if code.valid and code.text][:MAX_CODES]
