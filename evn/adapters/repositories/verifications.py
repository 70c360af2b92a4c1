"""Who proved to be the customer, and how often one source tried or filed."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, or_, select

from evn.adapters import orm
from evn.adapters.repositories.base import Repository


class VerificationRepository(Repository):

    def record(
        self, code: str, conversation_id: str, succeeded: bool, at: datetime, address_key: str | None = None
    ) -> None:
        self.session.add(
            orm.VerificationAttempt(
                customer_code=code, conversation_id=conversation_id, address_key=address_key,
                succeeded=succeeded, attempted_at=at,
            )
        )
        self.session.flush()

    def last_success(self, conversation_id: str, code: str | None = None) -> datetime | None:
        """The conversation's last success for `code` (for any code when None)."""
        query = select(func.max(orm.VerificationAttempt.attempted_at)).where(
            orm.VerificationAttempt.conversation_id == conversation_id,
            orm.VerificationAttempt.succeeded.is_(True),
        )
        if code is not None:
            query = query.where(orm.VerificationAttempt.customer_code == code)
        return self.session.execute(query).scalar_one()

    def failures(
        self, since: datetime, *, code: str | None = None, conversation_id: str | None = None,
        address_key: str | None = None, conversation_or_address: tuple[str, str | None] | None = None,
    ) -> Sequence[datetime]:
        """Times of misses after `since`, narrowed by any of code, conversation, address."""
        attempt = orm.VerificationAttempt
        query = select(attempt.attempted_at).where(attempt.succeeded.is_(False), attempt.attempted_at > since)
        if code is not None:
            query = query.where(attempt.customer_code == code)
        if conversation_id is not None:
            query = query.where(attempt.conversation_id == conversation_id)
        if address_key is not None:
            query = query.where(attempt.address_key == address_key)
        if conversation_or_address is not None:
            conversation, address = conversation_or_address
            either = attempt.conversation_id == conversation
            if address is not None:
                either = or_(either, attempt.address_key == address)
            query = query.where(either)
        return self.session.execute(query.order_by(attempt.attempted_at)).scalars().all()


class RateLimitRepository(Repository):
    """Counted actions per source, for the limits in evn.domain.rate_limits."""

    def count(self, scope: str, source_key: str, since: datetime) -> Sequence[datetime]:
        return self.session.execute(
            select(orm.RateLimitEvent.at).where(
                orm.RateLimitEvent.scope == scope, orm.RateLimitEvent.source_key == source_key,
                orm.RateLimitEvent.at > since,
            ).order_by(orm.RateLimitEvent.at)
        ).scalars().all()

    def add(self, scope: str, source_key: str, at: datetime) -> None:
        self.session.add(orm.RateLimitEvent(scope=scope, source_key=source_key, at=at))
