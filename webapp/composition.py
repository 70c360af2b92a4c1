"""Builds the payment service and gateways from the validated settings (the web app's composition root)."""
from __future__ import annotations

from dataclasses import dataclass

from evn.adapters.db import make_engine, session_factory
from evn.adapters.gateways.base import Gateway
from evn.adapters.gateways.momo import MomoGateway
from evn.adapters.gateways.vnpay import VnpayConfig, VnpayGateway
from evn.adapters.gateways.zalopay import ZalopayGateway
from evn.adapters.rasa_notifier import RasaNotifier
from evn.services.handoffs import HandoffService
from evn.services.identity import IdentityService
from evn.services.payments import PaymentService
from evn.settings import Settings, load_settings


@dataclass(frozen=True)
class WebContext:
    settings: Settings
    payments: PaymentService
    simulator: VnpayConfig | None  # the VNPay simulator's own merchant, when it runs
    handoffs: HandoffService


def build(settings: Settings | None = None) -> WebContext:
    settings = settings or load_settings()
    sessions = session_factory(make_engine(settings.database_url))
    simulator = settings.simulator_vnpay()
    gateways: dict[str, Gateway] = {}
    vnpay = settings.vnpay or simulator
    if vnpay is not None:
        gateways["vnpay"] = VnpayGateway(vnpay)
    if settings.momo is not None:
        gateways["momo"] = MomoGateway(settings.momo)
    if settings.zalopay is not None:
        gateways["zalopay"] = ZalopayGateway(settings.zalopay)
    notifier = RasaNotifier(settings.rasa_url, settings.rasa_auth_token)
    payments = PaymentService(sessions, IdentityService(sessions), settings.payment, gateways=gateways, notifier=notifier)
    return WebContext(settings=settings, payments=payments, simulator=simulator, handoffs=HandoffService(sessions))
