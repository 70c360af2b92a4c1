"""Every setting of every process, read and validated in one place (variable names are an interface).

The action server, the web app, the Rasa server's channels and the tools all call
`Settings.from_env()` once at start. In development a secret that is not set is
generated once and kept under var/secrets/, so every local process agrees on it with
no configuration. With APP_ENV=production nothing is generated: `check()` refuses to
start, naming the variable, when a secret is missing or a demo value, when the VietQR
account is the built-in demo account, or when the payment simulator is on.
"""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from evn.adapters.gateways.momo import MomoConfig
from evn.adapters.gateways.vnpay import VnpayConfig
from evn.adapters.gateways.zalopay import ZalopayConfig
from evn.domain.agent_hours import DeskHours
from evn.domain.notices import QuietHours, parse_templates

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEVELOPMENT, PRODUCTION = "development", "production"

# The VietQR account the demo ships with: money sent there would not reach the company.
DEMO_BANK_BIN, DEMO_BANK_ACCOUNT = "970436", "0071000888999"
# Values found in this repository's examples and tests; never acceptable in production.
DEMO_SECRET_VALUES = frozenset({
    "changeme", "change-me", "secret", "demo", "test", "password", "token", "xxx",
    "e2e-link-secret", "e2e-app-secret", "e2e-page-token", "e2e-verify-token", "e2e-oa-secret",
})
MIN_SECRET_LENGTH = 16
# Gateways' test systems accept public test cards: a bill "paid" there was not paid.
SANDBOX_HOSTS = ("sandbox.vnpayment.vn", "test-payment.momo.vn", "sb-openapi.zalopay.vn", "sandbox", "localhost",
                 "127.0.0.1")
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
        reader = _Reader(os.environ if env is None else env, root)
        environment = reader.choice("APP_ENV", (DEVELOPMENT, PRODUCTION), DEVELOPMENT)
        reader.generate = environment != PRODUCTION
        rasa_port = reader.port("RASA_PORT", 5005)
        web_port = reader.port("WEB_PORT", 8080)
        public_base_url = reader.url("PUBLIC_BASE_URL", f"http://localhost:{web_port}")
        payment = PaymentSettings(
            public_base_url=public_base_url,
            link_secret=reader.secret("PAYMENT_LINK_SECRET"),
            link_ttl_hours=reader.integer("PAYMENT_LINK_TTL_HOURS", 24, 1, 24 * 30),
            bank_bin=reader.text("VIETQR_BANK_BIN", DEMO_BANK_BIN),
            bank_account=reader.text("VIETQR_ACCOUNT", DEMO_BANK_ACCOUNT),
            account_name=reader.text("VIETQR_ACCOUNT_NAME", "TONG CONG TY DIEN LUC"),
            simulator=reader.flag("PAYMENT_SIMULATOR", False),
        )
        vnpay_values = [reader.text(name) for name in VNPAY_VARIABLES]
        momo_values = [reader.text(name) for name in
                       ("MOMO_PARTNER_CODE", "MOMO_ACCESS_KEY", "MOMO_SECRET_KEY", "MOMO_ENDPOINT")]
        zalopay_values = [reader.text(name) for name in
                          ("ZALOPAY_APP_ID", "ZALOPAY_KEY1", "ZALOPAY_KEY2", "ZALOPAY_ENDPOINT")]
        facebook = FacebookSettings(
            verify_token=reader.text("FACEBOOK_VERIFY_TOKEN"),
            app_secret=reader.text("FACEBOOK_APP_SECRET"),
            page_access_token=reader.text("FACEBOOK_PAGE_ACCESS_TOKEN"),
            graph_url=reader.url("FACEBOOK_GRAPH_URL", FacebookSettings.graph_url),
        )
        zalo = ZaloSettings(
            app_id=reader.text("ZALO_APP_ID"),
            oa_secret_key=reader.text("ZALO_OA_SECRET_KEY"),
            access_token=reader.text("ZALO_ACCESS_TOKEN"),
            refresh_token=reader.text("ZALO_REFRESH_TOKEN"),
            api_base=reader.url("ZALO_API_BASE", ZaloSettings.api_base),
            oauth_url=reader.url("ZALO_OAUTH_URL", ZaloSettings.oauth_url),
            max_event_age=float(reader.integer("ZALO_MAX_EVENT_AGE", 300, 1, 3600)),
        )
        settings = cls(
            environment=environment,
            database_url=reader.text("DATABASE_URL") or f"sqlite:///{root / 'var' / 'evn.sqlite3'}",
            rasa_port=rasa_port,
            actions_port=reader.port("ACTIONS_PORT", 5055),
            web_port=web_port,
            web_host=reader.text("WEB_HOST", "0.0.0.0"),
            rasa_url=reader.url("RASA_URL", f"http://127.0.0.1:{rasa_port}"),
            rasa_public_url=reader.url("RASA_PUBLIC_URL", f"http://localhost:{rasa_port}"),
            rasa_auth_token=reader.secret("RASA_AUTH_TOKEN"),
            rest_channel_token=reader.secret("REST_CHANNEL_TOKEN"),
            # Not generated: Rasa sends it from endpoints.yml, which cannot read var/secrets/.
            action_server_token=reader.secret("ACTION_SERVER_TOKEN", generate=False),
            widget_session_secret=reader.secret("WIDGET_SESSION_SECRET"),
            agent_api_token=reader.secret("AGENT_API_TOKEN"),
            payment=payment,
            vnpay=VnpayConfig(*vnpay_values) if all(vnpay_values) else None,
            momo=MomoConfig(*momo_values) if all(momo_values) else None,
            zalopay=ZalopayConfig(*zalopay_values) if all(zalopay_values) else None,
            vnpay_variables_set=tuple(name for name, value in zip(VNPAY_VARIABLES, vnpay_values, strict=True) if value),
            facebook=facebook,
            zalo=zalo,
            trusted_proxies=reader.addresses("TRUSTED_PROXIES", ("127.0.0.1", "::1")),
            demo_now=reader.local_time("DEMO_NOW"),
            turn_timeout=reader.integer("TURN_TIMEOUT_SECONDS", 8, 1, 120),
            redis_url=reader.text("REDIS_URL"),
            action_threads=reader.integer("ACTION_THREADS", 8, 0, 64),
            db_pool_size=reader.integer("DB_POOL_SIZE", 8, 1, 100),
            proxy_port=reader.port("PROXY_PORT", 8000),
            internal_proxy_port=reader.port("INTERNAL_PROXY_PORT", 8001),
            tracker_store_url=reader.text("TRACKER_STORE_URL"),
            rabbitmq_url=reader.text("RABBITMQ_URL"),
            rabbitmq_queue=reader.text("RABBITMQ_QUEUE", "rasa_events"),
            health_targets=reader.urls("HEALTH_TARGETS"),
            agent_session_secret=reader.secret("AGENT_SESSION_SECRET"),
            agent_working_hours=reader.desk_hours("AGENT_WORKING_HOURS"),
            agent_wait_seconds=reader.integer("AGENT_WAIT_SECONDS", 300, 5, 24 * 3600),
            agent_user=reader.text("AGENT_USER"),
            agent_password=reader.text("AGENT_PASSWORD"),
            notice_quiet_hours=reader.quiet_hours("NOTICE_QUIET_HOURS", "21:00-07:00"),
            zns_templates=reader.templates("ZNS_TEMPLATES"),
            messenger_templates=reader.templates("MESSENGER_UTILITY_TEMPLATES"),
            zns_url=reader.url("ZALO_ZNS_URL", "https://business.openapi.zalo.me/message/template"),
            notice_rate_limits=reader.rates("NOTICE_RATE_LIMITS", DEFAULT_NOTICE_RATES),
            generated=tuple(reader.generated),
        )
        reader.raise_errors()
        return settings

    def simulator_vnpay(self) -> VnpayConfig | None:
        """The simulator's own merchant: its own code and a secret derived for it alone."""
        if not self.simulator_active:
            return None
        secret = hmac.new(self.payment.link_secret.encode(), b"vnpay-simulator", hashlib.sha256).hexdigest()
        return VnpayConfig(SIMULATOR_TMN_CODE, secret, f"{self.payment.public_base_url}/simulator/vnpay/pay")

    def production_problems(self) -> list[str]:
        """Why this configuration must not serve customers, one line per variable."""
        problems = []
        named = [
            ("PAYMENT_LINK_SECRET", self.payment.link_secret),
            ("RASA_AUTH_TOKEN", self.rasa_auth_token),
            ("REST_CHANNEL_TOKEN", self.rest_channel_token),
            ("ACTION_SERVER_TOKEN", self.action_server_token),
            ("WIDGET_SESSION_SECRET", self.widget_session_secret),
            ("AGENT_API_TOKEN", self.agent_api_token),
            ("AGENT_SESSION_SECRET", self.agent_session_secret),
            *self._enabled_channel_secrets(),
            *self._gateway_secrets(),
        ]
        for name, value in named:
            problem = secret_problem(value)
            if problem:
                problems.append(f"{name} {problem}")
        seen: dict[str, str] = {}
        for name, value in named:
            if value and value in seen:
                problems.append(f"{name} is the same as {seen[value]}: each role needs its own secret")
            seen.setdefault(value, name)
        for name, url in self._gateway_urls():
            if not url.startswith("https://") or any(host in url.lower() for host in SANDBOX_HOSTS):
                problems.append(f"{name} is not a production https endpoint of the gateway: {url[:60]}")
        if not self.payment.public_base_url.startswith("https://"):
            problems.append("PUBLIC_BASE_URL is not https: payment links would travel in clear and the console's "
                            "login cookie would lose its Secure flag")
        if (self.payment.bank_bin, self.payment.bank_account) == (DEMO_BANK_BIN, DEMO_BANK_ACCOUNT):
            problems.append("VIETQR_BANK_BIN / VIETQR_ACCOUNT is the built-in demo account: set the company's account")
        if self.agent_user and secret_problem(self.agent_password):
            problems.append(f"AGENT_PASSWORD {secret_problem(self.agent_password)} (for AGENT_USER)")
        if self.demo_now is not None:
            problems.append("DEMO_NOW is set: customers would be answered for another day than today")
        if self.payment.simulator:
            problems.append("PAYMENT_SIMULATOR is on: the VNPay simulator marks bills paid without money")
        if self.vnpay_variables_set and self.vnpay is None:
            missing = [name for name in VNPAY_VARIABLES if name not in self.vnpay_variables_set]
            problems.append(f"{', '.join(missing)} not set while other VNPAY_* variables are")
        return problems

    def check(self) -> Settings:
        """Raises SettingsError in production when any problem remains; returns self otherwise."""
        if self.production:
            problems = self.production_problems()
            if problems:
                raise SettingsError("APP_ENV=production refuses to start:\n  - " + "\n  - ".join(problems))
        return self

    def _gateway_secrets(self) -> list[tuple[str, str]]:
        found = []
        if self.vnpay is not None:
            found.append(("VNPAY_HASH_SECRET", self.vnpay.hash_secret))
        if self.momo is not None:
            found += [("MOMO_ACCESS_KEY", self.momo.access_key), ("MOMO_SECRET_KEY", self.momo.secret_key)]
        if self.zalopay is not None:
            found += [("ZALOPAY_KEY1", self.zalopay.key1), ("ZALOPAY_KEY2", self.zalopay.key2)]
        return found

    def _gateway_urls(self) -> list[tuple[str, str]]:
        return [(name, url) for name, url in (
            ("VNPAY_URL", self.vnpay.pay_url if self.vnpay else ""),
            ("MOMO_ENDPOINT", self.momo.endpoint if self.momo else ""),
            ("ZALOPAY_ENDPOINT", self.zalopay.endpoint if self.zalopay else ""),
        ) if url]

    def _enabled_channel_secrets(self) -> list[tuple[str, str]]:
        found = []
        if self.facebook.enabled:
            found += [("FACEBOOK_APP_SECRET", self.facebook.app_secret),
                      ("FACEBOOK_VERIFY_TOKEN", self.facebook.verify_token)]
        if self.zalo.enabled:
            found += [("ZALO_OA_SECRET_KEY", self.zalo.oa_secret_key)]
        return found


def secret_problem(value: str) -> str | None:
    """What is wrong with a production secret, or None."""
    if not value:
        return "is not set"
    if value.strip().lower() in DEMO_SECRET_VALUES:
        return "is a demo value"
    if len(value) < MIN_SECRET_LENGTH:
        return f"is shorter than {MIN_SECRET_LENGTH} characters"
    return None


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """`Settings.from_env(env).check()`, exiting with the message (for process entrypoints)."""
    try:
        return Settings.from_env(env).check()
    except SettingsError as error:
        raise SystemExit(str(error)) from None


class _Reader:
    """Reads typed values, collecting every error so one start names them all."""

    def __init__(self, env: Mapping[str, str], root: Path) -> None:
        self.env, self.root = env, root
        self.errors: list[str] = []
        self.generated: list[str] = []
        self.generate = True

    def text(self, name: str, default: str = "") -> str:
        return (self.env.get(name) or "").strip() or default

    def choice(self, name: str, allowed: tuple[str, ...], default: str) -> str:
        value = self.text(name, default).lower()
        if value not in allowed:
            self.errors.append(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
            return default
        return value

    def flag(self, name: str, default: bool) -> bool:
        value = self.text(name)
        if not value:
            return default
        if value.lower() not in ("0", "1", "true", "false", "yes", "no"):
            self.errors.append(f"{name} must be 0 or 1, not {value!r}")
            return default
        return value.lower() in ("1", "true", "yes")

    def integer(self, name: str, default: int, low: int, high: int) -> int:
        value = self.text(name)
        if not value:
            return default
        if not value.isascii() or not value.isdigit() or not low <= int(value) <= high:
            self.errors.append(f"{name} must be a whole number from {low} to {high}, not {value[:20]!r}")
            return default
        return int(value)

    def local_time(self, name: str) -> datetime | None:
        """A Vietnam local time written 2026-12-01T20:00, or None when unset."""
        value = self.text(name)
        if not value:
            return None
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is not None:
            self.errors.append(f"{name} must be a local time like 2026-12-01T20:00, not {value[:30]!r}")
            return None
        return moment

    def desk_hours(self, name: str) -> str:
        """HH:MM-HH:MM (checked here, so a typo stops the start instead of closing the desk), or empty."""
        value = self.text(name)
        if value:
            try:
                DeskHours.parse(value)
            except ValueError as error:
                self.errors.append(f"{name}: {error}, not {value[:20]!r}")
                return ""
        return value

    def quiet_hours(self, name: str, default: str) -> str:
        """Unset: the default; set but empty: none; otherwise HH:MM-HH:MM, checked here."""
        if name not in self.env:
            return default
        value = self.env[name].strip()
        try:
            QuietHours.parse(value)
        except ValueError as error:
            self.errors.append(f"{name}: {error}")
            return default
        return value

    def templates(self, name: str) -> dict[str, str]:
        try:
            return parse_templates(self.text(name))
        except ValueError as error:
            self.errors.append(f"{name}: {error}")
            return {}

    def rates(self, name: str, default: Mapping[str, float]) -> dict[str, float]:
        """"zalo=10,facebook=20,socketio=50": messages per second per channel (the rest keep the default)."""
        found = dict(default)
        for part in filter(None, (item.strip() for item in self.text(name).split(","))):
            channel, _, rate = part.partition("=")
            try:
                value = float(rate)
            except ValueError:
                value = -1
            if channel.strip() not in default or not 0 < value <= 1000:
                self.errors.append(f"{name} must list channel=messages per second, not {part[:30]!r}")
                continue
            found[channel.strip()] = value
        return found

    def port(self, name: str, default: int) -> int:
        return self.integer(name, default, 1, 65535)

    def url(self, name: str, default: str) -> str:
        value = self.text(name, default).rstrip("/")
        if not value.startswith(("http://", "https://")):
            self.errors.append(f"{name} must be an http(s) URL, not {value[:40]!r}")
            return default
        return value

    def urls(self, name: str) -> tuple[str, ...]:
        """A comma-separated list of http(s) URLs (empty when unset)."""
        found = tuple(item.strip().rstrip("/") for item in self.text(name).split(",") if item.strip())
        bad = [item for item in found if not item.startswith(("http://", "https://"))]
        if bad:
            self.errors.append(f"{name} must list http(s) URLs, not {bad[0][:40]!r}")
            return ()
        return found

    def addresses(self, name: str, default: tuple[str, ...]) -> tuple[str, ...]:
        value = self.text(name)
        if not value:
            return default
        found = []
        for item in value.split(","):
            try:
                found.append(str(ipaddress.ip_address(item.strip())))
            except ValueError:
                self.errors.append(f"{name} must list IP addresses separated by commas, not {item.strip()[:40]!r}")
        return tuple(found)

    def secret(self, name: str, generate: bool = True) -> str:
        value = self.text(name)
        if value or not (self.generate and generate):
            return value
        self.generated.append(name)
        return _development_secret(self.root, name)

    def raise_errors(self) -> None:
        if self.errors:
            raise SettingsError("Settings are invalid:\n  - " + "\n  - ".join(self.errors))


def development_secret(name: str, root: Path = PROJECT_ROOT) -> str:
    """A development value kept in var/secrets/<name> (the demo agent's password of `make run`)."""
    return _development_secret(root, name)


def _development_secret(root: Path, name: str) -> str:
    """A random secret kept in var/secrets/<name> so that every local process agrees on it."""
    path = root / "var" / "secrets" / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        candidate = path.with_suffix(f".{os.getpid()}.tmp")
        candidate.write_text(secrets.token_urlsafe(32))
        candidate.chmod(0o600)
        try:
            os.link(candidate, path)  # atomic: the first of two racing processes wins
        except FileExistsError:
            pass
        finally:
            candidate.unlink(missing_ok=True)
    return path.read_text().strip()
