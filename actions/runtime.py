"""Composition root for the action server: builds the core services once."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache

from evn.adapters.db import default_session_factory
from evn.domain.masking import mask_phones_in_text
from evn.services.billing import BillingService
from evn.services.identity import IdentityService
from evn.services.handoffs import HandoffService
from evn.services.payments import PaymentService
from evn.services.requests import RequestService
from evn.settings import PaymentSettings


@dataclass(frozen=True)
class Services:
    identity: IdentityService
    billing: BillingService
    payments: PaymentService
    requests: RequestService
    handoffs: HandoffService


@lru_cache(maxsize=None)
def services() -> Services:
    sessions = default_session_factory()
    identity = IdentityService(sessions)
    return Services(
        identity=identity,
        billing=BillingService(sessions, identity),
        # Links are only created here; gateways and callbacks live in the web app.
        payments=PaymentService(sessions, identity, PaymentSettings.from_env()),
        requests=RequestService(sessions, identity),
        handoffs=HandoffService(sessions),
    )


class MaskPersonalData(logging.Filter):
    """Phone numbers typed by customers must not reach the logs in clear."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask_phones_in_text(record.msg)
        if record.args:
            record.args = tuple(
                mask_phones_in_text(arg) if isinstance(arg, str) else arg
                for arg in (record.args if isinstance(record.args, tuple) else (record.args,))
            )
        return True


def install_log_masking() -> None:
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, MaskPersonalData) for f in handler.filters):
            handler.addFilter(MaskPersonalData())
