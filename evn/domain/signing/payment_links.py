"""Payment-link tokens: opaque, signed, and checkable before touching the database.

A token is `<id>.<mac>`: a random id (the database row holds the bill, amount
and expiry) and a truncated HMAC-SHA256 of the id under PAYMENT_LINK_SECRET.
A forged or mistyped token is refused without a query; nothing about the bill
can be read from the token itself.
"""
from __future__ import annotations

import secrets

from evn.domain import linear_regex
from evn.domain.signing import signed_ids

_ID = linear_regex.compile(r"[A-Za-z0-9_-]{16,64}")
MAC_LENGTH = signed_ids.MAC_LENGTH


def new_token_id() -> str:
    return secrets.token_urlsafe(18)


def sign(token_id: str, secret: str) -> str:
    if not secret:
        raise ValueError("PAYMENT_LINK_SECRET is empty")
    return signed_ids.sign(token_id, secret)


def verify(token: str, secret: str) -> str | None:
    """The token id when the signature is genuine, else None."""
    return signed_ids.verify(token, secret, _ID)
