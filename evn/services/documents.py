"""The bill and the payment receipt as PDF documents, reached by signed, expiring links (the payment links' rules).

Only the verified (or linked) customer gets a link (BillingService.require_verified); the link names the bill or
the payment by its row id and its expiry, signed (evn.domain.signing.document_links), so a channel can fetch the
file without a session and an altered or expired link opens nothing. The document is read from the data when the
link is opened: a bill paid since shows as paid.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from evn import reference
from evn.domain import documents
from evn.domain.amount_in_words import vnd_in_words
from evn.domain.documents import BillDocument, ReceiptDocument
from evn.domain.operations_report import load_book
from evn.domain.periods import Period
from evn.domain.signing import document_links
from evn.domain.signing.document_links import DocumentKind, DocumentRef
from evn.domain.statuses import BillStatus
from evn.domain.tariff import TierLine
from evn.domain.time import vietnam_date
from evn.services.billing import BillingService
from evn.services.clock import utcnow
from evn.services.unit_of_work import Stored, UnitOfWork, UnitOfWorkFactory

FORGED, EXPIRED, GONE = "forged", "expired", "gone"


@dataclass(frozen=True)
class DocumentSigning:
    secret: str
    public_base_url: str
    ttl_hours: int


@dataclass(frozen=True)
class DocumentLink:
    kind: DocumentKind
    url: str
    file_name: str
    period: Period
    expires_at: datetime  # naive UTC


class DocumentService:
    def __init__(self, uow: UnitOfWorkFactory, billing: BillingService, signing: DocumentSigning,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.uow = uow
        self.billing = billing
        self.signing = signing
        self.clock = clock

    def bill_link(self, conversation_id: str, code: str, period_text: str | None) -> DocumentLink | None:
        """The link to the bill of the period named (the latest when none), for the verified customer (NotVerified,
        UnknownCustomer otherwise); None when that period has no bill."""
        self.billing.require_verified(conversation_id, code)
        with self.uow() as repos:
            customer = self.billing.customer_row(repos, code)
            bill = self._bill(repos, customer, period_text)
            if bill is None:
                return None
            return self._link(DocumentKind.BILL, bill.id, Period.from_key(bill.period), customer.code)

    def receipt_link(self, conversation_id: str, code: str, period_text: str | None) -> DocumentLink | None:
        """The link to the receipt of the last payment of the period named (the latest paid bill when none); None
        when there is no such payment."""
        self.billing.require_verified(conversation_id, code)
        with self.uow() as repos:
            customer = self.billing.customer_row(repos, code)
            if period_text:
                bill = self._bill(repos, customer, period_text)
                bills = [bill] if bill is not None else []
            else:
                bills = repos.bills.latest(customer.id, 12)
            paid = next((b for b in bills if b.payments), None)
            if paid is None:
                return None
            payment = paid.payments[-1]
            return self._link(DocumentKind.RECEIPT, payment.id, Period.from_key(paid.period), customer.code)

    def document(self, token: str) -> BillDocument | ReceiptDocument | str:
        """What a link shows, or why nothing: FORGED, EXPIRED, GONE."""
        ref = document_links.verify(token, self.signing.secret)
        if ref is None:
            return FORGED
        if ref.expired(self.clock().replace(tzinfo=timezone.utc).timestamp()):
            return EXPIRED
        with self.uow() as repos:
            if ref.kind is DocumentKind.BILL:
                bill = repos.bills.get(ref.row_id)
                return GONE if bill is None else self._bill_document(repos, bill)
            payment = repos.payments.get_payment(ref.row_id)
            bill = repos.bills.get(payment.bill_id) if payment is not None else None
            return GONE if payment is None or bill is None else self._receipt(repos, payment, bill)

    # --- helpers ------------------------------------------------------------------------------------

    def _bill(self, repos: UnitOfWork, customer: Stored, period_text: str | None) -> Stored | None:
        newest = repos.bills.latest(customer.id, 1)
        latest = Period.from_key(newest[0].period) if newest else None
        period = self.billing.period_named(period_text, latest)
        return repos.bills.for_period(customer.id, period.key) if period is not None else None

    def _link(self, kind: DocumentKind, row_id: int, period: Period, code: str) -> DocumentLink:
        expires = self.clock() + timedelta(hours=self.signing.ttl_hours)
        epoch = int(expires.replace(tzinfo=timezone.utc).timestamp())
        token = document_links.sign(DocumentRef(kind, row_id, epoch), self.signing.secret)
        return DocumentLink(kind, f"{self.signing.public_base_url}/documents/{token}.pdf",
                            documents.file_name(kind.value, code, str(period)), period, expires)

    def _bill_document(self, repos: UnitOfWork, bill: Stored) -> BillDocument | str:
        customer = repos.customers.get(bill.customer_id)
        seller = reference.invoice_seller(customer.power_company) if customer is not None else None
        if customer is None or seller is None:
            return GONE
        return BillDocument(
            seller=seller, number=documents.invoice_number(bill.id),
            lookup_code=documents.lookup_code(bill.id, self.signing.secret), issued_on=bill.issued_on,
            customer_code=customer.code, customer_name=customer.name, customer_address=customer.address,
            meter=repos.meter_data.serial_of(customer.id) or "", period=str(Period.from_key(bill.period)),
            period_start=bill.period_start, period_end=bill.period_end, old_reading=bill.old_reading,
            new_reading=bill.new_reading, kwh=bill.kwh,
            lines=tuple(TierLine(int(t), int(k), int(p)) for t, k, p in bill.tier_breakdown),
            amount_before_vat=bill.amount_before_vat, vat_percent=Decimal(str(bill.vat_percent)),
            vat_amount=bill.vat_amount,
            total=bill.total, total_in_words=vnd_in_words(bill.total), due_date=bill.due_date,
            paid=bill.status == BillStatus.PAID.value, made_on=vietnam_date(self.clock()))

    def _receipt(self, repos: UnitOfWork, payment: Stored, bill: Stored) -> ReceiptDocument | str:
        customer = repos.customers.get(bill.customer_id)
        seller = reference.invoice_seller(customer.power_company) if customer is not None else None
        if customer is None or seller is None:
            return GONE
        return ReceiptDocument(
            seller=seller, reference=payment.reference, paid_at=payment.paid_at,
            channel=load_book().payment_name(payment.channel), amount=payment.amount,
            amount_in_words=vnd_in_words(payment.amount), customer_code=customer.code, customer_name=customer.name,
            period=str(Period.from_key(bill.period)), bill_total=bill.total,
            invoice_number=documents.invoice_number(bill.id), made_on=vietnam_date(self.clock()))
