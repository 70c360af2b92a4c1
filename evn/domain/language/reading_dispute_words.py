"""A reading the customer thinks is wrong ("chỉ số tháng 10 ghi sai", "ghi sai số rồi", "số trên app nhiều hơn đồng
hồ", "vẫn không khớp"), and the register they read on their meter ("công tơ nhà tôi giờ chỉ 6950"), on folded text."""
from __future__ import annotations

from evn.domain import linear_regex
from evn.domain.periods import fold

_METER = r"(?:cong to|dong ho|dien ke|chi so|so dien|so cong to|so)"
_WRONG = linear_regex.compile(
    r"\b(?:ghi|doc|chot)\s+(?:chi so\s+|so\s+)?(?:sai|nham|lon|du|thua|au|bay|khong dung|ko dung|k dung)\b"
    r"|\bsai\s+(?:chi so|so|so dien|so cong to)\b"
    rf"|\b{_METER}\b.*\b(?:khong (?:khop|dung)|ko (?:khop|dung)|k (?:khop|dung)|sai|nham|lech)\b"
    r"|\b(?:khong|ko|k) khop\b"
    r"|\b(?:nhieu|lon|cao) hon\b.*\b(?:dong ho|cong to|dien ke)\b.*\b(?:thuc te|that|nha)\b"
    r"|\b(?:cong to|dong ho|dien ke)\b[^0-9]*\d{3,}.*\b(?:hoa don|bill|app)\b[^0-9]*\d{3,}"
    r"|\b(?:kiem tra|xem) lai chi so\b|\bphuc tra\b"
    r"|\b(?:van )?(?:khong|ko|k) dong y\b.*\b(?:cong to|dong ho|dien ke|chi so)\b")
# "công tơ nhà tôi bây giờ chỉ có 6950", "đồng hồ đang hiện 15.390", "em đọc được 15400": a register of 3–7 digits.
_READ = linear_regex.compile(
    r"\b(?:cong to|dong ho|dien ke|doc|chi|hien|la|nhin thay|thay|ghi|con)\b[^0-9]{0,30}?"
    r"(\d{1,3}(?:[.,]\d{3})+|\d{3,7})(?![\d/])")
_ALONE = linear_regex.compile(r"(\d{1,3}(?:[.,]\d{3})+|\d{3,7})(?: so| kwh)?")
_NOT_REGISTERS = linear_regex.compile(r"\b(?:thang|ky|ki|t)\s?\d{1,2}(?:/\d{2,4})?\b|\b[a-z]{2}\d{11}\b"
                                      r"|(?:\+84|\b0)\d[\d .]{7,12}\d\b|\d+\s?(?:kwh|kw|ky|k)\b")


# "ghi sai địa chỉ": a request's field written wrong, not a reading.
_FIELD_WRONG = linear_regex.compile(r"\bghi\s+(?:sai|nham|lon)\s+(?:dia chi|ten|ho ten|thong tin|so dien thoai|sdt"
                                    r"|so dt|ngay|cccd|mo ta)\b")


_ROSE = linear_regex.compile(r"\b(?:tang|nhay len|nhay vot|vot len|dot bien|gap doi|gap ba)\b")


def tells_a_rise(text: str) -> bool:
    """The bill rose, said ("tiền nhảy lên", "tăng đột biến"), and no register read on the meter."""
    return _ROSE.search(" ".join(fold(text or "").split())) is not None and register_read(text) is None


def disputes_reading(text: str) -> bool:
    folded = " ".join(fold(text or "").split())
    return _WRONG.search(folded) is not None and _FIELD_WRONG.search(folded) is None


def register_read(text: str) -> int | None:
    """The register the customer says their meter shows, or None."""
    folded = " ".join(fold(text or "").split())
    alone = _ALONE.fullmatch(folded)  # "15390", "15.390 số": the number asked for, on its own
    if alone:
        return int(linear_regex.sub(r"[.,]", "", alone.group(1)))
    found = _READ.search(_NOT_REGISTERS.sub(" ", folded))
    return int(linear_regex.sub(r"[.,]", "", found.group(1))) if found else None
