"""The website widget's socket.io channel (webapp/static/widget.js), at /socket.io like Rasa's own.

What differs from Rasa 3.6's SocketIOInput:
- A conversation is a session the server signed (evn.domain.signing.widget_sessions): on
  `session_request` the channel accepts only a genuine token and names the conversation
  `web-<id>`; a missing, forged, altered, foreign or revoked token gets a new session, whose
  token goes back in `session_confirm` ({"session_id": token, "new": true}). The socket is
  bound to that conversation on the server: `user_uttered` cannot choose another one.
- The widget's ↺ (a new conversation) ends the old session: the next `session_request`
  carries the old tokens in `retire` (a list; a token alone is taken too), and the channel
  records each genuine one as revoked in the database (evn.services.widget_sessions), which
  ends that conversation's account links too, then answers `"retired": true` so the widget
  forgets them. Every Rasa process checks the database before it binds a token, and before
  each message of a socket, so a revoked token opens nothing anywhere, on a socket already
  open included (it is moved to a new session).
- Event data of the wrong shape (not an object, a message that is not text, a list as
  session id) gets a polite answer or is ignored; nothing raises.
- Client metadata is ignored; the channel records the client's source (a keyed hash of
  its address) itself. A picture the widget uploaded to the web app (POST /widget/pictures, with its session)
  comes as its id in `user_uttered`'s `picture`; whose it is, the action asks the database.
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
from evn.domain import conversations, linear_regex, pictures
from evn.domain.signing import widget_sessions
from evn.settings import load_settings

logger = logging.getLogger(__name__)

CHANNEL = "socketio"
USER_EVENT, BOT_EVENT = "user_uttered", "bot_uttered"
MAX_PENDING = 10
MAX_RETIRED = 5  # old tokens one session_request may end
AGENT_NAME_CHARS = 60
TOO_FAST_REPLY = reply("utter_too_fast")
_PICTURE_ID = linear_regex.compile(r"[0-9a-f]{32}")


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
            retired = await self._retire(data["retire"]) if isinstance(data, dict) and "retire" in data else None
            await self._bind(sid, token, retired)

        @sio.on(USER_EVENT)
        async def user_uttered(sid: str, data: Any = None, *_more: Any) -> None:
            session = await sio.get_session(sid)
            conversation = session.get("conversation")
            # No session_request first, or its session ended (↺ in another tab, a copied token): a new one.
            if conversation is None or await _revoked(conversation):
                conversation = await self._bind(sid, None)
                session = await sio.get_session(sid)
            text = data.get("message") if isinstance(data, dict) else None
            text = text if isinstance(text, str) else ""
            metadata = dict(session.get("source") or {})
            picture = data.get("picture") if isinstance(data, dict) else None
            refused = pictures.upload_refusal(data.get("picture_refused")) if isinstance(data, dict) else None
            if isinstance(picture, str) and _PICTURE_ID.fullmatch(picture):  # uploaded to the web app: its id
                metadata.update(pictures.picture_metadata(pictures.UPLOAD, picture_id=picture, caption=text))
                text = pictures.PAYLOAD
            elif refused is not None:  # the web app refused the upload: the answer says why, as on every channel
                metadata.update(pictures.picture_metadata(pictures.UPLOAD, refused=refused))
                text = pictures.PAYLOAD
            output = WidgetOutput(sio, BOT_EVENT)
            message = UserMessage(text, output, conversation, input_channel=CHANNEL, metadata=metadata)
            # One socket's messages in order; a flood beyond the backlog is told to slow down.
            if not self.background.submit(sid, lambda: handler(message)):
                await output.send_text_message(conversation, TOO_FAST_REPLY)

        return webhook

    async def _retire(self, tokens: Any) -> bool:
        """Revokes the sessions of these old tokens (the widget's ↺); True when the widget may forget them
        (revoked, or not genuine: nothing to revoke), False when the database could not record it."""
        tokens = [tokens] if isinstance(tokens, str) else tokens if isinstance(tokens, list) else []
        done = True
        for token in tokens[:MAX_RETIRED]:
            local = widget_sessions.verify(token, self.secret)
            if local is None:
                continue
            conversation = conversations.conversation_id(CHANNEL, local)
            try:
                await asyncio.to_thread(core().widget_sessions.revoke, conversation)
            except Exception:  # noqa: BLE001 - the widget keeps the token and asks again on its next connection
                logger.warning("widget.session.revoke_failed")
                done = False
                continue
            # Sockets still joined to it, in any Rasa process (the Redis manager carries this), hear no more of it;
            # their next message finds the session revoked and moves them to a new one.
            assert self.sio is not None
            await _maybe_await(self.sio.close_room(conversation))
        return done

    async def _bind(self, sid: str, token: Any, retired: bool | None = None) -> str:
        """Joins the socket to the conversation of a genuine, unrevoked token, or of a new session."""
        assert self.sio is not None
        session = widget_sessions.check(token, self.secret)
        if session is not None and await _revoked(conversations.conversation_id(CHANNEL, session.local_id)):
            logger.info("widget.session.revoked: a new session instead")
            session = None
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
        confirm: dict[str, Any] = {"session_id": token, "new": new}
        if retired is not None:
            confirm["retired"] = retired
        await self.sio.emit("session_confirm", confirm, room=sid)
        if session.get("present_in") != conversation:  # counted once per socket and conversation
            if session.get("present_in"):
                await _presence("closed", session["present_in"])
            session["present_in"] = conversation
            await self.sio.save_session(sid, session)
            await _presence("opened", conversation)  # notices that waited for this customer go now
        return conversation


async def _revoked(conversation: str) -> bool:
    """Whether the customer ended this session (the database, shared by every Rasa process).

    When the database cannot be asked the session goes on: what a conversation could reach (a
    verification, a link, a bill) is in that same database, so it is out of reach meanwhile too.
    """
    try:
        return await asyncio.to_thread(core().widget_sessions.is_revoked, conversation)
    except Exception:  # noqa: BLE001 - see above
        logger.warning("widget.session.revocation_unknown")
        return False


async def _presence(change: str, conversation: str) -> None:
    """Tells the core a socket joined or left; the chat goes on if the database cannot hear it."""
    try:
        await asyncio.to_thread(getattr(core().widget_presence, change), conversation)
    except Exception:  # noqa: BLE001 - presence only decides whether a notice waits
        logger.warning("widget.presence.unrecorded: %s", change)


async def _maybe_await(result: Any) -> None:
    if inspect.isawaitable(result):
        await result
