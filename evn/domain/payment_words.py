"""What a customer's words ask of a payment: every unpaid bill at once, or a QR code to scan."""
from __future__ import annotations

import re

from evn.domain.periods import fold

# Whole words only: "hết" (all) but not "hết hạn" (expired), "cả hai" but not "cải".
_ALL = re.compile(r"(?<!\w)(?:tat ca|ca hai|toan bo|het(?! han)|all|tra het|gop)(?!\w)")
_QR = re.compile(r"(?<!\w)(?:qr|ma qr|quet ma|vietqr|viet qr)(?!\w)")


def wants_all(text: str) -> bool:
    return _ALL.search(fold(text or "")) is not None


def wants_qr(text: str) -> bool:
    return _QR.search(fold(text or "")) is not None
