"""Unplanned outages as incidents: where they are, why, when the power is expected back, and when it came.

An incident is the first outage report at a place (its MD ticket); later reports at the same place join
it while it is open. Staff give it a cause and an estimated restoration time, may change both, then mark
it restored. Every step is an update that its reporters and the linked customers of its area are told of.
Utilities abroad work the same way (PG&E, Con Edison: an estimate, updates as they come, "power is
restored"); until staff give one, the customer is told when an estimate is expected (ESTIMATE_WITHIN).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum

from evn.domain import linear_regex
from evn.domain.outage_schedule import PlannedOutage, district_label, key_of, normalize_place, provinces_in
from evn.domain.place_names import place_named

ESTIMATE_WITHIN = timedelta(minutes=60)  # staff give an estimate this long after the first report
JOIN_WITHIN = timedelta(hours=12)  # a report joins an open incident of its place opened this recently
STILL_DARK_WITHIN = timedelta(hours=24)  # a report this soon after a restoration there is a customer still dark
LONGEST_ESTIMATE = timedelta(days=7)  # an estimate further out is a typing mistake
KEY_LENGTH = 60  # a ward's or a district's key (the incidents table's columns)


class Cause(str, Enum):
    """Why the power went, as the operations report groups restoration times."""

    GRID_FAULT = "grid_fault"  # a fault on the line or its equipment
    TRANSFORMER = "transformer"  # a transformer station
    TREE = "tree"  # a tree or an object fallen on the line
    WEATHER = "weather"  # storm, lightning, flooding
    VEHICLE = "vehicle"  # a vehicle hit a pole
    OVERLOAD = "overload"
    THIRD_PARTY = "third_party"  # works of another party cut a cable
    OTHER = "other"


class UpdateKind(str, Enum):
    ESTIMATE = "estimate"  # a cause and an estimated restoration time, given or changed
    RESTORED = "restored"


class IncidentError(ValueError):
    """A change staff asked for that cannot be made (the message says why, in the console's words)."""


@dataclass(frozen=True)
class Area:
    """The ward an address lies in (keys folded: 'ben nghe', '1', 'ho chi minh'); the province may be unknown."""

    province: str | None
    district: str
    ward: str
    label: str = field(default="", compare=False)  # as customers read it: "phường Bến Nghé, Quận 1"

    def holds(self, other: Area) -> bool:
        return (self.district, self.ward) == (other.district, other.ward) and (
            self.province is None or other.province is None or self.province == other.province)


_WARD = linear_regex.compile(r"\b(?:phuong|xa|thi tran) (.+?)(?: (?:quan|huyen|thi xa|thanh pho|tinh)\b|$)")
_DISTRICT = linear_regex.compile(r"\b(?:quan|huyen|thi xa) (.+?)(?: (?:thanh pho|tinh|tp|ha noi|hanoi|hn|ho chi minh"
                                 r"|hcm|tphcm|sai gon|saigon|sg)\b|$)|\bthanh pho (thu duc)\b")
_LEVEL_PREFIX = linear_regex.compile(r"^(?:thanh pho|tinh|quan|huyen|thi xa|phuong|xa|thi tran) ")


# Chat words a customer types after the place ("quận 3 có điện lại chưa e", "(Q9 cũ) giờ"): not the place's name.
_TRAILING = frozenset({"gio", "co", "da", "chua", "khong", "ko", "k", "a", "ad", "vay", "z", "nha", "nhe", "oi", "cu",
                       "lai", "mat", "cup", "roi", "r", "luon", "ne", "the", "e", "em", "ha", "hong", "hok", "xong",
                       "di", "nay", "kia", "voi", "nua", "tu", "sang", "trua", "chieu", "toi"})
# What starts the question after the place ("quận Bắc Từ Liêm sửa điện xong chưa", "quận 3 có điện lại chưa").
_QUESTION = linear_regex.compile(r" (?:co dien|sua dien|mat dien|cup dien|dien co|da co|co lai|bao gio|khi nao|may gio"
                                 r"|gio co|chua|khong|ko)(?: |$)")


def _trimmed(key: str | None) -> str:
    words = (_QUESTION.split(f"{key or ''} ")[0] or "").split()
    while words and words[-1] in _TRAILING:
        words.pop()
    return " ".join(words)


def area_of(address: str, schedule: Iterable[PlannedOutage] = ()) -> Area | None:
    """The ward and district an address names ("12 Lê Lợi, Phường Bến Nghé, Quận 1, TP.HCM", "p ben nghe q1",
    "GV p10" with the schedule's names), or None when it names no ward of a district."""
    named = place_named(address, schedule) if schedule else None
    if named is not None and named.district and named.ward:
        return Area(named.province, key_of(named.district), key_of(named.ward), named.label())
    written = [(part or "").strip() for part in linear_regex.split(r"[,;\n]", address or "") if (part or "").strip()]
    parts = [normalize_place(part) for part in written]
    ward = district = None
    labels: dict[str, str] = {}
    for part, as_written in zip(parts, written, strict=True):  # a part that starts with its level names it
        if ward is None and part.startswith(("phuong ", "xa ", "thi tran ")) and (found := _WARD.search(part)):
            ward = _trimmed(found.group(1))
            labels["ward"] = as_written if ward == _LEVEL_PREFIX.sub("", part) else ""
        if district is None and (found := _DISTRICT.search(part)) and part.startswith(
                ("quan ", "huyen ", "thi xa ", "thanh pho thu duc")):
            district = _trimmed(found.group(1) or found.group(2))
            labels["district"] = as_written if district == _LEVEL_PREFIX.sub("", part) else ""
    text = " ".join(parts)
    if not ward and (found := _WARD.search(text)):
        ward = _trimmed(found.group(1))
    if not district and (found := _DISTRICT.search(text)):
        district = _trimmed(found.group(1) or found.group(2))
    known = named is not None and named.district is not None and district is not None and key_of(
        named.district).startswith(district)
    if known:  # the schedule's district, named by its own words: its name and province
        assert named is not None and named.district is not None
        district, labels["district"] = key_of(named.district), district_label(named.district)
    if not ward or not district or len(ward) > KEY_LENGTH or len(district) > KEY_LENGTH:
        return None  # no ward read, or words around it read as its name ("phường Bến Nghé gần chợ …")
    label = [labels.get("ward") or f"phường {_titled(ward)}",
             labels.get("district") or ("TP Thủ Đức" if district == "thu duc" else f"quận {_titled(district)}")]
    provinces = provinces_in(text)
    province = named.province if known and named is not None else (
        next(iter(provinces)) if len(provinces) == 1 else None)
    return Area(province, district, ward, ", ".join(label)[:120])


def _titled(key: str) -> str:
    """'cat linh' -> 'Cat Linh': a place typed without diacritics, named as a place."""
    return " ".join(word.capitalize() for word in key.split())


def estimate_expected_by(opened_at: datetime) -> datetime:
    """When staff are expected to have given an estimate for an incident opened at `opened_at`."""
    return opened_at + ESTIMATE_WITHIN


def checked_estimate(estimated_at: datetime, now: datetime) -> datetime:
    """An estimated restoration time staff typed (naive UTC), refused when past or absurdly far."""
    if estimated_at <= now:
        raise IncidentError("Thời gian dự kiến phải ở sau thời điểm hiện tại.")
    if estimated_at > now + LONGEST_ESTIMATE:
        raise IncidentError("Thời gian dự kiến quá 7 ngày: kiểm tra lại ngày giờ.")
    return estimated_at.replace(second=0, microsecond=0)


def still_dark(restored_at: datetime | None, now: datetime) -> bool:
    """A report at a place restored this recently comes from a customer the restoration did not reach."""
    return restored_at is not None and timedelta(0) <= now - restored_at <= STILL_DARK_WITHIN
