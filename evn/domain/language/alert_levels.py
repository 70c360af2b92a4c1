"""A usage alert as customers ask for it: the level in their words, and whether they set, list or cancel.

"báo khi vượt 300 số" / "ba trăm ký" (kWh), "tăng hơn 30%" / "30 phần trăm" / "gấp đôi" (a share above the
period before), "quá 1 triệu" / "1tr2" / "800k" / "1.500.000đ" (an amount). A bare number is kWh up to
BARE_KWH_LIMIT and an amount above it ("quá 500000 thì báo" is money, "vượt 300 thì báo" is kWh).
Read on folded text (no case, no diacritics), numbers in words through evn.domain.language.number_words.
"""
from __future__ import annotations

from decimal import Decimal
from enum import Enum

from evn.domain import linear_regex
from evn.domain.language.number_words import find_spoken_numbers
from evn.domain.language.quantities import parse_kwh
from evn.domain.periods import fold
from evn.domain.usage_alerts import AlertKind, AlertLevel

BARE_KWH_LIMIT = 10_000

_NUMBER = r"(\d{1,3}(?:[.,]\d{3})+|\d+(?:[.,]\d{1,2})?)"
_PERCENT = linear_regex.compile(_NUMBER + r"\s?(?:%|phan tram|pt\b)")
_MILLION = linear_regex.compile(r"(?<![\w.,])" + _NUMBER + r"\s?(?:trieu|tr|cu)(?:(\d)|\s?(ruoi))?(?![a-z])")
_THOUSAND = linear_regex.compile(r"(?<![\w.,])" + _NUMBER + r"\s?(?:k|nghin|ngan|ng)(?![a-z])")
_MONEY_UNIT = linear_regex.compile(r"(?<![\w.,])" + _NUMBER + r"\s?(?:d|dong|vnd|vnđ)(?![a-z])")
_SPOKEN_PERCENT_AFTER = linear_regex.compile(r"^\s?(?:%|phan tram)")
_DOUBLE = linear_regex.compile(r"\bgap (?:doi|hai lan|2 lan)\b")
# Numbers that are not a level: periods and dates ("tháng 11", "20/11"), customer codes, phones.
_NOT_LEVELS = linear_regex.compile(r"\b(?:thang|ky|ki|t)\s?\d{1,2}(?:/\d{2,4})?\b|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b"
                                   r"|\b[a-z]{2}\d{11}\b|(?:\+84|\b0)\d[\d .]{7,12}\d\b")
_MONEY_WORDS = linear_regex.compile(r"\b(?:tien|dong|vnd|trieu|nghin|ngan)\b")


class AlertAction(str, Enum):
    SET = "set"
    LIST = "list"
    CANCEL = "cancel"


# "hủy", "xóa", "tắt", "gỡ bỏ", "bỏ hết", "ngừng/dừng cảnh báo", "không cần cảnh báo nữa". Folded text: "dùng" (use)
# and "dừng" (stop) fold alike, so "dung" counts only before the alert's own words; "thôi" alone is no cancel
# ("thôi đặt 450 số đi").
_CANCEL = linear_regex.compile(r"\b(?:huy|xoa|tat|go|bo het|bo (?:canh bao|nguong|muc|cai)|bo\s*$"
                               r"|(?:ngung|dung|khoi|khong can|ko can|k can|thoi) (?:nhan )?(?:canh bao|nguong|bao)"
                               r"|dung (?:nhan )?(?:canh bao|nguong)|(?:khoi|khong can|ko can|k can) nua)\b")
_LIST = linear_regex.compile(r"\b(?:nhung|cac|danh sach|liet ke|xem|kiem tra|nao|may|bao nhieu)\b.*"
                             r"\b(?:canh bao|nguong|muc bao)\b|\b(?:canh bao|nguong)\b.*\b(?:nao|gi|chua)\b"
                             r"|\bdang (?:dat|cai|co)\b")


def action_asked(text: str) -> AlertAction:
    folded = fold(text or "")
    if _CANCEL.search(folded):
        return AlertAction.CANCEL
    if level_in(text) is None and _LIST.search(folded):
        return AlertAction.LIST
    return AlertAction.SET


def about_alerts(text: str) -> bool:
    """Right after an alert's answer, words that set, list or cancel alerts again: a level, cancel words, or
    words that ask which are kept."""
    folded = fold(text or "")
    return level_in(text) is not None or bool(_CANCEL.search(folded) or _LIST.search(folded)
                                               or linear_regex.search(r"\b(?:con (?:may|nhung)|cai nao)\b", folded))


def level_in(text: str) -> AlertLevel | None:
    """The level the text names, or None."""
    folded = _NOT_LEVELS.sub(" ", fold(text or ""))
    percent = _PERCENT.search(folded)
    if percent:
        return AlertLevel(AlertKind.PERCENT, _whole(percent.group(1)))
    for spoken in find_spoken_numbers(folded):
        if _SPOKEN_PERCENT_AFTER.search(folded[spoken.end:]):
            return AlertLevel(AlertKind.PERCENT, spoken.value)
    if _DOUBLE.search(folded):
        return AlertLevel(AlertKind.PERCENT, 100)
    amount = _amount(folded)
    if amount is not None:
        return AlertLevel(AlertKind.AMOUNT, amount)
    kwh = parse_kwh(folded)
    if kwh is None:
        return None
    if kwh > BARE_KWH_LIMIT or (_MONEY_WORDS.search(folded) and not _has_kwh_unit(folded)):
        return AlertLevel(AlertKind.AMOUNT, kwh)
    return AlertLevel(AlertKind.KWH, kwh)


def _amount(folded: str) -> int | None:
    million = _MILLION.search(folded)
    if million:  # "1tr2": 1,2 million; "1,5 triệu", "2 củ"
        whole = _decimal(million.group(1))
        if million.group(2):
            whole += Decimal(million.group(2)) / 10
        elif million.group(3):  # "1tr rưỡi", "1 triệu rưỡi"
            whole += Decimal("0.5")
        return int(whole * 1_000_000)
    thousand = _THOUSAND.search(folded)
    if thousand:
        return int(_decimal(thousand.group(1)) * 1_000)
    unit = _MONEY_UNIT.search(folded)
    if unit:
        return _whole(unit.group(1))
    spoken = [number.value for number in find_spoken_numbers(folded) if number.value >= 1_000]
    return spoken[0] if spoken else None


def _has_kwh_unit(folded: str) -> bool:
    return bool(linear_regex.search(r"\d\s?(?:kwh|kw|so|ky|ki|chu)\b|\b(?:tram|chuc|muoi)\s+(?:so|ky|ki|chu)\b",
                                    folded))


def _decimal(text: str) -> Decimal:
    """"1,5" and "1.5" are one and a half; "1.000" (three digits after) is a thousand."""
    if linear_regex.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", text):
        return Decimal(linear_regex.sub(r"[.,]", "", text))
    return Decimal(text.replace(",", "."))


def _whole(text: str) -> int:
    return int(_decimal(text))
