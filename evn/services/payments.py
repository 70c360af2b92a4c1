"""Cashless payment: links sent in the chat, gateway orders, and confirming money once.

Recording the payment and marking the bill paid happen in one transaction,
gated by conditional updates (pending -> paid on the order, unpaid -> paid on
the bill), so a replayed or racing callback can never pay a bill twice.
"""
from __future__ import annotations

import logging
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable, Mapping, Protocol

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import sessionmaker

from evn.adapters import orm
from evn.adapters.gateways.base import CallbackResult, Gateway, GatewayNotConfigured, PaymentOrder
from evn.domain import payment_links
from evn.domain.masking import mask_name
from evn.domain.periods import Period, parse_period
from evn.services.billing import NotVerified
from evn.services.clock import utcnow
from evn.services.identity import IdentityService
from evn.services.unit_of_work import unit_of_work
from evn.settings import PaymentSettings

log = logging.getLogger(__name__)

# Outcomes of a gateway callback (VNPay's IPN codes are mapped from these).
CONFIRMED = "confirmed"
NOT_FOUND = "not_found"
ALREADY_CONFIRMED = "already_confirmed"
WRONG_AMOUNT = "wrong_amount"
FAILED = "failed"
BAD_SIGNATURE = "bad_signature"
INCOMPLETE = "incomplete"  # signed, but says nothing about the payment

# States of a link as the pay page shows it.
LINK_OK = "ok"
LINK_FORGED = "forged"
LINK_UNKNOWN = "unknown"
LINK_EXPIRED = "expired"
LINK_PAID = "paid"


class Notifier(Protocol):
    def payment_received(self, conversation_id: str, amount: int, period: str, channel: str) -> None: ...


@dataclass(frozen=True)
class IssuedLink:
    period: Period
    amount: int
    url: str
    qr_url: str
    expires_at: datetime  # UTC


@dataclass(frozen=True)
class UnpaidBill:
    period: Period
    amount: int
    due_date: object


@dataclass(frozen=True)
class LinkOffer:
    links: tuple[IssuedLink, ...] = ()
    choices: tuple[UnpaidBill, ...] = ()  # several unpaid bills and none chosen
    nothing_due: bool = False
    requested_paid: Period | None = None  # the period asked for is already paid
    requested_missing: Period | None = None


@dataclass(frozen=True)
class LinkPage:
    state: str
    token: str = ""
    customer: str = ""
    customer_code: str = ""
    period: Period | None = None
    kwh: int = 0
    amount: int = 0
    due_date: object = None
    expires_at: datetime | None = None
    method: str | None = None
    bill_number: str = ""


@dataclass(frozen=True)
class Confirmation:
    outcome: str
    amount: int | None = None
    period: Period | None = None
    conversation_id: str | None = None
    channel: str | None = None


class PaymentService:
    def __init__(
        self,
        sessions: sessionmaker,
        identity: IdentityService,
        settings: PaymentSettings,
        gateways: Mapping[str, Gateway] | None = None,
        notifier: Notifier | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.sessions = sessions
        self.identity = identity
        self.settings = settings
        self.gateways = dict(gateways or {})
        self.notifier = notifier
        self.clock = clock

    # --- in the chat ----------------------------------------------------------------------

    def offer_links(
        self, conversation_id: str, code: str, period_text: str | None, want_all: bool,
        channel: str, method: str | None,
    ) -> LinkOffer:
        """Links for the unpaid bill(s) the customer chose, or the choice to make."""
        if not self.identity.is_verified(conversation_id, code):
            raise NotVerified(code)
        now = self.clock()
        with unit_of_work(self.sessions) as repos:
            customer = repos.customers.get_by_code(code)
            unpaid = repos.bills.unpaid(customer.id) if customer else []
            latest = repos.bills.latest(customer.id, 1) if customer else []
            requested = parse_period(period_text, Period.from_key(latest[0].period)) if period_text and latest else None
            if requested is not None:
                chosen = [b for b in unpaid if b.period == requested.key]
                if not chosen:
                    exists = repos.bills.for_period(customer.id, requested.key) is not None
                    return LinkOffer(requested_paid=requested if exists else None,
                                     requested_missing=None if exists else requested)
            elif not unpaid:
                return LinkOffer(nothing_due=True)
            elif len(unpaid) > 1 and not want_all:
                return LinkOffer(choices=tuple(UnpaidBill(Period.from_key(b.period), b.total, b.due_date) for b in unpaid))
            else:
                chosen = unpaid
            links = []
            for bill in chosen:
                token_id = payment_links.new_token_id()
                expires = now + timedelta(hours=self.settings.link_ttl_hours)
                repos.payments.add_link(orm.PaymentLink(
                    token_id=token_id, bill_id=bill.id, amount=bill.total, conversation_id=conversation_id,
                    channel=channel, method=method, created_at=now, expires_at=expires,
                ))
                token = payment_links.sign(token_id, self.settings.link_secret)
                url = self.settings.link_url(token)
                links.append(IssuedLink(Period.from_key(bill.period), bill.total, url, f"{url}/qr.png", expires))
            return LinkOffer(links=tuple(links))

    # --- the pay page ---------------------------------------------------------------------

    def open_link(self, token: str) -> LinkPage:
        token_id = payment_links.verify(token, self.settings.link_secret)
        if token_id is None:
            return LinkPage(LINK_FORGED)
        with unit_of_work(self.sessions) as repos:
            link = repos.payments.link(token_id)
            if link is None:
                return LinkPage(LINK_UNKNOWN)
            bill = repos.session.get(orm.Bill, link.bill_id)
            customer = repos.session.get(orm.Customer, bill.customer_id)
            state = LINK_PAID if bill.status == "paid" else LINK_EXPIRED if self.clock() >= link.expires_at else LINK_OK
            return LinkPage(
                state=state, token=token, customer=mask_name(customer.name),
                customer_code=customer.code, period=Period.from_key(bill.period), kwh=bill.kwh,
                amount=link.amount, due_date=bill.due_date, expires_at=link.expires_at, method=link.method,
                bill_number=f"{customer.code}-{bill.period}",
            )

    def start_payment(self, token: str, gateway_name: str, client_ip: str) -> str:
        """Creates an order for a valid link and returns where to send the customer."""
        gateway = self.gateways.get(gateway_name)
        if gateway is None:
            raise GatewayNotConfigured(gateway_name)
        page = self.open_link(token)
        if page.state != LINK_OK:
            raise LookupError(page.state)
        now = self.clock()
        reference = f"EVN{now:%y%m%d%H%M%S}{secrets.token_hex(4).upper()}"
        with unit_of_work(self.sessions) as repos:
            link = repos.payments.link(payment_links.verify(token, self.settings.link_secret))
            repos.payments.add_order(orm.PaymentOrder(
                reference=reference, link_id=link.id, bill_id=link.bill_id, gateway=gateway_name,
                amount=link.amount, status="pending", created_at=now,
            ))
        base = self.settings.public_base_url
        return gateway.start(PaymentOrder(
            reference=reference, amount=page.amount,
            description=f"Thanh toan tien dien {page.customer_code} ky {page.period}",
            return_url=f"{base}/payments/{gateway_name}/return", notify_url=f"{base}/payments/{gateway_name}/ipn",
            client_ip=client_ip, created_at=now.replace(tzinfo=timezone.utc),
        ))

    # --- gateway callbacks ----------------------------------------------------------------

    def handle_callback(self, gateway_name: str, params: Mapping) -> Confirmation:
        gateway = self.gateways.get(gateway_name)
        if gateway is None:
            raise GatewayNotConfigured(gateway_name)
        result = gateway.parse_callback(params)
        if not result.signature_ok:
            log.warning("%s callback with a bad signature refused", gateway_name)
            return Confirmation(BAD_SIGNATURE)
        confirmation = self.confirm(result, channel=gateway_name)
        if confirmation.outcome == CONFIRMED and self.notifier is not None:
            try:
                self.notifier.payment_received(
                    confirmation.conversation_id, confirmation.amount, str(confirmation.period), gateway_name
                )
            except Exception:  # noqa: BLE001 - the money is recorded; telling the chat is best effort
                log.exception("could not tell the conversation about payment %s", result.reference)
        return confirmation

    def confirm(self, result: CallbackResult, channel: str, attempts: int = 5) -> Confirmation:
        """Apply a genuine callback once. Safe to call again with the same result."""
        for attempt in range(attempts):
            try:
                return self._confirm_once(result, channel)
            except OperationalError as error:  # SQLite: another writer holds the lock
                if "locked" not in str(error) or attempt == attempts - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
            except IntegrityError:  # the same payment reference arrived twice at once
                return Confirmation(ALREADY_CONFIRMED)
        raise RuntimeError("unreachable")

    def _confirm_once(self, result: CallbackResult, channel: str) -> Confirmation:
        now = self.clock()
        with unit_of_work(self.sessions) as repos:
            order = repos.payments.order(result.reference or "")
            if order is None:
                return Confirmation(NOT_FOUND)
            if order.status != "pending":
                return Confirmation(ALREADY_CONFIRMED)
            if result.amount != order.amount:
                return Confirmation(WRONG_AMOUNT)
            if not result.paid and not result.reports_outcome:
                return Confirmation(INCOMPLETE)
            if not result.paid:
                repos.payments.close_order(order.reference, "failed", now, result.gateway_transaction)
                return Confirmation(FAILED)
            if not repos.payments.close_order(order.reference, "paid", now, result.gateway_transaction):
                return Confirmation(ALREADY_CONFIRMED)
            if not repos.payments.mark_bill_paid(order.bill_id):
                # Paid meanwhile through another order: one payment per bill; this money goes back.
                repos.payments.set_order_status(order.reference, "refund_due")
                log.warning("order %s paid a bill already paid: marked refund_due", order.reference)
                return Confirmation(ALREADY_CONFIRMED)
            repos.payments.add_payment(orm.Payment(
                bill_id=order.bill_id, amount=order.amount, channel=channel, paid_at=now, reference=order.reference,
            ))
            link = repos.session.get(orm.PaymentLink, order.link_id)
            bill = repos.session.get(orm.Bill, order.bill_id)
            return Confirmation(CONFIRMED, order.amount, Period.from_key(bill.period), link.conversation_id, link.channel)
