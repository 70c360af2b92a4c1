"""Billing periods (one calendar month) and how customers name them in chat."""
from __future__ import annotations

import calendar
import unicodedata
from dataclasses import dataclass
from datetime import date

from evn.domain import linear_regex


@dataclass(frozen=True, order=True)
class Period:
    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month out of range: {self.month}")

    @property
    def key(self) -> int:
        """Sortable integer stored in the database: 202610."""
        return self.year * 100 + self.month

    @classmethod
    def from_key(cls, key: int) -> Period:
        return cls(key // 100, key % 100)

    @classmethod
    def of(cls, day: date) -> Period:
        return cls(day.year, day.month)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def shift(self, months: int) -> Period:
        index = self.year * 12 + (self.month - 1) + months
        return Period(index // 12, index % 12 + 1)

    def __str__(self) -> str:
        return f"{self.month:02d}/{self.year}"


def fold(text: str) -> str:
    """Lower-case and strip Vietnamese diacritics so 'Tháng Trước' == 'thang truoc'."""
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn")


_LATEST = linear_regex.compile(r"\b(?:(?:thang|ky|ki|hoa don)\s+(?:gan nhat|moi nhat|gan day nhat)|(?:ky|ki)\s+nay)\b")
_CURRENT = linear_regex.compile(r"\bthang\s+(?:nay|hien tai)\b")
# "tư" (four) is left out: folded it is "từ" (from), as in "từ tháng trước tới giờ".
_NUMBERS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8, "chin": 9, "muoi": 10}
_MONTHS_AGO = linear_regex.compile(
    r"\b(\d{1,2}|" + "|".join(_NUMBERS) + r")\s+(?:thang|ky|ki)\s+(?:truoc|trc|ve truoc)\b"
)
_BEFORE_PREVIOUS = linear_regex.compile(r"\b(?:thang|ky|ki)\s+(?:truoc|trc)\s+nua\b")
_PREVIOUS = linear_regex.compile(r"\b(?:thang|ky|ki)\s+(?:truoc|trc|vua roi|vua qua|roi|rui|qua)\b")
# Was preceded by an optional "tháng"/"th."/"t" (a look-behind in the middle, which RE2 lacks): it moved
# only the match's start, never which month and year were found.
_MONTH_YEAR = linear_regex.compile(r"(?<!\d)(0?[1-9]|1[0-2])\s?(?:/|-|nam)\s?((?:20)?\d{2})(?!\d)")
_MONTH = linear_regex.compile(r"\b(?:thang|th|t)\.?\s?(0?[1-9]|1[0-2])(?!\d)")
# "tháng 10 năm ngoái" / "năm trước" / "năm rồi" (South), "năm kia", "năm nay"
_RELATIVE_YEAR = linear_regex.compile(r"\bnam\s+(ngoai|truoc|trc|roi|rui|kia|nay)\b")
_YEARS_BACK = {"ngoai": 1, "truoc": 1, "trc": 1, "roi": 1, "rui": 1, "kia": 2, "nay": 0}


def parse_period(text: str, today: date, latest: Period | None = None) -> Period | None:
    """Resolve a customer's words for a billing period as they mean them on `today` in Vietnam.

    "tháng này" is this calendar month and "tháng trước" / "tháng rồi" / "kỳ rồi" the one
    before, whether or not its bill is issued yet (the caller says so); "kỳ này" and "kỳ gần
    nhất" are the latest issued bill (`latest`, else this month). A month without a year is
    the most recent such month not in the future; "năm ngoái" / "năm kia" / "năm nay" set
    the year. Returns None when the text names no period.
    """
    folded = fold(text)
    current = Period.of(today)
    if _LATEST.search(folded):
        return latest or current
    if _CURRENT.search(folded):
        return current
    match = _MONTHS_AGO.search(folded)
    if match:
        word = match.group(1)
        return current.shift(-(int(word) if word.isdigit() else _NUMBERS[word]))
    if _BEFORE_PREVIOUS.search(folded):
        return current.shift(-2)
    if _PREVIOUS.search(folded):
        return current.shift(-1)
    match = _MONTH_YEAR.search(folded)
    if match:
        year = int(match.group(2))
        return Period(year + 2000 if year < 100 else year, int(match.group(1)))
    match = _MONTH.search(folded)
    if match:
        month = int(match.group(1))
        relative = _RELATIVE_YEAR.search(folded[match.end():])
        if relative:
            return Period(today.year - _YEARS_BACK[relative.group(1)], month)
        return Period(today.year if month <= today.month else today.year - 1, month)
    return None


# Shapes that name a period or a day, valid or not, to tell the customer what is wrong with them.
_DAY_MONTH_YEAR = linear_regex.compile(r"(?<![\d/.-])(\d{1,3})\s?[/.-]\s?(\d{1,3})\s?[/.-]\s?(\d{1,6})(?![\d/.-])")
_ISO_DATE = linear_regex.compile(r"(?<![\d/.-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d/.-])")
_MONTH_SLASH_YEAR = linear_regex.compile(r"(?<![\d/.,-])(\d{1,3})\s?[/-]\s?(\d{1,6})(?![\d/.,-])")
_MONTH_WORD = linear_regex.compile(r"\b(?:thang|th)\.?\s?(-?\d{1,4})(?!\d)")
_YEAR_WORD = linear_regex.compile(r"\bnam\s(-?\d{1,6})(?!\d)")
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100

MONTH, DAY, YEAR = "month", "day", "year"


def period_problem(text: str) -> str | None:
    """Why `text` names an impossible period or day ('31/02/2026', '13/2026', '10/99999',
    'tháng 13'): MONTH, DAY or YEAR; None when whatever it names could exist."""
    folded = fold(text or "")
    for match in _ISO_DATE.finditer(folded):
        problem = _day_problem(int(match.group(3)), int(match.group(2)), match.group(1))
        if problem:
            return problem
    for match in _DAY_MONTH_YEAR.finditer(folded):
        problem = _day_problem(int(match.group(1)), int(match.group(2)), match.group(3))
        if problem:
            return problem
    rest = _DAY_MONTH_YEAR.sub(" ", _ISO_DATE.sub(" ", folded))
    for match in _MONTH_SLASH_YEAR.finditer(rest):
        month, year = int(match.group(1)), match.group(2)
        if len(year) == 1:
            continue  # "1/2": a fraction, not a period
        if not 1 <= month <= 12:
            return MONTH
        if _year(year) is None:
            return YEAR
    for match in _MONTH_WORD.finditer(rest):
        if not 1 <= int(match.group(1)) <= 12:
            return MONTH
    for match in _YEAR_WORD.finditer(rest):
        if _year(match.group(1)) is None:
            return YEAR
    return None


def _year(text: str) -> int | None:
    """A four-digit year in range, or two digits meaning 20xx; None otherwise."""
    if text.startswith("-") or len(text) not in (2, 4):
        return None
    year = int(text) + (2000 if len(text) == 2 else 0)
    return year if EARLIEST_YEAR <= year <= LATEST_YEAR else None


def _day_problem(day: int, month: int, year_text: str) -> str | None:
    if not 1 <= month <= 12:
        return MONTH
    year = _year(year_text)
    if year is None:
        return YEAR
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return DAY
    return None


_COUNT = linear_regex.compile(r"(\d{1,2})\s*(?:thang|ky|ki)\b")
_THIS_YEAR = linear_regex.compile(r"\b(?:ca nam(?: nay)?|nam nay|tu dau nam)\b")


def asks_this_year(text: str) -> bool:
    """'cả năm nay', 'từ đầu năm': the bills of this calendar year."""
    return _THIS_YEAR.search(fold(text or "")) is not None


def parse_month_count(text: str, default: int, maximum: int = 12) -> int:
    """'6 tháng gần đây' -> 6, clamped to what the history holds."""
    match = _COUNT.search(fold(text))
    count = int(match.group(1)) if match else default
    return max(1, min(count, maximum))
