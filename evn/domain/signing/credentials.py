"""Comparing what a client presents with a secret: constant time, and safe for any header bytes."""
from __future__ import annotations

import hmac


def as_bytes(value: object) -> bytes:
    """Header values may hold any byte (Sanic keeps undecodable ones as surrogates)."""
    if isinstance(value, bytes):
        return value
    if not isinstance(value, str):
        return b""
    try:
        return value.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate from JSON escapes, not from undecodable bytes
        return value.encode("utf-8", "surrogatepass")


def matches(given: object, expected: str) -> bool:
    """True only for a non-empty expected secret equal to `given`, compared in constant time."""
    return bool(expected) and hmac.compare_digest(as_bytes(given), expected.encode("utf-8"))


def bearer(authorization: object) -> bytes:
    """The token of an `Authorization: Bearer <token>` header ("" when absent or another scheme)."""
    raw = as_bytes(authorization).strip()
    scheme, _, token = raw.partition(b" ")
    return token.strip() if scheme.lower() == b"bearer" else b""
