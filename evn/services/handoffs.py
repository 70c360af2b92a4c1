"""Handing a conversation over to a person: the customer's side of it.

A request opens one handoff per conversation (asking again while it waits changes
nothing) with the last turns, the customer's question and, when the customer is
verified, their code — what the agent needs. The bot keeps answering while the
customer waits; it is paused only while an agent holds the conversation
(evn.services.agents). Nobody waits in silence: outside the desk's hours the answer
says when people are back, and a wait longer than AGENT_WAIT_SECONDS is told
(scan_unanswered, run by the dispatcher process) with a callback offered.
"""
from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from evn.domain import events, rate_limits
from evn.domain.agent_hours import STANDARD, DeskHours
from evn.domain.masking import mask_personal_data
from evn.domain.statuses import HandoffOutcome, HandoffStatus
from evn.domain.time import to_vietnam
from evn.services import limits
from evn.services.clock import utcnow
from evn.services.unit_of_work import Stored, UnitOfWork, UnitOfWorkFactory

TRANSCRIPT_TURNS = 10
QUESTION_CHARS = 500


@dataclass(frozen=True)
class HandoffView:
    id: int
    conversation_id: str
    channel: str
    reason: str
    transcript: list[dict]
    created_at: datetime
    status: str = HandoffStatus.OPEN.value
    question: str = ""
    verified_code: str | None = None
    agent_id: int | None = None
    outcome: str | None = None
    already_waiting: bool = False
    position: int | None = None  # in the queue, 1 = next; None once taken or closed
    agents_back: datetime | None = None  # Vietnam local time; None while agents are at work
    closed_at: datetime | None = None  # UTC; a closed handoff is the agent's read-only history up to it


class HandoffService:
    def __init__(
        self, uow: UnitOfWorkFactory, clock: Callable[[], datetime] = utcnow, holidays: Collection[date] = (),
        desk: DeskHours = STANDARD, wait: timedelta = timedelta(minutes=5),
    ) -> None:
        self.uow = uow
        self.clock = clock
        self.holidays = holidays
        self.desk = desk
        self.wait = wait

    def request(
        self, conversation_id: str, channel: str, reason: str, turns: list[dict], address_key: str | None = None,
        question: str = "", verified_code: str | None = None,
    ) -> HandoffView:
        """Opens one handoff per conversation; asking again while waiting changes nothing.

        RateLimited when this source opened too many lately.
        """
        transcript = [
            {"from": turn["from"], "text": mask_personal_data(turn.get("text") or "")}
            for turn in turns[-TRANSCRIPT_TURNS:]
        ]
        now = self.clock()
        back = self.agents_back_at(now)
        with self.uow() as uow:
            waiting = uow.handoffs.waiting_for(conversation_id)
            if waiting is not None:
                return replace(handoff_view(waiting, uow, already_waiting=True), agents_back=back)
            limits.admit(uow, rate_limits.HANDOFF, conversation_id, address_key, now)
            handoff = uow.handoffs.add(
                conversation_id=conversation_id, channel=channel, reason=reason, transcript=transcript, created_at=now,
                question=mask_personal_data(question)[:QUESTION_CHARS] or None, verified_code=verified_code,
            )
            view = replace(handoff_view(handoff, uow), agents_back=back)
            uow.commit()
            return view

    def agents_back_at(self, now: datetime) -> datetime | None:
        return self.desk.back_at(to_vietnam(now).replace(tzinfo=None), self.holidays)

    def open_handoffs(self) -> list[HandoffView]:
        with self.uow() as uow:
            return [handoff_view(row, uow) for row in uow.handoffs.waiting()]

    def current(self, conversation_id: str) -> HandoffView | None:
        """The conversation's handoff that is waiting or held, if any."""
        with self.uow() as uow:
            found = uow.handoffs.waiting_for(conversation_id)
            return None if found is None else handoff_view(found, uow)

    def customer_left(self, conversation_id: str) -> HandoffView | None:
        """"Quay lại trợ lý ảo": the handoff closes. When an agent held it, the bot is resumed through the
        outbox (it is paused and cannot answer itself); while waiting, the bot answers the words itself."""
        now = self.clock()
        with self.uow() as uow:
            found = uow.handoffs.waiting_for(conversation_id)
            if found is None:
                return None
            held = found.status == HandoffStatus.TAKEN.value
            if not uow.handoffs.close(found.id, found.status, now, HandoffOutcome.CUSTOMER_LEFT.value, None):
                return None
            if held:
                uow.outbox.add(events.HandoffClosed(conversation_id, found.id, HandoffOutcome.CUSTOMER_LEFT.value),
                               now)
            uow.commit()
        return self.get(found.id)

    def get(self, handoff_id: int) -> HandoffView | None:
        with self.uow() as uow:
            found = uow.handoffs.get(handoff_id)
            return None if found is None else handoff_view(found, uow)

    def scan_unanswered(self) -> int:
        """Tells every customer who has waited longer than the configured time, once, during desk hours
        (outside them the first answer already said when people are back). Returns how many were told."""
        now = self.clock()
        if self.agents_back_at(now) is not None:
            return 0
        with self.uow() as uow:
            told = 0
            for handoff in uow.handoffs.unanswered(now - self.wait):
                handoff.unanswered_at = now
                told += uow.outbox.add(events.HandoffUnanswered(handoff.conversation_id, handoff.id), now)
            uow.commit()
            return told


def handoff_view(handoff: Stored, uow: UnitOfWork, already_waiting: bool = False) -> HandoffView:
    waiting = handoff.status == HandoffStatus.OPEN.value
    return HandoffView(
        id=handoff.id, conversation_id=handoff.conversation_id, channel=handoff.channel, reason=handoff.reason,
        transcript=list(handoff.transcript), created_at=handoff.created_at, status=handoff.status,
        question=handoff.question or "", verified_code=handoff.verified_code, agent_id=handoff.agent_id,
        outcome=handoff.outcome, already_waiting=already_waiting,
        position=uow.handoffs.position(handoff) if waiting else None, closed_at=handoff.closed_at,
    )
