"""What a customer's words say of a payment: every unpaid bill at once, a QR code to scan, or "I paid already"."""
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


_PAID = re.compile(
    r"(?<!\w)(?:(?:da|vua|moi)\s+(?:dong|tra|thanh toan|chuyen khoan|chuyen tien|nop|ck)(?!(?:\s+\w+){0,3}\s+chua\b)"
    r"|(?:dong|tra|thanh toan|chuyen khoan|chuyen tien|nop|ck)(?:\s+tien(?:\s+dien)?)?\s+(?:roi|rui|xong))(?!\w)"
)


def says_already_paid(text: str) -> bool:
    """'tôi đã đóng tiền rồi mà vẫn báo nợ', 'ck rồi': the customer believes the bill is paid."""
    return _PAID.search(" ".join(fold(text or "").split())) is not None


_WAYS = re.compile(r"(?<!\w)(?:chuyen khoan|ck|qr|the atm|atm|visa|tien mat|vi dien tu|momo|zalopay|vnpay|ngan hang"
                   r"|internet banking|ung dung|tu dong|trich no)(?!\w)")
# "thẻ" (card) and "ví" (wallet) fold to "the" (so) and "vi" (because): only with their marks.
_MARKED_WAYS = re.compile(r"(?<!\w)(?:thẻ|ví)(?!\w)")


def names_a_way_to_pay(text: str) -> bool:
    """'còn chuyển khoản thì sao', 'thẻ được không': a follow-up on the ways to pay."""
    return (_WAYS.search(" ".join(fold(text or "").split())) is not None
            or _MARKED_WAYS.search((text or "").lower()) is not None)
