"""The SQLAlchemy unit of work: one session, one transaction, the repositories bound to it.

The driver's errors stop here: a unique key refused becomes evn.services.errors.Conflict, a
database that could not serve becomes StoreBusy, so no service knows which database it runs on.
"""
from __future__ import annotations

from types import TracebackType

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from evn.adapters import repositories as repos
from evn.services.errors import Conflict, StoreBusy


class SqlAlchemyUnitOfWork:
    def __init__(self, session_factory: sessionmaker) -> None:
        self.session_factory = session_factory

    def __enter__(self) -> SqlAlchemyUnitOfWork:
        self.session: Session = self.session_factory()
        self.customers = repos.CustomerRepository(self.session)
        self.bills = repos.BillRepository(self.session)
        self.reference = repos.ReferenceRepository(self.session)
        self.verifications = repos.VerificationRepository(self.session)
        self.payments = repos.PaymentRepository(self.session)
        self.rate_limits = repos.RateLimitRepository(self.session)
        self.channel_state = repos.ChannelStateRepository(self.session)
        self.requests = repos.RequestRepository(self.session)
        self.incidents = repos.IncidentRepository(self.session)
        self.handoffs = repos.HandoffRepository(self.session)
        self.agents = repos.AgentRepository(self.session)
        self.links = repos.AccountLinkRepository(self.session)
        self.audit = repos.AuditRepository(self.session)
        self.login_limits = repos.LoginLimitRepository(self.session)
        self.outbox = repos.OutboxRepository(self.session)
        self.notices = repos.NoticeRepository(self.session)
        self.widget_presence = repos.WidgetPresenceRepository(self.session)
        self.widget_sessions = repos.WidgetSessionRepository(self.session)
        self.meter_data = repos.MeterDataRepository(self.session)
        self.usage_alerts = repos.UsageAlertRepository(self.session)
        self.scam_checks = repos.ScamCheckRepository(self.session)
        self.pictures = repos.PictureRepository(self.session)
        self.satisfaction = repos.SatisfactionRepository(self.session)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.rollback()  # a no-op after commit(); otherwise nothing of the block is kept
        self.session.close()
        translate(error)

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()


def translate(error: BaseException | None) -> None:
    """Raises the services' own error for a driver's error that left the block (chained to it); else nothing."""
    if isinstance(error, IntegrityError):
        raise Conflict(error.__class__.__name__) from error
    if isinstance(error, OperationalError):
        raise StoreBusy(error.__class__.__name__) from error


class Factory:
    """What services receive: calling it opens a new unit of work."""

    def __init__(self, session_factory: sessionmaker) -> None:
        self.session_factory = session_factory

    def __call__(self) -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(self.session_factory)
