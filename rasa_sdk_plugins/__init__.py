"""The action server's guard, installed through rasa-sdk's own plugin hook.

rasa-sdk 3.6 imports a top-level package named `rasa_sdk_plugins` when `rasa run actions`
starts (rasa_sdk/plugin.py), so the stock command gets these checks too:
- the settings are validated (APP_ENV=production refuses to start on demo secrets);
- /webhook and /actions need the shared token Rasa sends from endpoints.yml
  (`?token=`, ACTION_SERVER_TOKEN); without a token configured, outside production,
  only this machine may call them;
- a failing request is answered without echoing its body, and the log line carries no
  personal data.
"""
from __future__ import annotations

import ipaddress
import logging
from typing import Any

import pluggy

from evn.domain import credentials
from evn.logging_privacy import install as install_log_privacy
from evn.settings import Settings, load_settings

logger = logging.getLogger(__name__)
hookimpl = pluggy.HookimplMarker("rasa_sdk")
OPEN_PATHS = ("/health",)


def init_hooks(manager: pluggy.PluginManager) -> None:
    install_log_privacy()
    manager.register(ActionServerGuard(load_settings()))


def allowed(settings: Settings, token: Any, peer: str | None) -> bool:
    """The shared token, or, in development without one, a caller on this machine."""
    if settings.action_server_token:
        return credentials.matches(token, settings.action_server_token)
    if settings.production:
        return False
    try:
        return ipaddress.ip_address(peer or "").is_loopback
    except ValueError:
        return False


class ActionServerGuard:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @hookimpl
    def attach_sanic_app_extensions(self, app: Any) -> None:
        from sanic import response

        settings = self.settings

        @app.middleware("request")
        async def require_token(request: Any) -> Any:
            if request.path in OPEN_PATHS:
                return None
            token = request.args.get("token") or credentials.bearer(request.headers.get("authorization"))
            if not allowed(settings, token, request.ip):
                return response.json({"error": "unauthorized"}, status=401)
            return None

        @app.exception(Exception)
        async def failed(request: Any, exception: Exception) -> Any:
            status = getattr(exception, "status_code", 500)
            if status >= 500:
                logger.error("action server: %s while handling %s", exception.__class__.__name__, request.path,
                             exc_info=exception)
            return response.json({"error": "request could not be handled"}, status=status if status >= 400 else 500)
