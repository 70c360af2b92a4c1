"""The states things go through, one enum each; their values are what the database stores."""
from __future__ import annotations

from enum import Enum


class BillStatus(str, Enum):
    UNPAID = "unpaid"
    PAID = "paid"


class OrderStatus(str, Enum):
    """A gateway order: pending until the gateway says; refund_due when a bill was paid twice."""

    PENDING = "pending"
    PAID = "paid"
    FAILED = "failed"
    REFUND_DUE = "refund_due"


class RequestStatus(str, Enum):
    RECEIVED = "received"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"

    @property
    def is_open(self) -> bool:
        return self in OPEN_REQUEST_STATUSES


OPEN_REQUEST_STATUSES = frozenset({RequestStatus.RECEIVED, RequestStatus.ASSIGNED, RequestStatus.IN_PROGRESS})


class RequestKind(str, Enum):
    SERVICE = "service"
    OUTAGE = "outage"


class Priority(str, Enum):
    """How soon staff act on a request: urgent is a danger to people (evn.domain.language.hazards)."""

    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class HandoffStatus(str, Enum):
    OPEN = "open"  # waiting for an agent
    TAKEN = "taken"  # an agent holds it; the bot is paused
    CLOSED = "closed"


class HandoffOutcome(str, Enum):
    """How a handoff ended (closed by an agent, or by the customer going back to the assistant)."""

    RESOLVED = "resolved"
    TICKET = "ticket"  # a request was filed for it
    CALLBACK = "callback"  # someone calls the customer back
    CUSTOMER_LEFT = "customer_left"  # "quay lại trợ lý ảo"


AGENT_OUTCOMES = (HandoffOutcome.RESOLVED, HandoffOutcome.TICKET, HandoffOutcome.CALLBACK)


class AgentAction(str, Enum):
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGIN_LOCKED = "login_locked"  # refused unchecked by a login limit (evn.domain.login_limits)
    LOGIN_UNLOCKED = "login_unlocked"  # an administrator lifted a name's limits (python -m evn.agents unlock)
    LOGOUT = "logout"
    VIEW = "view"  # the conversation's page
    VIEW_TURNS = "view_turns"  # the live conversation showed turns the agent's page had not (detail: seen, count)
    VIEW_CUSTOMER = "view_customer"  # the customer panel showed the verified customer's data (the handoff's id only)
    TAKE = "take"
    REPLY = "reply"
    CLOSE = "close"


class OutboxStatus(str, Enum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"  # given up after the last retry


class CallbackOutcome(str, Enum):
    """What a gateway's notification did; each gateway answers it in its own words."""

    CONFIRMED = "confirmed"
    NOT_FOUND = "not_found"
    ALREADY_CONFIRMED = "already_confirmed"
    WRONG_AMOUNT = "wrong_amount"
    FAILED = "failed"  # the gateway says the payment failed; recorded
    BAD_SIGNATURE = "bad_signature"
    INCOMPLETE = "incomplete"  # signed, but says nothing about the payment
