"""What a customer's words say of a payment: every unpaid bill at once, a QR code to scan, or "I paid already"."""
from __future__ import annotations

from evn.domain import linear_regex
from evn.domain.periods import fold

# Whole words only: "hết" (all) but not "hết hạn" (expired: matched as `expired`, to be ignored), "cả hai" but
# not "cải".
_ALL = linear_regex.compile(r"(?<!\w)(?P<expired>het han)|(?<!\w)(?:tat ca|ca hai|toan bo|het|all|tra het|gop)(?!\w)")
_QR = linear_regex.compile(r"(?<!\w)(?:qr|ma qr|quet ma|vietqr|viet qr)(?!\w)")


def wants_all(text: str) -> bool:
    return any(found.group("expired") is None for found in _ALL.finditer(fold(text or "")))


def wants_qr(text: str) -> bool:
    return _QR.search(fold(text or "")) is not None


_PAID_BEFORE = linear_regex.compile(
    r"(?<!\w)(?:da|vua|moi)\s+(?:dong|tra|thanh toan|chuyen khoan|chuyen tien|nop|ck)(?!\w)"
)
_ASKED_AFTER = linear_regex.compile(r"(?:\s+\w+){0,3}\s+chua\b")  # "đã đóng (tiền tháng này) chưa" asks
_PAID_AFTER = linear_regex.compile(
    r"(?<!\w)(?:dong|tra|thanh toan|chuyen khoan|chuyen tien|nop|ck)(?:\s+tien(?:\s+dien)?)?\s+(?:roi|rui|xong)(?!\w)"
)


def says_already_paid(text: str) -> bool:
    """'tôi đã đóng tiền rồi mà vẫn báo nợ', 'ck rồi': the customer believes the bill is paid."""
    folded = " ".join(fold(text or "").split())
    return (any(not _ASKED_AFTER.match(folded, found.end()) for found in _PAID_BEFORE.finditer(folded))
            or _PAID_AFTER.search(folded) is not None)


_WAYS = linear_regex.compile(r"(?<!\w)(?:chuyen khoan|ck|qr|the atm|atm|visa|tien mat|vi dien tu|momo|zalopay|vnpay"
                              r"|ngan hang|internet banking|ung dung|tu dong|trich no|tu tru|tru tu dong)(?!\w)")
# "thẻ" (card) and "ví" (wallet) fold to "the" (so) and "vi" (because): only with their marks.
_MARKED_WAYS = linear_regex.compile(r"(?<!\w)(?:thẻ|ví)(?!\w)")


def names_a_way_to_pay(text: str) -> bool:
    """'còn chuyển khoản thì sao', 'thẻ được không': a follow-up on the ways to pay."""
    return (_WAYS.search(" ".join(fold(text or "").split())) is not None
            or _MARKED_WAYS.search((text or "").lower()) is not None)


# "tháng 9 trả rồi đúng không", "tháng đó đóng chưa", "đã thanh toán chưa": whether one bill is paid, not the debt.
_ASKS_PAID = linear_regex.compile(
    r"(?<!\w)(?:dong|tra|thanh toan|chuyen khoan|nop|ck)(?:\s+\w+){0,3}\s+(?:chua|roi|rui|xong)(?!\w)")
# How that bill was paid, said of a bill in the past ("tháng đó trả bằng gì", "đã đóng qua đâu"; "trả bằng cách nào
# được" asks the ways to pay), and when or by when ("đóng ngày nào", "hạn chót khi nào").
_HOW_PAID = linear_regex.compile(r"(?<!\w)(?:dong|tra|thanh toan|nop)(?:\s+tien)?\s+(?:bang|qua|o)\s+"
                                 r"(?:(?:cai|kenh|hinh thuc|app|ung dung|vi|ngan hang|cach)\s+)?"
                                 r"(?:gi|j|cach nao|dau|nao)(?!\w)")
_IN_THE_PAST = linear_regex.compile(r"(?<!\w)(?:(?:thang|ky|ki|hoi|luc|hom|bua)\s+(?:do|truoc|roi)|roi|rui)(?!\w)")
_WHEN_PAID = linear_regex.compile(
    r"(?<!\w)(?:(?:dong|tra|thanh toan|nop)(?:\s+tien)?\s+(?:luc|hoi|ngay|hom|bua)\s+(?:nao|khi nao)|han chot|han dong"
    r"|han tra|han thanh toan|han nop)(?!\w)")
_DEBT = linear_regex.compile(r"(?<!\w)(?:no|con no|thieu|nhac no)(?!\w)")


def asks_if_a_bill_is_paid(text: str, of_a_named_period: bool = False) -> bool:
    """A question about one bill's payment ("tháng đó đóng chưa", "trả bằng gì", "hạn chót khi nào") rather than
    what is owed ("còn nợ không"). "How" is of a bill in the past: said so, or of a period the message names."""
    folded = " ".join(fold(text or "").split())
    past = of_a_named_period or _IN_THE_PAST.search(folded) is not None or "đã" in (text or "").lower()
    how = _HOW_PAID.search(folded) is not None and past
    return ((_ASKS_PAID.search(folded) is not None or how or _WHEN_PAID.search(folded) is not None)
            and _DEBT.search(folded) is None)
