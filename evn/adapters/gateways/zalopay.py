"""ZaloPay (API v2): we create the order server to server and get an order_url back.

ZaloPay calls our callback URL only for successful payments, with the order data as a JSON
string signed with key2 (key1 signs what we send, key2 what ZaloPay sends).
"""
from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from evn.adapters.gateways.base import CallbackResult, GatewayError, JsonApiGateway, PaymentOrder, as_int, as_text
from evn.domain import linear_regex
from evn.domain.statuses import CallbackOutcome
from evn.domain.time import VIETNAM

APP_USER = "evn"
APP_TRANS_ID_MAX = 40
_DATE_PREFIX = linear_regex.compile(r"\d{6}_")


@dataclass(frozen=True)
class ZalopayConfig:
    app_id: str
    key1: str
    key2: str
    endpoint: str  # the full create URL, e.g. https://sb-openapi.zalopay.vn/v2/create



def _hmac(key: str, text: str) -> str:
    return hmac.new(key.encode("utf-8"), text.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


def create_mac(config: ZalopayConfig, form: Mapping[str, Any]) -> str:
    fields = ("app_id", "app_trans_id", "app_user", "amount", "app_time", "embed_data", "item")
    return _hmac(config.key1, "|".join(as_text(form.get(name)) for name in fields))


def sign_callback(config: ZalopayConfig, data_json: str) -> str:
    """mac of a callback's data string: for a local simulator and tests."""
    return _hmac(config.key2, data_json)


def callback_reply(ok: bool) -> dict:
    """The JSON body ZaloPay expects back from our callback URL."""
    if ok:
        return {"return_code": 1, "return_message": "success"}
    return {"return_code": -1, "return_message": "mac not equal"}


def reference_of(app_trans_id: str) -> str:
    """'261101_EVN123' -> 'EVN123': ZaloPay's id is our reference behind a GMT+7 date."""
    return app_trans_id[7:] if _DATE_PREFIX.match(app_trans_id) else app_trans_id


class ZalopayGateway(JsonApiGateway):
    name, label, max_status = "zalopay", "ZaloPay", 400
    config: ZalopayConfig

    def start(self, order: PaymentOrder) -> str:
        created = order.created_at.astimezone(VIETNAM)
        app_trans_id = f"{created:%y%m%d}_{order.reference}"
        if len(app_trans_id) > APP_TRANS_ID_MAX:
            raise ValueError(f"ZaloPay takes references of at most {APP_TRANS_ID_MAX - 7} characters")
        form = {
            "app_id": self.config.app_id,
            "app_trans_id": app_trans_id,
            "app_user": APP_USER,
            "app_time": str(int(created.timestamp() * 1000)),
            "amount": str(order.amount),
            "item": "[]",
            "embed_data": json.dumps({"redirecturl": order.return_url}, separators=(",", ":")),
            "description": order.description,
            "bank_code": "",
            "callback_url": order.notify_url,
        }
        form["mac"] = create_mac(self.config, form)
        answer = self._call(self.config.endpoint, data=form)
        if as_int(answer.get("return_code")) != 1 or not answer.get("order_url"):
            detail = answer.get("sub_return_message") or answer.get("return_message", "")
            raise GatewayError(
                f"ZaloPay refused ({answer.get('return_code')}/{answer.get('sub_return_code')}): {detail}"
            )
        return str(answer["order_url"])

    def reply(self, outcome: CallbackOutcome | None) -> tuple[int, Any]:
        return 200, callback_reply(outcome is not None and outcome is not CallbackOutcome.BAD_SIGNATURE)

    def returned(self, params: Mapping[str, Any]) -> tuple[bool, int | None]:
        return as_text(params.get("status")) == "1", None

    def parse_callback(self, params: Mapping[str, Any] | dict) -> CallbackResult:
        """Callback body {"data": "<json>", "mac": ..., "type": 1}; ZaloPay only calls back on success."""
        raw = dict(params or {})
        data_text = raw.get("data")
        received = as_text(raw.get("mac")).strip().lower()
        signature_ok = False
        data: dict = {}
        if isinstance(data_text, str):
            expected = sign_callback(self.config, data_text)
            signature_ok = bool(received) and hmac.compare_digest(
                received.encode("ascii", "replace"), expected.encode("ascii")
            )
            parsed = None
            if signature_ok:  # nothing of an unsigned body is read
                try:
                    parsed = json.loads(data_text)
                except (ValueError, RecursionError):
                    parsed = None
            data = parsed if isinstance(parsed, dict) else {}
        app_trans_id = as_text(data.get("app_trans_id"))
        return CallbackResult(
            reference=reference_of(app_trans_id) or None,
            amount=as_int(data.get("amount")),
            paid=signature_ok and bool(data),
            gateway_transaction=as_text(data.get("zp_trans_id")) or None,
            signature_ok=signature_ok,
            raw=raw,
        )
