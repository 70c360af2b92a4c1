"""What a tariff question asks: one tier, whether tax is included, the change from the old price,
or a customer group the data does not cover (business, production, administrative, time of use)."""
from __future__ import annotations

from evn.domain import linear_regex
from evn.domain.periods import fold

BUSINESS, PRODUCTION, ADMINISTRATIVE, TIME_OF_USE = "business", "production", "administrative", "time_of_use"
RESIDENTIAL = "residential"

_GROUPS = (
    (TIME_OF_USE, linear_regex.compile(r"\b(?:gio cao diem|gio thap diem|gio binh thuong|cao diem|thap diem|theo gio|"
                                       r"khung gio|3 gia|ba gia|cong to 3 gia)\b")),
    (BUSINESS, linear_regex.compile(r"\b(?:kinh doanh|buon ban|cua hang|quan an|nha hang|khach san"
                                    r"|van phong cho thue)\b")),
    (PRODUCTION, linear_regex.compile(r"\b(?:san xuat|nha may|xuong san xuat|xuong may|xi nghiep|cong nghiep)\b")),
    (ADMINISTRATIVE, linear_regex.compile(r"\b(?:hanh chinh|su nghiep|truong hoc|benh vien|co quan)\b")),
)
_TIER = linear_regex.compile(r"\b(?:bac|muc)\s*(\d)(?!\w)")  # not \b, ASCII in RE2: "bậc ５" has a Unicode digit
_TIER_WORDS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "sau": 6}
_TIER_WORD = linear_regex.compile(r"\bbac\s+(" + "|".join(_TIER_WORDS) + r")\b")
_TIER_EDGE = linear_regex.compile(r"\bbac\s+(?:cao nhat|cuoi|thap nhat|dau tien|dau)\b")
_VAT = linear_regex.compile(r"\b(?:thue|vat|gtgt|gom thue|chua thue|sau thue|truoc thue)\b")
_CHANGE = linear_regex.compile(r"\b(?:tang bao nhieu|tang them|so voi truoc|so voi cu|gia cu|truoc day|dieu chinh|"
                               r"tang gia|tang may|tang may phan tram|tang len|lan tang|giam bao nhieu)\b")


def asked_group(text: str) -> str | None:
    """A customer group other than households, when the question names one (and does not say "sinh hoạt")."""
    folded = fold(text or "")
    if linear_regex.search(r"\bsinh hoat\b", folded):
        return None
    return next((group for group, pattern in _GROUPS if pattern.search(folded)), None)


def asked_tier(text: str, tiers: int = 6) -> int | None:
    """'giá bậc 5 nhiêu' -> 5; 'bậc cao nhất' -> the last; None when no single tier is asked."""
    folded = fold(text or "")
    match = _TIER.search(folded)
    if match and 1 <= int(match.group(1)) <= tiers:
        return int(match.group(1))
    match = _TIER_WORD.search(folded)
    if match:
        return _TIER_WORDS[match.group(1)] if _TIER_WORDS[match.group(1)] <= tiers else None
    match = _TIER_EDGE.search(folded)
    if match:
        return tiers if any(w in match.group(0) for w in ("cao nhat", "cuoi")) else 1
    return None


def asks_vat(text: str) -> bool:
    return _VAT.search(fold(text or "")) is not None


def asks_change(text: str) -> bool:
    return _CHANGE.search(fold(text or "")) is not None


def asks_tariff_detail(text: str) -> bool:
    """A follow-up on a tariff answer: a tier, the tax, the change, or a customer group."""
    return asked_tier(text) is not None or asks_vat(text) or asks_change(text) or asked_group(text) is not None
