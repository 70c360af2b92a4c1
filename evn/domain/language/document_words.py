"""Whether a message asks for the bill or a payment receipt as a document ("gửi hóa đơn pdf", "tải hóa đơn điện
tử tháng 10", "xin biên lai đã đóng tiền", "cho file hóa đơn"), or for the bill by e-mail ("gửi hóa đơn qua
email"), on folded text. Asking the bill's amount ("hóa đơn điện tử tháng 10 bao nhiêu") is not: a document is
asked with a form (pdf, file, a copy, a printout) or a verb that takes one (tải, xuất, in)."""
from __future__ import annotations

from evn.domain import linear_regex
from evn.domain.periods import fold

_PAPER = r"(?:hoa don|hd|bill|bien lai|bien nhan|chung tu)"
_FORM = r"(?:pdf|file|fai|ban in|ban sao|ban mem|ban goc|ban dien tu|dang file|tai lieu)"
_DOCUMENT = linear_regex.compile(
    rf"\b(?:{_PAPER}\b(?:\W+\w+){{0,5}}?\W+{_FORM}|{_FORM}\b(?:\W+\w+){{0,4}}?\W+{_PAPER}"
    rf"|(?:tai|tai ve|tai xuong|xuat|download)\W+(?:\w+\W+){{0,3}}?{_PAPER}"
    # "in" prints only as a verb ("in hóa đơn", "in lại giúp hóa đơn"), not in "số in trên hóa đơn" (printed on it)
    rf"|\bin(?: ra| lai)?(?: giup| dum| ho| cho (?:em|minh|toi|chau|anh|chi))?(?: cai| ban| to)?\W+{_PAPER}"
    rf"|(?:gui|lay|xin|cho xin|can|nhan|co)\W+(?:\w+\W+){{0,2}}?(?:hoa don dien tu|bien lai|bien nhan|chung tu)"
    rf"|(?:bien lai|bien nhan)\W+(?:\w+\W+){{0,2}}?(?:thanh toan|dong tien|tien dien))\b")
_RECEIPT = linear_regex.compile(r"\b(?:bien lai|bien nhan|chung tu(?: thanh toan)?|xac nhan da (?:thanh toan|dong))\b")
_EMAIL = linear_regex.compile(r"\b(?:email|e mail|mail|gmail|hop thu|thu dien tu)\b")
# Registering or changing the address is a change of contract details (a service request), not this question.
_CHANGE = linear_regex.compile(r"\b(?:cap nhat|doi|thay doi|sua|dang ky|them|bo sung)\W+(?:\w+\W+){0,2}?"
                               r"(?:email|e mail|mail|gmail)\b")


def _folded(text: str) -> str:
    return " ".join(fold(text or "").replace("-", " ").split())


def asks_document(text: str) -> bool:
    """The bill or a receipt asked as a document."""
    return _DOCUMENT.search(_folded(text)) is not None


def asks_receipt(text: str) -> bool:
    """The payment's receipt rather than the bill."""
    return _RECEIPT.search(_folded(text)) is not None


def asks_by_email(text: str) -> bool:
    """The bill (or a receipt) asked by e-mail, not a change of the e-mail address."""
    folded = _folded(text)
    return (_EMAIL.search(folded) is not None and linear_regex.search(rf"\b{_PAPER}\b", folded) is not None
            and _CHANGE.search(folded) is None)
