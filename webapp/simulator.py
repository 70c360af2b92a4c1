"""A stand-in for VNPay's pay page, for demos and tests on one machine (PAYMENT_SIMULATOR=1).

It checks our request's signature as VNPay would, and "Thanh toán" sends a
correctly signed IPN to our endpoint before returning the browser, exactly in
VNPay's order. Never mounted in production settings.
"""
from __future__ import annotations

import secrets
from datetime import datetime
from html import escape
from urllib.parse import parse_qsl, urlencode

import aiohttp
from sanic import Blueprint, response
from sanic.request import Request

from evn.adapters.gateways.vnpay import VnpayConfig, VnpayGateway, signed_callback_params
from evn.domain.formats import format_vnd
from evn.domain.time import VIETNAM
from webapp.pages import layout

CANCELLED = "24"  # VNPay: customer cancelled


def _pay_form(params: dict[str, str]) -> str:
    """VNPay's page in miniature: the order, then pay or cancel (both post the order back)."""
    amount = int(params["vnp_Amount"]) // 100
    hidden = "".join(f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in params.items())
    button = "width:100%;padding:12px;border:0;border-radius:8px;font-weight:600"
    return (
        '<div class="card"><h1>Cổng VNPay (mô phỏng)</h1>'
        f"<dl><dt>Đơn hàng</dt><dd>{escape(params.get('vnp_TxnRef', ''))}</dd>"
        f"<dt>Nội dung</dt><dd>{escape(params.get('vnp_OrderInfo', ''))}</dd>"
        f'<dt>Số tiền</dt><dd class="amount">{format_vnd(amount)}</dd></dl></div>'
        '<div class="card buttons">'
        f'<form method="post" action="/simulator/vnpay/pay">{hidden}<input type="hidden" name="result" value="00">'
        f'<button class="vnpay" id="pay" style="{button};color:#fff">Thanh toán</button></form>'
        f'<form method="post" action="/simulator/vnpay/pay">{hidden}'
        f'<input type="hidden" name="result" value="{CANCELLED}">'
        f'<button class="off" id="cancel" style="{button};margin-top:8px">Hủy giao dịch</button></form></div>'
    )


def refused():
    """VNPay's answer to a request whose signature is wrong."""
    return response.html(layout("VNPay (mô phỏng)", "<div class='card'><h1>Sai chữ ký yêu cầu</h1></div>"), status=400)


def simulator_blueprint(config: VnpayConfig, public_base_url: str) -> Blueprint:
    blueprint = Blueprint("vnpay_simulator", url_prefix="/simulator/vnpay")
    gateway = VnpayGateway(config)

    @blueprint.get("/pay")
    async def pay_page(request: Request):
        params = dict(parse_qsl(request.query_string))
        if not gateway.parse_callback(params).signature_ok or params.get("vnp_TmnCode") != config.tmn_code:
            return refused()
        body = _pay_form(params)
        return response.html(layout("VNPay (mô phỏng)", body))

    @blueprint.post("/pay")
    async def pay(request: Request):
        form = {key: values[0] for key, values in (request.form or {}).items()}
        if not gateway.parse_callback(form).signature_ok:
            return refused()
        callback = signed_callback_params(
            config, form["vnp_TxnRef"], int(form["vnp_Amount"]) // 100,
            response_code=form.get("result", "00"), transaction_no=str(secrets.randbelow(10**8)),
            pay_date=datetime.now(VIETNAM),
        )
        async with aiohttp.ClientSession() as session, session.get(
            f"{public_base_url}/payments/vnpay/ipn", params=callback
        ) as ipn:
            await ipn.read()
        return response.redirect(f"{form['vnp_ReturnUrl']}?{urlencode(callback)}")

    return blueprint
