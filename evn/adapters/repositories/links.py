"""Account links: which conversations may remember a customer, until when."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, select, update
from sqlalchemy.exc import IntegrityError

from evn.adapters import orm
from evn.adapters.repositories.base import Repository
from evn.domain import account_links


class AccountLinkRepository(Repository):
    """Links that hold: not ended, and used (or made) since evn.domain.account_links.fresh_since(now).

    Every read takes `now`, so an expired link is absent from recognition, lists and notices
    alike, decided in SQL (`holding`), with nothing to sweep.
    """

    def active(self, conversation_id: str, now: datetime) -> list[orm.AccountLink]:
        """The conversation's links that hold, oldest first."""
        return list(self.session.execute(
            select(orm.AccountLink).where(orm.AccountLink.conversation_id == conversation_id, holding(now))
            .order_by(orm.AccountLink.linked_at, orm.AccountLink.id)
        ).scalars())

    def expired(self, conversation_id: str, now: datetime) -> list[orm.AccountLink]:
        """The conversation's links not ended but unused too long, oldest first (its user was not told yet)."""
        link = orm.AccountLink
        return list(self.session.execute(
            select(link).where(link.conversation_id == conversation_id, link.unlinked_at.is_(None),
                               _last_use(link) < account_links.fresh_since(now))
            .order_by(link.linked_at, link.id)
        ).scalars())

    def of_codes(self, codes: Sequence[str], now: datetime) -> list[orm.AccountLink]:
        """Every link that holds to one of these customer codes (the users a customer's notice goes to)."""
        return list(self.session.execute(
            select(orm.AccountLink).where(orm.AccountLink.customer_code.in_(list(codes)), holding(now))
            .order_by(orm.AccountLink.id)
        ).scalars())

    def with_addresses(self, power_company: str, now: datetime) -> list[tuple[orm.AccountLink, str]]:
        """The links that hold to this company's customers, with each customer's address (outage warnings)."""
        return [(link, address) for link, address in self.session.execute(
            select(orm.AccountLink, orm.Customer.address)
            .join(orm.Customer, orm.Customer.code == orm.AccountLink.customer_code)
            .where(holding(now), orm.Customer.power_company == power_company)
            .order_by(orm.AccountLink.id)
        ).all()]

    def holds(self, conversation_id: str, code: str, now: datetime) -> bool:
        return self._held(conversation_id, code, now) is not None

    def use(self, conversation_id: str, code: str, now: datetime) -> bool:
        """A recognition through the link: its last use moves to `now` (once a minute). False when none holds."""
        link = self._held(conversation_id, code, now)
        if link is None:
            return False
        if account_links.worth_recording(link.linked_at, link.last_used_at, now):
            link.last_used_at = now
        return True

    def _held(self, conversation_id: str, code: str, now: datetime) -> orm.AccountLink | None:
        return self.session.execute(
            select(orm.AccountLink).where(
                orm.AccountLink.conversation_id == conversation_id, orm.AccountLink.customer_code == code,
                holding(now)).limit(1)
        ).scalars().first()

    def get(self, link_id: int) -> orm.AccountLink | None:
        return self.session.get(orm.AccountLink, link_id)

    def add(self, **values: Any) -> bool:
        """False when this code is linked to this conversation already (its active key is taken)."""
        try:
            with self.session.begin_nested():
                self.session.add(orm.AccountLink(**values))
        except IntegrityError:
            return False
        return True

    def unlink(self, link: orm.AccountLink, at: datetime, by: str = account_links.LinkEnd.USER.value) -> None:
        link.unlinked_at, link.active_key, link.ended_by = at, None, by

    def end_conversation(self, conversation_id: str, at: datetime, by: str) -> int:
        """Ends every link of the conversation not ended yet (expired ones too); how many."""
        link = orm.AccountLink
        return self._changed(
            update(link).where(link.conversation_id == conversation_id, link.unlinked_at.is_(None))
            .values(unlinked_at=at, active_key=None, ended_by=by)
        )


def _last_use(link: Any) -> Any:
    """evn.domain.account_links.last_use in SQL."""
    return func.coalesce(link.last_used_at, link.linked_at)


def holding(now: datetime, link: Any = orm.AccountLink) -> Any:
    """A link that holds at `now`: not ended, and not expired unused (evn.domain.account_links)."""
    return and_(link.unlinked_at.is_(None), _last_use(link) >= account_links.fresh_since(now))
