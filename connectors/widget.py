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
"""
from __future__ import annotations

import inspect
import logging
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from connectors.guard import guarded
from connectors.source import source_metadata
from evn.domain import conversations, widget_sessions
from evn.settings import load_settings

logger = logging.getLogger(__name__)

CHANNEL = "socketio"
USER_EVENT, BOT_EVENT = "user_uttered", "bot_uttered"


class WidgetOutput(SocketIOOutput):
    """Rasa's socket.io output, with custom payloads kept in the conversation's room."""

    @classmethod
    def name(cls) -> str:
        return CHANNEL

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
    def from_credentials(cls, credentials: dict[str, Any] | None) -> "WidgetInput":
        settings = load_settings()
        credentials = credentials or {}
        return cls(
            settings.widget_session_secret, settings.trusted_proxies,
            socketio_path=credentials.get("socketio_path") or "/socket.io",
        )

    def __init__(self, secret: str, trusted_proxies: tuple[str, ...] = (), socketio_path: str = "/socket.io") -> None:
        self.secret = secret
        self.trusted_proxies = trusted_proxies
        self.socketio_path = socketio_path
        self.sio: AsyncServer | None = None

    def get_output_channel(self) -> OutputChannel | None:
        return WidgetOutput(self.sio, BOT_EVENT) if self.sio is not None else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        handler = guarded(on_new_message, CHANNEL)
        # Cross-origin pages embed the widget; python-socketio's CORS check would refuse them.
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=[])
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
            text = data.get("message") if isinstance(data, dict) else None
            message = UserMessage(
                text if isinstance(text, str) else "", WidgetOutput(sio, BOT_EVENT), conversation,
                input_channel=CHANNEL, metadata=dict(session.get("source") or {}),
            )
            try:
                await handler(message)
            except Exception:  # noqa: BLE001 - one failing message must not kill the socket
                logger.exception("widget.message.failed")

        return webhook

    async def _bind(self, sid: str, token: Any) -> str:
        """Joins the socket to the conversation of a genuine token, or of a new session."""
        assert self.sio is not None
        local = widget_sessions.verify(token, self.secret)
        new = local is None
        if new:
            local, token = widget_sessions.issue(self.secret)
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
        return conversation


async def _maybe_await(result: Any) -> None:
    if inspect.isawaitable(result):
        await result
