"""What Rasa's own command-line parser reads from the launcher (ops/rasa_server.py): the secret reaches Rasa inside
the process, never on the command line. The command line itself, the launcher's refusals, nginx and compose:
tests/unit/test_rasa_credentials.py.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from rasa.__main__ import create_argument_parser

from ops.rasa_server import rasa_argv
from ops.stack import rasa_command

ROOT = Path(__file__).resolve().parents[2]
# token_urlsafe makes secrets that begin with "-": still a value for Rasa's parser, never an option.
SECRET = "-Zk3_rasa-http-api-secret-0123456789"


@pytest.mark.parametrize("debug", [False, True])
def test_rasas_parser_gets_the_secret_inside_the_launcher(debug):
    """ops/stack.py's `make run` and end-to-end stacks, and ops/production.py's Rasa processes."""
    command = rasa_command(5005, ROOT / "var" / "run" / "endpoints-5005.yml", debug)
    argv = rasa_argv(command[3:], SECRET)  # what the launcher hands Rasa (sys.argv, never the kernel's argv)
    assert argv[0] == "rasa"
    parsed = create_argument_parser().parse_args(argv[1:])
    assert parsed.jwt_secret == SECRET and parsed.jwt_method == "HS256" and parsed.auth_token is None
    assert parsed.enable_api and parsed.port == 5005 and parsed.endpoints.endswith("endpoints-5005.yml")
    assert parsed.model == "models" and parsed.credentials == "credentials.yml"
