"""The outbox's events: what one transaction decided and another process must tell a conversation.

Each is a typed record written by a service in the transaction that decides it (a payment
confirmed, an agent's join, words or close, a wait nobody answered) and delivered later by
the worker, which hands it to the handler mapped to its type in evn.bootstrap. Here, and
only here, an event becomes the stored row's kind, key and JSON payload and back; the key
makes one event announced once (a second write with it is ignored).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(frozen=True)
class PaymentReceived:
    """A gateway confirmed a bill's payment started from this conversation's link."""

    kind: ClassVar[str] = "payment_received"
    conversation_id: str
    amount: int
    period: str  # MM/YYYY
    channel: str  # the gateway or wallet the customer paid with
    reference: str  # the gateway's transaction reference: one confirmation per payment

    def key(self) -> str:
        return f"payment:{self.reference}"


@dataclass(frozen=True)
class AgentJoined:
    """An agent took the handoff: the customer is told who answers, and the bot pauses."""

    kind: ClassVar[str] = "agent_joined"
    conversation_id: str
    handoff_id: int
    agent_name: str

    def key(self) -> str:
        return f"{self.kind}:{self.handoff_id}"


@dataclass(frozen=True)
class AgentMessage:
    """An agent's words, for the customer's own chat."""

    kind: ClassVar[str] = "agent_message"
    conversation_id: str
    handoff_id: int
    agent_name: str
    text: str
    messenger_tag: str | None = None  # Messenger's message tag, decided by its reply window when written
    message_id: str = ""  # the reply's own id: one delivery per reply

    def key(self) -> str:
        return f"{self.kind}:{self.message_id}"


@dataclass(frozen=True)
class HandoffClosed:
    """The handoff ended (by its agent, or the customer left it): the bot resumes and says it is back."""

    kind: ClassVar[str] = "handoff_closed"
    conversation_id: str
    handoff_id: int
    outcome: str  # evn.domain.statuses.HandoffOutcome's value

    def key(self) -> str:
        return f"{self.kind}:{self.handoff_id}"


@dataclass(frozen=True)
class HandoffUnanswered:
    """A customer waited longer than the desk promises: told so, once."""

    kind: ClassVar[str] = "handoff_unanswered"
    conversation_id: str
    handoff_id: int

    def key(self) -> str:
        return f"{self.kind}:{self.handoff_id}"


Event = PaymentReceived | AgentJoined | AgentMessage | HandoffClosed | HandoffUnanswered
CATALOGUE: dict[str, type[Event]] = {
    cls.kind: cls for cls in (PaymentReceived, AgentJoined, AgentMessage, HandoffClosed, HandoffUnanswered)
}


class UnknownEvent(ValueError):
    """A stored row no version of this catalogue can read (a kind removed, a payload damaged)."""


def stored(event: Event) -> tuple[str, str, dict[str, Any]]:
    """The row an event is written as: its kind, its key and its JSON payload."""
    return event.kind, event.key(), dataclasses.asdict(event)


def read(kind: str, payload: dict[str, Any]) -> Event:
    """The event a stored row holds. Keys the type does not know are ignored, so a row written by a newer
    version still reads; a missing required field or an unknown kind raises UnknownEvent."""
    cls = CATALOGUE.get(kind)
    if cls is None:
        raise UnknownEvent(f"no event of kind {kind!r}")
    known = {field.name for field in dataclasses.fields(cls)}
    try:
        return cls(**{name: value for name, value in payload.items() if name in known})
    except TypeError as error:
        raise UnknownEvent(f"{kind}: {error}") from None
