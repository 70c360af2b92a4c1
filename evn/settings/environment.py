"""Reading the environment into the settings: every variable's name, form and default (an interface).

Each value is checked as it is read and every error collected, so that one start names every
variable that is wrong, not only the first; in development an unset secret is generated
(development_defaults.py). What production refuses among well-formed values is production_refusals.py's.
"""
from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from evn.adapters.gateways.momo import MomoConfig
from evn.adapters.gateways.vnpay import VnpayConfig
from evn.adapters.gateways.zalopay import ZalopayConfig
from evn.domain import linear_regex
from evn.domain.agent_hours import DeskHours
from evn.domain.notices import QuietHours, parse_templates
from evn.settings.development_defaults import DEMO_BANK_ACCOUNT, DEMO_BANK_BIN, development_secret
from evn.settings.model import (
    DEFAULT_NOTICE_RATES,
    DEVELOPMENT,
    PRODUCTION,
    VNPAY_VARIABLES,
    FacebookSettings,
    PaymentSettings,
    PictureSettings,
    Settings,
    SettingsError,
    ZaloSettings,
)


def read_settings(model: type[Settings], env: Mapping[str, str], root: Path) -> Settings:
    """`Settings.from_env`: reads `env`; raises SettingsError for a value of the wrong form."""
    reader = EnvironmentReader(env, root)
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
    settings = model(
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
        pictures=PictureSettings(
            directory=Path(reader.text("PICTURE_DIR") or root / "var" / "pictures"),
            retention_days=reader.integer("PICTURE_RETENTION_DAYS", 30, 1, 3650),
            hosts={"facebook": reader.suffixes("PICTURE_HOSTS_FACEBOOK", ("fbcdn.net", "fbsbx.com")),
                   "zalo": reader.suffixes("PICTURE_HOSTS_ZALO", ("zdn.vn", "zadn.vn"))},
            ca_bundle=reader.text("PICTURE_CA_BUNDLE"),
            allow_loopback=environment != PRODUCTION,
        ),
        document_font_dir=Path(reader.text("DOCUMENT_FONT_DIR") or "/usr/share/fonts/truetype/dejavu"),
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


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """`Settings.from_env(env).check()`, exiting with the message (for process entrypoints)."""
    try:
        return Settings.from_env(env).check()
    except SettingsError as error:
        raise SystemExit(str(error)) from None


class EnvironmentReader:
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

    def suffixes(self, name: str, default: tuple[str, ...]) -> tuple[str, ...]:
        """Host names or domain suffixes, comma-separated ("fbcdn.net,fbsbx.com")."""
        raw = self.env.get(name)
        if raw is None:
            return default
        found = tuple(part.strip().lower() for part in raw.split(",") if part.strip())
        if not all(linear_regex.fullmatch(r"[a-z0-9.-]+", part) for part in found):
            self.errors.append(f"{name} must list host names, comma-separated")
            return default
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
        return development_secret(name, self.root)

    def raise_errors(self) -> None:
        if self.errors:
            raise SettingsError("Settings are invalid:\n  - " + "\n  - ".join(self.errors))
