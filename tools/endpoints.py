"""endpoints.yml for a Rasa server the launcher starts: the committed file, with its action server.

The committed endpoints.yml serves Rasa's bare commands (port 5055, no token). A
launched server gets a copy under var/run/ naming the action server it should call and
the shared token (sent by Rasa as ?token=), so the token is never written in the repo.
"""
from __future__ import annotations

from pathlib import Path

import yaml


def render(project: Path, actions_url: str, token: str, directory: Path, name: str) -> Path:
    config = yaml.safe_load((project / "endpoints.yml").read_text()) or {}
    config["action_endpoint"] = {**(config.get("action_endpoint") or {}), "url": actions_url}
    if token:
        config["action_endpoint"]["token"] = token
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"endpoints-{name}.yml"
    path.touch(mode=0o600)
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path
