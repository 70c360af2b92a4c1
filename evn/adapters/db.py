"""The database engine and session factory for a URL (settings.database_url names it)."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from evn.adapters.db_timing import instrument

PROJECT_ROOT = Path(__file__).resolve().parents[2]
READ_ONLY = "evn_read_only"  # the execution option `reading` sets


def make_engine(url: str, pool_size: int = 5) -> Engine:
    """An engine whose pool holds `pool_size` connections and half as many again at a peak."""
    if url.startswith("postgres://"):  # Heroku-style, also Rasa's; SQLAlchemy 1.4 knows only postgresql://
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, future=True, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return instrument(engine)
    return instrument(create_engine(url, future=True, pool_pre_ping=True, pool_size=pool_size,
                                    max_overflow=max(1, pool_size // 2)))


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers go on while a payment or a seed writes.
    dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" event issues BEGIN itself
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    # A transaction that reads and then writes cannot be upgraded when another writer
    # committed meanwhile (SQLITE_BUSY, no waiting): take the write lock at the start
    # instead, so concurrent writers wait their turn (busy_timeout) rather than fail.
    # A reader (`reading`) begins deferred: in WAL it sees one snapshot and blocks no writer.
    connection.exec_driver_sql("BEGIN" if connection.get_execution_options().get(READ_ONLY) else "BEGIN IMMEDIATE")


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A connection that only reads, for long reads (the operations report): on SQLite it takes no
    write lock, so payments and requests are written meanwhile; elsewhere it is a plain connection."""
    with engine.connect() as connection:
        yield connection.execution_options(**{READ_ONLY: True})


def session_factory(engine: Engine) -> sessionmaker:
    return sessionmaker(bind=engine, future=True, expire_on_commit=False, class_=Session)
