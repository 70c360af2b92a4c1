"""The signature Zalo puts on every webhook event it sends to an Official Account.

Header:  X-ZEvent-Signature: mac=<hex>
mac   =  hex( SHA-256( app_id + raw request body + timestamp + OA secret key ) )

A plain SHA-256 of the concatenation, not an HMAC; `timestamp` is the event's own
"timestamp" field (a string of milliseconds) and the body is hashed byte for byte as
received. This is what public integrations agree on (facts.md, "Zalo Official
Account": secondary sources). Should Zalo's real formula turn out to differ, this
module is the only place to change.
"""
from __future__ import annotations

import hashlib
import hmac

from evn.domain.signing import credentials

HEADER = "X-ZEvent-Signature"


def signature(app_id: str, raw_body: bytes, timestamp: str, oa_secret_key: str) -> str:
    """hex SHA-256 of app_id + raw_body + timestamp + oa_secret_key (strings as UTF-8)."""
    digest = hashlib.sha256()
    digest.update(app_id.encode("utf-8"))
    digest.update(raw_body)
    digest.update(timestamp.encode("utf-8"))
    digest.update(oa_secret_key.encode("utf-8"))
    return digest.hexdigest()


def verify(
    header_value: str | None, app_id: str, raw_body: bytes, timestamp: str, oa_secret_key: str
) -> bool:
    """True when the header ("mac=<hex>" or a bare hex) is the signature of this event.

    Empty inputs never verify; the comparison takes constant time.
    """
    if not header_value or not app_id or not timestamp or not oa_secret_key:
        return False
    supplied = header_value.strip()
    if supplied[:4].lower() == "mac=":
        supplied = supplied[4:].strip()
    expected = signature(app_id, raw_body, timestamp, oa_secret_key)
    return hmac.compare_digest(credentials.as_bytes(supplied.lower()), expected.encode("ascii"))
