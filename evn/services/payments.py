"""Cashless payment: links sent in the chat, gateway orders, and confirming money once.

Recording the payment, marking the bill paid and writing the "payment received"
message for the chat happen in one transaction, gated by conditional updates
(pending -> paid on the order, unpaid -> paid on the bill), so a replayed or racing
callback can never pay a bill twice, and the customer is told even if Rasa is
unreachable at that moment (the outbox dispatcher retries).
"""
from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

from evn.adapters.gateways.base import CallbackResult, Gateway, GatewayError, PaymentOrder
from evn.domain import events
from evn.domain.masking import mask_name
from evn.domain.notices import NoticeKind
from evn.domain.periods import Period, parse_period
from evn.domain.signing import payment_links
from evn.domain.statuses import BillStatus, CallbackOutcome, OrderStatus
from evn.domain.time import vietnam_date
from evn.services.clock import utcnow
from evn.services.errors import Conflict, GatewayFailed, GatewayNotConfigured, LinkNotPayable, NotVerified
from evn.services.identity import IdentityService
from evn.services.unit_of_work import UnitOfWork, UnitOfWorkFactory
from evn.settings import PaymentSettings

log = logging.getLogger(__name__)

# Outcomes of a gateway callback (each gateway adapter answers them in its own format).
CONFIRMED = CallbackOutcome.CONFIRMED
NOT_FOUND = CallbackOutcome.NOT_FOUND
ALREADY_CONFIRMED = CallbackOutcome.ALREADY_CONFIRMED
WRONG_AMOUNT = CallbackOutcome.WRONG_AMOUNT
FAILED = CallbackOutcome.FAILED
BAD_SIGNATURE = CallbackOutcome.BAD_SIGNATURE
INCOMPLETE = CallbackOutcome.INCOMPLETE

# States of a link as the pay page shows it.
LINK_OK = "ok"
LINK_FORGED = "forged"
LINK_UNKNOWN = "unknown"
LINK_EXPIRED = "expired"
LINK_PAID = "paid"




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
    due_date: date


@dataclass(frozen=True)
class LinkOffer:
    links: tuple[IssuedLink, ...] = ()
    choices: tuple[UnpaidBill, ...] = ()  # several unpaid bills and none chosen
    nothing_due: bool = False
    requested_paid: Period | None = None  # the period asked for is already paid
    requested_missing: Period | None = None
    paid_total: int = 0  # the paid bill's total, and the day its last payment arrived (Vietnam)
    paid_on: date | None = None


@dataclass(frozen=True)
class LinkPage:
    state: str
    token: str = ""
    customer: str = ""
    customer_code: str = ""
    period: Period | None = None
    kwh: int = 0
    amount: int = 0
    due_date: date | None = None
    expires_at: datetime | None = None
    method: str | None = None
    bill_number: str = ""


@dataclass(frozen=True)
class Confirmation:
    outcome: CallbackOutcome
    amount: int | None = None
    period: Period | None = None
    conversation_id: str | None = None
    channel: str | None = None


GATEWAY_ORDER = ("vnpay", "momo", "zalopay")


class PaymentService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        identity: IdentityService,
        settings: PaymentSettings,
        gateways: Mapping[str, Gateway] | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.uow = uow
        self.identity = identity
        self.settings = settings
        self.gateways = dict(gateways or {})
        self.clock = clock

    # --- in the chat ----------------------------------------------------------------------

    def gateways_on(self) -> tuple[str, ...]:
        """The gateways a customer can pay through today (the pay page's enabled buttons)."""
        return tuple(name for name in GATEWAY_ORDER if name in self.gateways)

    def offer_links(
        self, conversation_id: str, code: str, period_text: str | None, want_all: bool,
        channel: str, method: str | None,
    ) -> LinkOffer:
        """Links for the unpaid bill(s) the customer chose, or the choice to make."""
        if not self.identity.recognises(conversation_id, code):
            raise NotVerified(code)
        now = self.clock()
        with self.uow() as uow:
            customer = uow.customers.get_by_code(code)
            unpaid = uow.bills.unpaid(customer.id) if customer else []
            latest = uow.bills.latest(customer.id, 1) if customer else []
            requested = parse_period(period_text, vietnam_date(now), Period.from_key(latest[0].period)) if (
                period_text and latest) else None
            if requested is not None:
                chosen = [b for b in unpaid if b.period == requested.key]
                if not chosen:
                    bill = uow.bills.for_period(customer.id, requested.key) if customer is not None else None
                    if bill is None:
                        return LinkOffer(requested_missing=requested)
                    paid_at = bill.payments[-1].paid_at if bill.payments else None
                    return LinkOffer(requested_paid=requested, paid_total=bill.total,
                                     paid_on=vietnam_date(paid_at) if paid_at else None)
            elif not unpaid:  # said with the latest bill, paid, so the customer sees why nothing is due
                paid = latest[0] if latest else None
                paid_at = paid.payments[-1].paid_at if paid is not None and paid.payments else None
                return LinkOffer(nothing_due=True,
                                 requested_paid=Period.from_key(paid.period) if paid is not None else None,
                                 paid_total=paid.total if paid is not None else 0,
                                 paid_on=vietnam_date(paid_at) if paid_at else None)
            elif len(unpaid) > 1 and not want_all:
                return LinkOffer(
                    choices=tuple(UnpaidBill(Period.from_key(b.period), b.total, b.due_date) for b in unpaid)
                )
            else:
                chosen = unpaid
            links = [self._issue(uow, bill, conversation_id, channel, method, now) for bill in chosen]
            uow.commit()
            return LinkOffer(links=tuple(links))

    def notice_link(self, conversation_id: str, channel: str, bill_id: int) -> str | None:
        """A link for the bill a notice announces, bound to the notified conversation; None once it is paid."""
        now = self.clock()
        with self.uow() as uow:
            bill = uow.bills.get(bill_id)
            if bill is None or bill.status != BillStatus.UNPAID.value:
                return None
            link = self._issue(uow, bill, conversation_id, channel, None, now)
            uow.commit()
            return link.url

    def _issue(self, uow: UnitOfWork, bill: Any, conversation_id: str, channel: str, method: str | None,
               now: datetime) -> IssuedLink:
        token_id = payment_links.new_token_id()
        expires = now + timedelta(hours=self.settings.link_ttl_hours)
        uow.payments.add_link(
            token_id=token_id, bill_id=bill.id, amount=bill.total, conversation_id=conversation_id,
            channel=channel, method=method, created_at=now, expires_at=expires,
        )
        url = self.settings.link_url(payment_links.sign(token_id, self.settings.link_secret))
        return IssuedLink(Period.from_key(bill.period), bill.total, url, f"{url}/qr.png", expires)

    # --- the pay page ---------------------------------------------------------------------

    def open_link(self, token: str, by_customer: bool = False) -> LinkPage:
        """The link's page; `by_customer` (the pay page itself, not its QR image) records the first opening."""
        token_id = payment_links.verify(token, self.settings.link_secret)
        if token_id is None:
            return LinkPage(LINK_FORGED)
        with self.uow() as uow:
            link = uow.payments.link(token_id)
            bill = uow.bills.get(link.bill_id) if link else None
            customer = uow.customers.get(bill.customer_id) if bill else None
            if link is None or bill is None or customer is None:
                return LinkPage(LINK_UNKNOWN)
            if by_customer and link.opened_at is None:
                uow.payments.mark_opened(token_id, self.clock())
                uow.commit()
            paid = bill.status == BillStatus.PAID.value
            state = LINK_PAID if paid else LINK_EXPIRED if self.clock() >= link.expires_at else LINK_OK
            return LinkPage(
                state=state, token=token, customer=mask_name(customer.name),
                customer_code=customer.code, period=Period.from_key(bill.period), kwh=bill.kwh,
                amount=link.amount, due_date=bill.due_date, expires_at=link.expires_at, method=link.method,
                bill_number=f"{customer.code}-{bill.period}",
            )

    def start_payment(self, token: str, gateway_name: str, client_ip: str) -> str:
        """Creates an order for a valid link and returns where to send the customer.

        GatewayNotConfigured, LinkNotPayable (with the link's state) or GatewayFailed otherwise.
        """
        gateway = self.gateways.get(gateway_name)
        if gateway is None:
            raise GatewayNotConfigured(gateway_name)
        page = self.open_link(token)
        if page.state != LINK_OK:
            raise LinkNotPayable(page.state)
        now = self.clock()
        reference = f"EVN{now:%y%m%d%H%M%S}{secrets.token_hex(4).upper()}"
        with self.uow() as uow:
            link = uow.payments.link(payment_links.verify(token, self.settings.link_secret) or "")
            if link is None:
                raise LinkNotPayable(LINK_UNKNOWN)
            uow.payments.add_order(
                reference=reference, link_id=link.id, bill_id=link.bill_id, gateway=gateway_name,
                amount=link.amount, created_at=now,
            )
            uow.commit()
        base = self.settings.public_base_url
        try:
            return gateway.start(PaymentOrder(
                reference=reference, amount=page.amount,
                description=f"Thanh toan tien dien {page.customer_code} ky {page.period}",
                return_url=f"{base}/payments/{gateway_name}/return", notify_url=f"{base}/payments/{gateway_name}/ipn",
                client_ip=client_ip, created_at=now.replace(tzinfo=timezone.utc),
            ))
        except GatewayError as error:
            raise GatewayFailed(gateway_name) from error

    # --- gateway callbacks ----------------------------------------------------------------

    def handle_callback(self, gateway_name: str, params: Mapping[str, Any]) -> Confirmation:
        gateway = self.gateways.get(gateway_name)
        if gateway is None:
            raise GatewayNotConfigured(gateway_name)
        result = gateway.parse_callback(params)
        if not result.signature_ok:
            log.warning("%s callback with a bad signature refused", gateway_name)
            return Confirmation(BAD_SIGNATURE)
        return self.confirm(result, channel=gateway_name)

    def callback_reply(self, gateway_name: str, confirmation: Confirmation | None) -> tuple[int, Any]:
        """(HTTP status, body) the gateway expects for this outcome (None: it could not be handled)."""
        gateway = self.gateways.get(gateway_name)
        if gateway is None:
            raise GatewayNotConfigured(gateway_name)
        return gateway.reply(confirmation.outcome if confirmation else None)

    def confirm(self, result: CallbackResult, channel: str) -> Confirmation:
        """Apply a genuine callback once. Safe to call again with the same result."""
        try:
            return self._confirm_once(result, channel)
        except Conflict:  # the same payment reference arrived twice at once
            return Confirmation(ALREADY_CONFIRMED)

    def _confirm_once(self, result: CallbackResult, channel: str) -> Confirmation:
        now = self.clock()
        with self.uow() as uow:
            order = uow.payments.order(result.reference or "")
            if order is None:
                return Confirmation(NOT_FOUND)
            if order.status != OrderStatus.PENDING.value:
                return Confirmation(ALREADY_CONFIRMED)
            if result.amount != order.amount:
                return Confirmation(WRONG_AMOUNT)
            if not result.paid and not result.reports_outcome:
                return Confirmation(INCOMPLETE)
            if not result.paid:
                uow.payments.close_order(order.reference, OrderStatus.FAILED, now, result.gateway_transaction)
                uow.commit()
                return Confirmation(FAILED)
            if not uow.payments.close_order(order.reference, OrderStatus.PAID, now, result.gateway_transaction):
                return Confirmation(ALREADY_CONFIRMED)
            if not uow.bills.mark_paid(order.bill_id):
                # Paid meanwhile through another order: one payment per bill; this money goes back.
                uow.payments.set_order_status(order.reference, OrderStatus.REFUND_DUE)
                uow.commit()
                log.warning("order %s paid a bill already paid: marked refund_due", order.reference)
                return Confirmation(ALREADY_CONFIRMED)
            uow.payments.add_payment(
                bill_id=order.bill_id, amount=order.amount, channel=channel, paid_at=now, reference=order.reference,
            )
            confirmation = self._announce(
                uow, order.reference, order.link_id, order.bill_id, order.amount, channel, now
            )
            uow.commit()
            return confirmation

    @staticmethod
    def _announce(
        uow: UnitOfWork, reference: str, link_id: int, bill_id: int, amount: int, channel: str, now: datetime
    ) -> Confirmation:
        """The outbox message that tells the conversation, in the payment's own transaction."""
        link = uow.payments.link_by_id(link_id)
        bill = uow.bills.get(bill_id)
        customer = uow.customers.get(bill.customer_id) if bill is not None else None
        assert link is not None and bill is not None and customer is not None  # foreign keys
        period = Period.from_key(bill.period)
        uow.outbox.add(events.PaymentReceived(link.conversation_id, amount, str(period), channel, reference), now)
        # The paying conversation hears it at once (above); the others linked to the code (a family) as a notice.
        others = [other for other in uow.links.of_codes([customer.code], now)
                  if other.conversation_id != link.conversation_id]
        uow.notices.for_links(NoticeKind.PAYMENT_RECEIVED.value, reference, others, now)
        return Confirmation(CONFIRMED, amount, period, link.conversation_id, link.channel)
