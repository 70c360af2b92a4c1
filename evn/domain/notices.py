"""Notices: what the assistant tells a customer unasked, and the rules of when and how it may.

Kinds are those EVN's own apps and Zalo OAs push. Quiet hours hold back the kinds that
can wait until morning; a planned outage cannot (people need the warning before the
power goes), and a payment confirmation answers what the customer has just done.

How a notice may reach a channel user is each platform's rule (../shared/reference/facts.md):
Zalo OA chat within 48 h of the user's last message, else a ZNS template to the customer's
registered phone; Messenger within 24 h, else an approved utility-message template, never a
tag outside its stated purpose; the widget is the company's own, always. A kind without the
template its route needs is not deliverable there, and is recorded so.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from enum import Enum

from evn.domain import linear_regex
from evn.domain.time import VIETNAM, to_vietnam


class NoticeKind(str, Enum):
    BILL_ISSUED = "bill_issued"
    BILL_DUE = "bill_due"  # a reminder before the due date
    BILL_OVERDUE = "bill_overdue"
    PAYMENT_RECEIVED = "payment_received"
    OUTAGE_PLANNED = "outage_planned"
    REQUEST_STATUS = "request_status"
    USAGE_ALERT = "usage_alert"  # the period's forecast crossed a level the customer set
    OUTAGE_UPDATE = "outage_update"  # an incident's cause or estimated restoration, given or changed
    OUTAGE_RESTORED = "outage_restored"  # the incident's power is back

    @property
    def is_bill(self) -> bool:
        return self in (NoticeKind.BILL_ISSUED, NoticeKind.BILL_DUE, NoticeKind.BILL_OVERDUE)

    @property
    def is_incident(self) -> bool:
        """About an unplanned outage (evn.domain.incidents): told to its reporters, who may have no customer code."""
        return self in (NoticeKind.OUTAGE_UPDATE, NoticeKind.OUTAGE_RESTORED)


# What a template of each kind is given (ZNS template_data by name; Messenger's body parameters in order).
TEMPLATE_FIELDS: dict[NoticeKind, tuple[str, ...]] = {
    NoticeKind.BILL_ISSUED: ("customer_code", "period", "amount", "due_date"),
    NoticeKind.BILL_DUE: ("customer_code", "period", "amount", "due_date"),
    NoticeKind.BILL_OVERDUE: ("customer_code", "period", "amount", "due_date"),
    NoticeKind.PAYMENT_RECEIVED: ("customer_code", "period", "amount"),
    NoticeKind.OUTAGE_PLANNED: ("outage_area", "outage_start", "outage_end", "outage_reason"),
    NoticeKind.REQUEST_STATUS: ("ticket", "request_status"),
    NoticeKind.USAGE_ALERT: ("customer_code", "period", "forecast_kwh", "forecast_total"),
    NoticeKind.OUTAGE_UPDATE: ("ticket", "outage_area", "estimated_at"),
    NoticeKind.OUTAGE_RESTORED: ("ticket", "outage_area", "restored_at"),
}
ALL_KINDS = "all"  # a preference row for every kind
# Not held by quiet hours: a warning before the power goes, what the customer has just done, and the power back
# at night (a household waits up for it); a customer who stopped outage notices is not told at all.
URGENT = frozenset({NoticeKind.OUTAGE_PLANNED, NoticeKind.PAYMENT_RECEIVED, NoticeKind.OUTAGE_RESTORED})


class NoticeStatus(str, Enum):
    PENDING = "pending"  # to be delivered (or retried) at next_attempt_at
    SENT = "sent"  # the platform took it
    UNDELIVERABLE = "undeliverable"  # the platform's rules allow no way for it now
    OPTED_OUT = "opted_out"  # the user asked not to receive this kind
    WAITING = "waiting"  # for the widget to be opened (no socket now); sent when the customer comes back
    SUPERSEDED = "superseded"  # the data overtook it (the bill was paid, the outage began)
    FAILED = "failed"  # given up after the retries


class Route(str, Enum):
    CHAT = "chat"  # a message in the user's conversation, through Rasa and the channel's output
    ZNS = "zns"  # Zalo Notification Service template to the registered phone
    UTILITY = "utility"  # Messenger utility-message template


ZALO_CHAT_WINDOW = timedelta(hours=48)
MESSENGER_CHAT_WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class Decision:
    route: Route | None
    template: str = ""  # the ZNS template id or the Messenger template name
    reason: str = ""  # why there is no route


def route_for(
    channel: str, kind: NoticeKind, last_message_at: datetime | None, now: datetime,
    zns_templates: Mapping[str, str], messenger_templates: Mapping[str, str],
) -> Decision:
    """How this notice may go now (times naive UTC; an unknown last message counts as long ago)."""
    waited = None if last_message_at is None else now - last_message_at
    if channel == "socketio":
        return Decision(Route.CHAT)
    if channel == "zalo":
        if waited is not None and waited <= ZALO_CHAT_WINDOW:
            return Decision(Route.CHAT)
        template = zns_templates.get(kind.value, "")
        return Decision(Route.ZNS, template) if template else Decision(None, reason="no ZNS template for this kind")
    if channel == "facebook":
        if waited is not None and waited <= MESSENGER_CHAT_WINDOW:
            return Decision(Route.CHAT)
        template = messenger_templates.get(kind.value, "")
        if template:
            return Decision(Route.UTILITY, template)
        return Decision(None, reason="outside Messenger's 24 h window and no utility template for this kind")
    return Decision(None, reason=f"channel {channel} takes no notices")


# ---------------------------------------------------------------- quiet hours

_SPAN = linear_regex.compile(r"^\s*([01]?\d|2[0-3]):([0-5]\d)\s*-\s*([01]?\d|2[0-4]):([0-5]\d)\s*$")


@dataclass(frozen=True)
class QuietHours:
    """A nightly span in Vietnam time (it may cross midnight); `None` start means no quiet hours."""

    start: time | None = None
    end: time | None = None

    @classmethod
    def parse(cls, text: str) -> QuietHours:
        """"21:00-07:00" (NOTICE_QUIET_HOURS); empty: none. Raises ValueError on anything else."""
        if not text.strip():
            return cls()
        match = _SPAN.match(text)
        if not match:
            raise ValueError(f"quiet hours must look like 21:00-07:00, not {text[:20]!r}")
        start_h, start_m, end_h, end_m = (int(group) for group in match.groups())
        end = time(0, 0) if end_h == 24 else time(end_h, end_m)
        start = time(start_h, start_m)
        if start == end:
            raise ValueError("quiet hours must not start and end at the same time")
        return cls(start, end)

    def held_until(self, kind: NoticeKind, now: datetime) -> datetime | None:
        """When a notice of this kind may go, if quiet hours hold it now (naive UTC), else None."""
        if self.start is None or self.end is None or kind in URGENT:
            return None
        local = to_vietnam(now)
        clock = local.time().replace(tzinfo=None)
        crosses_midnight = self.start > self.end
        quiet = (clock >= self.start or clock < self.end) if crosses_midnight else self.start <= clock < self.end
        if not quiet:
            return None
        end_day = local.date() + timedelta(days=1) if crosses_midnight and clock >= self.start else local.date()
        end_local = datetime.combine(end_day, self.end, tzinfo=VIETNAM)
        return end_local.astimezone(timezone.utc).replace(tzinfo=None)


def parse_templates(text: str) -> dict[str, str]:
    """"bill_issued=123456,bill_due=123457": a template per kind; unknown kinds refused (ValueError)."""
    found: dict[str, str] = {}
    for part in filter(None, (item.strip() for item in text.split(","))):
        kind, _, template = part.partition("=")
        kind, template = kind.strip(), template.strip()
        if kind not in {k.value for k in NoticeKind} or not template:
            raise ValueError(f"not a notice kind with a template: {part[:40]!r}")
        found[kind] = template
    return found
