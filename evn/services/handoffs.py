"""Handing a conversation over to a person: a record agents can pick up, with the last turns."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from evn.adapters import orm
from evn.domain import rate_limits
from evn.domain.masking import mask_phones_in_text
from evn.services import limits
from evn.services.clock import utcnow
from evn.services.unit_of_work import unit_of_work

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


class HandoffService:
    def __init__(self, sessions: sessionmaker, clock: Callable[[], datetime] = utcnow) -> None:
        self.sessions = sessions
        self.clock = clock

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
        with unit_of_work(self.sessions) as repos:
            waiting = repos.session.execute(
                select(orm.Handoff).where(orm.Handoff.conversation_id == conversation_id, orm.Handoff.status == "open")
            ).scalars().first()
            if waiting is not None:
                return _view(waiting, already_waiting=True)
            now = self.clock()
            limits.admit(repos, rate_limits.HANDOFF, conversation_id, address_key, now)
            handoff = orm.Handoff(
                conversation_id=conversation_id, channel=channel, reason=reason, transcript=transcript,
                status="open", created_at=now,
            )
            repos.session.add(handoff)
            repos.session.flush()
            return _view(handoff)

    def open_handoffs(self) -> list[HandoffView]:
        with unit_of_work(self.sessions) as repos:
            rows = repos.session.execute(
                select(orm.Handoff).where(orm.Handoff.status == "open").order_by(orm.Handoff.created_at)
            ).scalars()
            return [_view(row) for row in rows]


def _view(handoff: orm.Handoff, already_waiting: bool = False) -> HandoffView:
    return HandoffView(
        id=handoff.id, conversation_id=handoff.conversation_id, channel=handoff.channel, reason=handoff.reason,
        transcript=list(handoff.transcript), created_at=handoff.created_at, already_waiting=already_waiting,
    )
