"""The website widget's session ids: issued and signed by the server, never chosen by a browser.

The web app hands out `<32 hex>_<issued, hex seconds>.<mac>` when the widget first
loads; the socket.io channel accepts only a genuine one and names the conversation
`web-<32 hex>`. A forged, altered, foreign or expired token simply gets a new session.
A session idle for MAX_IDLE expires (a shared computer forgets it); one in use is
renewed once a day, so an active conversation never expires under the customer.
"""
from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

from evn.domain import linear_regex
from evn.domain.signing import signed_ids

PURPOSE = "widget-session"
MAX_IDLE = 30 * 24 * 3600  # seconds
RENEW_AFTER = 24 * 3600
_VALUE = linear_regex.compile(r"([0-9a-f]{32})_([0-9a-f]{1,12})")


@dataclass(frozen=True)
class Session:
    local_id: str
    token: str
    renewed: bool  # a new token for the same session: send it back to the browser


def issue(secret: str, now: float | None = None) -> tuple[str, str]:
    """(local id, signed token) of a new session."""
    session = secrets.token_hex(16)
    return session, _sign(session, secret, now)


def verify(token: object, secret: str, now: float | None = None) -> str | None:
    """The session's local id when `token` is one we signed and it has not expired, else None."""
    checked = check(token, secret, now)
    return checked.local_id if checked else None


def check(token: object, secret: str, now: float | None = None) -> Session | None:
    """The session of a genuine, unexpired token, renewed when it is older than a day."""
    value = signed_ids.verify(token, secret, _VALUE, PURPOSE)
    if value is None:
        return None
    match = _VALUE.fullmatch(value)
    assert match is not None and isinstance(token, str)
    now = time.time() if now is None else now
    age = now - int(match.group(2), 16)
    if age > MAX_IDLE or age < -300:
        return None
    if age > RENEW_AFTER:
        return Session(match.group(1), _sign(match.group(1), secret, now), renewed=True)
    return Session(match.group(1), token, renewed=False)


def _sign(session: str, secret: str, now: float | None) -> str:
    issued = int(time.time() if now is None else now)
    return signed_ids.sign(f"{session}_{issued:x}", secret, PURPOSE)
