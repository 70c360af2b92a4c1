"""POST /widget/pictures: the widget's attach button. The body is the picture's bytes, the widget's signed session in
`X-Widget-Session` names the conversation (never the client); the picture is read while it streams (at most 5 MB),
checked and kept by evn.services.pictures, and its id goes back for the widget to send in the chat. A refusal is
answered with its reason, which the widget reports in the chat so the answer comes from the domain like on every
channel. Any site may embed the widget, so any origin may upload (the session is the key, not a cookie)."""
from __future__ import annotations

import logging

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from evn.bootstrap import Core
from evn.domain import conversations, sources
from evn.domain.pictures import MAX_BYTES, RATE_LIMITED, PictureRefused, Refusal
from evn.domain.signing import widget_sessions
from evn.services.errors import RateLimited
from webapp.threads import Lane, LaneFull, blocking

log = logging.getLogger(__name__)

CHANNEL = "socketio"
SESSION_HEADER = "x-widget-session"
CORS = {"Access-Control-Allow-Origin": "*", "Cache-Control": "no-store"}
DECODING_THREADS, DECODING_LIMIT = 2, 8
STATUS = {Refusal.TOO_LARGE: 413, Refusal.NOT_AN_IMAGE: 415, Refusal.TOO_MANY_PIXELS: 413, Refusal.UNKNOWN: 403}


def refused(reason: str, status: int) -> HTTPResponse:
    return response.json({"refused": reason}, status=status, headers=CORS)


def upload_blueprint(core: Core) -> Blueprint:
    uploads = Blueprint("picture_upload", url_prefix="/widget")
    settings = core.settings
    # Decoding a picture takes memory (up to 40 megapixels before it is scaled down) and a core: threads of its
    # own, so uploads never hold the threads of the pay pages and the console, and a flood waits or is refused.
    decoding = Lane("picture-uploads", DECODING_THREADS, limit=DECODING_LIMIT)

    @uploads.after_server_stop
    async def stop_decoding(*_args: object) -> None:
        decoding.shutdown()

    @uploads.options("/pictures")
    async def preflight(_request: Request) -> HTTPResponse:
        return response.empty(headers={**CORS, "Access-Control-Allow-Methods": "POST",
                                       "Access-Control-Allow-Headers": "Content-Type, X-Widget-Session",
                                       "Access-Control-Max-Age": "600"})

    @uploads.post("/pictures", stream=True)
    async def upload(request: Request) -> HTTPResponse:
        local = widget_sessions.verify(request.headers.get(SESSION_HEADER, ""), settings.widget_session_secret)
        conversation = conversations.conversation_id(CHANNEL, local) if local else None
        if conversation is None or await blocking(core.widget_sessions.is_revoked, conversation):
            return refused(Refusal.UNKNOWN.value, 403)
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_BYTES:
            return refused(Refusal.TOO_LARGE.value, 413)
        body, stream = bytearray(), request.stream
        while stream is not None and (chunk := await stream.read()) is not None:  # type: ignore[attr-defined]
            body += chunk
            if len(body) > MAX_BYTES:
                return refused(Refusal.TOO_LARGE.value, 413)
        address = sources.address_key(sources.request_address(request, settings.trusted_proxies),
                                      settings.widget_session_secret)
        try:
            picture = await decoding.run(core.pictures.from_upload, conversation, bytes(body), address)
        except LaneFull:  # every decoding thread busy and the queue full: nothing kept, try again later
            return refused(RATE_LIMITED, 429)
        except PictureRefused as refusal:
            return refused(refusal.reason.value, STATUS.get(refusal.reason, 400))
        except RateLimited:
            return refused(RATE_LIMITED, 429)
        log.info("picture.uploaded: %s bytes kept as %s", picture.size, picture.media_type)
        return response.json({"picture": picture.id}, status=201, headers=CORS)

    return uploads
