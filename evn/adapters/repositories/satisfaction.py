"""Satisfaction ratings: the questions put, the answers, each agent's own."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select, update

from evn.adapters import orm
from evn.adapters.repositories.base import Repository


class SatisfactionRepository(Repository):
    def add(self, **values: Any) -> orm.SatisfactionRating:
        row = orm.SatisfactionRating(**values)
        self.session.add(row)
        self.session.flush()
        return row

    def latest_of(self, conversation_id: str) -> orm.SatisfactionRating | None:
        """The latest question put to this conversation."""
        return self._one(select(orm.SatisfactionRating).where(orm.SatisfactionRating.conversation_id == conversation_id)
                         .order_by(orm.SatisfactionRating.asked_at.desc(), orm.SatisfactionRating.id.desc()).limit(1))

    def of_agent(self, agent_id: int, since: datetime, limit: int) -> list[orm.SatisfactionRating]:
        """The agent's rated handoffs answered since `since`, newest first."""
        return list(self.session.execute(
            select(orm.SatisfactionRating)
            .where(orm.SatisfactionRating.agent_id == agent_id, orm.SatisfactionRating.score.is_not(None),
                   orm.SatisfactionRating.answered_at >= since)
            .order_by(orm.SatisfactionRating.answered_at.desc(), orm.SatisfactionRating.id.desc()).limit(limit)
        ).scalars())

    def answer(self, row_id: int, score: int, at: datetime, comment: str | None) -> bool:
        """Sets the score of a question not answered yet, in one conditional UPDATE: of two answers at once, one."""
        values: dict[str, Any] = {"score": score, "answered_at": at}
        if comment:
            values["comment"] = comment
        return self._changed(update(orm.SatisfactionRating).where(
            orm.SatisfactionRating.id == row_id, orm.SatisfactionRating.score.is_(None)).values(**values)) == 1

    def agent_summary(self, agent_id: int, since: datetime) -> tuple[int, int, int]:
        """(ratings, their sum, those of 4 or 5) of the agent's handoffs answered since `since`."""
        rated = self.session.execute(
            select(func.count(), func.coalesce(func.sum(orm.SatisfactionRating.score), 0),
                   func.coalesce(func.sum(case((orm.SatisfactionRating.score >= 4, 1), else_=0)), 0))
            .where(orm.SatisfactionRating.agent_id == agent_id, orm.SatisfactionRating.score.is_not(None),
                   orm.SatisfactionRating.answered_at >= since)).one()
        return int(rated[0]), int(rated[1]), int(rated[2])
