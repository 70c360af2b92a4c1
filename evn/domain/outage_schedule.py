"""Planned outages (lịch ngừng cung cấp điện): which ones a customer's area or address is in.

The schedule is reference data (evn/reference/outage_schedule.yml) named with the
canonical `location` values of the NLU, but customers and addresses write the
same places many ways: "Quận 1", "q1", "Q.1"; "phường Bến Nghé", "P. Ben Nghe";
"TP.HCM", "Sài Gòn". Places are therefore compared on a folded key with the
administrative prefix ("quận", "phường", "TP"...) removed; the prefix only says
which level (province, district, ward) a name is at.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from evn.domain import linear_regex
from evn.domain.periods import fold

SCHEDULE_FILE = "outage_schedule.yml"


@dataclass(frozen=True)
class PlannedOutage:
    id: str
    power_company: str
    province: str
    district: str
    wards: tuple[str, ...]  # empty: the whole district may be affected
    area: str
    start: datetime
    end: datetime
    reason: str

    def overlaps(self, first: date, last: date) -> bool:
        """True when part of the outage falls on the days first..last (inclusive)."""
        return self.start < datetime.combine(last + timedelta(days=1), time()) and self.end > datetime.combine(
            first, time()
        )


# ---------------------------------------------------------------- place names

_PREFIX = linear_regex.compile(r"^(thanh pho|tinh|quan|huyen|thi xa|phuong|xa|thi tran)\s+")
_LEVEL = {
    "thanh pho": "province", "tinh": "province",  # "thành phố Thủ Đức" is a district, see _matches
    "quan": "district", "huyen": "district", "thi xa": "district",
    "phuong": "ward", "xa": "ward", "thi tran": "ward",
}
_SHORT = {"q": "quan", "p": "phuong", "f": "phuong", "ph": "phuong", "tp": "thanh pho"}  # "F10": the South's phường
_PROVINCE_ALIASES = {
    "hcm": "ho chi minh", "tphcm": "ho chi minh", "sai gon": "ho chi minh", "saigon": "ho chi minh",
    "sg": "ho chi minh", "hanoi": "ha noi", "hn": "ha noi",
}


def normalize_place(text: str) -> str:
    """Folded, punctuation as spaces, short prefixes spelled out: 'Q.1' -> 'quan 1', 'TP.HCM' -> 'thanh pho hcm',
    'GV p10' -> 'gv phuong 10'."""
    text = linear_regex.sub(r"[^\w\s]", " ", fold(text))
    text = linear_regex.sub(r"\b([qpf])(\d)", r"\1 \2", text)  # q1, p25, f10
    words = [_SHORT.get(word, word) for word in text.split()]
    return " ".join(words)


def provinces_in(normalized: str) -> set[str]:
    """The provinces a normalized text names, by their keys ("sài gòn" -> "ho chi minh")."""
    return {canonical for alias, canonical in [*_PROVINCE_ALIASES.items(), ("ho chi minh", "ho chi minh"),
                                                ("ha noi", "ha noi")]
            if linear_regex.search(rf"\b{alias}\b", normalized)}


def _parse_place(text: str) -> tuple[str | None, str]:
    """(level named by the prefix or None, key).

    'Quận 1' -> ('district', '1'), 'TP.HCM' -> ('province', 'ho chi minh').
    """
    normalized = normalize_place(text)
    match = _PREFIX.match(normalized)
    level, key = (_LEVEL[match.group(1)], normalized[match.end():]) if match else (None, normalized)
    return level, _PROVINCE_ALIASES.get(key, key)


def _key(name: str) -> str:
    return _parse_place(name)[1]


def key_of(name: str) -> str:
    """A place's folded key without its prefix: 'TP.HCM' -> 'ho chi minh', 'Quận 1' -> '1'."""
    return _key(name)


def _matches(outage: PlannedOutage, level: str | None, key: str, ward_districts: dict[str, set]) -> bool:
    if level in (None, "province") and key == _key(outage.province):
        return True
    # A bare number is a district ("1" -> Quận 1); "TP Thủ Đức" names a district with a city prefix.
    if level in (None, "district", "province") and key == _key(outage.district):
        return True
    if level == "ward" or (level is None and not key.isdigit()):
        if key in {_key(ward) for ward in outage.wards}:
            return True
        # An entry without wards covers every ward of its district.
        return not outage.wards and (outage.province, outage.district) in ward_districts.get(key, set())
    return False


def _ward_districts(schedule: Iterable[PlannedOutage]) -> dict[str, set]:
    """Ward key -> the (province, district) pairs it belongs to, as the schedule itself tells."""
    found: dict[str, set] = {}
    for outage in schedule:
        for ward in outage.wards:
            found.setdefault(_key(ward), set()).add((outage.province, outage.district))
    return found


class _Address:
    """A free-text address split the Vietnamese way: 'street, ward, district, province'."""

    def __init__(self, text: str) -> None:
        self.parts = [_parse_place(part) for part in linear_regex.split(r"[,;\n]|\s-\s", text) if part and part.strip()]
        self.text = " ".join(normalize_place(part or "") for part in linear_regex.split(r"[,;\n]", text))
        self.provinces = provinces_in(self.text)

    def names(self, key: str, level: str, prefixes: str, markers: str) -> bool:
        """True when the address names `key` at `level`.

        A whole comma-separated part ("Phường Bến Nghé", "Hoàn Kiếm") or a
        prefixed name anywhere ("quận 1") counts; a bare name inside a part
        counts only when the address marks no name of that level at all, so
        the street "45 Hàng Bài" is not the ward "phường Hàng Bài" and
        "Quận 10" is not "Quận 1".
        """
        for part_level, part_key in self.parts:
            if part_key == key and (part_level == level or (not key.isdigit() and part_level in (None, "province"))):
                return True
        if linear_regex.search(rf"\b(?:{prefixes}) {linear_regex.escape(key)}\b", self.text):
            return True
        if key.isdigit() or linear_regex.search(rf"\b(?:{markers})\b", self.text):
            return False
        return linear_regex.search(rf"\b{linear_regex.escape(key)}\b", self.text) is not None


def _in_address(outage: PlannedOutage, address: _Address) -> bool:
    if address.provinces and _key(outage.province) not in address.provinces:
        return False
    # "thành phố" prefixes Thủ Đức but also the province ("TP.HCM"): a prefix, not a marker.
    if not address.names(_key(outage.district), "district", "quan|huyen|thi xa|thanh pho", "quan|huyen|thi xa"):
        return False
    wards = "phuong|xa|thi tran"
    return not outage.wards or any(address.names(_key(ward), "ward", wards, wards) for ward in outage.wards)


# ---------------------------------------------------------------- the schedule

def _as_datetime(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def _parse(data: dict) -> list[PlannedOutage]:
    """Entries from the YAML document, refusing ones that could never be found or shown right."""
    known = {(province, district) for province, districts in data["districts"].items() for district in districts}
    outages, seen = [], set()
    for entry in data["outages"]:
        outage = PlannedOutage(
            id=str(entry["id"]),
            power_company=entry["power_company"],
            province=entry["province"],
            district=entry["district"],
            wards=tuple(entry.get("wards") or ()),
            area=entry["area"],
            start=_as_datetime(entry["start"]),
            end=_as_datetime(entry["end"]),
            reason=entry["reason"],
        )
        if outage.id in seen:
            raise ValueError(f"duplicate planned outage id {outage.id}")
        if (outage.province, outage.district) not in known:
            raise ValueError(f"{outage.id}: unknown district {outage.district!r} in {outage.province!r}")
        if outage.end <= outage.start:
            raise ValueError(f"{outage.id}: ends before it starts")
        seen.add(outage.id)
        outages.append(outage)
    return sorted(outages, key=lambda o: (o.start, o.id))


@lru_cache(maxsize=1)
def _default_schedule() -> tuple[PlannedOutage, ...]:
    from evn.reference import load_yaml  # the reference package imports the domain, not the reverse

    return tuple(_parse(load_yaml(SCHEDULE_FILE)))


def load_schedule(path: str | Path | None = None) -> list[PlannedOutage]:
    """The schedule shipped in evn/reference (read once), or the one in `path`; sorted by start."""
    if path is None:
        return list(_default_schedule())
    with open(path, encoding="utf-8") as handle:
        return _parse(yaml.safe_load(handle))


def find_outages(
    schedule: Iterable[PlannedOutage], location: str | None, start: date, end: date
) -> list[PlannedOutage]:
    """Outages on the days start..end in a province, district or ward (any spelling); all areas if None."""
    schedule = list(schedule)
    level, key = _parse_place(location) if location and location.strip() else (None, "")
    ward_districts = _ward_districts(schedule)
    return sorted(
        (
            outage
            for outage in schedule
            if outage.overlaps(start, end) and (not key or _matches(outage, level, key, ward_districts))
        ),
        key=lambda o: (o.start, o.id),
    )


def find_outages_at_address(
    schedule: Iterable[PlannedOutage], address: str, start: date, end: date
) -> list[PlannedOutage]:
    """Outages on the days start..end that reach a customer's address ('khu em có lịch cắt điện không')."""
    parsed = _Address(address)
    return sorted(
        (o for o in schedule if o.overlaps(start, end) and _in_address(o, parsed)), key=lambda o: (o.start, o.id)
    )


def covering(schedule: Iterable[PlannedOutage], address: str, moment: datetime) -> PlannedOutage | None:
    """The planned outage in force at `moment` at this address, so a reported outage can be explained."""
    parsed = _Address(address)
    current = sorted((o for o in schedule if o.start <= moment < o.end), key=lambda o: (o.start, o.id))
    return next((o for o in current if _in_address(o, parsed)), None)


# ---------------------------------------------------------------- wording

_CITY_DISTRICTS = {"Thủ Đức"}  # a city inside TP.HCM since 2021, not a "quận"


def district_label(district: str) -> str:
    if linear_regex.match(r"(?i)(quận|huyện|thị xã|thành phố|tp)(?!\w)", district):  # not \b: RE2's is ASCII ("xã")
        return district
    return f"TP {district}" if district in _CITY_DISTRICTS else f"quận {district}"


def place_of(outage: PlannedOutage) -> str:
    """'phường Bến Nghé, Quận 1': the wards, then the district as people name it."""
    return ", ".join([*outage.wards, district_label(outage.district)])


def within_one_day(outage: PlannedOutage) -> bool:
    return outage.end.date() == outage.start.date()
