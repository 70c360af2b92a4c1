"""`python -m ops.rasa_server run --enable-api …`: Rasa's own CLI, its HTTP API's secret read from the environment.

Rasa's CLI takes the HTTP API's credentials only as arguments (`--auth-token`, `--jwt-secret`),
and a process's arguments are readable by every user of the machine (`ps`, /proc/<pid>/cmdline),
its environment only by its own user and root (/proc/<pid>/environ is mode 0400). So the
launchers (ops/stack.py, ops/production.py, docker-compose.yml) start Rasa through this
module: it reads RASA_AUTH_TOKEN through the settings (evn/settings/: in development the
var/secrets/ value every local process shares, with APP_ENV=production a real one or no start)
and hands it to Rasa's own `main` as `--jwt-secret` inside this process; `ps` shows only the
arguments this module was started with. There is no `--auth-token`: Rasa would accept that
token in the query string (`?token=`), where proxies and access logs keep it. Our clients send
`Authorization: Bearer <JWT>` signed with the same secret (evn/adapters/rasa_auth.py).
Options that would put a credential on the command line are refused. Rasa's bare commands
(`rasa run`, `rasa shell`) are untouched.
"""
from __future__ import annotations

import sys

from evn.adapters.rasa_auth import ALGORITHM

# Rasa's options that carry a credential (argparse also takes any unambiguous abbreviation of them).
SECRET_OPTIONS = ("--auth-token", "--jwt-secret", "--jwt-private-key", "--jwt-method")
SECRET_SHORT_OPTION = "t"  # -t, --auth-token's short form


def credential_options(args: list[str]) -> list[str]:
    """The arguments that would give Rasa a credential on the command line."""
    found = []
    for arg in args:
        name = arg.split("=", 1)[0]
        long = name.startswith("--") and len(name) > 2 and any(option.startswith(name) for option in SECRET_OPTIONS)
        short = name.startswith("-") and not name.startswith("--") and SECRET_SHORT_OPTION in name[1:]
        if long or short:
            found.append(name)
    return found


def rasa_argv(args: list[str], secret: str) -> list[str]:
    """What Rasa's `main` reads as sys.argv: our arguments, and the JWT secret right after the command."""
    if not args or args[0].startswith("-"):
        raise SystemExit("usage: python -m ops.rasa_server run [rasa run's options]")
    refused = credential_options(args)
    if refused:
        raise SystemExit(f"{', '.join(refused)}: no credential on the command line; RASA_AUTH_TOKEN is the "
                         "HTTP API's secret (read from the environment)")
    if not secret:
        raise SystemExit("RASA_AUTH_TOKEN is not set")
    # `=`: a secret that begins with "-" (token_urlsafe makes some) is still a value, not an option.
    return ["rasa", args[0], f"--jwt-secret={secret}", f"--jwt-method={ALGORITHM}", *args[1:]]


def main() -> None:
    from evn.settings import load_settings

    secret = load_settings().rasa_auth_token
    sys.argv = rasa_argv(sys.argv[1:], secret)
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
