"""Routes of the web app. Thin: each one calls a service of the core and renders the result."""
from __future__ import annotations

import asyncio
import io
import logging
from urllib.parse import parse_qsl

import segno
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from evn.adapters import usage_charts
from evn.bootstrap import Core
from evn.domain import vietqr
from evn.domain.signing import credentials, widget_sessions
from evn.services import payments as outcome
from evn.services.errors import GatewayFailed, GatewayNotConfigured, LinkNotPayable
from evn.services.payments import LinkPage
from evn.settings import PaymentSettings
from webapp import chat_page, health, pages, report_page
from webapp.agent_console import console_blueprint
from webapp.agent_gate import AgentGate
from webapp.incidents_page import incidents_blueprint
from webapp.live_events import ConversationChanges
from webapp.picture_upload import upload_blueprint
from webapp.ratings_page import ratings_blueprint
from webapp.report_page import report_blueprint
from webapp.scam_reports_page import scam_reports_blueprint
from webapp.threads import Lane, LaneFull, blocking

log = logging.getLogger(__name__)

# The gateways' notifications have threads of their own: however busy the default executor (logins,
# console pages, reports), a payment's confirmation never waits behind them.
CALLBACK_THREADS = 4
# Starting a payment waits on the gateway (up to its 10 s timeout): in threads of their own, so a gateway that
# stalls holds neither the event loop nor the threads of the other pages; past the limit, "try again" at once.
START_THREADS, START_LIMIT = 8, 64
DOCUMENT_THREADS, DOCUMENT_LIMIT = 2, 8  # PDFs drawn at once; waiting at most
CHART_REFUSED = {"forged": 404, "gone": 404, "expired": 410}


def qr_png(settings: PaymentSettings, page: LinkPage) -> bytes:
    """The VietQR image of a payable link: the bank's account, the amount and the bill in the transfer's note."""
    payload = vietqr.build_payload(
        settings.bank_bin, settings.bank_account, page.amount, page.bill_number.replace("-", ""),
        f"TIEN DIEN {page.customer_code} {page.period}",
    )
    buffer = io.BytesIO()
    segno.make(payload, error="m").save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()


def state_response(state: str) -> HTTPResponse:
    """The page for a link that cannot be paid (forged, unknown, expired, paid) or a gateway that is off."""
    status, html = pages.state_page(state)
    return response.html(html, status=status)


def create_app(context: Core, name: str = "evn_web") -> Sanic:
    # Sanic's own log handlers would print every line a second time, unmasked by our format: its loggers go to the
    # root logger, which masks personal data (evn/logging_setup.py).
    app = Sanic(name, configure_logging=False)
    app.ctx.core = context
    payments = context.payments
    callbacks = Lane("payment-callbacks", CALLBACK_THREADS)
    starts = Lane("payment-starts", START_THREADS, limit=START_LIMIT)
    # Drawing a PDF takes a tenth of a second of CPU: on threads of their own, a few at once, so a link opened in
    # a loop cannot hold the threads the widget, the payments and the console share.
    drawings = Lane("documents", DOCUMENT_THREADS, limit=DOCUMENT_LIMIT)

    @app.get("/health")
    async def alive(_request: Request):
        return response.json({"status": "ok"})

    @app.get("/healthz")
    async def deployment_health(_request: Request):
        status, body = await blocking(health.report, context.settings.health_targets, context.engine)
        shown = health.shown(body, context.settings.production)
        return response.json(shown, status=status, headers={"Cache-Control": "no-store"})

    @app.get("/pay/<token:str>")
    async def pay_page(_request: Request, token: str):
        page = await blocking(payments.open_link, token, by_customer=True)
        if page.state != outcome.LINK_OK:
            return state_response(page.state)
        return response.html(pages.pay_page(page, set(payments.gateways)))

    @app.get("/pay/<token:str>/qr.png")
    async def qr(_request: Request, token: str):
        page = await blocking(payments.open_link, token)
        if page.state != outcome.LINK_OK:
            return state_response(page.state)
        image = await blocking(qr_png, context.settings.payment, page)
        return response.raw(image, content_type="image/png", headers={"Cache-Control": "no-store"})

    @app.get("/charts/<name:str>")
    async def usage_chart(_request: Request, name: str):
        """A customer's usage chart, by the signed link the chat sent (evn.services.usage); the link is the key."""
        token = name.removesuffix(".png")
        chart = await blocking(context.usage.chart, token) if token != name else "forged"
        if isinstance(chart, str):
            return response.text("", status=CHART_REFUSED[chart], headers={"Cache-Control": "no-store"})
        image = await blocking(usage_charts.png, chart)
        return response.raw(image, content_type="image/png",
                            headers={"Cache-Control": "private, max-age=300", "X-Robots-Tag": "noindex"})

    @app.get("/documents/<name:str>")
    async def document(_request: Request, name: str):
        """A bill's copy or a payment receipt as PDF, by the signed link the chat sent (evn.services.documents)."""
        token = name.removesuffix(".pdf")
        found = await blocking(context.documents.document, token) if token != name else "forged"
        if isinstance(found, str):
            status, html = pages.state_page(found, pages.DOCUMENT_PAGES)
            return response.html(html, status=status, headers={"Cache-Control": "no-store"})
        from evn.adapters import pdf_documents  # fpdf2 is the application environment's, not the Rasa server's

        try:
            data = await drawings.run(pdf_documents.render, found, context.settings.document_font_dir)
        except LaneFull:
            return response.text("Hệ thống đang bận, anh/chị mở lại liên kết sau ít giây.", status=503,
                                 headers={"Retry-After": "5", "Cache-Control": "no-store"})
        return response.raw(data, content_type="application/pdf", headers={
            "Cache-Control": "private, no-store", "X-Robots-Tag": "noindex", "X-Content-Type-Options": "nosniff",
            "Content-Disposition": f'inline; filename="{found.file_name}"'})

    @app.get("/pay/<token:str>/<gateway:str>")
    async def start(request: Request, token: str, gateway: str):
        client = request.remote_addr or request.ip or "127.0.0.1"
        try:
            url = await starts.run(payments.start_payment, token, gateway, client)
        except LaneFull:
            return state_response("gateway_error")
        except GatewayNotConfigured:
            return state_response("unavailable")
        except LinkNotPayable as refused:
            return state_response(refused.state)
        except GatewayFailed:
            log.exception("gateway %s refused to start a payment", gateway)
            return state_response("gateway_error")
        return response.redirect(url)

    async def callback(gateway: str, params: dict):
        """A gateway's notification, answered in that gateway's words; never a 5xx."""
        try:
            confirmation = await callbacks.run(payments.handle_callback, gateway, params)
        except GatewayNotConfigured:
            return response.empty(status=404)
        except Exception:  # noqa: BLE001 - the gateway must get an answer it understands (and retries)
            log.exception("%s callback failed", gateway)
            confirmation = None
        status, body = payments.callback_reply(gateway, confirmation)
        return response.empty(status=status) if body is None else response.json(body, status=status)

    @app.route("/payments/<gateway:str>/ipn", methods=["GET", "POST"])
    async def notification(request: Request, gateway: str):
        """VNPay notifies with a GET and query parameters, MoMo and ZaloPay with a POST of JSON."""
        if request.method == "GET":
            return await callback(gateway, dict(parse_qsl(request.query_string)))
        return await callback(gateway, request.json if isinstance(request.json, dict) else {})

    @app.get("/payments/<gateway:str>/return")
    async def returned(request: Request, gateway: str):
        """Where the gateway sends the customer back: it only informs; the notification changes the bill."""
        found = payments.gateways.get(gateway)
        if found is None:
            return state_response("unavailable")
        paid, amount = found.returned(dict(parse_qsl(request.query_string)))
        return response.html(pages.result_page(paid, amount))

    @app.get("/agent/handoffs")
    async def open_handoffs(request: Request):
        """Conversations waiting for a person, oldest first (Authorization: Bearer AGENT_API_TOKEN)."""
        if not credentials.matches(credentials.bearer(request.headers.get("authorization")),
                                   context.settings.agent_api_token):
            return response.json({"error": "forbidden"}, status=403)
        handoffs = await blocking(context.handoffs.open_handoffs)
        return response.json({"handoffs": [
            {"id": h.id, "conversation_id": h.conversation_id, "channel": h.channel, "reason": h.reason,
             "created_at": h.created_at.isoformat() + "Z", "transcript": h.transcript}
            for h in handoffs
        ]})

    @app.post("/chat/session")
    async def chat_session(_request: Request):
        """A new signed session id for the widget (any site may embed it, so any origin may ask)."""
        _, token = widget_sessions.issue(context.settings.widget_session_secret)
        return response.json(
            {"session_id": token},
            headers={"Access-Control-Allow-Origin": "*", "Cache-Control": "no-store"},
        )

    @app.get("/chat")
    async def chat_demo(request: Request):
        origin = f"{request.scheme}://{request.host}"
        return response.html(chat_page.demo_page(origin, context.settings.rasa_public_url))

    @app.get("/static/<name:str>")
    async def widget_static(_request: Request, name: str):
        """The chat widget (widget.js, widget.css) and the socket.io-client it loads."""
        found = chat_page.static_file(name)
        if found.path is None:
            return response.text(found.error, status=404)
        return await response.file(found.path, mime_type=found.mime, headers={"Cache-Control": "no-cache"})

    @app.after_server_stop
    async def stop_lanes(*_args: object) -> None:  # (app, loop) on Sanic 21, (app) on Sanic 25
        callbacks.shutdown()
        starts.shutdown()
        drawings.shutdown()

    changes = ConversationChanges()
    gate = AgentGate(context)
    app.blueprint(console_blueprint(context, gate, changes))
    app.blueprint(report_blueprint(context, gate))
    app.blueprint(upload_blueprint(context))
    app.blueprint(scam_reports_blueprint(context, gate))
    app.blueprint(incidents_blueprint(context, gate))
    app.blueprint(ratings_blueprint(context, gate))
    # The report page may count for a minute; every other answer is quicker, and nginx gives them 30 s.
    app.config.RESPONSE_TIMEOUT = max(app.config.RESPONSE_TIMEOUT, report_page.RESPONSE_SECONDS)
    if context.settings.rabbitmq_url:
        @app.after_server_start
        async def follow_conversations(app: Sanic, *_loop: object) -> None:
            app.ctx.following = asyncio.create_task(changes.consume(context.settings.rabbitmq_url))

        @app.before_server_stop
        async def stop_following(app: Sanic, *_loop: object) -> None:
            app.ctx.following.cancel()

    simulator = context.settings.simulator_vnpay()
    if simulator is not None:
        from webapp.simulator import simulator_blueprint

        app.blueprint(simulator_blueprint(simulator, context.settings.payment.public_base_url))
    return app
