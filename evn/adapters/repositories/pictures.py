"""Pictures kept: added, found by id, and those past their retention."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select

from evn.adapters import orm
from evn.adapters.repositories.base import Repository


class PictureRepository(Repository):
    def add(self, **values: object) -> None:
        self.session.add(orm.Picture(**values))
        self.session.flush()

    def get(self, picture_id: str) -> orm.Picture | None:
        return self.session.get(orm.Picture, picture_id)

    def expired(self, now: datetime, limit: int = 500) -> list[str]:
        return list(self.session.execute(
            select(orm.Picture.id).where(orm.Picture.expires_at <= now).order_by(orm.Picture.expires_at).limit(limit)
        ).scalars())

    def remove(self, picture_ids: list[str]) -> None:
        self.session.execute(delete(orm.Picture).where(orm.Picture.id.in_(picture_ids)))
