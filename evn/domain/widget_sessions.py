"""The website widget's session ids: issued and signed by the server, never chosen by a browser.

The web app hands out `<32 hex>.<mac>` when the widget first loads; the socket.io
channel accepts only a genuine one and names the conversation `web-<32 hex>`.
A forged, altered or foreign token simply gets a new session.
"""
from __future__ import annotations

import re
import secrets

from evn.domain import signed_ids

PURPOSE = "widget-session"
_ID = re.compile(r"[0-9a-f]{32}")


def issue(secret: str) -> tuple[str, str]:
    """(local id, signed token) of a new session."""
    session = secrets.token_hex(16)
    return session, signed_ids.sign(session, secret, PURPOSE)


def verify(token: object, secret: str) -> str | None:
    """The session's local id when `token` is one we signed, else None."""
    return signed_ids.verify(token, secret, _ID, PURPOSE)
