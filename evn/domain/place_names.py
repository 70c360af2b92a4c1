"""Which district and ward of the outage schedule a customer's words name, as they type them.

"GV p10", "B.Thanh", "tp thu duc p.hiep phu", "P. Trang Tien", "12 le loi p.ben nghe q1 tphcm": prefixes shortened
("p.", "q", "f", "tp"), names cut to initials ("GV") or to an initial and a word ("B.Thanh"), no diacritics. The
names come from the schedule itself (evn/reference/outage_schedule.yml), so a new area needs no new words here. A
ward is looked for in the district named, if one is; the most precise place named is the one asked about.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from evn.domain.outage_schedule import PlannedOutage, district_label, key_of, normalize_place, provinces_in


@dataclass(frozen=True)
class NamedPlace:
    province: str | None  # its key ("ha noi")
    district: str | None
    ward: str | None
    province_name: str = ""  # as the schedule writes it ("Hà Nội")

    def covers(self, outage: PlannedOutage) -> bool:
        """An outage at this place: in its district, at its ward or over the whole district."""
        if self.province and key_of(outage.province) != self.province:
            return False
        if self.district and outage.district != self.district:
            return False
        return not self.ward or not outage.wards or self.ward in outage.wards

    def label(self) -> str:
        """'phường Hiệp Phú, TP Thủ Đức', 'quận Gò Vấp', 'Hà Nội'."""
        parts = [part for part in (self.ward, district_label(self.district) if self.district else None) if part]
        return ", ".join(parts) or self.province_name


def places_named(text: str, schedule: Iterable[PlannedOutage]) -> list[NamedPlace]:
    """Every place of the schedule `text` names, in the order named, each as precise as named: "Cầu Giấy với Ba
    Đình" is two places, "tp thu duc p.hiep phu" one ward of one district, "Hà Nội" a province."""
    words = f" {normalize_place(text)} "
    outages = list(schedule)
    districts = sorted({(o.province, o.district) for o in outages}, key=lambda pair: -len(pair[1]))
    names = [d for _, d in districts]
    found = sorted(((position, province, district) for province, district in districts
                    for position in [_district_position(words, district, names)] if position >= 0))
    places = []
    for _, province, district in found:
        wards = sorted({ward for o in outages if o.district == district for ward in o.wards}, key=len, reverse=True)
        ward = next((name for name in wards if _names_ward(words, name)), None)
        places.append(_place(outages, key_of(province), district, ward))
    if places:
        return places
    wards_anywhere = sorted({(o.province, o.district, ward) for o in outages for ward in o.wards},
                            key=lambda item: -len(item[2]))
    ward_only = next((item for item in wards_anywhere if _names_ward(words, item[2])), None)
    if ward_only is not None:
        return [_place(outages, key_of(ward_only[0]), ward_only[1], ward_only[2])]
    provinces = sorted(provinces_in(words))
    return [_place(outages, provinces[0], None, None)] if provinces else []


def place_named(text: str, schedule: Iterable[PlannedOutage]) -> NamedPlace | None:
    """The first place of the schedule `text` names, or None."""
    places = places_named(text, schedule)
    return places[0] if places else None


def _place(outages: list[PlannedOutage], province: str, district: str | None, ward: str | None) -> NamedPlace:
    name = next((o.province for o in outages if key_of(o.province) == province), "")
    return NamedPlace(province, district, ward, name)


def _district_position(words: str, name: str, every: list[str]) -> int:
    """Where `words` name the district `name` (-1 when they do not): "quận 1", "Gò Vấp", "GV", "B.Thanh"."""
    key = key_of(name)
    if key.isdigit():
        return words.find(f" quan {key} ")
    if f" {key} " in words:
        return words.find(f" {key} ")
    parts = key.split()
    if len(parts) < 2:
        return -1
    initials = "".join(part[0] for part in parts)
    shortened = f" {parts[0][0]} {' '.join(parts[1:])} "  # "B.Thanh" for Bình Thạnh
    unique = sum(1 for other in every if "".join(p[0] for p in key_of(other).split()) == initials) == 1
    if unique and f" {initials} " in words:
        return words.find(f" {initials} ")
    return words.find(shortened)


def _names_ward(words: str, name: str) -> bool:
    key = key_of(name)
    if f" phuong {key} " in words:
        return True
    return not key.isdigit() and f" {key} " in words
