"""A planned cut a customer was told of ("có thông báo cắt điện ngày 15/12 ở phường X, thật không?"), checked
against the published schedule: the day and the place it names (a ward, a district, or streets the schedule's
areas list), each cut that fits, or none.

A cut at a place the schedule covers, on a day it lists nothing for there, is not an official notice. A notice
that names no place (or one the schedule does not cover) could not be checked.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from evn.domain.language.power_cut_words import speaks_of_a_power_cut
from evn.domain.language.relative_days import parse_day_range
from evn.domain.outage_schedule import PlannedOutage, place_of
from evn.domain.periods import fold
from evn.domain.place_names import places_named
from evn.domain.scam_check.findings import Finding, Kind, Verdict

_STREET_PREFIXES = ("duong ", "pho ", "ngo ", "hem ")


@dataclass(frozen=True)
class ClaimChecked:
    finding: Finding
    outages: tuple[PlannedOutage, ...] = ()
    where: str = ""
    day: date | None = None


def streets_of(outage: PlannedOutage) -> list[str]:
    """The streets an outage's area lists ("Trạm biến áp X: đường A, B, C" -> ["a", "b", "c"]), folded."""
    listed = outage.area.split(":", 1)[-1]
    streets = []
    for part in listed.split(","):
        name = fold(part).strip()
        for prefix in _STREET_PREFIXES:
            name = name.removeprefix(prefix)
        if len(name.split()) >= 2:  # "D5" or "Thảo Điền" alone would match too much
            streets.append(name)
    return streets


def _names_street(folded: str, street: str) -> bool:
    return f" {street} " in f" {folded} "


def check_claim(text: str, schedule: Sequence[PlannedOutage], today: date) -> ClaimChecked | None:
    """The schedule's word on a cut the text tells of; None when the text tells of no cut with a day or place."""
    if not speaks_of_a_power_cut(text):
        return None
    days = parse_day_range(text, today)
    places = places_named(text, schedule)
    folded = " ".join(fold(text).replace(",", " ").replace(".", " ").split())
    by_street = [o for o in schedule if any(_names_street(folded, street) for street in streets_of(o))]
    if not places and not by_street:
        if days is None:
            return None
        return ClaimChecked(Finding(Kind.OUTAGE_CLAIM, Verdict.COULD_NOT_CHECK, "outage_place_unknown"), (), "",
                            days[0])
    fitting = [o for o in schedule if days is None or o.overlaps(*days)]
    if places:
        fitting = [o for o in fitting if any(place.covers(o) for place in places)]
    else:
        fitting = [o for o in fitting if o in by_street]
    where = places[0].label() if places else place_of(by_street[0])
    day = days[0] if days else None
    if fitting:
        return ClaimChecked(Finding(Kind.OUTAGE_CLAIM, Verdict.COMPANYS, "outage_in_schedule", where), tuple(fitting),
                            where, day)
    return ClaimChecked(Finding(Kind.OUTAGE_CLAIM, Verdict.NOT_COMPANYS, "outage_not_in_schedule", where), (), where,
                        day)
