"""A long read (the operations report) on SQLite takes no write lock: payments go on being written."""
from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from evn.adapters.db import make_engine, reading


@pytest.fixture
def engine(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'evn.sqlite3'}")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE paid (n INTEGER)")
        connection.exec_driver_sql("INSERT INTO paid VALUES (1)")
    yield engine
    engine.dispose()


def write_quickly(engine) -> None:
    """A writer that waits 200 ms for the lock instead of the usual 10 s."""
    with engine.connect() as writer:
        writer.connection.dbapi_connection.execute("PRAGMA busy_timeout=200")
        writer.execute(text("INSERT INTO paid VALUES (2)"))
        writer.commit()


def count(connection) -> int:
    return connection.execute(text("SELECT count(*) FROM paid")).scalar_one()


def test_a_reader_mid_transaction_lets_a_writer_commit_and_keeps_its_snapshot(engine):
    with reading(engine) as reader:
        assert count(reader) == 1
        write_quickly(engine)
        assert count(reader) == 1, "the reader's one snapshot"
    with reading(engine) as reader:
        assert count(reader) == 2


def test_an_ordinary_connection_holds_the_write_lock_which_is_why_reads_use_reading(engine):
    with engine.connect() as ordinary:
        count(ordinary)
        with pytest.raises(OperationalError, match="locked"):
            write_quickly(engine)
