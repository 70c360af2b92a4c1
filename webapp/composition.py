"""Builds the payment service and gateways from the environment (the web app's composition root)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Mapping

from evn.adapters.db import default_session_factory
from evn.adapters.gateways.momo import MomoConfig, MomoGateway
from evn.adapters.gateways.vnpay import VnpayConfig, VnpayGateway
from evn.adapters.gateways.zalopay import ZalopayConfig, ZalopayGateway
from evn.adapters.rasa_notifier import RasaNotifier
from evn.services.handoffs import HandoffService
from evn.services.identity import IdentityService
from evn.services.payments import PaymentService
from evn.settings import PaymentSettings

SIMULATOR_TMN_CODE = "EVNSIM01"


@dataclass(frozen=True)
class WebContext:
    settings: PaymentSettings
    payments: PaymentService
    vnpay: VnpayConfig | None
    handoffs: HandoffService
    agent_token: str  # AGENT_API_TOKEN; empty = the agent API answers 403


def vnpay_config(settings: PaymentSettings, env: Mapping[str, str]) -> VnpayConfig | None:
    """Real VNPay when configured; the local simulator's stand-in when PAYMENT_SIMULATOR=1."""
    config = VnpayConfig.from_env(env)
    if config is None and settings.simulator:
        config = VnpayConfig(
            tmn_code=SIMULATOR_TMN_CODE,
            hash_secret=env.get("VNPAY_HASH_SECRET") or settings.link_secret + "-vnpay-simulator",
            pay_url=f"{settings.public_base_url}/simulator/vnpay/pay",
        )
    return config


def build(env: Mapping[str, str] = os.environ) -> WebContext:
    settings = PaymentSettings.from_env(env)
    if not settings.link_secret:
        raise SystemExit("PAYMENT_LINK_SECRET is not set: payment links cannot be signed.")
    sessions = default_session_factory()
    gateways = {}
    vnpay = vnpay_config(settings, env)
    if vnpay is not None:
        gateways["vnpay"] = VnpayGateway(vnpay)
    momo = MomoConfig.from_env(env)
    if momo is not None:
        gateways["momo"] = MomoGateway(momo)
    zalopay = ZalopayConfig.from_env(env)
    if zalopay is not None:
        gateways["zalopay"] = ZalopayGateway(zalopay)
    payments = PaymentService(
        sessions, IdentityService(sessions), settings, gateways=gateways, notifier=RasaNotifier.from_env()
    )
    return WebContext(
        settings=settings, payments=payments, vnpay=vnpay, handoffs=HandoffService(sessions),
        agent_token=env.get("AGENT_API_TOKEN", ""),
    )
