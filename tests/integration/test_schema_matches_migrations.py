"""The ORM's tables (evn/adapters/orm.py) and the schema the Alembic migrations build (migrations/) are the same.

An empty database is brought to head by the migrations, then Alembic's autogenerate compares it with the ORM's
metadata: tables, columns, their types, nullability and server defaults, primary and foreign keys, unique
constraints and indexes (Alembic matches constraints by their columns, not their names, and compares no CHECK
constraints: the schema has none). Nothing is filtered out; a difference here needs a new migration (or the ORM
fixed, if the migrations are right), never an exception in this test.
"""
from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, MetaData, String

from evn.adapters import orm
from evn.adapters.db import make_engine
from evn.adapters.migrate import upgrade

# compare_type is Alembic's default already; both are named so the comparison cannot quietly become weaker.
OPTIONS = {"compare_type": True, "compare_server_default": True}


@pytest.fixture(params=["sqlite", "postgresql"])
def migrated_url(request, tmp_path) -> str:
    """An empty database brought to head by the migrations, on SQLite and on PostgreSQL."""
    url = (f"sqlite:///{tmp_path / 'schema.sqlite3'}" if request.param == "sqlite"
           else request.getfixturevalue("postgres_databases")())
    upgrade(url)
    return url


def differences(url: str, metadata: MetaData) -> list:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return compare_metadata(MigrationContext.configure(connection, opts=OPTIONS), metadata)
    finally:
        engine.dispose()


def test_the_migrations_build_exactly_the_orms_schema(migrated_url):
    assert differences(migrated_url, orm.metadata) == []


def test_the_schema_comparison_sees_a_difference(migrated_url):
    """The control: a column the migrations never made is reported, so an empty answer above means something."""
    drifted = MetaData(naming_convention=orm.metadata.naming_convention)
    for table in orm.metadata.sorted_tables:
        table.to_metadata(drifted)
    drifted.tables["customers"].append_column(Column("email", String(200), nullable=True))
    found = differences(migrated_url, drifted)
    assert [(d[0], d[2], d[3].name) for d in found if d[0] == "add_column"] == [("add_column", "customers", "email")]
    assert len(found) == 1, found
