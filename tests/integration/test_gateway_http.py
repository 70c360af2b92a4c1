"""MoMo and ZaloPay adapters against local fakes that check signatures as the real services do."""
from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

import pytest

from evn.adapters.gateways.base import GatewayError, PaymentOrder
from evn.adapters.gateways.momo import MomoConfig, MomoGateway
from evn.adapters.gateways.zalopay import ZalopayConfig, ZalopayGateway
from evn.domain.time import VIETNAM

PARTNER, ACCESS, SECRET = "MOMOEVN01", "F8BBA842ECF85", "K951B6PE1waDMi640xX08PD3vg6EkVlz"
APP_ID, KEY1, KEY2 = "2553", "PcY4iZIKFCIdgZvA6ueMcMHHUbRLYjPL", "kLtgPl8HHhfvMuDHPwKfgfsY4Ydm9eIz"
CREATED = datetime(2026, 11, 2, 0, 30, 5, tzinfo=VIETNAM)


def _order(reference: str = "EVN20261102A1", amount: int = 979560) -> PaymentOrder:
    return PaymentOrder(
        reference=reference, amount=amount, description="Thanh toán tiền điện PE04000123 kỳ 10/2026",
        return_url="https://evn.example/pay/return", notify_url="https://evn.example/pay/ipn",
        created_at=CREATED,
    )


def _hmac256(key: str, text: str) -> str:
    return hmac.new(key.encode(), text.encode(), hashlib.sha256).hexdigest()


class _Fake(BaseHTTPRequestHandler):
    """Common plumbing; the subclasses answer like the real services."""

    seen: list

    def log_message(self, *args) -> None:  # keep pytest output clean
        pass

    def _reply(self, status: int, body: dict | str) -> None:
        data = (json.dumps(body, ensure_ascii=False) if isinstance(body, dict) else body).encode()
        self.send_response(status)
        content_type = "application/json; charset=UTF-8" if isinstance(body, dict) else "text/html"
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length", 0)))


class FakeMomo(_Fake):
    seen: list = []

    def do_POST(self) -> None:
        if self.path == "/boom":
            return self._reply(500, "<html>Internal Server Error</html>")
        body = json.loads(self._body())
        self.seen.append(body)
        base = {
            "partnerCode": body.get("partnerCode"), "orderId": body.get("orderId"),
            "requestId": body.get("requestId"), "amount": body.get("amount"), "responseTime": 1793554205123,
        }
        text = (
            f"accessKey={ACCESS}&amount={body['amount']}&extraData={body['extraData']}&ipnUrl={body['ipnUrl']}"
            f"&orderId={body['orderId']}&orderInfo={body['orderInfo']}&partnerCode={body['partnerCode']}"
            f"&redirectUrl={body['redirectUrl']}&requestId={body['requestId']}&requestType={body['requestType']}"
        )
        if body.get("partnerCode") != PARTNER or body.get("signature") != _hmac256(SECRET, text):
            return self._reply(400, {**base, "resultCode": 13, "message": "Xác thực doanh nghiệp thất bại."})
        if not 1000 <= body["amount"] <= 50_000_000:
            return self._reply(400, {**base, "resultCode": 22, "message": "Số tiền giao dịch không hợp lệ."})
        self._reply(200, {
            **base, "resultCode": 0, "message": "Thành công.",
            "payUrl": f"https://test-payment.momo.vn/v2/gateway/pay?t=TOKEN-{body['orderId']}",
            "deeplink": "momo://app?action=payWithApp", "qrCodeUrl": "2|99|2|qr|0",
        })


class FakeZalopay(_Fake):
    seen: list = []
    used: set = set()

    def do_POST(self) -> None:
        if self.path == "/boom":
            return self._reply(500, "<html>Internal Server Error</html>")
        form = dict(parse_qsl(self._body().decode(), keep_blank_values=True))
        self.seen.append({**form, "content_type": self.headers.get("Content-Type", "")})
        text = "|".join(form.get(name, "") for name in
                        ("app_id", "app_trans_id", "app_user", "amount", "app_time", "embed_data", "item"))
        if form.get("app_id") != APP_ID or form.get("mac") != _hmac256(KEY1, text):
            return self._reply(200, {"return_code": 2, "return_message": "Giao dịch thất bại",
                                     "sub_return_code": -402, "sub_return_message": "Xác thực mac thất bại"})
        if form["app_trans_id"] in self.used:
            return self._reply(200, {"return_code": 2, "return_message": "Giao dịch thất bại",
                                     "sub_return_code": -68, "sub_return_message": "Mã giao dịch bị trùng"})
        self.used.add(form["app_trans_id"])
        self._reply(200, {
            "return_code": 1, "return_message": "Giao dịch thành công", "sub_return_code": 1,
            "sub_return_message": "Giao dịch thành công", "zp_trans_token": "AC3kN9r",
            "order_url": "https://qcgateway.zalopay.vn/openinapp?order=eyJ6cHRyYW5zdG9rZW4iOiJBQzNrTjlyIn0",
            "order_token": "AC3kN9r", "qr_code": "00020101021226520010vn.zalopay",
        })


@pytest.fixture(scope="module")
def servers():
    started = {}
    for name, handler in (("momo", FakeMomo), ("zalopay", FakeZalopay)):
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        started[name] = server
    yield {name: f"http://127.0.0.1:{server.server_port}" for name, server in started.items()}
    for server in started.values():
        server.shutdown()
        server.server_close()


def _closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/v2/create"


def _momo(url: str, secret: str = SECRET) -> MomoGateway:
    return MomoGateway(MomoConfig(PARTNER, ACCESS, secret, url), timeout=5)


def _zalopay(url: str, key1: str = KEY1) -> ZalopayGateway:
    return ZalopayGateway(ZalopayConfig(APP_ID, key1, KEY2, url), timeout=5)


# --- MoMo ------------------------------------------------------------------------------------

def test_momo_success(servers):
    url = _momo(servers["momo"] + "/v2/gateway/api/create").start(_order())
    assert url == "https://test-payment.momo.vn/v2/gateway/pay?t=TOKEN-EVN20261102A1"
    sent = FakeMomo.seen[-1]
    assert "accessKey" not in sent
    assert (sent["requestType"], sent["lang"], sent["amount"]) == ("captureWallet", "vi", 979560)
    assert sent["orderId"] == sent["requestId"] == "EVN20261102A1"
    assert sent["ipnUrl"] == "https://evn.example/pay/ipn" and sent["redirectUrl"] == "https://evn.example/pay/return"


def test_momo_refuses_an_amount(servers):
    with pytest.raises(GatewayError, match="22"):
        _momo(servers["momo"] + "/v2/gateway/api/create").start(_order(amount=500))


def test_momo_refuses_a_wrong_signature(servers):
    with pytest.raises(GatewayError, match="Xác thực"):
        _momo(servers["momo"] + "/v2/gateway/api/create", secret="wrong").start(_order())


def test_momo_server_error(servers):
    with pytest.raises(GatewayError, match="500"):
        _momo(servers["momo"] + "/boom").start(_order())


def test_momo_unreachable():
    with pytest.raises(GatewayError, match="unreachable"):
        _momo(_closed_port_url()).start(_order())


# --- ZaloPay ---------------------------------------------------------------------------------

def test_zalopay_success(servers):
    url = _zalopay(servers["zalopay"] + "/v2/create").start(_order("EVNZ1"))
    assert url.startswith("https://qcgateway.zalopay.vn/openinapp?order=")
    sent = FakeZalopay.seen[-1]
    assert sent["app_trans_id"] == "261102_EVNZ1"  # the Vietnam date, not the UTC one (01/11)
    assert sent["app_time"] == str(int(CREATED.timestamp() * 1000))
    assert json.loads(sent["embed_data"]) == {"redirecturl": "https://evn.example/pay/return"}
    assert (sent["item"], sent["app_user"], sent["bank_code"], sent["amount"]) == ("[]", "evn", "", "979560")
    assert sent["callback_url"] == "https://evn.example/pay/ipn"
    assert sent["content_type"] == "application/x-www-form-urlencoded"


def test_zalopay_refuses_a_duplicate(servers):
    gateway = _zalopay(servers["zalopay"] + "/v2/create")
    gateway.start(_order("EVNZ2"))
    with pytest.raises(GatewayError, match="-68"):
        gateway.start(_order("EVNZ2"))


def test_zalopay_refuses_a_wrong_mac(servers):
    with pytest.raises(GatewayError, match="-402"):
        _zalopay(servers["zalopay"] + "/v2/create", key1="wrong").start(_order("EVNZ3"))


def test_zalopay_server_error(servers):
    with pytest.raises(GatewayError, match="500"):
        _zalopay(servers["zalopay"] + "/boom").start(_order("EVNZ4"))


def test_zalopay_unreachable():
    with pytest.raises(GatewayError, match="unreachable"):
        _zalopay(_closed_port_url()).start(_order("EVNZ5"))


def test_zalopay_reference_too_long_for_app_trans_id(servers):
    with pytest.raises(ValueError):
        _zalopay(servers["zalopay"] + "/v2/create").start(_order("R" * 34))
