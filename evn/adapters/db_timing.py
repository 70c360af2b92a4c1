"""Time spent in database calls by the current thread, for the action server's timings.

SQLAlchemy's cursor events bracket every statement; the time is added to a per-thread
counter that the caller resets before a unit of work and reads after it. Costs two
perf_counter calls per statement.
"""
from __future__ import annotations

import threading
import time
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

_local = threading.local()


def reset() -> None:
    _local.seconds, _local.statements = 0.0, 0


def read() -> tuple[float, int]:
    """(seconds, statements) since the last reset on this thread."""
    return getattr(_local, "seconds", 0.0), getattr(_local, "statements", 0)


def _before(conn: Any, _cursor: Any, _statement: Any, _parameters: Any, _context: Any, _many: Any) -> None:
    conn.info.setdefault("evn_started", []).append(time.perf_counter())


def _after(conn: Any, _cursor: Any, _statement: Any, _parameters: Any, _context: Any, _many: Any) -> None:
    started = conn.info["evn_started"].pop()
    _local.seconds = getattr(_local, "seconds", 0.0) + time.perf_counter() - started
    _local.statements = getattr(_local, "statements", 0) + 1


def instrument(engine: Engine) -> Engine:
    event.listen(engine, "before_cursor_execute", _before)
    event.listen(engine, "after_cursor_execute", _after)
    return engine
