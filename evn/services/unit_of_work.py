"""The unit of work a use case runs in: repositories over one transaction, committed explicitly.

Leaving the `with` block without `commit()` rolls everything back, so a use case that
fails halfway leaves nothing half-written. Services receive a factory and open one
unit of work per use case; tests pass a fake (tests/fakes/unit_of_work.py).
"""
from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Any, Protocol

from evn.adapters.repositories import (
    AccountLinkRepository,
    AgentRepository,
    AuditRepository,
    BillRepository,
    ChannelStateRepository,
    CustomerRepository,
    HandoffRepository,
    IncidentRepository,
    LoginLimitRepository,
    MeterDataRepository,
    NoticeRepository,
    OutboxRepository,
    PaymentRepository,
    PictureRepository,
    RateLimitRepository,
    ReferenceRepository,
    RequestRepository,
    SatisfactionRepository,
    ScamCheckRepository,
    UsageAlertRepository,
    VerificationRepository,
    WidgetPresenceRepository,
    WidgetSessionRepository,
)

# What a repository returns: a stored record whose attributes are its table's columns, read freely and
# changed only inside the unit of work that found it (committed with it). The adapters' rows play this
# part; services name them by this alias and never import them.
Stored = Any


class UnitOfWork(Protocol):
    customers: CustomerRepository
    bills: BillRepository
    reference: ReferenceRepository
    verifications: VerificationRepository
    payments: PaymentRepository
    rate_limits: RateLimitRepository
    channel_state: ChannelStateRepository
    requests: RequestRepository
    incidents: IncidentRepository
    handoffs: HandoffRepository
    agents: AgentRepository
    links: AccountLinkRepository
    audit: AuditRepository
    login_limits: LoginLimitRepository
    outbox: OutboxRepository
    notices: NoticeRepository
    widget_presence: WidgetPresenceRepository
    widget_sessions: WidgetSessionRepository
    meter_data: MeterDataRepository
    usage_alerts: UsageAlertRepository
    scam_checks: ScamCheckRepository
    pictures: PictureRepository
    satisfaction: SatisfactionRepository

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...


UnitOfWorkFactory = Callable[[], UnitOfWork]
