"""An agent's login, carried by a signed cookie, and the CSRF token that goes with it.

The cookie is `<agent id>_<session version>_<issued, hex seconds>_<nonce>.<mac>`: the
server keeps no session table, yet a logout (or a password change) bumps the agent's
session version in the database, so every cookie issued before is refused. The CSRF
token is a MAC of the nonce under another purpose: a page of another site can make the
browser send the cookie, never read the token the console's forms carry.
"""
from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

from evn.domain import linear_regex
from evn.domain.signing import signed_ids

PURPOSE, CSRF_PURPOSE, LOGIN_PURPOSE = "agent-session", "agent-csrf", "agent-login"
MAX_AGE = 12 * 3600  # one shift
_VALUE = linear_regex.compile(r"([0-9]{1,9})_([0-9]{1,9})_([0-9a-f]{1,12})_([0-9a-f]{32})")
_LOGIN = linear_regex.compile(r"([0-9a-f]{32})_([0-9a-f]{1,12})")


@dataclass(frozen=True)
class AgentSession:
    agent_id: int
    version: int
    nonce: str

    def csrf_token(self, secret: str) -> str:
        return signed_ids.mac(self.nonce, secret, CSRF_PURPOSE)

    def csrf_ok(self, given: object, secret: str) -> bool:
        try:
            return isinstance(given, str) and secrets.compare_digest(given.encode(), self.csrf_token(secret).encode())
        except UnicodeEncodeError:
            return False


def issue(agent_id: int, version: int, secret: str, now: float | None = None) -> str:
    issued = int(time.time() if now is None else now)
    return signed_ids.sign(f"{agent_id}_{version}_{issued:x}_{secrets.token_hex(16)}", secret, PURPOSE)


def read(cookie: object, secret: str, now: float | None = None) -> AgentSession | None:
    """The session a genuine, unexpired cookie carries, else None (never raises)."""
    value = signed_ids.verify(cookie, secret, _VALUE, PURPOSE)
    if value is None:
        return None
    agent_id, version, issued, nonce = _VALUE.fullmatch(value).groups()  # type: ignore[union-attr]
    age = (time.time() if now is None else now) - int(issued, 16)
    if not 0 <= age <= MAX_AGE:
        return None
    return AgentSession(int(agent_id), int(version), nonce)


def login_token(secret: str, now: float | None = None) -> str:
    """The login form's own CSRF token (no session yet): signed, short-lived, also set as a cookie."""
    issued = int(time.time() if now is None else now)
    return signed_ids.sign(f"{secrets.token_hex(16)}_{issued:x}", secret, LOGIN_PURPOSE)


def login_token_ok(form_token: object, cookie_token: object, secret: str, now: float | None = None) -> bool:
    """The form's token is genuine, recent and the same as the cookie's (double submit)."""
    value = signed_ids.verify(form_token, secret, _LOGIN, LOGIN_PURPOSE)
    if value is None or not isinstance(form_token, str) or not isinstance(cookie_token, str):
        return False
    issued = int(_LOGIN.fullmatch(value).group(2), 16)  # type: ignore[union-attr]
    fresh = 0 <= (time.time() if now is None else now) - issued <= 3600
    try:
        return fresh and secrets.compare_digest(form_token.encode(), cookie_token.encode())
    except UnicodeEncodeError:
        return False
