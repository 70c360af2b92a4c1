"""Rasa's HTTP API secret stays off command lines and out of logged URLs.

A process's command line is readable by every user of the machine (`ps`, /proc/<pid>/cmdline):
Rasa is started through ops/rasa_server.py, which reads RASA_AUTH_TOKEN from the environment
and hands it to Rasa's own CLI inside the process. nginx's access log keeps no query string.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from ops import nginx_conf
from ops.rasa_server import credential_options, rasa_argv
from ops.stack import rasa_command

ROOT = Path(__file__).resolve().parents[2]
# token_urlsafe makes secrets that begin with "-": still a value for Rasa's parser, never an option.
SECRET = "-Zk3_rasa-http-api-secret-0123456789"


@pytest.mark.parametrize("debug", [False, True])
def test_the_command_line_rasa_is_started_with_holds_no_secret(debug):
    """ops/stack.py's `make run` and end-to-end stacks, and ops/production.py's Rasa processes. What Rasa's own
    parser then reads from the launcher: tests/components/test_rasa_command_line.py."""
    command = rasa_command(5005, ROOT / "var" / "run" / "endpoints-5005.yml", debug)
    assert command[1:3] == ["-m", "ops.rasa_server"]
    assert not credential_options(command) and not any("token" in part or "jwt" in part for part in command)


@pytest.mark.parametrize("given", [
    ["--auth-token", "x"], ["--auth-token=x"], ["--auth", "x"], ["-t", "x"], ["-tx"], ["-vt", "x"],
    ["--jwt-secret", "x"], ["--jwt-s=x"], ["--jwt-private-key", "k"], ["--jwt-method", "RS256"],
])
def test_the_launcher_refuses_a_credential_on_its_command_line(given):
    with pytest.raises(SystemExit):
        rasa_argv(["run", "--enable-api", *given], SECRET)


def test_the_launcher_needs_a_command_and_a_secret():
    for args in ([], ["--enable-api"]):
        with pytest.raises(SystemExit):
            rasa_argv(args, SECRET)
    with pytest.raises(SystemExit):
        rasa_argv(["run", "--enable-api"], "")


def test_compose_starts_rasa_through_the_launcher_with_no_secret_in_its_command():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    for name in ("rasa-1", "rasa-2"):
        command = compose["services"][name]["command"]
        assert "python -m ops.rasa_server run --enable-api" in command
        assert "RASA_AUTH_TOKEN" not in command and "--auth-token" not in command and "jwt" not in command


# Variables of nginx that hold the query string (`$request` is the whole request line).
QUERY_VARIABLES = re.compile(r"\$(request|request_uri|args|query_string|is_args|arg_\w+)(?!\w)")


@pytest.mark.parametrize("conf", [
    nginx_conf.text(**nginx_conf.COMPOSE),  # type: ignore[arg-type]
    nginx_conf.text(nginx_conf.Paths("/run/n.pid", "/log/e.log", "/log/a.log", "/tmp/n"), 8000, "127.0.0.1:8001",
                    ["127.0.0.1:5005"], ["127.0.0.1:8080"]),
], ids=["compose", "profile"])
def test_nginx_access_log_keeps_no_query_string(conf):
    formats = dict(re.findall(r"log_format\s+(\w+)\s+(.*?);", conf, re.S))
    assert formats and not any(QUERY_VARIABLES.search(body) for body in formats.values())
    logs = re.findall(r"access_log\s+([^;]+);", conf)
    # Every access log names one of these formats (nginx's default, "combined", logs $request).
    assert logs and all(log.split()[-1] in formats or log.strip() == "off" for log in logs), logs
    internal = conf.split("listen 127.0.0.1:8001;" if "127.0.0.1:8001" in conf else "listen 8001;", 1)[1]
    assert re.search(r"access_log\s+(\S+\s+path_only|off);", internal.split("location", 1)[0])


def test_rasa_sends_the_action_server_token_in_a_header_never_in_the_url(tmp_path):
    """Rasa's `token:` in endpoints.yml goes out as ?token=; the rendered copy uses a header instead."""
    import yaml

    from ops.endpoints import render
    from ops.stack import ROOT

    path = render(ROOT, "http://127.0.0.1:5055/webhook", "action-secret", tmp_path, "test")
    action = yaml.safe_load(path.read_text())["action_endpoint"]
    assert "token" not in action and action["headers"] == {"Authorization": "Bearer action-secret"}
    assert "action-secret" not in action["url"]
