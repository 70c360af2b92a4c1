"""What every payment gateway adapter offers, so the chatbot need not know which one it talks to."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

import requests

from evn.domain import linear_regex
from evn.domain.statuses import CallbackOutcome
from evn.domain.time import VIETNAM

_REFERENCE = linear_regex.compile(r"[A-Za-z0-9_-]{1,34}")
# Not int(): it also takes "1_000", "١٢" and " +5", and raises on 5.000 digits. No amount has 19.
_INTEGER = linear_regex.compile(r"-?[0-9]{1,18}")
MAX_MAGNITUDE = 10**18


@dataclass(frozen=True)
class PaymentOrder:
    """One payment attempt; the reference is ours and must be unique per attempt."""

    reference: str
    amount: int
    description: str
    return_url: str
    notify_url: str
    client_ip: str = "127.0.0.1"
    created_at: datetime = field(default_factory=lambda: datetime.now(VIETNAM))

    def __post_init__(self) -> None:
        # Checked here once so that every gateway receives references it accepts.
        if not _REFERENCE.fullmatch(self.reference or ""):
            raise ValueError("reference must be 1-34 ASCII letters, digits, '-' or '_'")
        if isinstance(self.amount, bool) or not isinstance(self.amount, int) or self.amount <= 0:
            raise ValueError("amount must be a positive integer number of dong")
        if self.created_at.tzinfo is None or self.created_at.utcoffset() is None:
            raise ValueError("created_at must be timezone-aware")


@dataclass(frozen=True)
class CallbackResult:
    """A gateway's notification as we understood it; trust it only when signature_ok."""

    reference: str | None
    amount: int | None
    paid: bool
    gateway_transaction: str | None
    signature_ok: bool
    raw: dict
    # The gateway says what happened (VNPay: response code and transaction status). Our own signed
    # request URL verifies too, but it is no result: nothing may change on it.
    reports_outcome: bool = True


class Gateway(Protocol):
    name: str

    def start(self, order: PaymentOrder) -> str:
        """The URL to send the customer to (may call the gateway over HTTP)."""
        ...

    def parse_callback(self, params: Mapping[str, Any] | dict) -> CallbackResult:
        """Never raises on bad input: a missing or forged signature gives signature_ok=False."""
        ...

    def reply(self, outcome: CallbackOutcome | None) -> tuple[int, Any]:
        """(HTTP status, body) this gateway expects back; None: the callback could not be handled."""
        ...

    def returned(self, params: Mapping[str, Any]) -> tuple[bool, int | None]:
        """(paid?, amount) as the customer's return from the gateway says; informative only."""
        ...


class GatewayError(Exception):
    """The gateway refused the request or could not be reached."""


class JsonApiGateway:
    """A gateway that starts a payment with one server-to-server call answered in JSON (MoMo, ZaloPay)."""

    name = ""
    label = ""  # for error messages
    max_status = 500  # answers at or above it are failures (MoMo refuses with a 400 and a JSON body)

    def __init__(self, config: Any, session: requests.Session | None = None, timeout: float = 10) -> None:
        self.config = config
        self.session = session or requests.Session()
        self.timeout = timeout

    def _call(self, url: str, **body: Any) -> dict[str, Any]:
        """POST to the gateway; its JSON object, or GatewayError."""
        try:
            response = self.session.post(url, timeout=self.timeout, **body)
        except requests.RequestException as error:
            raise GatewayError(f"{self.label} unreachable: {error.__class__.__name__}") from error
        if response.status_code >= self.max_status:
            raise GatewayError(f"{self.label} HTTP {response.status_code}")
        try:
            answer = response.json()
        except ValueError as error:
            raise GatewayError(f"{self.label} HTTP {response.status_code}: not JSON") from error
        if not isinstance(answer, dict):
            raise GatewayError(f"{self.label} HTTP {response.status_code}: unexpected body")
        return answer


def as_text(value: Any) -> str:
    """Callback values arrive as str (query strings) or numbers (JSON bodies); sign their text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def as_int(value: Any) -> int | None:
    """Integer amount from a callback, None when it is not a whole number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if abs(value) < MAX_MAGNITUDE else None
    if isinstance(value, str) and len(value) > 40:
        return None
    text = as_text(value).strip()
    return int(text) if _INTEGER.fullmatch(text) else None
