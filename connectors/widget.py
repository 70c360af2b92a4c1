"""The website widget's socket.io channel (webapp/static/widget.js), at /socket.io like Rasa's own.

What differs from Rasa 3.6's SocketIOInput:
- A conversation is a session the server signed (evn.domain.widget_sessions): on
  `session_request` the channel accepts only a genuine token and names the conversation
  `web-<id>`; a missing, forged, altered or foreign token gets a new session, whose token
  goes back in `session_confirm` ({"session_id": token, "new": true}). The socket is bound
  to that conversation on the server: `user_uttered` cannot choose another one.
- Event data of the wrong shape (not an object, a message that is not text, a list as
  session id) gets a polite answer or is ignored; nothing raises.
- Client metadata is ignored; the channel records the client's source (a keyed hash of
  its address) itself.
- Replies, and messages pushed later (trigger_intent or tracker events with
  output_channel=latest), go to the room of the conversation, and a custom payload can
  never choose another room.
- With REDIS_URL set (several Rasa processes), the rooms are shared through Redis
  (python-socketio's AsyncRedisManager): a payment confirmation that reaches any Rasa
  process is emitted by the one holding the customer's socket.
"""
from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncRedisManager, AsyncServer

from connectors.guard import guarded
from connectors.ordering import OrderedBackground
from connectors.replies import reply
from connectors.source import source_metadata
from connectors.state import core
from evn.domain import conversations, widget_sessions
from evn.settings import load_settings

logger = logging.getLogger(__name__)

CHANNEL = "socketio"
USER_EVENT, BOT_EVENT = "user_uttered", "bot_uttered"
MAX_PENDING = 10
AGENT_NAME_CHARS = 60
TOO_FAST_REPLY = reply("utter_too_fast")


class ClientPayloadErrors(logging.Filter):
    """Engine.IO logs a traceback for a malformed polling payload (too many packets, bad encoding).

    That is the client's fault and already answered with a 400: one warning line, no traceback.
    Errors in our own event handlers keep theirs.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.getMessage().startswith("post request handler error") and record.exc_info:
            error = record.exc_info[1]
            record.msg = f"engine.io: refused a malformed payload ({error.__class__.__name__}: {error})"
            record.args = ()
            record.exc_info, record.exc_text, record.levelno, record.levelname = None, None, logging.WARNING, "WARNING"
        return True


logging.getLogger("engineio.server").addFilter(ClientPayloadErrors())


class TolerantServer(AsyncServer):
    """A socket.io server that drops malformed packets with a warning instead of a traceback.

    Packets are decoded before any handler of ours runs (ours run as background tasks),
    so what is caught here is the client's fault: JSON that does not parse, an event that
    is not a list starting with its name.
    """

    async def _handle_eio_message(self, eio_sid: str, data: Any) -> None:
        try:
            await super()._handle_eio_message(eio_sid, data)
        except (ValueError, TypeError, KeyError, IndexError, RecursionError) as error:
            logger.warning("widget.packet.refused: %s", error.__class__.__name__)

    async def _handle_event(self, eio_sid: str, namespace: Any, id: Any, data: Any) -> None:
        if not (isinstance(data, list) and data and isinstance(data[0], str)):
            logger.warning("widget.event.refused: not a list starting with the event's name")
            return
        await super()._handle_event(eio_sid, namespace, id, data)


class WidgetOutput(SocketIOOutput):
    """Rasa's socket.io output, with custom payloads kept in the conversation's room."""

    @classmethod
    def name(cls) -> str:
        return CHANNEL

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """A person's reply (its bot event names the agent) shows their name above it in the widget."""
        agent = kwargs.get("agent")
        if not isinstance(agent, str) or not agent.strip():
            await super().send_text_message(recipient_id, text, **kwargs)
            return
        for part in text.strip().split("\n\n"):
            await self._send_message(recipient_id, {"text": part, "agent": agent.strip()[:AGENT_NAME_CHARS]})

    async def send_custom_json(self, recipient_id: str, json_message: Any, **kwargs: Any) -> None:
        if not isinstance(json_message, dict):
            logger.warning("widget.custom_json.skipped: not an object")
            return
        await self.sio.emit(self.bot_message_evt, json_message, room=recipient_id)


class WidgetInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> WidgetInput:
        settings = load_settings()
        credentials = credentials or {}
        return cls(
            settings.widget_session_secret, settings.trusted_proxies,
            socketio_path=credentials.get("socketio_path") or "/socket.io", redis_url=settings.redis_url,
        )

    def __init__(self, secret: str, trusted_proxies: tuple[str, ...] = (), socketio_path: str = "/socket.io",
                 redis_url: str = "") -> None:
        self.secret = secret
        self.trusted_proxies = trusted_proxies
        self.socketio_path = socketio_path
        self.redis_url = redis_url
        self.sio: AsyncServer | None = None
        self.background = OrderedBackground("widget", max_pending=MAX_PENDING)

    def get_output_channel(self) -> OutputChannel | None:
        return WidgetOutput(self.sio, BOT_EVENT) if self.sio is not None else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        handler = guarded(on_new_message, CHANNEL)
        # Cross-origin pages embed the widget; python-socketio's CORS check would refuse them.
        manager = AsyncRedisManager(self.redis_url, channel="evn-widget") if self.redis_url else None
        sio = TolerantServer(async_mode="sanic", cors_allowed_origins=[], client_manager=manager)
        webhook = SocketBlueprint(sio, self.socketio_path, "widget_webhook", __name__)
        self.sio = sio

        @webhook.route("/", methods=["GET"])
        async def health(_request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect")
        async def connect(sid: str, environ: dict, auth: Any = None) -> bool:
            request = environ.get("sanic.request")
            await sio.save_session(sid, {"source": source_metadata(request, self.trusted_proxies, self.secret)})
            return True

        @sio.on("disconnect")
        async def disconnect(sid: str, *_more: Any) -> None:
            session = await sio.get_session(sid)
            if session.get("present_in"):
                await _presence("closed", session["present_in"])

        @sio.on("session_request")
        async def session_request(sid: str, data: Any = None, *_more: Any) -> None:
            token = data.get("session_id") if isinstance(data, dict) else None
            await self._bind(sid, token)

        @sio.on(USER_EVENT)
        async def user_uttered(sid: str, data: Any = None, *_more: Any) -> None:
            session = await sio.get_session(sid)
            conversation = session.get("conversation")
            if conversation is None:  # no session_request first: start one
                conversation = await self._bind(sid, None)
                session = await sio.get_session(sid)
            text = data.get("message") if isinstance(data, dict) else None
            output = WidgetOutput(sio, BOT_EVENT)
            message = UserMessage(
                text if isinstance(text, str) else "", output, conversation,
                input_channel=CHANNEL, metadata=dict(session.get("source") or {}),
            )
            # One socket's messages in order; a flood beyond the backlog is told to slow down.
            if not self.background.submit(sid, lambda: handler(message)):
                await output.send_text_message(conversation, TOO_FAST_REPLY)

        return webhook

    async def _bind(self, sid: str, token: Any) -> str:
        """Joins the socket to the conversation of a genuine token, or of a new session."""
        assert self.sio is not None
        session = widget_sessions.check(token, self.secret)
        new = session is None
        if session is None:
            local, token = widget_sessions.issue(self.secret)
        else:
            local, token = session.local_id, session.token
        conversation = conversations.conversation_id(CHANNEL, local)
        session = await self.sio.get_session(sid)
        previous = session.get("conversation")
        if previous and previous != conversation:
            await _maybe_await(self.sio.leave_room(sid, previous))
        session["conversation"] = conversation
        await self.sio.save_session(sid, session)
        # python-socketio 5.9's enter_room is a plain call; later versions return a coroutine.
        await _maybe_await(self.sio.enter_room(sid, conversation))
        await self.sio.emit("session_confirm", {"session_id": token, "new": new}, room=sid)
        if session.get("present_in") != conversation:  # counted once per socket and conversation
            if session.get("present_in"):
                await _presence("closed", session["present_in"])
            session["present_in"] = conversation
            await self.sio.save_session(sid, session)
            await _presence("opened", conversation)  # notices that waited for this customer go now
        return conversation


async def _presence(change: str, conversation: str) -> None:
    """Tells the core a socket joined or left; the chat goes on if the database cannot hear it."""
    try:
        await asyncio.to_thread(getattr(core().widget_presence, change), conversation)
    except Exception:  # noqa: BLE001 - presence only decides whether a notice waits
        logger.warning("widget.presence.unrecorded: %s", change)


async def _maybe_await(result: Any) -> None:
    if inspect.isawaitable(result):
        await result
