"""MoMo e-wallet (API v2): we create the order server to server, MoMo answers with a payUrl.

The result arrives as a JSON IPN POST (and as query parameters on the redirect), both signed
with HMAC-SHA256 over a fixed, alphabetical list of fields that includes our access key.
"""
from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from evn.adapters.gateways.base import CallbackResult, GatewayError, JsonApiGateway, PaymentOrder, as_int, as_text
from evn.domain.statuses import CallbackOutcome

CREATE_FIELDS = (
    "accessKey", "amount", "extraData", "ipnUrl", "orderId", "orderInfo",
    "partnerCode", "redirectUrl", "requestId", "requestType",
)
IPN_FIELDS = (
    "accessKey", "amount", "extraData", "message", "orderId", "orderInfo", "orderType",
    "partnerCode", "payType", "requestId", "responseTime", "resultCode", "transId",
)


@dataclass(frozen=True)
class MomoConfig:
    partner_code: str
    access_key: str
    secret_key: str
    endpoint: str  # the full create URL, e.g. https://test-payment.momo.vn/v2/gateway/api/create



def _signature(secret_key: str, fields: tuple[str, ...], values: Mapping[str, Any]) -> str:
    text = "&".join(f"{name}={as_text(values.get(name))}" for name in fields)
    return hmac.new(secret_key.encode("utf-8"), text.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


def sign_create(config: MomoConfig, body: Mapping[str, Any]) -> str:
    return _signature(config.secret_key, CREATE_FIELDS, {**body, "accessKey": config.access_key})


def sign_ipn(config: MomoConfig, body: Mapping[str, Any]) -> str:
    """Signature of an IPN or redirect body: for a local simulator and tests."""
    return _signature(config.secret_key, IPN_FIELDS, {**body, "accessKey": config.access_key})


class MomoGateway(JsonApiGateway):
    name, label = "momo", "MoMo"
    config: MomoConfig

    def start(self, order: PaymentOrder) -> str:
        body: dict[str, Any] = {
            "partnerCode": self.config.partner_code,
            "requestId": order.reference,
            "amount": order.amount,
            "orderId": order.reference,
            "orderInfo": order.description,
            "redirectUrl": order.return_url,
            "ipnUrl": order.notify_url,
            "requestType": "captureWallet",
            "extraData": "",
            "lang": "vi",
        }
        body["signature"] = sign_create(self.config, body)  # accessKey is signed, never sent
        answer = self._call(self.config.endpoint, json=body)
        # MoMo reports refusals in resultCode, with HTTP 200 or 400.
        if as_int(answer.get("resultCode")) != 0 or not answer.get("payUrl"):
            raise GatewayError(f"MoMo refused ({answer.get('resultCode')}): {answer.get('message', '')}")
        return str(answer["payUrl"])

    def reply(self, outcome: CallbackOutcome | None) -> tuple[int, Any]:
        """MoMo wants 204 for a handled IPN; a forged one is refused."""
        return (403 if outcome is CallbackOutcome.BAD_SIGNATURE else 204), None

    def returned(self, params: Mapping[str, Any]) -> tuple[bool, int | None]:
        return as_text(params.get("resultCode")) == "0", None

    def parse_callback(self, params: Mapping[str, Any] | dict) -> CallbackResult:
        """IPN JSON body or redirect query: same fields, same signature; paid needs a valid one."""
        raw = dict(params or {})
        received = as_text(raw.get("signature")).strip().lower()
        expected = sign_ipn(self.config, raw)
        signature_ok = bool(received) and hmac.compare_digest(
            received.encode("ascii", "replace"), expected.encode("ascii")
        )
        return CallbackResult(
            reference=as_text(raw.get("orderId")) or None,
            amount=as_int(raw.get("amount")),
            paid=signature_ok and as_int(raw.get("resultCode")) == 0,
            gateway_transaction=as_text(raw.get("transId")) or None,
            signature_ok=signature_ok,
            raw=raw,
        )
