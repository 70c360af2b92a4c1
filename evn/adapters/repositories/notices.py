"""Notices: generated in SQL by the thousand, claimed and recorded one by one; a user's choices of them."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Integer, String, cast, column, delete, func, literal, select, table, text, update

from evn.adapters import orm
from evn.adapters.bulk import BulkLoader
from evn.adapters.repositories.base import LeasedQueue
from evn.adapters.repositories.links import holding
from evn.domain.notices import NoticeStatus
from evn.domain.statuses import (
    BillStatus,
)

STAGING = "notice_events_staging"
_STAGED = table(STAGING, column("code"), column("subject"), column("channel"), column("channel_user"),
                column("conversation_id"))


class NoticeRepository(LeasedQueue):
    """Notices (evn.services.notices): generated in SQL by the thousand, delivered one by one."""

    model = orm.Notice
    pending = NoticeStatus.PENDING.value

    COLUMNS = ("kind", "subject", "channel", "channel_user", "conversation_id", "customer_code", "status",
               "attempts", "created_at", "next_attempt_at")

    def due_on(self, now: datetime, limit: int, channel: str | None = None) -> list[orm.Notice]:
        """The due notices of one channel (every channel: None), oldest first."""
        return self.due(now, limit, *(() if channel is None else (orm.Notice.channel == channel,)))

    def cursor(self, name: str) -> int | None:
        return self._one(select(orm.NoticeCursor.position).where(orm.NoticeCursor.name == name))

    def move_cursor(self, name: str, position: int, at: datetime) -> None:
        found = self.session.get(orm.NoticeCursor, name)
        if found is None:
            self.session.add(orm.NoticeCursor(name=name, position=position, updated_at=at))
        else:
            found.position, found.updated_at = position, at

    def last_bill_id(self) -> int:
        return int(self.session.execute(select(func.coalesce(func.max(orm.Bill.id), 0))).scalar_one())

    def for_new_bills(self, kind: str, after_id: int, up_to_id: int, at: datetime) -> int:
        """One notice per unpaid bill with after_id < id <= up_to_id and each user linked to its customer."""
        return self._insert_for_bills(kind, at, orm.Bill.id > after_id, orm.Bill.id <= up_to_id)

    def for_bills_due(self, kind: str, first_due: Any, last_due: Any, at: datetime) -> int:
        """One notice per unpaid bill due first_due..last_due and each user linked to its customer."""
        return self._insert_for_bills(kind, at, orm.Bill.due_date >= first_due, orm.Bill.due_date <= last_due)

    def _insert_for_bills(self, kind: str, at: datetime, *where: Any) -> int:
        link = orm.AccountLink
        rows = (
            select(
                literal(kind, String), cast(orm.Bill.id, String), link.channel, link.channel_user,
                link.conversation_id, link.customer_code, literal(NoticeStatus.PENDING.value, String),
                literal(0, Integer), literal(at, DateTime), literal(at, DateTime),
            )
            .select_from(orm.Bill)
            .join(orm.Customer, orm.Customer.id == orm.Bill.customer_id)
            .join(link, (link.customer_code == orm.Customer.code) & holding(at))
            .where(orm.Bill.status == BillStatus.UNPAID.value, *where)
        )
        return self._insert_new(rows)

    def for_links(self, kind: str, subject: str, links: Sequence[orm.AccountLink], at: datetime) -> int:
        """One notice of this event to each of these links' users (those told already are skipped)."""
        if not links:
            return 0
        rows = [
            {"kind": kind, "subject": subject, "channel": link.channel, "channel_user": link.channel_user,
             "conversation_id": link.conversation_id, "customer_code": link.customer_code,
             "status": NoticeStatus.PENDING.value, "attempts": 0, "created_at": at, "next_attempt_at": at}
            for link in links
        ]
        changed = self._changed(self._insert(orm.Notice.__table__).values(rows).on_conflict_do_nothing())
        return max(changed, 0)

    def for_recipients(self, kind: str, events: Sequence[tuple[str, str, Sequence[tuple[str, str, str]]]],
                       at: datetime) -> int:
        """Notices of many events at once: (customer code, subject, other recipients as (channel, channel user,
        conversation)) each, to every user linked to the code and to those others (told already: skipped).

        The events are staged in a temporary table (COPY on PostgreSQL) and written by INSERT … SELECT, joined to
        the links that hold, ON CONFLICT DO NOTHING: a scan's thousands of alerts cost a few statements, not a
        row each."""
        if not events:
            return 0
        connection = self.session.connection()
        connection.execute(text(f"CREATE TEMPORARY TABLE {STAGING} (code VARCHAR(13), subject VARCHAR(64), "
                                "channel VARCHAR(16), channel_user VARCHAR(64), conversation_id VARCHAR(128))"))
        try:
            rows: list[tuple[str, str, str | None, str | None, str | None]] = []
            for code, subject, also in events:  # an event without others still reaches the linked users
                rows += [(code, subject, *other) for other in also] or [(code, subject, None, None, None)]
            BulkLoader(connection).insert(STAGING, ("code", "subject", "channel", "channel_user", "conversation_id"),
                                          rows)
            staged, link = _STAGED.c, orm.AccountLink
            fixed = (literal(NoticeStatus.PENDING.value, String), literal(0, Integer), literal(at, DateTime),
                     literal(at, DateTime))
            linked = (select(literal(kind, String), staged.subject, link.channel, link.channel_user,
                             link.conversation_id, staged.code, *fixed)
                      .select_from(_STAGED).join(link, link.customer_code == staged.code).where(holding(at)))
            others = (select(literal(kind, String), staged.subject, staged.channel, staged.channel_user,
                             staged.conversation_id, staged.code, *fixed).where(staged.channel.is_not(None)))
            return self._insert_new(linked.distinct()) + self._insert_new(others.distinct())
        finally:
            connection.execute(text(f"DROP TABLE {STAGING}"))

    def _insert_new(self, rows: Any) -> int:
        statement = self._insert(orm.Notice.__table__).from_select(self.COLUMNS, rows).on_conflict_do_nothing()
        changed = self._changed(statement)
        return max(changed, 0)

    def hold(self, notice_id: int, until: datetime) -> None:
        """Quiet hours: the next attempt moves to their end, no attempt counted."""
        self.session.execute(update(orm.Notice).where(orm.Notice.id == notice_id).values(next_attempt_at=until))

    def record(self, notice_id: int, status: str, at: datetime, route: str | None = None,
               result: str | None = None, next_attempt_at: datetime | None = None,
               attempts: int | None = None) -> None:
        values: dict[str, Any] = {"status": status, "result": (result or "")[:300] or None}
        if attempts is not None:
            values["attempts"] = attempts
        if route is not None:
            values["route"] = route
        if status == NoticeStatus.SENT.value:
            values["sent_at"] = at
        if next_attempt_at is not None:
            values["next_attempt_at"] = next_attempt_at
        self.session.execute(update(orm.Notice).where(orm.Notice.id == notice_id).values(**values))

    def get(self, notice_id: int) -> orm.Notice | None:
        return self.session.get(orm.Notice, notice_id)

    def zns_sent(self, kind: str, subject: str, code: str) -> bool:
        """A ZNS goes to the customer's one registered phone: once per event, however many users linked it."""
        return self.session.execute(select(orm.Notice.id).where(
            orm.Notice.kind == kind, orm.Notice.subject == subject, orm.Notice.customer_code == code,
            orm.Notice.route == "zns", orm.Notice.status == NoticeStatus.SENT.value).limit(1)).first() is not None

    def release_open_widgets(self, since: datetime, at: datetime) -> int:
        open_now = select(orm.WidgetPresence.conversation_id).where(orm.WidgetPresence.sockets > 0,
                                                                    orm.WidgetPresence.seen_at >= since)
        return self._changed(
            update(orm.Notice).where(orm.Notice.status == NoticeStatus.WAITING.value,
                                     orm.Notice.conversation_id.in_(open_now))
            .values(status=NoticeStatus.PENDING.value, next_attempt_at=at)
            .execution_options(synchronize_session=False)
        )

    def release_waiting(self, conversation_id: str, at: datetime) -> int:
        """The customer opened the widget: what waited for them is due now."""
        return self._changed(
            update(orm.Notice).where(orm.Notice.conversation_id == conversation_id,
                                     orm.Notice.status == NoticeStatus.WAITING.value)
            .values(status=NoticeStatus.PENDING.value, next_attempt_at=at)
        )

    def of_customer(self, code: str) -> list[orm.Notice]:
        return list(self.session.execute(
            select(orm.Notice).where(orm.Notice.customer_code == code).order_by(orm.Notice.id)
        ).scalars())

    # --- a user's choices -------------------------------------------------------------------

    def stopped_kinds(self, channel: str, channel_user: str) -> set[str]:
        return set(self.session.execute(
            select(orm.NoticePreference.kind).where(
                orm.NoticePreference.channel == channel, orm.NoticePreference.channel_user == channel_user)
        ).scalars())

    def stop(self, channel: str, channel_user: str, kind: str, at: datetime) -> None:
        self.session.execute(self._insert(orm.NoticePreference.__table__).values(
            channel=channel, channel_user=channel_user, kind=kind, created_at=at).on_conflict_do_nothing())

    def resume(self, channel: str, channel_user: str, kind: str | None) -> int:
        """Removes the stop for this kind (and "all"), or every stop when kind is None."""
        where = [orm.NoticePreference.channel == channel, orm.NoticePreference.channel_user == channel_user]
        if kind is not None:
            where.append(orm.NoticePreference.kind.in_((kind, "all")))
        return self._changed(delete(orm.NoticePreference).where(*where))
