"""What the channels share between processes: tokens, seen message ids, the widget's ended sessions and open sockets."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from evn.adapters import orm
from evn.adapters.repositories.base import Repository


class ChannelStateRepository(Repository):
    """Platform tokens and message ids already handled, shared by every Rasa process."""

    def tokens(self, channel: str) -> orm.ChannelToken | None:
        return self.session.get(orm.ChannelToken, channel)

    def save_tokens(
        self, channel: str, seed: str, access: str, refresh: str, expires_at: datetime | None, at: datetime
    ) -> None:
        row = self.session.get(orm.ChannelToken, channel)
        if row is None:
            self.session.add(orm.ChannelToken(
                channel=channel, seed=seed, access_token=access, refresh_token=refresh, expires_at=expires_at,
                updated_at=at,
            ))
        else:
            row.seed, row.access_token, row.refresh_token = seed, access, refresh
            row.expires_at, row.updated_at = expires_at, at

    def add_seen(self, channel: str, message_id: str, at: datetime) -> bool:
        """False when this id was seen before (on this channel)."""
        try:
            with self.session.begin_nested():
                self.session.add(orm.SeenMessage(channel=channel, message_id=message_id, seen_at=at))
        except IntegrityError:
            return False
        return True

    def forget_seen_before(self, before: datetime) -> int:
        return self._changed(delete(orm.SeenMessage).where(orm.SeenMessage.seen_at < before))


class WidgetSessionRepository(Repository):
    """Widget sessions their customer ended (↺): in the database, so every Rasa process refuses them."""

    def revoke(self, conversation_id: str, at: datetime) -> None:
        table = orm.WidgetSessionRevocation.__table__
        self.session.execute(self._insert(table).values(conversation_id=conversation_id, revoked_at=at)
                             .on_conflict_do_nothing())

    def is_revoked(self, conversation_id: str) -> bool:
        return self.session.get(orm.WidgetSessionRevocation, conversation_id) is not None

    def forget_before(self, before: datetime, limit: int = 1000) -> int:
        """Drops revocations older than `before` (no token of theirs can still be unexpired)."""
        table = orm.WidgetSessionRevocation
        old = select(table.conversation_id).where(table.revoked_at < before).limit(limit).scalar_subquery()
        return self._changed(delete(table).where(table.conversation_id.in_(old))
                             .execution_options(synchronize_session=False))


class WidgetPresenceRepository(Repository):
    """Sockets open per widget conversation, counted in the database so every Rasa process sees them."""

    def opened(self, conversation_id: str, at: datetime) -> None:
        table = orm.WidgetPresence.__table__
        statement = self._insert(table).values(conversation_id=conversation_id, sockets=1, seen_at=at)
        self.session.execute(statement.on_conflict_do_update(
            index_elements=["conversation_id"], set_={"sockets": table.c.sockets + 1, "seen_at": at}))

    def closed(self, conversation_id: str, at: datetime) -> None:
        table = orm.WidgetPresence.__table__
        self.session.execute(update(table).where(table.c.conversation_id == conversation_id, table.c.sockets > 0)
                             .values(sockets=table.c.sockets - 1, seen_at=at))

    def is_open(self, conversation_id: str, since: datetime) -> bool:
        """A socket open and heard of since `since` (a crashed process's count goes stale, not true forever)."""
        row = self.session.get(orm.WidgetPresence, conversation_id)
        return row is not None and row.sockets > 0 and row.seen_at >= since
