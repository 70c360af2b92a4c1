"""Shared fixtures: real databases, seeded with the project's own seed."""
from __future__ import annotations

import os
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from evn.adapters.db import make_engine, session_factory
from evn.demo.seed import seed
from tests.support.seeded_database import POSTGRES_ADMIN_URL, REFERENCE_DATE, SYNTHETIC_CUSTOMERS, seeded_sqlite

os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
# The end-to-end helper modules (tests/e2e/*.py that are not tests) assert as the tests do: pytest explains a failure.
pytest.register_assert_rewrite("tests.e2e")


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory) -> str:
    return seeded_sqlite(tmp_path_factory.mktemp("db") / "evn.sqlite3")


@pytest.fixture(scope="session")
def postgres_databases():
    """Creates fresh PostgreSQL databases for this run and drops them afterwards."""
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", future=True)
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - any failure means "no server here"
        pytest.skip(f"no PostgreSQL reachable at {POSTGRES_ADMIN_URL}: {error.__class__.__name__}")
    created: list[str] = []

    def create() -> str:
        name = f"evn_test_{uuid.uuid4().hex[:8]}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        created.append(name)
        return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + name

    yield create
    with admin.connect() as connection:
        for name in created:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def postgres_url(postgres_databases) -> str:
    return postgres_databases()


@pytest.fixture(scope="session")
def seeded_postgres_url(postgres_url) -> str:
    seed(make_engine(postgres_url), SYNTHETIC_CUSTOMERS, REFERENCE_DATE, quiet=True)
    return postgres_url


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request) -> str:
    """Repository and migration tests run against both databases."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("seeded_postgres_url")


@pytest.fixture(scope="session")
def sessions(database_url):
    engine = make_engine(database_url)
    yield session_factory(engine)
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_sessions(request, tmp_path):
    """A newly seeded database per test, for tests that change money or requests."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_databases")()
    engine = make_engine(url)
    seed(engine, 10, REFERENCE_DATE, quiet=True)
    yield session_factory(engine)
    engine.dispose()


class Clock:
    """A settable clock for services that take `clock=` (naive UTC, like the app)."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 28, 3, 0))  # 10:00 on Saturday 28/11/2026 in Vietnam


@pytest.fixture(scope="session")
def domain_dict() -> dict:
    """domain.yml as the action server receives it (responses included), without loading Rasa."""
    import yaml

    return yaml.safe_load((Path(__file__).resolve().parents[1] / "domain.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def render(domain_dict):
    """render(name, **values): a response's text, as the Rasa server fills it."""
    from actions.phrases import phrase

    initial = {name: slot["initial_value"] for name, slot in domain_dict["slots"].items()
               if isinstance(slot.get("initial_value"), str)}  # Rasa fills the slots too
    return lambda name, **values: phrase(domain_dict, name, **{**initial, **values})
