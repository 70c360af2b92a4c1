"""The Zalo channel's name and configuration, read once when Rasa loads the channel.

Configuration comes from the environment (ZALO_APP_ID, ZALO_OA_SECRET_KEY, ZALO_ACCESS_TOKEN,
ZALO_REFRESH_TOKEN, ZALO_API_BASE, ZALO_OAUTH_URL, ZALO_MAX_EVENT_AGE); the same keys in lower
case without the ZALO_ prefix in credentials.yml override it. Without the first four the channel
is off: its webhook answers 404 and processes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from connectors.config import setting
from evn.settings import ZaloSettings, load_settings

# Conversations are named "zalo-<user id>" (evn.domain.conversations), so a Zalo user
# and a sender of another channel with the same id never share a conversation.
CHANNEL = "zalo"

DEFAULT_API_BASE = "https://openapi.zalo.me"
DEFAULT_OAUTH_URL = "https://oauth.zaloapp.com/v4/oa/access_token"
DEFAULT_MAX_EVENT_AGE = 300.0  # seconds


@dataclass
class ZaloConfig:
    app_id: str = ""
    oa_secret_key: str = ""
    access_token: str = ""
    refresh_token: str = ""
    api_base: str = DEFAULT_API_BASE
    oauth_url: str = DEFAULT_OAUTH_URL
    max_event_age: float = DEFAULT_MAX_EVENT_AGE

    @property
    def enabled(self) -> bool:
        return all((self.app_id, self.oa_secret_key, self.access_token, self.refresh_token))

    @classmethod
    def load(cls, credentials: dict[str, Any] | None = None, settings: ZaloSettings | None = None) -> ZaloConfig:
        """The validated settings (evn.settings), overridden by non-empty credentials.yml values."""
        base = settings if settings is not None else load_settings().zalo

        def value(key: str, default: str) -> str:
            return setting(credentials, key, default)

        try:
            max_age = float(value("max_event_age", str(base.max_event_age)))
        except ValueError:
            max_age = DEFAULT_MAX_EVENT_AGE
        return cls(
            app_id=value("app_id", base.app_id),
            oa_secret_key=value("oa_secret_key", base.oa_secret_key),
            access_token=value("access_token", base.access_token),
            refresh_token=value("refresh_token", base.refresh_token),
            api_base=value("api_base", base.api_base).rstrip("/"),
            oauth_url=value("oauth_url", base.oauth_url),
            max_event_age=max_age if max_age > 0 else DEFAULT_MAX_EVENT_AGE,
        )
