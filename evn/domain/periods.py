"""Billing periods (one calendar month) and how customers name them in chat."""
from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date


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
    def from_key(cls, key: int) -> "Period":
        return cls(key // 100, key % 100)

    @classmethod
    def of(cls, day: date) -> "Period":
        return cls(day.year, day.month)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def shift(self, months: int) -> "Period":
        index = self.year * 12 + (self.month - 1) + months
        return Period(index // 12, index % 12 + 1)

    def __str__(self) -> str:
        return f"{self.month:02d}/{self.year}"


def fold(text: str) -> str:
    """Lower-case and strip Vietnamese diacritics so 'Tháng Trước' == 'thang truoc'."""
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn")


_LATEST = re.compile(r"\b(?:thang|ky|ki)\s+(?:nay|hien tai|gan nhat|moi nhat)\b")
_PREVIOUS = re.compile(r"\b(?:thang|ky|ki)\s+(?:truoc|trc|vua roi|vua qua|roi|qua)\b")
_MONTH_YEAR = re.compile(
    r"(?:\b(?:thang|th|t)\.?\s?)?(?<!\d)(0?[1-9]|1[0-2])\s?(?:/|-|nam)\s?((?:20)?\d{2})(?!\d)"
)
_MONTH = re.compile(r"\b(?:thang|th|t)\.?\s?(0?[1-9]|1[0-2])(?!\d)")


def parse_period(text: str, latest: Period) -> Period | None:
    """Resolve a customer's words for a billing period.

    Relative words are relative to the latest issued bill, not to today: on
    01/11 "tháng này" means the bill just issued (10), "tháng trước" the one
    before it. A month without a year is the most recent such month that has
    been billed. Returns None when the text names no period.
    """
    folded = fold(text)
    if _LATEST.search(folded):
        return latest
    if _PREVIOUS.search(folded):
        return latest.shift(-1)
    match = _MONTH_YEAR.search(folded)
    if match:
        year = int(match.group(2))
        return Period(year + 2000 if year < 100 else year, int(match.group(1)))
    match = _MONTH.search(folded)
    if match:
        month = int(match.group(1))
        year = latest.year if month <= latest.month else latest.year - 1
        return Period(year, month)
    return None


_COUNT = re.compile(r"(\d{1,2})\s*(?:thang|ky|ki)\b")


def parse_month_count(text: str, default: int, maximum: int = 12) -> int:
    """'6 tháng gần đây' -> 6, clamped to what the history holds."""
    match = _COUNT.search(fold(text))
    count = int(match.group(1)) if match else default
    return max(1, min(count, maximum))
