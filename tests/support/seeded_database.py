"""The databases the tests run on: where PostgreSQL is, the reference date and size of the seed, a seeded SQLite file.

tests/conftest.py builds its database fixtures on these; modules that seed or reach a database of their own
(the pay pages, the end-to-end stacks, the production profile) use the same values.
"""
from __future__ import annotations

import os
from datetime import date

from evn.adapters.db import make_engine
from evn.demo.seed import seed

POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
SYNTHETIC_CUSTOMERS = 40
REFERENCE_DATE = date(2026, 11, 1)


def seeded_sqlite(path) -> str:
    """A SQLite database at `path`, seeded as the suite's shared one is; its URL."""
    url = f"sqlite:///{path}"
    seed(make_engine(url), SYNTHETIC_CUSTOMERS, REFERENCE_DATE, quiet=True)
    return url


def demo_sqlite(path) -> str:
    """A SQLite database at `path` with the demo customers only (no synthetic ones), migrated by the seed; its URL."""
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    seed(engine, 0, REFERENCE_DATE, quiet=True)
    engine.dispose()
    return url
