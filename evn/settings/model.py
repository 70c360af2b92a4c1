"""The settings themselves: frozen dataclasses every process is handed, and the constants they default to.

Kept apart from how they are read (environment.py) and judged (production_refusals.py) so that a
reader of a setting finds its meaning and default here without the parsing around it.
"""
from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from evn.adapters.gateways.momo import MomoConfig
from evn.adapters.gateways.vnpay import VnpayConfig
from evn.adapters.gateways.zalopay import ZalopayConfig

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEVELOPMENT, PRODUCTION = "development", "production"

# Messages per second each channel is paced to by the notice dispatcher (set by NOTICE_RATE_LIMITS).
DEFAULT_NOTICE_RATES = {"zalo": 10.0, "facebook": 20.0, "socketio": 50.0}
VNPAY_VARIABLES = ("VNPAY_TMN_CODE", "VNPAY_HASH_SECRET", "VNPAY_URL")
SIMULATOR_TMN_CODE = "EVNSIM01"


class SettingsError(Exception):
    """A setting is missing or unusable; the message names the variable."""


@dataclass(frozen=True)
class PaymentSettings:
    public_base_url: str
    link_secret: str
    link_ttl_hours: int
    bank_bin: str
    bank_account: str
    account_name: str
    simulator: bool

    def link_url(self, token: str) -> str:
        return f"{self.public_base_url}/pay/{token}"


@dataclass(frozen=True)
class PictureSettings:
    """Pictures from customers (evn.services.pictures): where they are kept, outside the web root, and for how long
    (PICTURE_DIR, PICTURE_RETENTION_DAYS); the platform hosts they may be fetched from, over HTTPS only
    (PICTURE_HOSTS_FACEBOOK, PICTURE_HOSTS_ZALO: domain suffixes); a CA bundle to trust besides the system's
    (PICTURE_CA_BUNDLE: the tests' fake platforms); loopback addresses are refused in production."""

    directory: Path
    retention_days: int = 30
    hosts: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: {
        "facebook": ("fbcdn.net", "fbsbx.com"), "zalo": ("zdn.vn", "zadn.vn")})
    ca_bundle: str = ""
    allow_loopback: bool = False


@dataclass(frozen=True)
class ChannelSettings:
    """A platform channel is on only when every one of its REQUIRED settings is given."""

    REQUIRED: ClassVar[tuple[str, ...]] = ()

    @property
    def enabled(self) -> bool:
        return all(getattr(self, name) for name in self.REQUIRED)


@dataclass(frozen=True)
class FacebookSettings(ChannelSettings):
    REQUIRED: ClassVar[tuple[str, ...]] = ("verify_token", "app_secret", "page_access_token")
    verify_token: str = ""
    app_secret: str = ""
    page_access_token: str = ""
    graph_url: str = "https://graph.facebook.com/v19.0"


@dataclass(frozen=True)
class ZaloSettings(ChannelSettings):
    REQUIRED: ClassVar[tuple[str, ...]] = ("app_id", "oa_secret_key", "access_token", "refresh_token")
    app_id: str = ""
    oa_secret_key: str = ""
    access_token: str = ""
    refresh_token: str = ""
    api_base: str = "https://openapi.zalo.me"
    oauth_url: str = "https://oauth.zaloapp.com/v4/oa/access_token"
    max_event_age: float = 300.0


@dataclass(frozen=True)
class Settings:
    environment: str
    database_url: str
    rasa_port: int
    actions_port: int
    web_port: int
    web_host: str  # where the web app listens (behind a proxy: 127.0.0.1)
    rasa_url: str  # where the web app reaches Rasa's HTTP API
    rasa_public_url: str  # where a visitor's browser reaches Rasa's socket.io
    rasa_auth_token: str
    rest_channel_token: str
    action_server_token: str
    widget_session_secret: str
    agent_api_token: str
    payment: PaymentSettings
    vnpay: VnpayConfig | None
    momo: MomoConfig | None
    zalopay: ZalopayConfig | None
    vnpay_variables_set: tuple[str, ...]  # real VNPay settings present, even partly: no simulator then
    facebook: FacebookSettings
    zalo: ZaloSettings
    trusted_proxies: tuple[str, ...]
    # Demo and tests only: the clock starts at this Vietnam local time and runs on (DEMO_NOW).
    demo_now: datetime | None = None
    # Longest a customer waits for a turn before the channel says the system is busy (TURN_TIMEOUT_SECONDS).
    turn_timeout: int = 8
    # Redis shared by several Rasa processes (socket.io's message queue); empty: one process (REDIS_URL).
    redis_url: str = ""
    # Worker threads per action server for action calls, 0 = on the event loop (ACTION_THREADS);
    # database connections per process (DB_POOL_SIZE, at least ACTION_THREADS on an action server).
    action_threads: int = 8
    db_pool_size: int = 8
    # The production profile (ops/production.py): nginx in front (PROXY_PORT, and INTERNAL_PROXY_PORT on
    # 127.0.0.1 for Rasa's HTTP API), Rasa's SQL tracker store, Pika event broker and the URLs /healthz asks.
    proxy_port: int = 8000
    internal_proxy_port: int = 8001
    tracker_store_url: str = ""
    rabbitmq_url: str = ""
    rabbitmq_queue: str = "rasa_events"
    health_targets: tuple[str, ...] = ()
    # The agent console (/agent): its cookie's signing secret; the desk's hours overriding the data's
    # (AGENT_WORKING_HOURS, "07:30-17:00"; "00:00-24:00" round the clock); how long a customer waits before
    # being told nobody is free and offered a callback (AGENT_WAIT_SECONDS); the agent `make run` creates.
    agent_session_secret: str = ""
    agent_working_hours: str = ""
    agent_wait_seconds: int = 300
    agent_user: str = ""
    agent_password: str = field(default="", repr=False)
    # Notices (evn.services.notices): quiet hours in Vietnam time for the kinds that can wait
    # (NOTICE_QUIET_HOURS, "21:00-07:00" unless set; set but empty: none); the approved template per kind
    # for Zalo's ZNS ("bill_issued=<template id>,...") and Messenger's utility messages (by name); where
    # ZNS is (ZALO_ZNS_URL); each channel's pace in messages per second (NOTICE_RATE_LIMITS).
    notice_quiet_hours: str = "21:00-07:00"
    zns_templates: Mapping[str, str] = field(default_factory=dict)
    messenger_templates: Mapping[str, str] = field(default_factory=dict)
    zns_url: str = "https://business.openapi.zalo.me/message/template"
    notice_rate_limits: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_NOTICE_RATES))
    pictures: PictureSettings = field(default_factory=lambda: PictureSettings(PROJECT_ROOT / "var" / "pictures"))
    # Where the bill's and the receipt's PDF find their font (DOCUMENT_FONT_DIR: DejaVuSans.ttf and
    # DejaVuSans-Bold.ttf; Debian's fonts-dejavu-core by default).
    document_font_dir: Path = Path("/usr/share/fonts/truetype/dejavu")
    generated: tuple[str, ...] = field(default=())  # development secrets taken from var/secrets/

    @property
    def production(self) -> bool:
        return self.environment == PRODUCTION

    @property
    def simulator_active(self) -> bool:
        """The VNPay simulator runs only with its own merchant code and secret, never beside real VNPay."""
        return self.payment.simulator and not self.vnpay_variables_set

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, root: Path = PROJECT_ROOT) -> Settings:
        """Reads the environment; raises SettingsError for a value of the wrong form."""
        from evn.settings.environment import read_settings  # it builds this model, so it is imported when called

        return read_settings(cls, os.environ if env is None else env, root)

    def simulator_vnpay(self) -> VnpayConfig | None:
        """The simulator's own merchant: its own code and a secret derived for it alone."""
        if not self.simulator_active:
            return None
        secret = hmac.new(self.payment.link_secret.encode(), b"vnpay-simulator", hashlib.sha256).hexdigest()
        return VnpayConfig(SIMULATOR_TMN_CODE, secret, f"{self.payment.public_base_url}/simulator/vnpay/pay")

    def production_problems(self) -> list[str]:
        """Why this configuration must not serve customers, one line per variable."""
        from evn.settings.production_refusals import production_problems  # it reads this model: imported when called

        return production_problems(self)

    def check(self) -> Settings:
        """Raises SettingsError in production when any problem remains; returns self otherwise."""
        if self.production:
            problems = self.production_problems()
            if problems:
                raise SettingsError("APP_ENV=production refuses to start:\n  - " + "\n  - ".join(problems))
        return self
