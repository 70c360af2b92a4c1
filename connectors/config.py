"""A channel's configuration: the validated settings, overridden by non-empty credentials.yml values."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from evn.domain.masking import mask_for_logs


def setting(credentials: Mapping[str, Any] | None, key: str, default: str) -> str:
    given = (credentials or {}).get(key)
    return str(given).strip() if given is not None and str(given).strip() else default


def redact(text: Any, *secrets: str, limit: int = 300) -> str:
    """A platform's error for the log: its secrets replaced, personal data and tokens masked."""
    text = str(text)
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return mask_for_logs(text)[:limit]
