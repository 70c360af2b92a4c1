"""Routes of the web app. Thin: each one calls a service of the core and renders the result."""
from __future__ import annotations

import asyncio
import io
import logging
from urllib.parse import parse_qsl

import segno
from sanic import Sanic, response
from sanic.request import Request

from evn.bootstrap import Core
from evn.domain import credentials, vietqr, widget_sessions
from evn.services import payments as outcome
from evn.services.errors import GatewayFailed, GatewayNotConfigured, LinkNotPayable
from webapp import chat_page, pages

log = logging.getLogger(__name__)

async def blocking(function, *args):
    """Database writes and the call to Rasa run off the event loop."""
    return await asyncio.get_running_loop().run_in_executor(None, function, *args)


def create_app(context: Core, name: str = "evn_web") -> Sanic:
    app = Sanic(name)
    app.ctx.core = context
    payments = context.payments

    @app.get("/health")
    async def health(_request: Request):
        return response.json({"status": "ok"})

    @app.get("/pay/<token:str>")
    async def pay_page(_request: Request, token: str):
        page = payments.open_link(token)
        if page.state != outcome.LINK_OK:
            status, html = pages.state_page(page.state)
            return response.html(html, status=status)
        return response.html(pages.pay_page(page, set(payments.gateways)))

    @app.get("/pay/<token:str>/qr.png")
    async def qr(_request: Request, token: str):
        page = payments.open_link(token)
        if page.state != outcome.LINK_OK:
            status, html = pages.state_page(page.state)
            return response.html(html, status=status)
        settings = context.settings.payment
        payload = vietqr.build_payload(
            settings.bank_bin, settings.bank_account, page.amount, page.bill_number.replace("-", ""),
            f"TIEN DIEN {page.customer_code} {page.period}",
        )
        buffer = io.BytesIO()
        segno.make(payload, error="m").save(buffer, kind="png", scale=8, border=2)
        return response.raw(buffer.getvalue(), content_type="image/png", headers={"Cache-Control": "no-store"})

    @app.get("/pay/<token:str>/<gateway:str>")
    async def start(request: Request, token: str, gateway: str):
        try:
            url = payments.start_payment(token, gateway, request.remote_addr or request.ip or "127.0.0.1")
        except GatewayNotConfigured:
            status, html = pages.state_page("unavailable")
            return response.html(html, status=status)
        except LinkNotPayable as refused:
            status, html = pages.state_page(refused.state)
            return response.html(html, status=status)
        except GatewayFailed:
            log.exception("gateway %s refused to start a payment", gateway)
            status, html = pages.state_page("gateway_error")
            return response.html(html, status=status)
        return response.redirect(url)

    async def callback(gateway: str, params: dict):
        """A gateway's notification, answered in that gateway's words; never a 5xx."""
        try:
            confirmation = await blocking(payments.handle_callback, gateway, params)
        except GatewayNotConfigured:
            return response.empty(status=404)
        except Exception:  # noqa: BLE001 - the gateway must get an answer it understands (and retries)
            log.exception("%s callback failed", gateway)
            confirmation = None
        status, body = payments.callback_reply(gateway, confirmation)
        return response.empty(status=status) if body is None else response.json(body, status=status)

    @app.get("/payments/vnpay/ipn")
    async def vnpay_ipn(request: Request):
        return await callback("vnpay", dict(parse_qsl(request.query_string)))

    @app.get("/payments/vnpay/return")
    async def vnpay_return(request: Request):
        gateway = payments.gateways.get("vnpay")
        if gateway is None:
            status, html = pages.state_page("unavailable")
            return response.html(html, status=status)
        result = gateway.parse_callback(dict(parse_qsl(request.query_string)))
        # The return page only informs; the IPN changes the bill.
        return response.html(pages.result_page(result.signature_ok and result.paid, result.amount))

    @app.post("/payments/momo/ipn")
    async def momo_ipn(request: Request):
        return await callback("momo", request.json if isinstance(request.json, dict) else {})

    @app.get("/payments/momo/return")
    async def momo_return(request: Request):
        return response.html(pages.result_page(request.args.get("resultCode") == "0", None))

    @app.post("/payments/zalopay/ipn")
    async def zalopay_callback(request: Request):
        return await callback("zalopay", request.json if isinstance(request.json, dict) else {})

    @app.get("/payments/zalopay/return")
    async def zalopay_return(request: Request):
        return response.html(pages.result_page(request.args.get("status") == "1", None))

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
        return response.html(chat_page.demo_page(f"{request.scheme}://{request.host}", context.settings.rasa_public_url))

    @app.get("/static/<name:str>")
    async def widget_static(_request: Request, name: str):
        """The chat widget (widget.js, widget.css) and the socket.io-client it loads."""
        found = chat_page.static_file(name)
        if found.path is None:
            return response.text(found.error, status=404)
        return await response.file(found.path, mime_type=found.mime, headers={"Cache-Control": "no-cache"})

    simulator = context.settings.simulator_vnpay()
    if simulator is not None:
        from webapp.simulator import simulator_blueprint

        app.blueprint(simulator_blueprint(simulator, context.settings.payment.public_base_url))
    return app
