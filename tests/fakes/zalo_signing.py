"""How Zalo signs the events it posts to an Official Account's webhook: the platform's side.

Written from the reference (../shared/reference, "Zalo Official Account") apart from the connector's check
(connectors/zalo/signature.py), so a wrong formula there fails the tests instead of agreeing with itself:
X-ZEvent-Signature: mac=hex(SHA-256(app_id + raw body + timestamp + OA secret key)).
"""
from __future__ import annotations

import hashlib


def zalo_mac(app_id: str, raw_body: bytes, timestamp: str, oa_secret_key: str) -> str:
    """The hex digest Zalo puts after "mac=" in X-ZEvent-Signature."""
    return hashlib.sha256(app_id.encode() + raw_body + timestamp.encode() + oa_secret_key.encode()).hexdigest()
