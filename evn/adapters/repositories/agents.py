"""The console's agents, the audit of what they did, and their login limits."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select

from evn.adapters import orm
from evn.adapters.repositories.base import Repository


class AgentRepository(Repository):

    def get(self, agent_id: int) -> orm.Agent | None:
        return self.session.get(orm.Agent, agent_id)

    def by_username(self, username: str) -> orm.Agent | None:
        return self._one(select(orm.Agent).where(orm.Agent.username == username))

    def add(self, **values: Any) -> orm.Agent:
        agent = orm.Agent(**values)
        self.session.add(agent)
        self.session.flush()
        return agent


class AuditRepository(Repository):

    def add(self, **values: Any) -> None:
        self.session.add(orm.AgentAudit(**values))

    def failed_logins(self, username: str, since: datetime) -> int:
        return self.session.execute(
            select(func.count(orm.AgentAudit.id)).where(
                orm.AgentAudit.username == username, orm.AgentAudit.action.in_(("login_failed", "login_locked")),
                orm.AgentAudit.at >= since)
        ).scalar_one()

    def for_handoff(self, handoff_id: int) -> list[orm.AgentAudit]:
        return list(self.session.execute(
            select(orm.AgentAudit).where(orm.AgentAudit.handoff_id == handoff_id).order_by(orm.AgentAudit.id)
        ).scalars())


class LoginLimitRepository(Repository):
    """The counters of the console's login limits (evn.domain.login_limits), each read under its row's lock.

    Lock order, so that two logins never wait on each other in a circle: a name's row, then a source's,
    then their pair's (a pair's row is only touched under its name's lock).
    """

    def locked(self, kind: str, username: str, source: str, now: datetime) -> orm.AgentLoginLimit:
        """The counter, made if it is new, locked until the transaction ends (SQLite: its write lock is)."""
        table = orm.AgentLoginLimit.__table__
        self.session.execute(self._insert(table).values(
            kind=kind, username=username, source=source, failures=0, updated_at=now,
        ).on_conflict_do_nothing())
        return self.session.execute(
            select(orm.AgentLoginLimit).where(
                orm.AgentLoginLimit.kind == kind, orm.AgentLoginLimit.username == username,
                orm.AgentLoginLimit.source == source,
            ).with_for_update().execution_options(populate_existing=True)
        ).scalar_one()

    def pairs_of(self, username: str) -> list[orm.AgentLoginLimit]:
        return list(self.session.execute(
            select(orm.AgentLoginLimit).where(orm.AgentLoginLimit.kind == "pair",
                                              orm.AgentLoginLimit.username == username)
            .order_by(orm.AgentLoginLimit.id).with_for_update()
        ).scalars())

    def remove(self, rows: Sequence[orm.AgentLoginLimit]) -> None:
        for row in rows:
            self.session.delete(row)
        self.session.flush()

    def purge(self, before: datetime, limit: int = 1000) -> int:
        """Forgets counters unchanged since `before`, skipping any a login holds right now (never waits)."""
        stale = self.session.execute(
            select(orm.AgentLoginLimit.id).where(orm.AgentLoginLimit.updated_at < before)
            .order_by(orm.AgentLoginLimit.id).limit(limit).with_for_update(skip_locked=True)
        ).scalars().all()
        if not stale:
            return 0
        return self._changed(
            delete(orm.AgentLoginLimit).where(orm.AgentLoginLimit.id.in_(stale))
            .execution_options(synchronize_session=False)
        )
