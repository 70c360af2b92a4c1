"""What several end-to-end modules do alike: read replies and a conversation's tracker, find a customer to pay,
expire a phone check, start a stack of their own."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
import requests
import yaml
from sqlalchemy import create_engine, select, text

from evn.adapters import orm
from evn.adapters.db import make_engine
from ops.model_fingerprint import is_stale
from ops.stack import Stack, free_port
from tests.support.seeded_database import seeded_sqlite

ROOT = Path(__file__).resolve().parents[2]


def response_text(name: str) -> str:
    """The domain's first text of response `name` as a customer who has not said how to be addressed reads it
    (the slots' initial values, "anh/chị"): what a channel answers by itself before Rasa."""
    domain = yaml.safe_load((ROOT / "domain.yml").read_text("utf-8"))
    initial = {slot: spec["initial_value"] for slot, spec in domain["slots"].items()
               if isinstance(spec.get("initial_value"), str)}
    return str(domain["responses"][name][0]["text"]).format(**initial)


def texts(replies: list[dict]) -> str:
    return "\n".join(reply.get("text", "") for reply in replies)


def tracker_events(stack, conversation: str) -> list[dict]:
    answer = requests.get(f"{stack.rasa_url}/conversations/{conversation}/tracker",
                          headers=stack.rasa_headers(conversation), timeout=10)
    return answer.json().get("events") or []


def require_fresh_model() -> None:
    if is_stale(ROOT):
        pytest.fail("the trained model is older than data/, domain.yml or config.yml: run `make train`")


def unpaid_customer(database_url: str) -> tuple[str, str, int]:
    """(code, phone, total) of a synthetic customer whose bill of 10/2026 is unpaid (the demo ones are kept)."""
    engine = make_engine(database_url)
    with engine.connect() as connection:
        row = connection.execute(
            select(orm.Customer.code, orm.Customer.phone, orm.Bill.total)
            .join(orm.Bill, orm.Bill.customer_id == orm.Customer.id)
            .where(orm.Bill.period == 202610, orm.Bill.status == "unpaid", orm.Customer.code != "PE01000000001")
            .order_by(orm.Customer.code).limit(1)
        ).one()
    engine.dispose()
    return row[0], row[1], row[2]


def expire_verification(sqlite_url: str, conversation: str) -> None:
    """The phone check expires (it lasts a while; a link does not)."""
    engine = create_engine(sqlite_url)
    with engine.begin() as connection:
        deleted = connection.execute(text("DELETE FROM verification_attempts WHERE conversation_id = :c"),
                                     {"c": conversation}).rowcount
    engine.dispose()
    assert deleted >= 1, f"the phone check of {conversation} was recorded"


def own_stack(tmp_path_factory, name: str, env: dict[str, str], **options) -> Iterator[Stack]:
    """A module's own stack over its own freshly seeded SQLite database (for `yield from` in a fixture)."""
    require_fresh_model()
    database = seeded_sqlite(tmp_path_factory.mktemp(f"{name}-db") / "evn.sqlite3")
    servers = Stack(rasa_port=free_port(), actions_port=free_port(), web_port=free_port(),
                    env={"DATABASE_URL": database, "PAYMENT_SIMULATOR": "1", **env},
                    log_dir=tmp_path_factory.mktemp(f"{name}-logs"), **options)
    servers.start()
    yield servers
    servers.stop()


def command_lines_holding(secrets: Iterable[str]) -> list[str]:
    """The processes of this machine whose command line (world-readable: `ps`) holds one of `secrets`,
    as "pid program" (the secret itself is not repeated in a test's report)."""
    wanted = [secret.encode() for secret in secrets if secret]
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
        except OSError:  # the process ended meanwhile
            continue
        if any(secret in command for secret in wanted):
            program = command.split(b"\0", 1)[0].decode(errors="replace")
            found.append(f"{entry.name} {program}")
    return found
