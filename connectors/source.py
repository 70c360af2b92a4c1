"""The source of a message as the channel saw it, put in its metadata for the actions' limits."""
from __future__ import annotations

from typing import Any

from evn.domain import sources


def source_metadata(request: Any, trusted_proxies: tuple[str, ...], secret: str) -> dict[str, Any]:
    """`{evn_source: {address: <keyed hash>}}` for an HTTP request (REST, the widget's socket)."""
    address = sources.request_address(request, trusted_proxies)
    return {sources.METADATA_KEY: {"address": sources.address_key(address, secret)} if address else {}}


def channel_user_metadata() -> dict[str, Any]:
    """Messenger and Zalo: the channel user is the source; their servers' address says nothing."""
    return {sources.METADATA_KEY: {}}
