"""Payment-link tokens: opaque, signed, and checkable before touching the database.

A token is `<id>.<mac>`: a random id (the database row holds the bill, amount
and expiry) and a truncated HMAC-SHA256 of the id under PAYMENT_LINK_SECRET.
A forged or mistyped token is refused without a query; nothing about the bill
can be read from the token itself.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
MAC_LENGTH = 22  # 132 bits of base64url


def new_token_id() -> str:
    return secrets.token_urlsafe(18)


def _mac(token_id: str, secret: str) -> str:
    digest = hmac.new(secret.encode(), token_id.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")[:MAC_LENGTH]


def sign(token_id: str, secret: str) -> str:
    if not secret:
        raise ValueError("PAYMENT_LINK_SECRET is empty")
    return f"{token_id}.{_mac(token_id, secret)}"


def verify(token: str, secret: str) -> str | None:
    """The token id when the signature is genuine, else None."""
    token_id, _, mac = (token or "").partition(".")
    if not _ID.match(token_id) or len(mac) != MAC_LENGTH:
        return None
    return token_id if hmac.compare_digest(mac, _mac(token_id, secret)) else None
