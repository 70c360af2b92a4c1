"""The action server's guard, installed through rasa-sdk's own plugin hook.

rasa-sdk (3.6 and 3.21 alike) imports a top-level package named `rasa_sdk_plugins` when the action server
starts (rasa_sdk/plugin.py), so the stock command gets these checks too:
- the settings are validated (APP_ENV=production refuses to start on demo secrets);
- /webhook and /actions need the shared token Rasa sends from endpoints.yml, in the
  Authorization header (ACTION_SERVER_TOKEN; a token in the URL is refused, since URLs end up
  in logs); without a token configured, outside production, only this machine may call them;
- a failing request is answered without echoing its body, and the log line carries no
  personal data;
- action calls run on worker threads, off the event loop (off_loop.py, ACTION_THREADS).
"""
from __future__ import annotations

import ipaddress
import json
import logging
import zlib
from typing import Any

import pluggy

from evn.domain.signing import credentials
from evn.logging_setup import install as install_logging
from evn.settings import Settings, load_settings
from rasa_sdk_plugins import off_loop

logger = logging.getLogger(__name__)
hookimpl = pluggy.HookimplMarker("rasa_sdk")
OPEN_PATHS = ("/health",)


def init_hooks(manager: pluggy.PluginManager) -> None:
    install_logging()
    settings = load_settings()
    off_loop.install(settings.action_threads)
    manager.register(ActionServerGuard(settings))


def require_guard() -> None:
    """Raises unless rasa-sdk's plugin manager holds the guard (imported from the actions package)."""
    from rasa_sdk.plugin import plugin_manager

    if not any(isinstance(plugin, ActionServerGuard) for plugin in plugin_manager().get_plugins()):
        raise SystemExit("The action server's guard (rasa_sdk_plugins) is not loaded: run `rasa run actions` "
                         "from the project root.")


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


MAX_INFLATED = 64 * 1024 * 1024


def action_call_problem(body: bytes, encoding: str | None) -> str | None:
    """Why a /webhook body is not an action call Rasa sends, or None (rasa-sdk would raise on it)."""
    if encoding == "deflate":
        try:
            inflater = zlib.decompressobj()
            body = inflater.decompress(body or b"", MAX_INFLATED)
            if inflater.unconsumed_tail:
                return "compressed body too large"
        except zlib.error:
            return "body is not deflate-compressed"
    try:
        call = json.loads(body or b"")
    except (ValueError, RecursionError):
        return "body is not JSON"
    return call_problem(call)


def call_problem(call: Any) -> str | None:
    """Why a decoded action call is not one Rasa sends, or None."""
    if not isinstance(call, dict):
        return "body must be an object"
    tracker = call.get("tracker")
    checks = (
        (isinstance(call.get("next_action"), str), "next_action must be a string"),
        (call.get("version") is None or isinstance(call.get("version"), str), "version must be a string"),
        # Rasa sends the whole domain with every call; the actions render their lines from its responses.
        (isinstance(call.get("domain"), dict) and isinstance(call["domain"].get("responses"), dict),
         "domain must be an object with its responses"),
        (isinstance(tracker, dict), "tracker must be an object"),
    )
    for ok, problem in checks:
        if not ok:
            return problem
    assert isinstance(tracker, dict)
    fields = (
        (isinstance(tracker.get("sender_id"), str), "tracker.sender_id must be a string"),
        (isinstance(tracker.get("slots", {}), dict), "tracker.slots must be an object"),
        (isinstance(tracker.get("latest_message") or {}, dict), "tracker.latest_message must be an object"),
        (isinstance(tracker.get("events", []), list) and all(isinstance(e, dict) for e in tracker.get("events", [])),
         "tracker.events must be a list of objects"),
        (isinstance(tracker.get("active_loop") or {}, dict), "tracker.active_loop must be an object"),
    )
    for ok, problem in fields:
        if not ok:
            return problem
    return None


def _too_large(request: Any) -> bool:
    """A body over SANIC_REQUEST_MAX_SIZE: rasa-sdk's app reaches this middleware before Sanic reads the body,
    so Sanic's own 413 never comes; the body is then dropped unread."""
    declared = request.headers.get("content-length") or "0"
    return declared.isdigit() and int(declared) > request.app.config.REQUEST_MAX_SIZE


def _problem_of(request: Any) -> str | None:
    """A plain body is decoded once, by Sanic (ujson, kept for rasa-sdk's handler): parsing it a second
    time with the standard library cost more of the event loop than all else the server does."""
    encoding = request.headers.get("content-encoding")
    if encoding == "deflate":
        return action_call_problem(request.body, encoding)
    if not request.body:
        return "body is not JSON"
    try:
        call = request.json
    except Exception:  # noqa: BLE001 - Sanic raises BadRequest for any body it cannot decode
        return "body is not JSON"
    return call_problem(call)


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
            if _too_large(request):
                return response.json({"error": "body too large"}, status=413)
            token = credentials.bearer(request.headers.get("authorization"))
            if not allowed(settings, token, request.ip):
                return response.json({"error": "unauthorized"}, status=401)
            if request.method == "POST" and request.path == "/webhook":
                problem = _problem_of(request)
                if problem:
                    return response.json({"error": problem}, status=400)
            return None

        @app.get("/timings")
        async def timings(_request: Any) -> Any:
            """Time per action since start, and its part in database statements (token required)."""
            return response.json(off_loop.TIMINGS.snapshot())

        # rasa-sdk 3.21 answers a failure with the request's body (a conversation's tracker) and Sanic 25 refuses a
        # second handler for Exception: this one takes its place. rasa-sdk 3.6 registers none.
        getattr(app.error_handler, "cached_handlers", {}).pop((Exception, None), None)

        @app.exception(Exception)
        async def failed(request: Any, exception: Exception) -> Any:
            status = getattr(exception, "status_code", 500)
            if status >= 500:
                logger.error("action server: %s while handling %s", exception.__class__.__name__, request.path,
                             exc_info=exception)
            return response.json({"error": "request could not be handled"}, status=status if status >= 400 else 500)
