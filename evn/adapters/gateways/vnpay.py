"""VNPay 2.1.0: the customer is redirected to VNPay; VNPay calls our IPN URL with the result.

No server-to-server call is needed to start a payment, only a signed URL.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote_plus

from evn.adapters.gateways.base import CallbackResult, PaymentOrder, as_int, as_text
from evn.domain import linear_regex
from evn.domain.statuses import CallbackOutcome
from evn.domain.time import VIETNAM
from evn.domain.vietqr import ascii_fold

VERSION = "2.1.0"
EXPIRY = timedelta(minutes=15)
ORDER_INFO_MAX = 255
_DATE_FORMAT = "%Y%m%d%H%M%S"
_UNSIGNED = {"vnp_SecureHash", "vnp_SecureHashType"}
_ORDER_INFO_DROP = linear_regex.compile(r"[^A-Za-z0-9 .,:/_-]+")

IPN_MESSAGES = {
    "00": "Confirm Success",
    "01": "Order not found",
    "02": "Order already confirmed",
    "04": "Invalid amount",
    "97": "Invalid signature",
    "99": "Unknown error",
}


@dataclass(frozen=True)
class VnpayConfig:
    tmn_code: str
    hash_secret: str
    pay_url: str



def _query(params: Mapping[str, Any]) -> str:
    """VNPay's canonical form: sorted by key, quote_plus'ed, empty values and the hash left out."""
    items = sorted(
        (key, as_text(value))
        for key, value in params.items()
        if isinstance(key, str) and key.startswith("vnp_") and key not in _UNSIGNED and as_text(value) != ""
    )
    return "&".join(f"{quote_plus(key)}={quote_plus(value)}" for key, value in items)


def _sign(secret: str, params: Mapping[str, Any]) -> str:
    return hmac.new(secret.encode("utf-8"), _query(params).encode("utf-8"), hashlib.sha512).hexdigest()


def order_info(description: str) -> str:
    """VNPay wants Vietnamese without diacritics and without special characters."""
    text = _ORDER_INFO_DROP.sub(" ", ascii_fold(description))
    return " ".join(text.split())[:ORDER_INFO_MAX].rstrip()


class VnpayGateway:
    name = "vnpay"

    def __init__(self, config: VnpayConfig) -> None:
        self.config = config

    def sign(self, params: Mapping[str, Any]) -> str:
        return _sign(self.config.hash_secret, params)

    def start(self, order: PaymentOrder) -> str:
        created = order.created_at.astimezone(VIETNAM)
        params = {
            "vnp_Version": VERSION,
            "vnp_Command": "pay",
            "vnp_TmnCode": self.config.tmn_code,
            "vnp_Amount": str(order.amount * 100),
            "vnp_CurrCode": "VND",
            "vnp_TxnRef": order.reference,
            "vnp_OrderInfo": order_info(order.description) or order.reference,
            "vnp_OrderType": "billpayment",
            "vnp_Locale": "vn",
            "vnp_ReturnUrl": order.return_url,
            "vnp_IpAddr": order.client_ip,
            "vnp_CreateDate": created.strftime(_DATE_FORMAT),
            "vnp_ExpireDate": (created + EXPIRY).strftime(_DATE_FORMAT),
        }
        query = _query(params)
        separator = "&" if "?" in self.config.pay_url else "?"
        return f"{self.config.pay_url}{separator}{query}&vnp_SecureHash={self.sign(params)}"

    def reply(self, outcome: CallbackOutcome | None) -> tuple[int, Any]:
        return 200, ipn_response(IPN_CODES.get(outcome, "99") if outcome else "99")

    def returned(self, params: Mapping[str, Any]) -> tuple[bool, int | None]:
        result = self.parse_callback(params)
        return result.signature_ok and result.paid, result.amount

    def parse_callback(self, params: Mapping[str, Any] | dict) -> CallbackResult:
        """For both the IPN and the return URL; 'paid' is only ever True with a valid hash."""
        raw = dict(params or {})
        received = as_text(raw.get("vnp_SecureHash")).strip().lower()
        expected = self.sign(raw)
        signature_ok = bool(received) and hmac.compare_digest(
            received.encode("ascii", "replace"), expected.encode("ascii")
        )
        amount = as_int(raw.get("vnp_Amount"))
        succeeded = (
            as_text(raw.get("vnp_ResponseCode")) == "00" and as_text(raw.get("vnp_TransactionStatus")) == "00"
        )
        return CallbackResult(
            reference=as_text(raw.get("vnp_TxnRef")) or None,
            # Amounts are in xu (đồng x 100); a fraction of a đồng is not one of our amounts.
            amount=None if amount is None or amount % 100 else amount // 100,
            paid=signature_ok and succeeded,
            gateway_transaction=as_text(raw.get("vnp_TransactionNo")) or None,
            signature_ok=signature_ok,
            raw=raw,
            reports_outcome="vnp_ResponseCode" in raw and "vnp_TransactionStatus" in raw,
        )


# A failed payment is recorded: VNPay wants 00 so it stops retrying. Anything unknown: 99.
IPN_CODES = {
    CallbackOutcome.CONFIRMED: "00",
    CallbackOutcome.FAILED: "00",
    CallbackOutcome.NOT_FOUND: "01",
    CallbackOutcome.ALREADY_CONFIRMED: "02",
    CallbackOutcome.WRONG_AMOUNT: "04",
    CallbackOutcome.BAD_SIGNATURE: "97",
}


def ipn_response(code: str) -> dict:
    """The JSON body VNPay expects back from our IPN URL."""
    return {"RspCode": code, "Message": IPN_MESSAGES.get(code, IPN_MESSAGES["99"])}


def signed_callback_params(
    config: VnpayConfig,
    order_reference: str,
    amount: int,
    response_code: str = "00",
    transaction_no: str | None = None,
    pay_date: datetime | None = None,
    order_info_text: str | None = None,
    bank_code: str = "NCB",
    transaction_status: str | None = None,
) -> dict[str, str]:
    """The parameters VNPay sends to the IPN and return URLs, signed: for a local simulator and tests."""
    moment = (pay_date or datetime.now(VIETNAM)).astimezone(VIETNAM)
    if transaction_status is None:
        transaction_status = "00" if response_code == "00" else "02"
    params = {
        "vnp_Amount": str(amount * 100),
        "vnp_BankCode": bank_code,
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": order_info_text if order_info_text is not None else f"Thanh toan {order_reference}",
        "vnp_PayDate": moment.strftime(_DATE_FORMAT),
        "vnp_ResponseCode": response_code,
        "vnp_TmnCode": config.tmn_code,
        "vnp_TransactionNo": transaction_no or str(14000000 + secrets.randbelow(1000000)),
        "vnp_TransactionStatus": transaction_status,
        "vnp_TxnRef": order_reference,
    }
    params["vnp_SecureHash"] = _sign(config.hash_secret, params)
    return params
