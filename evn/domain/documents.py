"""A bill and a payment receipt as documents: what a copy of the bill's e-invoice shows, and a receipt's facts.

The legal e-invoice (Decree 123/2020, Circular 78/2021) is issued and signed by the corporation's e-invoice system;
the copy this assistant makes shows its content (Decree 123 Art. 10: seller and buyer with tax codes, form, symbol
and number, the period, the readings, the tariff lines, the amount before VAT, the VAT rate and amount, the total
in figures and in words) and says plainly that it is a copy, where the e-invoice is found and its look-up code.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from evn.domain.tariff import TierLine

LOOKUP_LENGTH = 10


@dataclass(frozen=True)
class Seller:
    name: str
    tax_code: str
    address: str
    form: str  # "1": a VAT invoice
    symbol: str  # "C26TAA"
    einvoice_site: str
    hotline: str


@dataclass(frozen=True)
class BillDocument:
    seller: Seller
    number: str  # the invoice's number in its symbol's series
    lookup_code: str
    issued_on: date
    customer_code: str
    customer_name: str
    customer_address: str
    meter: str  # the meter's serial, "" when unknown
    period: str  # "10/2026"
    period_start: date
    period_end: date
    old_reading: int
    new_reading: int
    kwh: int
    lines: tuple[TierLine, ...]
    amount_before_vat: int
    vat_percent: Decimal
    vat_amount: int
    total: int
    total_in_words: str
    due_date: date
    paid: bool
    made_on: date  # when this copy was made (Vietnam calendar day)

    @property
    def file_name(self) -> str:
        return file_name("bill", self.customer_code, self.period)


@dataclass(frozen=True)
class ReceiptDocument:
    seller: Seller
    reference: str  # the payment's own reference
    paid_at: datetime  # naive UTC
    channel: str  # how it was paid, named
    amount: int
    amount_in_words: str
    customer_code: str
    customer_name: str
    period: str
    bill_total: int
    invoice_number: str
    made_on: date

    @property
    def file_name(self) -> str:
        return file_name("receipt", self.customer_code, self.period)


FILE_STEMS = {"bill": "hoa-don", "receipt": "bien-nhan"}


def file_name(kind: str, customer_code: str, period: str) -> str:
    """"hoa-don-PE01000000001-10-2026.pdf": what the customer's phone saves the document as."""
    return f"{FILE_STEMS[kind]}-{customer_code}-{period.replace('/', '-')}.pdf"


def invoice_number(bill_id: int) -> str:
    """The bill's number in its symbol's series (7 digits, as e-invoices print it)."""
    return f"{bill_id:07d}"


def lookup_code(bill_id: int, secret: str) -> str:
    """The copy's look-up code: ten characters derived from the bill under the deployment's secret, so nobody can
    make one for another bill and the same bill always shows the same code."""
    digest = hmac.new(secret.encode(), f"invoice-lookup|{bill_id}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode()[:LOOKUP_LENGTH]
