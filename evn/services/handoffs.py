"""Handing a conversation over to a person: a record agents can pick up, with the last turns."""
from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from datetime import date, datetime

from evn.adapters import orm
from evn.domain import rate_limits
from evn.domain.agent_hours import agents_back_at
from evn.domain.masking import mask_phones_in_text
from evn.domain.time import to_vietnam
from evn.services import limits
from evn.services.clock import utcnow
from evn.services.unit_of_work import UnitOfWorkFactory

TRANSCRIPT_TURNS = 10


@dataclass(frozen=True)
class HandoffView:
    id: int
    conversation_id: str
    channel: str
    reason: str
    transcript: list[dict]
    created_at: datetime
    already_waiting: bool = False
    agents_back: datetime | None = None  # Vietnam local time; None while agents are at work


class HandoffService:
    def __init__(
        self, uow: UnitOfWorkFactory, clock: Callable[[], datetime] = utcnow, holidays: Collection[date] = (),
    ) -> None:
        self.uow = uow
        self.clock = clock
        self.holidays = holidays

    def request(
        self, conversation_id: str, channel: str, reason: str, turns: list[dict], address_key: str | None = None
    ) -> HandoffView:
        """Opens one handoff per conversation; asking again while waiting changes nothing.

        RateLimited when this source opened too many lately.
        """
        transcript = [
            {"from": turn["from"], "text": mask_phones_in_text(turn.get("text") or "")}
            for turn in turns[-TRANSCRIPT_TURNS:]
        ]
        now = self.clock()
        back = agents_back_at(to_vietnam(now).replace(tzinfo=None), self.holidays)
        with self.uow() as uow:
            waiting = uow.handoffs.waiting_for(conversation_id)
            if waiting is not None:
                return replace(_view(waiting, already_waiting=True), agents_back=back)
            limits.admit(uow, rate_limits.HANDOFF, conversation_id, address_key, now)
            handoff = uow.handoffs.add(
                conversation_id=conversation_id, channel=channel, reason=reason, transcript=transcript, created_at=now,
            )
            uow.commit()
            return replace(_view(handoff), agents_back=back)

    def open_handoffs(self) -> list[HandoffView]:
        with self.uow() as uow:
            return [_view(row) for row in uow.handoffs.waiting()]


def _view(handoff: orm.Handoff, already_waiting: bool = False) -> HandoffView:
    return HandoffView(
        id=handoff.id, conversation_id=handoff.conversation_id, channel=handoff.channel, reason=handoff.reason,
        transcript=list(handoff.transcript), created_at=handoff.created_at, already_waiting=already_waiting,
    )
