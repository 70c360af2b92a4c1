"""Ids that carry their own proof: `<id>.<mac>`, the MAC a truncated HMAC-SHA256 under a secret.

Used for payment-link tokens and the website widget's session ids; a `purpose`
keeps a value signed for one use from being accepted for another.
"""
from __future__ import annotations

import base64
import hashlib
import hmac

from evn.domain import linear_regex

MAC_LENGTH = 22  # 132 bits of base64url


def mac(value: str, secret: str, purpose: str = "") -> str:
    message = f"{purpose}|{value}" if purpose else value
    digest = hmac.new(secret.encode(), message.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")[:MAC_LENGTH]


def sign(value: str, secret: str, purpose: str = "") -> str:
    if not secret:
        raise ValueError("the signing secret is empty")
    return f"{value}.{mac(value, secret, purpose)}"


def verify(token: object, secret: str, pattern: linear_regex.Pattern, purpose: str = "") -> str | None:
    """The id when the token is well formed and its MAC genuine, else None (never raises)."""
    if not isinstance(token, str) or not secret or len(token) > 200:
        return None
    value, _, given = token.partition(".")
    if not pattern.fullmatch(value) or len(given) != MAC_LENGTH:
        return None
    try:
        return value if hmac.compare_digest(given.encode(), mac(value, secret, purpose).encode()) else None
    except UnicodeEncodeError:  # a lone surrogate in a cookie: not ours
        return None
