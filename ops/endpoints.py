"""endpoints.yml for a Rasa server the launcher starts: the committed file, with its action server.

The committed endpoints.yml serves Rasa's bare commands (port 5055, no token). A
launched server gets a copy under var/run/ (mode 600) naming the action server it should
call and the shared token, sent in the Authorization header (Rasa's `token:` would put it
in the URL), so the token is never written in the repo nor in a URL. `make run` gives it a
SQLite tracker store (`tracker_store`), so conversations outlive a restart and the operations
report counts them. In the production profile the
copy names the stores several Rasa processes share (`shared_stores`): the SQL tracker
store (TRACKER_STORE_URL), the Redis lock store (REDIS_URL) and the Pika event broker
(RABBITMQ_URL, RABBITMQ_QUEUE).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml
from sqlalchemy.engine import make_url

from evn.settings import Settings

LOCK_KEY_PREFIX = "evn"
# Rasa's RedisLockStore that outlives Redis restarts.
LOCK_STORE = "rasa_server_plugins.lock_store.FallbackRedisLockStore"


def render(project: Path, actions_url: str, token: str, directory: Path, name: str,
           extra: dict[str, Any] | None = None) -> Path:
    config = yaml.safe_load((project / "endpoints.yml").read_text()) or {}
    config["action_endpoint"] = {**(config.get("action_endpoint") or {}), "url": actions_url}
    if token:
        config["action_endpoint"]["headers"] = {"Authorization": f"Bearer {token}"}
    config.update(extra or {})
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"endpoints-{name}.yml"
    path.touch(mode=0o600)
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def tracker_store(address: str, one_process: bool = False) -> dict[str, Any]:
    """Rasa's SQL tracker store for a URL: PostgreSQL, or, for one Rasa process (`make run`), a SQLite file."""
    if one_process and address.startswith("sqlite:///"):
        path = make_url(address).database
        if not path:
            raise ValueError("TRACKER_STORE_URL names no SQLite file")
        return {"type": "SQL", "dialect": "sqlite", "db": path}
    url = urlsplit(address)
    if url.scheme not in ("postgresql", "postgres"):
        raise ValueError("TRACKER_STORE_URL must be a postgresql:// URL")
    return {
        "type": "SQL", "dialect": "postgresql", "url": url.hostname or "127.0.0.1", "port": url.port or 5432,
        "db": url.path.lstrip("/") or "rasa", "username": unquote(url.username or "postgres"),
        "password": unquote(url.password or ""),
    }


def shared_stores(settings: Settings) -> dict[str, Any]:
    """Rasa's tracker store, lock store and event broker for the URLs that are set (several Rasa processes)."""
    found: dict[str, Any] = {}
    if settings.tracker_store_url:
        found["tracker_store"] = tracker_store(settings.tracker_store_url)
    if settings.redis_url:
        url = urlsplit(settings.redis_url)
        found["lock_store"] = {
            "type": LOCK_STORE, "url": url.hostname or "127.0.0.1", "port": url.port or 6379,
            "db": int(url.path.lstrip("/") or 0), "password": unquote(url.password or "") or None,
            "key_prefix": LOCK_KEY_PREFIX, "socket_timeout": 1,
        }
    if settings.rabbitmq_url:
        url = urlsplit(settings.rabbitmq_url)
        found["event_broker"] = {
            "type": "pika", "url": url.hostname or "127.0.0.1", "port": url.port or 5672,
            "username": unquote(url.username or "guest"), "password": unquote(url.password or "guest"),
            "queues": [settings.rabbitmq_queue],
        }
    return found


def main() -> int:
    """python -m ops.endpoints --actions-url URL --out FILE: a container's endpoints, from its environment."""
    import argparse

    from evn.settings import load_settings

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--actions-url", required=True, help="the action server's /webhook URL")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    settings = load_settings()
    written = render(Path(__file__).resolve().parents[1], args.actions_url, settings.action_server_token,
                     args.out.parent, "container", extra=shared_stores(settings))
    written.replace(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
