"""Links to a bill or a payment receipt as a PDF: what the document is, in the link itself, signed and expiring.

A chat channel (Messenger, Zalo) fetches the file by its URL without our session, as it does a usage chart: the
link carries its own authority, by the payment links' rules (signed, expiring after PAYMENT_LINK_TTL_HOURS). The
value is `<kind>-<row id>-<expiry, epoch seconds>`, signed for the purpose "document" (never accepted as another
kind of token). Internal row ids, not the customer code: a link seen in a log names no one.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from evn.domain import linear_regex
from evn.domain.signing import signed_ids

PURPOSE = "document"
_VALUE = linear_regex.compile(r"(bill|receipt)-([0-9]{1,12})-([0-9]{1,12})")


class DocumentKind(Enum):
    BILL = "bill"  # a copy of the bill's e-invoice content
    RECEIPT = "receipt"  # a payment's receipt


@dataclass(frozen=True)
class DocumentRef:
    kind: DocumentKind
    row_id: int  # bills.id or payments.id
    expires_at: int  # epoch seconds

    def expired(self, now: float) -> bool:
        return now >= self.expires_at


def sign(ref: DocumentRef, secret: str) -> str:
    return signed_ids.sign(f"{ref.kind.value}-{ref.row_id}-{ref.expires_at}", secret, PURPOSE)


def verify(token: object, secret: str) -> DocumentRef | None:
    """What the token names when it is genuine (expired or not: the caller tells the two apart), else None."""
    value = signed_ids.verify(token, secret, _VALUE, PURPOSE)
    found = _VALUE.fullmatch(value) if value else None
    if found is None:
        return None
    kind, row_id, expires = found.groups()
    return DocumentRef(DocumentKind(kind), int(row_id), int(expires))
