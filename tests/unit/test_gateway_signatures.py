"""Gateway signatures, each recomputed here by hand from the gateway's documented formula."""
from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime, timezone
from urllib.parse import parse_qsl, urlsplit

import pytest

from evn.adapters.gateways.base import PaymentOrder
from evn.adapters.gateways.momo import MomoConfig, MomoGateway, sign_create, sign_ipn
from evn.adapters.gateways.vnpay import VnpayConfig, VnpayGateway, ipn_response, signed_callback_params
from evn.adapters.gateways.zalopay import (
    ZalopayConfig,
    ZalopayGateway,
    callback_reply,
    create_mac,
    sign_callback,
)
from evn.domain.time import VIETNAM
from evn.settings import Settings

VNPAY = VnpayConfig(
    "EVNTEST1", "SECRETVNPAYSECRETVNPAYSECRET1234", "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html"
)
MOMO = MomoConfig(
    "MOMOEVN01", "F8BBA842ECF85", "K951B6PE1waDMi640xX08PD3vg6EkVlz",
    "https://test-payment.momo.vn/v2/gateway/api/create",
)
ZALO = ZalopayConfig(
    "2553", "PcY4iZIKFCIdgZvA6ueMcMHHUbRLYjPL", "kLtgPl8HHhfvMuDHPwKfgfsY4Ydm9eIz",
    "https://sb-openapi.zalopay.vn/v2/create",
)

ORDER = PaymentOrder(
    reference="EVN20261101A7",
    amount=979560,
    description="Thanh toán tiền điện PE04000123 kỳ 10/2026",
    return_url="https://evn.example/pay/return?x=1",
    notify_url="https://evn.example/pay/ipn",
    client_ip="203.0.113.9",
    created_at=datetime(2026, 11, 1, 17, 30, 5, tzinfo=timezone.utc),  # 02/11 00:30:05 in Vietnam
)


def _hmac(algorithm, key: str, text: str) -> str:
    return hmac.new(key.encode(), text.encode(), algorithm).hexdigest()


# --- VNPay -----------------------------------------------------------------------------------

def test_vnpay_hash_follows_the_documented_formula():
    params = {
        "vnp_TxnRef": "EVN1",
        "vnp_Amount": "1000000",
        "vnp_OrderInfo": "Thanh toan tien dien",
        "vnp_ReturnUrl": "https://a.example/r?x=1&y=2",
        "vnp_BankCode": "",
        "vnp_SecureHashType": "HmacSHA512",
    }
    text = (
        "vnp_Amount=1000000"
        "&vnp_OrderInfo=Thanh+toan+tien+dien"
        "&vnp_ReturnUrl=https%3A%2F%2Fa.example%2Fr%3Fx%3D1%26y%3D2"
        "&vnp_TxnRef=EVN1"
    )
    expected = hmac.new(VNPAY.hash_secret.encode(), text.encode(), hashlib.sha512).hexdigest()
    assert VnpayGateway(VNPAY).sign(params) == expected


def test_vnpay_start_url():
    url = VnpayGateway(VNPAY).start(ORDER)
    assert url.startswith(VNPAY.pay_url + "?")
    query = urlsplit(url).query
    pairs = parse_qsl(query, keep_blank_values=True)
    assert pairs[-1][0] == "vnp_SecureHash"
    assert [key for key, _ in pairs[:-1]] == sorted(key for key, _ in pairs[:-1])
    params = dict(pairs)
    assert params["vnp_Version"] == "2.1.0" and params["vnp_Command"] == "pay"
    assert params["vnp_Amount"] == "97956000"
    assert params["vnp_CurrCode"] == "VND" and params["vnp_Locale"] == "vn"
    assert params["vnp_OrderType"] == "billpayment"
    assert params["vnp_OrderInfo"] == "Thanh toan tien dien PE04000123 ky 10/2026"
    assert params["vnp_CreateDate"] == "20261102003005"
    assert params["vnp_ExpireDate"] == "20261102004505"
    assert params["vnp_IpAddr"] == "203.0.113.9"
    assert params["vnp_ReturnUrl"] == ORDER.return_url
    signed_text = query.rsplit("&vnp_SecureHash=", 1)[0]
    assert params["vnp_SecureHash"] == _hmac(hashlib.sha512, VNPAY.hash_secret, signed_text)


def test_vnpay_start_params_round_trip_through_parse_callback():
    gateway = VnpayGateway(VNPAY)
    params = dict(parse_qsl(urlsplit(gateway.start(ORDER)).query))
    result = gateway.parse_callback(params)
    assert result.signature_ok
    assert result.reference == ORDER.reference and result.amount == ORDER.amount
    assert not result.paid  # no response code: this is our request, not a payment


def test_vnpay_simulated_callback_is_paid():
    params = signed_callback_params(
        VNPAY, "EVN1", 979560, transaction_no="14226112",
        pay_date=datetime(2026, 11, 2, 0, 31, tzinfo=VIETNAM), order_info_text="Thanh toan tien dien",
    )
    assert set(params) == {
        "vnp_Amount", "vnp_BankCode", "vnp_CardType", "vnp_OrderInfo", "vnp_PayDate", "vnp_ResponseCode",
        "vnp_TmnCode", "vnp_TransactionNo", "vnp_TransactionStatus", "vnp_TxnRef", "vnp_SecureHash",
    }
    assert params["vnp_PayDate"] == "20261102003100"
    result = VnpayGateway(VNPAY).parse_callback(params)
    assert (result.signature_ok, result.paid, result.amount) == (True, True, 979560)
    assert result.gateway_transaction == "14226112"


def test_vnpay_failed_payment_is_not_paid():
    params = signed_callback_params(VNPAY, "EVN1", 1000, response_code="24")
    result = VnpayGateway(VNPAY).parse_callback(params)
    assert result.signature_ok and not result.paid


def test_vnpay_tampered_amount_is_rejected():
    params = signed_callback_params(VNPAY, "EVN1", 979560)
    params["vnp_Amount"] = "100"
    result = VnpayGateway(VNPAY).parse_callback(params)
    assert not result.signature_ok and not result.paid


def test_vnpay_other_secret_is_rejected():
    other = VnpayConfig(VNPAY.tmn_code, "another-secret", VNPAY.pay_url)
    assert not VnpayGateway(VNPAY).parse_callback(signed_callback_params(other, "EVN1", 1000)).signature_ok


def test_vnpay_missing_hash_is_rejected():
    params = signed_callback_params(VNPAY, "EVN1", 979560)
    del params["vnp_SecureHash"]
    result = VnpayGateway(VNPAY).parse_callback(params)
    assert not result.signature_ok and not result.paid
    assert not VnpayGateway(VNPAY).parse_callback({}).signature_ok


def test_vnpay_garbage_never_raises():
    gateway = VnpayGateway(VNPAY)
    result = gateway.parse_callback({"vnp_Amount": "12abc", "vnp_SecureHash": "ệ", "vnp_TxnRef": ""})
    assert result.amount is None and result.reference is None and not result.signature_ok
    assert gateway.parse_callback({"vnp_Amount": "1_000"}).amount is None


def test_vnpay_ipn_responses():
    assert ipn_response("00") == {"RspCode": "00", "Message": "Confirm Success"}
    assert ipn_response("97") == {"RspCode": "97", "Message": "Invalid signature"}
    assert ipn_response("02")["Message"] == "Order already confirmed"


# --- MoMo ------------------------------------------------------------------------------------

def test_momo_create_signature_follows_the_documented_string():
    body = {
        "partnerCode": MOMO.partner_code, "requestId": "EVN1", "amount": 50000, "orderId": "EVN1",
        "orderInfo": "Thanh toán tiền điện", "redirectUrl": "https://evn.example/r",
        "ipnUrl": "https://evn.example/ipn", "requestType": "captureWallet", "extraData": "",
    }
    text = (
        f"accessKey={MOMO.access_key}&amount=50000&extraData=&ipnUrl=https://evn.example/ipn"
        f"&orderId=EVN1&orderInfo=Thanh toán tiền điện&partnerCode={MOMO.partner_code}"
        "&redirectUrl=https://evn.example/r&requestId=EVN1&requestType=captureWallet"
    )
    assert sign_create(MOMO, body) == _hmac(hashlib.sha256, MOMO.secret_key, text)


def _momo_ipn(**changes) -> dict:
    body = {
        "partnerCode": MOMO.partner_code, "orderId": "EVN1", "requestId": "EVN1", "amount": 979560,
        "orderInfo": "Thanh toán tiền điện", "orderType": "momo_wallet", "transId": 4088878653,
        "resultCode": 0, "message": "Thành công.", "payType": "qr", "responseTime": 1793550000000,
        "extraData": "",
    }
    body.update(changes)
    text = "&".join(
        f"{name}={MOMO.access_key if name == 'accessKey' else body[name]}"
        for name in ("accessKey", "amount", "extraData", "message", "orderId", "orderInfo", "orderType",
                     "partnerCode", "payType", "requestId", "responseTime", "resultCode", "transId")
    )
    body["signature"] = _hmac(hashlib.sha256, MOMO.secret_key, text)
    return body


def test_momo_ipn_signature_follows_the_documented_string():
    body = _momo_ipn()
    assert sign_ipn(MOMO, body) == body["signature"]
    result = MomoGateway(MOMO).parse_callback(body)
    assert (result.signature_ok, result.paid, result.reference, result.amount, result.gateway_transaction) == (
        True, True, "EVN1", 979560, "4088878653"
    )


def test_momo_redirect_query_strings_verify_too():
    as_query = {key: str(value) for key, value in _momo_ipn().items()}
    assert MomoGateway(MOMO).parse_callback(as_query).paid


def test_momo_refused_payment_and_forgery():
    gateway = MomoGateway(MOMO)
    refused = gateway.parse_callback(_momo_ipn(resultCode=1006, message="Giao dịch bị từ chối bởi người dùng."))
    assert refused.signature_ok and not refused.paid
    forged = _momo_ipn()
    forged["amount"] = 1000
    assert not gateway.parse_callback(forged).signature_ok
    missing = _momo_ipn()
    del missing["signature"]
    assert not gateway.parse_callback(missing).signature_ok
    assert gateway.parse_callback({"amount": "x"}).amount is None


# --- ZaloPay ---------------------------------------------------------------------------------

def test_zalopay_create_mac_follows_the_documented_string():
    form = {
        "app_id": "2553", "app_trans_id": "261102_EVN1", "app_user": "evn", "amount": "50000",
        "app_time": "1793554205000", "embed_data": '{"redirecturl":"https://evn.example/r"}', "item": "[]",
    }
    text = '2553|261102_EVN1|evn|50000|1793554205000|{"redirecturl":"https://evn.example/r"}|[]'
    assert create_mac(ZALO, form) == _hmac(hashlib.sha256, ZALO.key1, text)


def test_zalopay_callback_mac():
    data = json.dumps({
        "app_id": 2553, "app_trans_id": "261102_EVN20261101A7", "app_time": 1793554205000, "app_user": "evn",
        "amount": 979560, "embed_data": "{}", "item": "[]", "zp_trans_id": 241102000000123,
        "server_time": 1793554300000, "channel": 38, "merchant_user_id": "x", "user_fee_amount": 0,
        "discount_amount": 0,
    })
    mac = _hmac(hashlib.sha256, ZALO.key2, data)
    assert sign_callback(ZALO, data) == mac
    result = ZalopayGateway(ZALO).parse_callback({"data": data, "mac": mac, "type": 1})
    assert (result.signature_ok, result.paid, result.reference, result.amount, result.gateway_transaction) == (
        True, True, "EVN20261101A7", 979560, "241102000000123"
    )
    forged = ZalopayGateway(ZALO).parse_callback({"data": data.replace("979560", "1000"), "mac": mac, "type": 1})
    assert not forged.signature_ok and not forged.paid
    assert not ZalopayGateway(ZALO).parse_callback({"data": data, "type": 1}).signature_ok
    assert not ZalopayGateway(ZALO).parse_callback({"data": {"not": "a string"}, "mac": mac}).signature_ok
    junk = ZalopayGateway(ZALO).parse_callback({"data": "not json", "mac": sign_callback(ZALO, "not json")})
    assert junk.reference is None and not junk.paid


def test_zalopay_callback_replies():
    assert callback_reply(True) == {"return_code": 1, "return_message": "success"}
    assert callback_reply(False) == {"return_code": -1, "return_message": "mac not equal"}


# --- configuration and orders ----------------------------------------------------------------

@pytest.mark.parametrize(
    "attribute, config_class, names",
    [
        ("vnpay", VnpayConfig, ["VNPAY_TMN_CODE", "VNPAY_HASH_SECRET", "VNPAY_URL"]),
        ("momo", MomoConfig, ["MOMO_PARTNER_CODE", "MOMO_ACCESS_KEY", "MOMO_SECRET_KEY", "MOMO_ENDPOINT"]),
        ("zalopay", ZalopayConfig, ["ZALOPAY_APP_ID", "ZALOPAY_KEY1", "ZALOPAY_KEY2", "ZALOPAY_ENDPOINT"]),
    ],
)
def test_gateway_settings_need_every_variable(attribute, config_class, names, tmp_path):
    env = {name: f"value-{index}" for index, name in enumerate(names)}
    assert getattr(Settings.from_env(env, root=tmp_path), attribute) == config_class(*env.values())
    for name in names:
        assert getattr(Settings.from_env({k: v for k, v in env.items() if k != name}, root=tmp_path), attribute) is None
        assert getattr(Settings.from_env({**env, name: "  "}, root=tmp_path), attribute) is None


@pytest.mark.parametrize(
    "changes",
    [
        {"reference": "EVN 1"},
        {"reference": "X" * 35},
        {"reference": "HĐ1"},
        {"amount": 0},
        {"amount": 10.5},
        {"created_at": datetime(2026, 11, 1)},
    ],
)
def test_invalid_orders_are_refused(changes):
    fields = {
        "reference": "EVN1", "amount": 1000, "description": "x", "return_url": "r", "notify_url": "n",
        "created_at": datetime(2026, 11, 1, tzinfo=VIETNAM),
    }
    with pytest.raises(ValueError):
        PaymentOrder(**{**fields, **changes})


def test_vnpay_order_info_keeps_only_safe_ascii():
    url = VnpayGateway(VNPAY).start(
        PaymentOrder("EVN2", 1000, "Tiền điện & nước #10 <b>", "https://r", "https://n")
    )
    assert dict(parse_qsl(urlsplit(url).query))["vnp_OrderInfo"] == "Tien dien nuoc 10 b"



def test_vnpay_amount_with_a_fraction_of_a_dong_is_not_an_amount():
    from evn.adapters.gateways.vnpay import VnpayConfig, VnpayGateway, signed_callback_params

    config = VnpayConfig("EVNTEST1", "secret", "http://vnpay.test/pay")
    params = signed_callback_params(config, "EVNREF1", 979_560)
    params["vnp_Amount"] = "97956050"
    params["vnp_SecureHash"] = VnpayGateway(config).sign(params)
    assert VnpayGateway(config).parse_callback(params).amount is None
