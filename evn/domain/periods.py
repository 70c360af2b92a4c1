"""Billing periods (one calendar month) and how customers name them in chat."""
from __future__ import annotations

import calendar
import unicodedata
from dataclasses import dataclass
from datetime import date

from evn.domain import linear_regex
from evn.domain.identity import CUSTOMER_CODE, PHONE


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


# Months in words after "tháng" or "kỳ" ("tháng chín", "tháng mười một", "tháng giêng", "kỳ 9"). Matched with
# their marks: without them "tháng sau" is next month, not June.
_MONTH_NAMES = {
    "mười một": 11, "muoi mot": 11, "mười hai": 12, "muoi hai": 12, "mười": 10, "muoi": 10, "một": 1, "mot": 1,
    "giêng": 1, "gieng": 1, "hai": 2, "ba": 3, "bốn": 4, "bon": 4, "tư": 4, "tu": 4, "năm": 5, "nam": 5, "sáu": 6,
    "bảy": 7, "bẩy": 7, "bay": 7, "tám": 8, "tam": 8, "chín": 9, "chin": 9, "chạp": 12, "chap": 12,
}
_MONTH_IN_WORDS = linear_regex.compile(
    r"(?<!\w)(?:tháng|thang|kỳ|kì|ky|ki)\s+(" + "|".join(sorted(_MONTH_NAMES, key=len, reverse=True)) + r")(?!\w)"
    r"|(?<!\w)(?:kỳ|kì|ky|ki)\s?(0?[1-9]|1[0-2])(?![\w/])")
# "tháng đầu năm nay", "cuối năm ngoái": January or December of that year.
_YEAR_END = linear_regex.compile(r"(?<!\w)(?:(?:tháng|thang)\s+)?(đầu|dau|cuối|cuoi)\s+(?:năm|nam)\s+"
                                 r"(nay|ngoái|ngoai|trước|truoc|trc|rồi|roi|kia)(?!\w)")


def months_in_digits(text: str) -> str:
    """`text` with the months said in words written as "tháng 9" ("tháng mười một" -> "tháng 11")."""
    lowered = unicodedata.normalize("NFC", (text or "").lower())

    def month(found: linear_regex.Match) -> str:
        return f"tháng {_MONTH_NAMES[found.group(1)] if found.group(1) else int(found.group(2))}"

    lowered = _MONTH_IN_WORDS.sub(month, lowered)
    return _YEAR_END.sub(lambda found: f"tháng {1 if found.group(1) in ('đầu', 'dau') else 12} năm {found.group(2)}",
                         lowered)


def period_words(text: str) -> list[tuple[int, int, str]]:
    """Where `text` names a month in words, and that month in digits with its year words if it has them
    ("cuối năm ngoái tháng 12" -> "tháng 12 năm ngoái"): what the NLU gives as the period's value."""
    text = unicodedata.normalize("NFC", text or "")
    found = []
    for match in (*_MONTH_IN_WORDS.finditer(text.lower()), *_YEAR_END.finditer(text.lower())):
        value = months_in_digits(match.group(0))
        after = _RELATIVE_YEAR.search(fold(text), match.end())
        year = after or _RELATIVE_YEAR.search(fold(text))
        end = match.end()
        if year and "năm" not in value:  # fold keeps every character's place: the words as typed
            value += " " + text[year.start():year.end()].lower()
            if year is after and not text[match.end():after.start()].strip():
                end = after.end()  # "tháng mười một năm ngoái" is one period
        found.append((match.start(), end, value))
    return sorted(found)


# Where a message names a period in digits or relative words ("tháng 9", "10/2026", "kỳ trước"): the NLU's
# period regex (data/nlu/entities.yml; tests/components/test_entity_patterns.py keeps the two the same).
PERIOD = linear_regex.compile(
    r"(?:(?<!\w)(?:tháng|thang|th|t)\.?\s?(?:0?[1-9]|1[0-2])(?:\s?(?:/|-|năm|nam)\s?(?:20)?\d{2}|\s(?:năm|"
    r"nam)\s(?:ngoái|ngoai|trước|truoc|trc|rồi|roi|rùi|rui|kia|nay))?(?![\w/])|(?<![\w/.])(?:0?[1-9]|1[0-2])\s?[/-]\s?20\d{2}(?![\w/])|"
    r"(?<!\d\s)(?<!\d)(?:(?:hai|ba|bốn|bon|2|3|4|5|6)\s(?:tháng|thang|kỳ|ky|kì|ki)\s(?:trước|truoc|trc)|(?:tháng|"
    r"thang|kỳ|ky|kì|ki)\s(?:này|nay|trước nữa|truoc nua|trước|truoc|trc|vừa rồi|vua roi|vừa qua|vua qua|rồi|"
    r"roi|rùi|rui|qua|hiện tại|hien tai|gần nhất|gan nhat|mới nhất|moi nhat))(?!\w))",
    linear_regex.IGNORECASE)

_LATEST = linear_regex.compile(r"\b(?:(?:thang|ky|ki|hoa don)\s+(?:gan nhat|moi nhat|gan day nhat)|(?:ky|ki)\s+nay)\b")
_CURRENT = linear_regex.compile(r"\bthang\s+(?:nay|hien tai)\b")
# "tư" (four) is left out: folded it is "từ" (from), as in "từ tháng trước tới giờ".
_NUMBERS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8, "chin": 9, "muoi": 10}
_MONTHS_AGO = linear_regex.compile(
    r"\b(\d{1,2}|" + "|".join(_NUMBERS) + r")\s+(?:thang|ky|ki)\s+(?:truoc|trc|ve truoc)\b"
)
# "kỳ trước" ("kỳ trước nữa") is the bill before the latest (before that one): a bill period, not the month.
_BILL_BEFORE = linear_regex.compile(r"\b(?:ky|ki)\s+(?:truoc|trc)(\s+nua)?\b")
_BEFORE_PREVIOUS = linear_regex.compile(r"\b(?:thang|ky|ki)\s+(?:truoc|trc)\s+nua\b")
_PREVIOUS = linear_regex.compile(r"\b(?:thang|ky|ki)\s+(?:truoc|trc|vua roi|vua qua|roi|rui|qua)\b")
# Was preceded by an optional "tháng"/"th."/"t" (a look-behind in the middle, which RE2 lacks): it moved
# only the match's start, never which month and year were found.
_MONTH_YEAR = linear_regex.compile(r"(?<!\d)(0?[1-9]|1[0-2])\s?(?:/|-|nam)\s?((?:20)?\d{2})(?!\d)")
_MONTH = linear_regex.compile(r"\b(?:thang|th|t)\.?\s?(0?[1-9]|1[0-2])(?!\d)")
# "tháng 10 năm ngoái" / "năm trước" / "năm rồi" (South), "năm kia", "năm nay"
_RELATIVE_YEAR = linear_regex.compile(r"\bnam\s+(ngoai|truoc|trc|roi|rui|kia|nay)\b")
_YEARS_BACK = {"ngoai": 1, "truoc": 1, "trc": 1, "roi": 1, "rui": 1, "kia": 2, "nay": 0}


def relative_year(text: str) -> str | None:
    """The year words of `text` as typed ("năm ngoái", "năm nay"), None without them."""
    found = _RELATIVE_YEAR.search(fold(text or ""))
    return (text or "")[found.start():found.end()].lower() if found else None


def parse_period(text: str, today: date, latest: Period | None = None) -> Period | None:
    """Resolve a customer's words for a billing period as they mean them on `today` in Vietnam.

    "tháng này" is this calendar month and "tháng trước" / "tháng rồi" / "kỳ rồi" the one
    before, whether or not its bill is issued yet (the caller says so); "kỳ này" and "kỳ gần
    nhất" are the latest issued bill (`latest`, else this month), "kỳ trước" the one before it.
    Months may be said in words ("tháng chín", "cuối năm ngoái"). A month without a year is
    the most recent such month not in the future; "năm ngoái" / "năm kia" / "năm nay" set
    the year. Returns None when the text names no period.
    """
    folded = fold(months_in_digits(text))
    current = Period.of(today)
    if _LATEST.search(folded):
        return latest or current
    if _CURRENT.search(folded):
        return current
    match = _BILL_BEFORE.search(folded)
    if match and latest is not None:
        return latest.shift(-2 if match.group(1) else -1)
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
        relative = _RELATIVE_YEAR.search(folded[match.end():]) or _RELATIVE_YEAR.search(folded[:match.start()])
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
    folded = fold(_without_codes_and_phones(text or ""))
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


def _without_codes_and_phones(text: str) -> str:
    """`text` with its customer codes and phones blanked: "090.123.4567" is a phone, not a 90th day."""
    for pattern in (CUSTOMER_CODE, PHONE):
        text = pattern.sub(lambda found: " " * len(found.group(0)), text)
    return text


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


_COUNT = linear_regex.compile(r"(?<![\d.])(\d{1,2})\s*(?:thang|ky|ki)\b")  # not the end of a phone
_THIS_YEAR = linear_regex.compile(r"\b(?:ca nam(?: nay)?|nam nay|tu dau nam)\b")


def asks_this_year(text: str) -> bool:
    """'cả năm nay', 'từ đầu năm': the bills of this calendar year ("tháng 9 năm nay" is one month of it)."""
    folded = fold(months_in_digits(text or ""))
    found = _THIS_YEAR.search(folded)
    return found is not None and (found.group(0) != "nam nay" or _MONTH.search(folded) is None)


_LATEST_MONTHS = linear_regex.compile(
    r"(?<!\w)\d{1,2}\s*(?:thang|ky|ki)\s*(?:gan\s*(?:day\s*nhat|nhat|day)|vua\s*(?:qua|roi)|qua|cuoi|nay)(?!\w)")


def latest_months(text: str) -> list[tuple[int, int]]:
    """Where `text` names the latest months by their number ("3 tháng gần nhất", "6 kỳ vừa qua"): (start, end)."""
    return [(match.start(), match.end()) for match in _LATEST_MONTHS.finditer(fold(text or "").lower())]


def month_count(text: str) -> int | None:
    """'6 tháng gần đây' -> 6; None when no number of months is said."""
    match = _COUNT.search(fold(text or ""))
    return int(match.group(1)) if match else None


def parse_month_count(text: str, default: int, maximum: int = 12) -> int:
    """'6 tháng gần đây' -> 6, clamped to what the history holds."""
    return max(1, min(month_count(text) or default, maximum))
