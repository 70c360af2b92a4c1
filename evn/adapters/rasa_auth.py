"""Credentials for Rasa's HTTP API: a short-lived JWT in the Authorization header, never a token in a URL.

Rasa is started with `--jwt-secret` (and no `--auth-token`) by ops/rasa_server.py, the secret
being RASA_AUTH_TOKEN. Rasa 3.6 (rasa/server.py `requires_auth`) then accepts
`Authorization: Bearer <JWT>` signed HS256 with that secret: a token whose claim `user.role` is
"admin" may call every route; one whose role is "user" only the routes of the conversation named
by `user.username`; `exp` is checked. Rasa never issues tokens: every client mints its own here.
A call about one conversation gets a token for that conversation only, so a token that leaks
(a proxy's log, an error report) opens one conversation for a minute; /status and the like get
an admin token. Minting is one HMAC, so a token is made per request and never stored.
`python -m evn.adapters.rasa_auth [conversation id]` prints one, for curl.
"""
from __future__ import annotations

import time

import jwt

ALGORITHM = "HS256"  # Rasa's default --jwt-method
LIFETIME_SECONDS = 60
ADMIN_NAME = "evn"


def bearer_token(secret: str, conversation_id: str | None = None, now: float | None = None,
                 lifetime: float = LIFETIME_SECONDS) -> str:
    """A JWT for one conversation (role "user"), or for every route (role "admin") without one."""
    if not secret:
        raise ValueError("RASA_AUTH_TOKEN is not set: Rasa's HTTP API cannot be called")
    issued = int(time.time() if now is None else now)
    user = ({"username": conversation_id, "role": "user"} if conversation_id is not None
            else {"username": ADMIN_NAME, "role": "admin"})
    return jwt.encode({"user": user, "iat": issued, "exp": issued + int(lifetime)}, secret, algorithm=ALGORITHM)


def auth_headers(secret: str, conversation_id: str | None = None) -> dict[str, str]:
    """The headers of one request to Rasa's HTTP API (see `bearer_token`)."""
    return {"Authorization": f"Bearer {bearer_token(secret, conversation_id)}"}


def main() -> int:
    """Prints a JWT for Rasa's HTTP API (admin, or for the conversation given), valid for a minute."""
    import argparse

    from evn.settings import load_settings

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("conversation_id", nargs="?", help="e.g. rest-demo; without it an admin token")
    args = parser.parse_args()
    print(bearer_token(load_settings().rasa_auth_token, args.conversation_id))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
