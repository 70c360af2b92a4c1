"""Scam checks: each one recorded, the latest listed for the security team."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from evn.adapters import orm
from evn.adapters.repositories.base import Repository


class ScamCheckRepository(Repository):
    def add(self, *, checked_at: datetime, conversation_id: str, channel: str, kind: str, verdict: str,
            pattern: str, shown: str, picture_id: str | None = None) -> int:
        row = orm.ScamCheck(checked_at=checked_at, conversation_id=conversation_id, channel=channel, kind=kind,
                            verdict=verdict, pattern=pattern, shown=shown[:120], picture_id=picture_id)
        self.session.add(row)
        self.session.flush()
        return row.id

    def of_picture(self, picture_id: str) -> bool:
        """Whether a picture was checked already."""
        return self.session.execute(
            select(orm.ScamCheck.id).where(orm.ScamCheck.picture_id == picture_id).limit(1)).first() is not None

    def latest(self, verdict: str, limit: int = 100) -> list[orm.ScamCheck]:
        """The latest checks with this verdict, newest first."""
        return list(self.session.execute(
            select(orm.ScamCheck).where(orm.ScamCheck.verdict == verdict)
            .order_by(orm.ScamCheck.checked_at.desc(), orm.ScamCheck.id.desc()).limit(limit)).scalars())
