"""The meter data system's daily export (docs/meter-data.md): its rows, and which of them may be loaded.

A row is a meter's register at the end of a day. A register only ever goes up, a day already
loaded keeps its value (the same row again changes nothing, so a file may be loaded twice), and
a reading cannot be dated after today. A row that breaks one of these is rejected with its
reason and the rest of the file still loads; a file whose header is not the format's is refused
whole, since none of its rows can be read with certainty.
"""
from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

COLUMNS = ("meter", "day", "register_kwh", "quality")
MAX_REGISTER = 999_999_999  # nine digits: what the column holds; no household meter comes near it


class Quality(str, enum.Enum):
    ACTUAL = "A"
    ESTIMATED = "E"  # filled in by the meter data system, replaced when the meter is read
    MISSING = "M"  # not read; no register


class Reason(str, enum.Enum):
    MALFORMED = "malformed"
    UNKNOWN_METER = "unknown_meter"
    FUTURE_DAY = "future_day"
    DUPLICATE_CONFLICT = "duplicate_conflict"  # the same meter and day twice in the file, with other values
    STORED_CONFLICT = "stored_conflict"  # that meter and day already loaded with another value
    BACKWARDS = "backwards"  # below an earlier day's register or above a later one's


class FileRefused(ValueError):
    """The file as a whole cannot be read as the format (its header, its encoding)."""


@dataclass(frozen=True, slots=True)
class Row:
    line: int
    meter: str
    day: date
    register: int | None
    quality: Quality

    @property
    def key(self) -> tuple[str, date]:
        return self.meter, self.day

    def same_reading(self, register: int | None, quality: str) -> bool:
        return self.register == register and self.quality == quality


@dataclass(frozen=True)
class Rejection:
    line: int
    meter: str
    day: str
    reason: Reason
    detail: str


def header_positions(header: Sequence[str]) -> dict[str, int]:
    """Where each of the format's columns is; FileRefused when one is missing or a name is unknown."""
    names = [name.strip().lstrip("\ufeff").lower() for name in header]
    unknown = sorted(set(names) - set(COLUMNS))
    missing = [column for column in COLUMNS if column not in names]
    if unknown or missing or len(names) != len(set(names)):
        raise FileRefused(f"the header must name {', '.join(COLUMNS)} once each "
                          f"(missing: {missing or '-'}; unknown: {unknown or '-'})")
    return {column: names.index(column) for column in COLUMNS}


def parse(fields: Sequence[str], positions: dict[str, int], line: int, today: date) -> Row | Rejection:
    """One data line read as a Row, or the reason it cannot be."""
    if len(fields) != len(positions):
        return Rejection(line, "", "", Reason.MALFORMED, f"{len(fields)} fields, not {len(positions)}")
    meter, day_text, register_text, quality_text = (fields[positions[c]].strip() for c in COLUMNS)
    if not meter or len(meter) > 32 or not meter.isascii() or not meter.isalnum():
        return Rejection(line, meter[:32], day_text[:10], Reason.MALFORMED, "meter: letters and digits, at most 32")
    try:
        day = date.fromisoformat(day_text)
    except ValueError:
        return Rejection(line, meter, day_text[:10], Reason.MALFORMED, "day: YYYY-MM-DD")
    if len(day_text) != 10:
        return Rejection(line, meter, day_text[:10], Reason.MALFORMED, "day: YYYY-MM-DD")
    try:
        quality = Quality(quality_text.upper())
    except ValueError:
        return Rejection(line, meter, day_text, Reason.MALFORMED, "quality: A, E or M")
    register = _register(register_text)
    if quality is Quality.MISSING:
        if register_text:
            return Rejection(line, meter, day_text, Reason.MALFORMED, "a missing reading has no register")
    elif register is None:
        return Rejection(line, meter, day_text, Reason.MALFORMED, "register_kwh: a number of kWh, 0 or more")
    if day > today:
        return Rejection(line, meter, day_text, Reason.FUTURE_DAY, f"after today ({today.isoformat()})")
    return Row(line, meter, day, register, quality)


def _register(text: str) -> int | None:
    """Whole kWh, as a bill shows the register: a decimal part is cut, not rounded."""
    whole, _, fraction = text.partition(".")
    if not whole.isdigit() or not whole.isascii() or (fraction and not (fraction.isdigit() and fraction.isascii())):
        return None
    value = int(whole)
    return value if value <= MAX_REGISTER else None


def without_duplicates(rows: Iterable[Row]) -> tuple[list[Row], list[Rejection]]:
    """A meter and day given twice: once if both say the same; neither (both rejected) if they differ."""
    first: dict[tuple[str, date], Row] = {}
    conflicting: dict[tuple[str, date], list[Row]] = {}
    for row in rows:
        seen = first.get(row.key)
        if seen is None:
            first[row.key] = row
        elif not seen.same_reading(row.register, row.quality):
            conflicting.setdefault(row.key, [seen]).append(row)
    rejected = [_rejection(row, Reason.DUPLICATE_CONFLICT, "the file gives this meter and day other values too")
                for rows_ in conflicting.values() for row in rows_]
    return [row for key, row in first.items() if key not in conflicting], rejected


@dataclass(frozen=True)
class Stored:
    """What the database holds around a row: that day's reading, and the nearest registers either side."""

    register: int | None = None
    quality: str | None = None  # None: the day is not stored
    before: int | None = None  # the register of the latest earlier day read
    after: int | None = None  # the register of the earliest later day read


class Verdict(enum.Enum):
    NEW = "new"
    UNCHANGED = "unchanged"
    REPLACES = "replaces"  # an estimated or missing day now read


def judged(rows: Sequence[Row], stored: Sequence[Stored]) -> Iterator[tuple[Row, Verdict | Rejection]]:
    """Each row of one meter, in day order, against the database and the rows of the file before it."""
    floor: int | None = None  # the highest register accepted so far for this meter, from the file
    for row, around in zip(rows, stored, strict=True):
        if around.quality is not None and not row.same_reading(around.register, around.quality):
            upgrade = row.quality is Quality.ACTUAL and around.quality != Quality.ACTUAL
            if not upgrade:
                yield row, _rejection(row, Reason.STORED_CONFLICT,
                                      f"stored as {around.register if around.register is not None else '-'} "
                                      f"({around.quality})")
                continue
        if row.register is not None:
            lowest = max(value for value in (around.before, floor, 0) if value is not None)
            if row.register < lowest:
                yield row, _rejection(row, Reason.BACKWARDS, f"below {lowest} read earlier")
                continue
            if around.after is not None and row.register > around.after:
                yield row, _rejection(row, Reason.BACKWARDS, f"above {around.after} read later")
                continue
            floor = row.register
        if around.quality is None:
            yield row, Verdict.NEW
        elif row.same_reading(around.register, around.quality):
            yield row, Verdict.UNCHANGED
        else:
            yield row, Verdict.REPLACES


def _rejection(row: Row, reason: Reason, detail: str) -> Rejection:
    return Rejection(row.line, row.meter, row.day.isoformat(), reason, detail)
