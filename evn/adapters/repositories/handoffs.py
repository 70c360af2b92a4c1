"""Handoffs to a person: waiting, taken, closed."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, update

from evn.adapters import orm
from evn.adapters.repositories.base import Repository
from evn.domain.statuses import (
    HandoffStatus,
)


class HandoffRepository(Repository):

    def get(self, handoff_id: int) -> orm.Handoff | None:
        return self.session.get(orm.Handoff, handoff_id)

    def waiting_for(self, conversation_id: str) -> orm.Handoff | None:
        """The conversation's handoff that is not closed yet (waiting or held by an agent)."""
        return self.session.execute(
            select(orm.Handoff).where(
                orm.Handoff.conversation_id == conversation_id,
                orm.Handoff.status.in_([HandoffStatus.OPEN.value, HandoffStatus.TAKEN.value]),
            ).order_by(orm.Handoff.id.desc())
        ).scalars().first()

    def add(self, **values: Any) -> orm.Handoff:
        handoff = orm.Handoff(status=HandoffStatus.OPEN.value, **values)
        self.session.add(handoff)
        self.session.flush()
        return handoff

    def waiting(self) -> list[orm.Handoff]:
        """Oldest first."""
        return list(self.session.execute(
            select(orm.Handoff).where(orm.Handoff.status == HandoffStatus.OPEN.value)
            .order_by(orm.Handoff.created_at, orm.Handoff.id)
        ).scalars())

    def position(self, handoff: orm.Handoff) -> int:
        """1 for the oldest waiting conversation."""
        return self.session.execute(
            select(func.count(orm.Handoff.id)).where(
                orm.Handoff.status == HandoffStatus.OPEN.value,
                or_(orm.Handoff.created_at < handoff.created_at,
                    (orm.Handoff.created_at == handoff.created_at) & (orm.Handoff.id <= handoff.id)),
            )
        ).scalar_one()

    def held_by(self, agent_id: int) -> list[orm.Handoff]:
        return list(self.session.execute(
            select(orm.Handoff).where(orm.Handoff.status == HandoffStatus.TAKEN.value, orm.Handoff.agent_id == agent_id)
            .order_by(orm.Handoff.taken_at)
        ).scalars())

    def take(self, handoff_id: int, agent_id: int, at: datetime) -> bool:
        """One conditional UPDATE: of two agents taking the same conversation, exactly one gets True."""
        changed = self._changed(
            update(orm.Handoff)
            .where(orm.Handoff.id == handoff_id, orm.Handoff.status == HandoffStatus.OPEN.value)
            .values(status=HandoffStatus.TAKEN.value, agent_id=agent_id, taken_at=at)
            .execution_options(synchronize_session=False)
        )
        return changed == 1

    def close(self, handoff_id: int, from_status: str, at: datetime, outcome: str, note: str | None,
              agent_id: int | None = None) -> bool:
        """Closes a handoff still in `from_status` (held by `agent_id` when given); False when it was not."""
        condition = [orm.Handoff.id == handoff_id, orm.Handoff.status == from_status]
        if agent_id is not None:
            condition.append(orm.Handoff.agent_id == agent_id)
        changed = self._changed(
            update(orm.Handoff).where(*condition)
            .values(status=HandoffStatus.CLOSED.value, closed_at=at, outcome=outcome, outcome_note=note)
            .execution_options(synchronize_session=False)
        )
        return changed == 1

    def unanswered(self, waited_since: datetime, limit: int = 100) -> list[orm.Handoff]:
        """Waiting since before `waited_since` and the customer not told yet."""
        return list(self.session.execute(
            select(orm.Handoff).where(
                orm.Handoff.status == HandoffStatus.OPEN.value, orm.Handoff.unanswered_at.is_(None),
                orm.Handoff.created_at <= waited_since,
            ).order_by(orm.Handoff.created_at).limit(limit)
        ).scalars())
