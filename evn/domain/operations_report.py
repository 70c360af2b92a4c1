"""The operations report's vocabulary: month ranges, shares that survive empty months, the channels
that count as cash or counter, EVN's reference figures and targets (evn/reference/operations_report.yml).

Pure: the SQL that counts lives in evn/adapters/report_queries.py, the assembly in
evn/services/operations_report.py, the rendering in evn/report/.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any

from evn.domain import linear_regex
from evn.domain.periods import Period
from evn.domain.time import VIETNAM

MONTH = linear_regex.compile(r"([0-9]{4})-([0-9]{1,2})")
YEARS = range(2000, 2101)  # what the data can hold; outside it the UTC bounds would overflow
MAX_MONTHS = 120
WEB_MONTHS = 24  # the web page's limit: its answer must come within the page's timeout (the CLI takes MAX_MONTHS)


@dataclass(frozen=True)
class MonthRange:
    """Calendar months in Vietnam time, first and last included."""

    first: Period
    last: Period

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError("the range ends before it starts")
        if len(self.months) > MAX_MONTHS:
            raise ValueError(f"at most {MAX_MONTHS} months")

    @classmethod
    def parse(cls, first: str, last: str) -> MonthRange:
        """From "2026-01" and "2026-10"; ValueError with a reason an operator can act on."""
        return cls(parse_month(first), parse_month(last))

    @classmethod
    def last_whole(cls, today: date, count: int = 12) -> MonthRange:
        """The `count` whole months before today's: the report's default range."""
        this_month = Period.of(today)
        return cls(this_month.shift(-count), this_month.shift(-1))

    @property
    def months(self) -> list[Period]:
        count = (self.last.year - self.first.year) * 12 + self.last.month - self.first.month + 1
        return [self.first.shift(index) for index in range(max(count, 0))]

    @property
    def start_utc(self) -> datetime:
        """The first instant of the first month, as the naive UTC the database stores."""
        return month_start_utc(self.first)

    @property
    def end_utc(self) -> datetime:
        """The first instant after the last month (exclusive bound)."""
        return month_start_utc(self.last.shift(1))

    def __str__(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first} – {self.last}"

    @property
    def bounds(self) -> tuple[str, str]:
        """("2026-01", "2026-10"): what parse() reads back, and what a form's month fields hold."""
        return month_text(self.first), month_text(self.last)


def parse_month(text: str) -> Period:
    match = MONTH.fullmatch((text or "").strip())
    if not match or int(match.group(1)) not in YEARS:
        raise ValueError(f"not a month like 2026-01 between {YEARS[0]} and {YEARS[-1]}: {text!r}")
    try:
        return Period(int(match.group(1)), int(match.group(2)))
    except ValueError:
        raise ValueError(f"not a month like 2026-01: {text!r}") from None


def month_text(period: Period) -> str:
    return f"{period.year}-{period.month:02d}"


def month_start_utc(period: Period) -> datetime:
    local = datetime(period.year, period.month, 1, tzinfo=VIETNAM)
    return local.astimezone(timezone.utc).replace(tzinfo=None)


def utc_offset_seconds() -> int:
    """Vietnam keeps UTC+7 all year (no daylight saving): the SQL shifts timestamps by this."""
    return int((VIETNAM.utcoffset(None) or timedelta(hours=7)).total_seconds())


def share(part: float | int | None, whole: float | int | None) -> float | None:
    """part / whole, or None when there is nothing to divide by (shown as "không có dữ liệu")."""
    if part is None or not whole:
        return None
    return part / whole


@dataclass(frozen=True)
class Channel:
    code: str
    name: str
    cash: bool = False
    counter: bool = False
    assistant: bool = False


@dataclass(frozen=True)
class Target:
    value: float
    by: str
    text: str


@dataclass(frozen=True)
class Reference:
    value: float
    as_of: str


@dataclass(frozen=True)
class ReportBook:
    """Everything the report names and defines, from the reference data."""

    payment_channels: dict[str, Channel]
    intake_channels: dict[str, Channel]
    bot_input_channels: dict[str, str]
    fallback_actions: tuple[str, ...]
    handoff_actions: tuple[str, ...]
    not_a_topic: tuple[str, ...]
    bill_questions: tuple[str, ...]
    evn_reference: dict[str, Reference]
    targets: dict[str, Target]
    definitions: dict[str, str]
    scam_patterns: dict[str, str] = field(default_factory=dict)
    incident_causes: dict[str, str] = field(default_factory=dict)
    satisfaction_topics: dict[str, str] = field(default_factory=dict)

    def scam_pattern_name(self, code: str) -> str:
        return self.scam_patterns.get(code, code)

    def cause_name(self, code: str) -> str:
        """What staff and the report call an incident's cause (evn.domain.incidents.Cause; "unknown": none)."""
        return self.incident_causes.get(code, code)

    def topic_name(self, code: str) -> str:
        """What the report calls what a rating followed (evn.domain.satisfaction.Topic)."""
        return self.satisfaction_topics.get(code, code)

    @property
    def cash_channels(self) -> tuple[str, ...]:
        return tuple(code for code, channel in self.payment_channels.items() if channel.cash)

    @property
    def counter_channels(self) -> tuple[str, ...]:
        return tuple(code for code, channel in self.intake_channels.items() if channel.counter)

    def intake_of(self, stored: str) -> str:
        """The intake channel a stored request channel stands for (the bot's input channels mapped)."""
        return self.bot_input_channels.get(stored, stored)

    def payment_name(self, code: str) -> str:
        channel = self.payment_channels.get(code)
        return channel.name if channel else code

    def intake_name(self, code: str) -> str:
        channel = self.intake_channels.get(code)
        return channel.name if channel else code


def parse_book(data: dict[str, Any]) -> ReportBook:
    def channels(entries: dict[str, Any]) -> dict[str, Channel]:
        return {code: Channel(code, str(spec["name"]), bool(spec.get("cash")), bool(spec.get("counter")),
                              bool(spec.get("assistant"))) for code, spec in entries.items()}

    actions = data["assistant_actions"]
    return ReportBook(
        payment_channels=channels(data["payment_channels"]),
        intake_channels=channels(data["intake_channels"]),
        bot_input_channels={str(k): str(v) for k, v in data["bot_input_channels"].items()},
        fallback_actions=tuple(actions["fallback"]),
        handoff_actions=tuple(actions["handoff"]),
        not_a_topic=tuple(actions["not_a_topic"]),
        bill_questions=tuple(actions.get("bill_questions") or ()),
        evn_reference={k: Reference(float(v["value"]), str(v["as_of"])) for k, v in data["evn_reference"].items()},
        targets={k: Target(float(v["value"]), str(v["by"]), str(v["text"])) for k, v in data["targets"].items()},
        definitions={k: " ".join(str(v).split()) for k, v in data["definitions"].items()},
        scam_patterns={str(k): str(v) for k, v in (data.get("scam_patterns") or {}).items()},
        incident_causes={str(k): str(v) for k, v in (data.get("incident_causes") or {}).items()},
        satisfaction_topics={str(k): str(v) for k, v in (data.get("satisfaction_topics") or {}).items()},
    )


@lru_cache(maxsize=1)
def load_book() -> ReportBook:
    from evn import reference

    return parse_book(reference.load_yaml("operations_report.yml"))
