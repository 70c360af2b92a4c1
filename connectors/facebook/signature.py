"""Messenger's webhook signature, so that only Facebook can post to the webhook.

Every POST carries `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>` or, only when
that header is absent, the older `X-Hub-Signature: sha1=<hex>`. Comparisons take constant time.
"""
from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

from evn.domain.signing import credentials

SIGNATURE_256_HEADER = "X-Hub-Signature-256"
SIGNATURE_SHA1_HEADER = "X-Hub-Signature"


def _signature_matches(app_secret: str, body: bytes, header_value: str, prefix: str, digest: Any) -> bool:
    scheme, separator, supplied = header_value.strip().partition("=")
    if not separator or scheme.strip().lower() != prefix:
        return False
    expected = hmac.new(app_secret.encode("utf-8"), body, digest).hexdigest()
    return hmac.compare_digest(credentials.as_bytes(supplied.strip().lower()), expected.encode("ascii"))


def signature_is_valid(
    app_secret: str | None, body: bytes, sha256_header: str | None, sha1_header: str | None = None
) -> bool:
    """True when the raw body carries the app secret's signature.

    `X-Hub-Signature-256: sha256=<hex>` decides whenever it is present (even empty or wrong);
    `X-Hub-Signature: sha1=<hex>` is looked at only when the 256 header is absent.
    An empty secret never validates anything. Comparisons take constant time.
    """
    if not app_secret:
        return False
    body = bytes(body or b"")
    if sha256_header is not None:
        return _signature_matches(app_secret, body, sha256_header, "sha256", hashlib.sha256)
    if sha1_header is not None:
        return _signature_matches(app_secret, body, sha1_header, "sha1", hashlib.sha1)
    return False


def signature_from_headers(app_secret: str | None, body: bytes, headers: Mapping[str, str]) -> bool:
    """`signature_is_valid` reading the two headers from a (case-insensitive) header mapping."""
    return signature_is_valid(
        app_secret, body, headers.get(SIGNATURE_256_HEADER), headers.get(SIGNATURE_SHA1_HEADER)
    )
