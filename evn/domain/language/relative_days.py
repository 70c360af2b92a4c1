"""Days as customers name them when asking for the planned-outage schedule.

"mai có cúp điện ko", "lich cat dien t7", "thứ 3 tuần sau", "ngày 5/12": each
names a day or a span of days relative to today. Matching runs on the folded
text (no diacritics) so unaccented typing works, but a few short words are
checked against what was actually typed, because folding merges them with
other words: "mãi" (forever) and "mai" (tomorrow), "một" (one) and "mốt" (the
day after tomorrow), "thủ"/"thư" and "thứ", "thằng" and "tháng".
"""
from __future__ import annotations

import calendar
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from evn.domain import linear_regex
from evn.domain.periods import fold

DayRange = tuple[date, date]

# Weekday numbers as Python counts them: Monday is 0. "T7" is Saturday here.
_WEEKDAY_WORDS = {"hai": 0, "ba": 1, "tu": 2, "nam": 3, "sau": 4, "bay": 5}
# What may have been typed for each folded word: rejects "thủ", "tự", "bà", "sâu"...
_TYPED_THU = {"thứ", "thu"}
_TYPED_WEEKDAY = {
    "hai": {"hai"}, "ba": {"ba"}, "tu": {"tư", "tu"}, "nam": {"năm", "nam"},
    "sau": {"sáu", "sau"}, "bay": {"bảy", "bẩy", "bay"},
}
# "lần thứ hai" is "the second time", not Monday.
_ORDINAL_BEFORE = linear_regex.compile(r"\b(?:lan|ky|buoc|dieu|nguoi|cai|so|hang|muc|phan|lop|tang|con)\s+$")
# Place names that contain "mai": Hoàng Mai, Bạch Mai, Mai Dịch, Mai Chí Thọ...
_MAI_PLACE_BEFORE = linear_regex.compile(r"\b(?:hoang|bach)\s+$")
_MAI_PLACE_AFTER = linear_regex.compile(r"^\s+(?:dich|dong|chi tho|hac de|xuan thuong|thi luu|anh tuan)\b")
# Unaccented "mot" is usually "một" (one); it means "mốt" only next to day words or alone at the end.
_DAY_WORD_BEFORE = linear_regex.compile(r"\b(?:ngay|bua|hom|sang|chieu|trua|toi|den|tu)\s+$")
_SENTENCE_END_AFTER = linear_regex.compile(r"^\s*(?:[?.!,;]|$)")
# "số 12/3", "hẻm 45/2": house numbers, not dates.
_HOUSE_NUMBER_BEFORE = linear_regex.compile(r"\b(?:so|hem|ngo|kiet|ngach)\s*$")


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    kind: str  # "range", "weekday" (value: 0 = Monday) or "week" (value: weeks ahead)
    value: int | tuple[date, date]


@dataclass(frozen=True)
class _Text:
    typed: str  # lower-cased NFC text as typed
    folded: str  # same length, diacritics stripped

    def word(self, match: linear_regex.Match, group: int | str = 0) -> str:
        return self.typed[match.start(group):match.end(group)]

    def before(self, match: linear_regex.Match) -> str:
        return self.folded[:match.start()]

    def after(self, match: linear_regex.Match) -> str:
        return self.folded[match.end():]


def _prepare(text: str) -> _Text:
    typed = unicodedata.normalize("NFC", text).lower()
    # Folded character by character so positions line up with the typed text.
    folded = "".join(fold(ch)[:1] or ch for ch in typed)
    return _Text(typed, folded)


def _next_weekday(today: date, weekday: int) -> date:
    return today + timedelta(days=(weekday - today.weekday()) % 7)


def _monday(today: date, weeks_ahead: int) -> date:
    return today - timedelta(days=today.weekday()) + timedelta(weeks=weeks_ahead)


def _single(day: date) -> DayRange:
    return day, day


def _closest_year(day: int, month: int, today: date) -> date | None:
    """'28/11' without a year: the 28/11 nearest to today (so '05/01' said in December is next year)."""
    candidates = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    return min(candidates, key=lambda d: abs((d - today).days)) if candidates else None


def _day_of_month(day: int, today: date) -> date | None:
    """'ngày 5': the next 5th, this month or a later one (a 31st skips short months)."""
    if not 1 <= day <= 31:
        return None
    year, month = today.year, today.month
    for _ in range(3):
        if day <= calendar.monthrange(year, month)[1] and date(year, month, day) >= today:
            return date(year, month, day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def _explicit_date(day: int, month: int, year: str | None, today: date) -> date | None:
    if year is None:
        return _closest_year(day, month, today)
    full_year = int(year) + 2000 if len(year) == 2 else int(year)
    try:
        return date(full_year, month, day)
    except ValueError:
        return None


Resolver = Callable[[linear_regex.Match, _Text, date], _Hit | None]


def _hit(match: linear_regex.Match, kind: str, value: int | tuple[date, date]) -> _Hit:
    return _Hit(match.start(), match.end(), kind, value)


def _numeric_date(m: linear_regex.Match, t: _Text, today: date) -> _Hit | None:
    end, year = m.end(), m.group(3)
    if _TIME_AFTER.match(t.folded, end):  # "8-11h" is a time span, not 8 November
        if year is None or t.folded[m.end(2)] in "/-":
            return None
        end, year = m.end(2), None  # "5/12 - 26h": 5/12, then a time (the day and month alone, as re backtracked)
    if _HOUSE_NUMBER_BEFORE.search(t.before(m)):
        return None
    day = _explicit_date(int(m.group(1)), int(m.group(2)), year, today)
    return _Hit(m.start(), end, "range", _single(day)) if day else None


def _worded_date(m: linear_regex.Match, t: _Text, today: date) -> _Hit | None:
    day = _explicit_date(int(m.group(1)), int(m.group(2)), m.group(3), today)
    return _hit(m, "range", _single(day)) if day else None


def _bare_day(m: linear_regex.Match, t: _Text, today: date) -> _Hit | None:
    if t.word(m, "w") not in {"ngày", "ngay", "mùng", "mồng", "mung", "mong"}:
        return None
    if _NOT_A_DAY_AFTER.match(t.folded, m.end()):  # "ngày 5/12", "ngày 2 lần": not the 5th, not the 2nd
        return None
    day = _day_of_month(int(m.group("day")), today)
    return _hit(m, "range", _single(day)) if day else None


def _weekend(m: linear_regex.Match, t: _Text, today: date) -> _Hit:
    if m.group(1) in ("sau", "toi"):
        saturday = _monday(today, 1) + timedelta(days=5)
        return _hit(m, "range", (saturday, saturday + timedelta(days=1)))
    if today.weekday() == 6:  # on Sunday the weekend under way is what is left of it
        return _hit(m, "range", _single(today))
    saturday = _next_weekday(today, 5)
    return _hit(m, "range", (saturday, saturday + timedelta(days=1)))


def _week(m: linear_regex.Match, t: _Text, today: date) -> _Hit:
    """'tuần này' 0, 'tuần sau' / 'tuần tới' 1, 'tuần sau nữa' 2 weeks ahead."""
    return _hit(m, "week", 0 if m.group("which") == "nay" else 2 if m.group("more") else 1)


def _month(m: linear_regex.Match, t: _Text, today: date) -> _Hit | None:
    if t.word(m, "w") not in {"tháng", "thang"}:  # "thằng này" is not "this month"
        return None
    if m.group("which") == "nay":
        return _hit(m, "range", (today, today.replace(day=calendar.monthrange(today.year, today.month)[1])))
    first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    return _hit(m, "range", (first, first.replace(day=calendar.monthrange(first.year, first.month)[1])))


def _weekday(m: linear_regex.Match, t: _Text, today: date) -> _Hit | None:
    ordinal = _ORDINAL_BEFORE.search(t.before(m))
    if ordinal and t.typed[ordinal.start():ordinal.start() + 3] != "còn":  # "còn thứ 7 thì sao": what about Saturday
        return None
    if m.group("nay") is None and _MONTH_AFTER.match(t.folded, m.end()):  # "t2/2025", "t5 nam 2026": months
        return None
    thu = next((g for g in ("thu", "thu2") if m.group(g) is not None), None)
    if thu and t.word(m, thu) not in _TYPED_THU:
        return None
    if m.group("digit") or m.group("tdigit"):
        return _hit(m, "weekday", int(m.group("digit") or m.group("tdigit")) - 2)
    if m.group("name"):
        name = m.group("name")
        if t.word(m, "name") not in _TYPED_WEEKDAY[name]:
            return None
        return _hit(m, "weekday", _WEEKDAY_WORDS[name])
    return _hit(m, "weekday", 6)  # chủ nhật / CN


def _today(m: linear_regex.Match, t: _Text, today: date) -> _Hit:
    return _hit(m, "range", _single(today))


def _yesterday(m: linear_regex.Match, t: _Text, today: date) -> _Hit:
    return _hit(m, "range", _single(today - timedelta(days=1)))


def _tomorrow_soon(m: linear_regex.Match, t: _Text, today: date) -> _Hit | None:
    if t.word(m, "mai") != "mai" or t.word(m, "mot") not in {"mốt", "mot"}:
        return None
    return _hit(m, "range", _single(today + timedelta(days=1)))


def _tomorrow(m: linear_regex.Match, t: _Text, today: date) -> _Hit | None:
    if t.word(m) != "mai" or _MAI_PLACE_BEFORE.search(t.before(m)) or _MAI_PLACE_AFTER.search(t.after(m)):
        return None
    return _hit(m, "range", _single(today + timedelta(days=1)))


def _day_after(m: linear_regex.Match, t: _Text, today: date) -> _Hit:
    return _hit(m, "range", _single(today + timedelta(days=2)))


def _mot(m: linear_regex.Match, t: _Text, today: date) -> _Hit | None:
    typed = t.word(m)
    if typed == "mốt" or (
        typed == "mot" and (_DAY_WORD_BEFORE.search(t.before(m)) or _SENTENCE_END_AFTER.search(t.after(m)))
    ):
        return _day_after(m, t, today)
    return None


# What may not follow a match, checked by its resolver (RE2 has no look-ahead of several characters).
_TIME_AFTER = linear_regex.compile(r"\s*(?:h|gio|g)\b|h\d|:")
_NOT_A_DAY_AFTER = linear_regex.compile(
    r"\s*(?:[/-]|thang|gio|h\b|tieng|phut|lan|ngay|nam|kwh|so\b|k\b|%|nguoi|ho\b|cai)"
)
_MONTH_AFTER = linear_regex.compile(r"[/-]\s*\d|\s*nam\s*\d")
_SCANNERS: list[tuple[linear_regex.Pattern, Resolver]] = [
    (
        linear_regex.compile(r"(?<![\d/.,-])(\d{1,2})\s*[/-]\s*(\d{1,2})(?:\s*[/-]\s*(\d{4}|\d{2}))?(?![\d/-])"),
        _numeric_date,
    ),
    (
        linear_regex.compile(r"\b(?:ngay|mung|mong)\s*(\d{1,2})\s*thang\s*(\d{1,2})(?:\s*nam\s*(\d{4}))?(?!\d)"),
        _worded_date,
    ),
    (
        linear_regex.compile(r"\b(?P<w>ngay|mung|mong)\s*(?P<day>\d{1,2})(?!\d)"),
        _bare_day,
    ),
    (linear_regex.compile(r"\bcuoi\s+tuan(?:\s+(nay|sau|toi))?\b"), _weekend),
    (linear_regex.compile(r"\btuan\s+(?P<which>nay|sau|toi)(?P<more>\s+nua)?\b"), _week),
    (linear_regex.compile(r"\b(?P<w>thang)\s+(?P<which>nay|sau|toi)\b"), _month),
    (
        linear_regex.compile(
            r"\b(?:(?P<thu>thu)\s*(?P<digit>[2-7])|(?P<thu2>thu)\s+(?P<name>hai|ba|tu|nam|sau|bay)"
            r"|t(?P<tdigit>[2-7])|chu\s*nhat|chu\s*nhut|cn)\b(?P<nay>\s+nay\b)?"
        ),
        _weekday,
    ),
    (linear_regex.compile(r"\b(?:hom\s*nay|hnay|bua\s*nay|(?:sang|trua|chieu|toi|dem)\s+nay)\b"), _today),
    (linear_regex.compile(r"\b(?:(?:hom|bua)\s*qua|(?:sang|trua|chieu|toi|dem)\s+qua)\b"), _yesterday),
    (linear_regex.compile(r"\b(?P<mai>mai)\s+(?P<mot>mot)\b"), _tomorrow_soon),
    (linear_regex.compile(r"\bmai\b"), _tomorrow),
    (linear_regex.compile(r"\bngay\s+kia\b"), _day_after),
    (linear_regex.compile(r"\bmot\b"), _mot),
]


def _hits(t: _Text, today: date) -> list[_Hit]:
    found = [
        hit
        for pattern, resolve in _SCANNERS
        for match in pattern.finditer(t.folded)
        if (hit := resolve(match, t, today)) is not None
    ]
    # Leftmost-longest, without overlaps: "cuối tuần sau" wins over the "tuần sau" inside it.
    found.sort(key=lambda h: (h.start, h.start - h.end))
    kept: list[_Hit] = []
    for hit in found:
        if not kept or hit.start >= kept[-1].end:
            kept.append(hit)
    return kept


def parse_day_range(text: str, today: date) -> DayRange | None:
    """The inclusive (first, last) day the text names, relative to `today`; None if it names none.

    Several expressions make one span ("hôm nay hoặc ngày mai", "từ 30/11 đến
    4/12"). A weekday is the next such day, today included, unless the text
    also says which week ("thứ 3 tuần sau").
    """
    hits = _hits(_prepare(text), today)
    weekdays = [int(h.value) for h in hits if h.kind == "weekday" and isinstance(h.value, int)]
    weeks = [int(h.value) for h in hits if h.kind == "week" and isinstance(h.value, int)]
    ranges: list[DayRange] = [h.value for h in hits if h.kind == "range" and isinstance(h.value, tuple)]
    for weekday in weekdays:
        day = _monday(today, weeks[0]) + timedelta(days=weekday) if weeks else _next_weekday(today, weekday)
        ranges.append(_single(day))
    if not weekdays:
        for weeks_ahead in weeks:  # this week: what is left of it
            first = today if weeks_ahead == 0 else _monday(today, weeks_ahead)
            ranges.append((first, _monday(today, weeks_ahead) + timedelta(days=6)))
    if not ranges:
        return None
    return min(r[0] for r in ranges), max(r[1] for r in ranges)


# A month named by its number ("tháng 12 này"; "tháng này", "tháng sau" are parse_day_range's own): its days.
_MONTH_NAMED = linear_regex.compile(r"(?<!\w)thang\s+(1[0-2]|0?[1-9])(?:\s+nay)?(?![\w/])")


def month_range(text: str, today: date) -> DayRange | None:
    """The days of a month named by its number for what is ahead ("tháng 12 này"): from today on if it is this
    month; a month already over is next year's. None when no such month is named."""
    found = _MONTH_NAMED.search(" ".join(fold(text or "").split()))
    if found is None:
        return None
    month = int(found.group(1))
    year = today.year if month >= today.month else today.year + 1
    following = date(year + (month == 12), month % 12 + 1, 1)
    return max(date(year, month, 1), today), following - timedelta(days=1)


RANGE, TODAY, TOMORROW, DAY = "range", "today", "tomorrow", "day"


def day_range_kind(start: date, end: date, today: date | None = None) -> str:
    """How a range is best said: RANGE (from … to …), TODAY, TOMORROW, or one DAY."""
    if start != end:
        return RANGE
    if today is not None and start == today:
        return TODAY
    if today is not None and start == today + timedelta(days=1):
        return TOMORROW
    return DAY
