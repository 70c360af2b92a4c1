"""The database engine and session factory for a URL (settings.database_url names it)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from evn.adapters.db_timing import instrument

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def make_engine(url: str, pool_size: int = 5) -> Engine:
    """An engine whose pool holds `pool_size` connections and half as many again at a peak."""
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
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def session_factory(engine: Engine) -> sessionmaker:
    return sessionmaker(bind=engine, future=True, expire_on_commit=False, class_=Session)
