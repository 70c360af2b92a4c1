"""Composition root for the action server: builds the core services once."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from evn.adapters.db import make_engine, session_factory
from evn.services.billing import BillingService
from evn.services.identity import IdentityService
from evn.services.handoffs import HandoffService
from evn.services.payments import PaymentService
from evn.services.requests import RequestService
from evn.settings import Settings, load_settings


@dataclass(frozen=True)
class Services:
    settings: Settings
    identity: IdentityService
    billing: BillingService
    payments: PaymentService
    requests: RequestService
    handoffs: HandoffService


@lru_cache(maxsize=None)
def services() -> Services:
    settings = load_settings()
    sessions = session_factory(make_engine(settings.database_url))
    identity = IdentityService(sessions)
    return Services(
        settings=settings,
        identity=identity,
        billing=BillingService(sessions, identity),
        # Links are only created here; gateways and callbacks live in the web app.
        payments=PaymentService(sessions, identity, settings.payment),
        requests=RequestService(sessions, identity),
        handoffs=HandoffService(sessions),
    )
