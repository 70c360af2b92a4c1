"""One transaction per use case, with the repositories bound to it."""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

from sqlalchemy.orm import Session, sessionmaker

from evn.adapters.repositories import (
    BillRepository,
    ChannelStateRepository,
    CustomerRepository,
    PaymentRepository,
    RateLimitRepository,
    ReferenceRepository,
    VerificationRepository,
)


@dataclass
class Repositories:
    session: Session
    customers: CustomerRepository
    bills: BillRepository
    reference: ReferenceRepository
    verifications: VerificationRepository
    payments: PaymentRepository
    rate_limits: RateLimitRepository
    channel_state: ChannelStateRepository


@contextmanager
def unit_of_work(sessions: sessionmaker) -> Iterator[Repositories]:
    """Commits when the block ends normally, rolls back on an exception."""
    with sessions() as session:
        with session.begin():
            yield Repositories(
                session=session,
                customers=CustomerRepository(session),
                bills=BillRepository(session),
                reference=ReferenceRepository(session),
                verifications=VerificationRepository(session),
                payments=PaymentRepository(session),
                rate_limits=RateLimitRepository(session),
                channel_state=ChannelStateRepository(session),
            )
