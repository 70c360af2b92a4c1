"""The repositories' common ground: one aggregate's queries on the unit of work's session, and the leased
work queue the outbox and the notices share."""
from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session


class Repository:
    """One aggregate's queries on the unit of work's session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _insert(self, table: Any) -> Any:
        """An INSERT with the dialect's ON CONFLICT clauses (PostgreSQL's or SQLite's, the same SQL)."""
        if self.session.get_bind().dialect.name == "postgresql":
            return postgresql_insert(table)
        return sqlite_insert(table)

    def _one(self, query: Any) -> Any:
        return self.session.execute(query).scalar_one_or_none()

    def _changed(self, statement: Any) -> int:
        """Runs an INSERT, UPDATE or DELETE; how many rows it changed (-1 where the driver cannot say).

        SQLAlchemy 2.0 types execute()'s answer as a Result, whose cursor form alone has rowcount."""
        return cast("CursorResult[Any]", self.session.execute(statement)).rowcount


class LeasedQueue(Repository):
    """Rows handed out by lease (the outbox's messages, the notices): the due ones read in order, each claimed
    once by moving its next attempt a lease ahead in one UPDATE, so two workers never both take a row and a
    crash mid-delivery loses nothing (it is due again when the lease ends)."""

    model: Any  # the mapped class: id, status, attempts, next_attempt_at
    pending: str  # the status of a row still to deliver

    def _ready(self) -> tuple[Any, ...]:
        """What else a due row must meet, in the read and in the claim's own UPDATE."""
        return ()

    def due(self, now: datetime, limit: int, *where: Any) -> list[Any]:
        """The due rows, oldest first; `where` narrows them (the notices of one channel)."""
        model = self.model
        return list(self.session.execute(
            select(model)
            .where(model.status == self.pending, model.next_attempt_at <= now, *self._ready(), *where)
            .order_by(model.next_attempt_at, model.id)
            .limit(limit)
        ).scalars())

    def claim(self, row_id: int, attempts: int, until: datetime) -> bool:
        """Moves a due row's next attempt to `until` and counts the attempt, once: a second worker (or one
        that read the row before it stopped being ready) gets False."""
        model = self.model
        changed = self._changed(
            update(model)
            .where(model.id == row_id, model.attempts == attempts, model.status == self.pending, *self._ready())
            .values(attempts=attempts + 1, next_attempt_at=until)
            .execution_options(synchronize_session=False)
        )
        return changed == 1
