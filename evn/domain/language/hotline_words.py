"""A question for the power company's phone line ("tổng đài điện lực miền nam số mấy", "hotline evn hcm", "sđt
cskh điện lực hà nội") and the area it names, on folded text. Which number answers is reference data
(evn/reference/power_companies.yml); these are only the words."""
from __future__ import annotations

from evn.domain import linear_regex
from evn.domain.periods import fold

_LINE = linear_regex.compile(
    r"\b(?:tong dai|hotline|hot line|duong day nong|so (?:dien thoai|dt|dth)\s+(?:cua\s+)?(?:dien luc|evn|cskh"
    r"|cham soc khach hang|tong cong ty)|sdt (?:cua\s+)?(?:dien luc|evn|cskh)|so cskh|so dien luc"
    r"|goi so nao|goi so may|goi cho ai|goi dau)\b")
# "gặp tổng đài viên" asks for a person; "em gọi tổng đài rồi" tells what was done.
_NOT_THE_NUMBER = linear_regex.compile(r"\btong dai vien\b|\b(?:cam on|thank|thanks|tks|cam ta)\b"
                                       r"|\b(?:goi|lien he|bao)\s+(?:\w+\s+)?(?:tong dai|hotline)"
                                       r"\s+(?:roi|r|xong)\b")
# An area, in the words customers use for it, to the power company that serves it.
_AREAS = (
    ("EVNHCMC", r"\b(?:hcm|tp hcm|tphcm|ho chi minh|sai gon|saigon|sg|thu duc)\b"),
    ("EVNHANOI", r"\b(?:ha noi|hanoi|hn|thu do)\b"),
    ("EVNNPC", r"\bmien bac\b"),
    ("EVNCPC", r"\b(?:mien trung|da nang|hue|quang nam|quang ngai|khanh hoa|nha trang)\b"),
    ("EVNSPC", r"\b(?:mien nam|can tho|dong nai|binh duong|vung tau|long an|tay nam bo|mien tay)\b"),
)


def asks_hotline(text: str) -> bool:
    """Whether the message asks for the hotline: its words, not told of a call made or of a person asked for."""
    folded = " ".join(fold(text or "").replace(".", " ").split())
    return _LINE.search(folded) is not None and _NOT_THE_NUMBER.search(folded) is None


def area_named(text: str) -> str | None:
    """The power company whose area the message names ("miền nam" -> EVNSPC, "sài gòn" -> EVNHCMC), if one."""
    folded = " ".join(fold(text or "").replace(".", " ").split())
    found = [code for code, words in _AREAS if linear_regex.search(words, folded)]
    return found[0] if len(found) == 1 else None
