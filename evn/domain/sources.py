"""Where an attempt comes from, for limits that stop abuse without shutting out anyone else.

A source is the conversation (which is the channel user for Messenger and Zalo) and,
for the widget and REST, the client's address. Addresses are kept only as keyed
hashes: enough to count attempts, nothing to identify a person by.
"""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
from dataclasses import dataclass
from typing import Any

METADATA_KEY = "evn_source"  # set by the channels in a message's metadata, never taken from a client


@dataclass(frozen=True)
class Source:
    conversation_id: str
    address_key: str | None = None  # keyed hash of the client address; None for Messenger and Zalo

    def as_metadata(self) -> dict[str, str]:
        return {"address": self.address_key} if self.address_key else {}


def client_address(peer: str | None, forwarded_for: str | None, trusted_proxies: tuple[str, ...]) -> str | None:
    """The client's address: the peer, or behind a trusted proxy the last hop it added.

    Only hops appended by trusted proxies are believed, so a client cannot choose its
    address by sending its own X-Forwarded-For. A trusted proxy's own address (a local
    caller, no forwarded hop) identifies no client: None.
    """
    address = _normalised(peer)
    if address is None:
        return None
    hops = [hop.strip() for hop in (forwarded_for or "").split(",") if hop.strip()]
    while address in trusted_proxies and hops:
        candidate = _normalised(hops.pop())
        if candidate is None:
            break
        address = candidate
    return None if address in trusted_proxies else address


def request_address(request: Any, trusted_proxies: tuple[str, ...]) -> str | None:
    """client_address of an HTTP request (Sanic's, or any with `ip` and `headers.getall`)."""
    headers = getattr(request, "headers", None)
    # Every X-Forwarded-For line, in order: a proxy may add its own line rather than append.
    forwarded = ",".join(headers.getall("x-forwarded-for", [])) if headers is not None else None
    return client_address(getattr(request, "ip", None), forwarded, trusted_proxies)


def address_key(address: str | None, secret: str) -> str | None:
    """A keyed hash of the address; IPv6 by its /64, since one client holds a whole /64."""
    if not address or not secret:
        return None
    parsed = ipaddress.ip_address(address)
    if parsed.version == 6 and parsed.ipv4_mapped is None:
        address = str(ipaddress.ip_network(f"{address}/64", strict=False))
    digest = hmac.new(secret.encode(), f"client-address|{address}".encode(), hashlib.sha256).hexdigest()
    return digest[:32]


def _normalised(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None
