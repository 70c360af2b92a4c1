"""A request line that is not UTF-8 is the client's fault: one warning line, not an error with tracebacks."""
from __future__ import annotations

import logging
import sys

from evn.logging_setup import ClientFaults


class BadURL(ValueError):
    """Stands for Sanic 25's own exception, raised while it handles the UnicodeError."""


def record_of(error: BaseException, message: str = "protocol.connection_task uncaught") -> logging.LogRecord:
    try:
        raise error
    except BaseException:  # noqa: BLE001 - the record carries whatever was raised
        info = sys.exc_info()
    return logging.LogRecord("sanic.error", logging.ERROR, __file__, 1, message, (), info)


def chained() -> BaseException:
    try:
        try:
            "Tiếng".encode("ascii")
        except UnicodeError as first:
            raise BadURL("URL may only contain US-ASCII characters.") from first
    except BadURL as last:
        return last
    raise AssertionError("unreachable")


def test_sanic_21s_unicode_error_and_sanic_25s_chain_become_one_warning():
    for error in (UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"), chained()):
        record = record_of(error)
        assert ClientFaults().filter(record)
        assert record.levelno == logging.WARNING and record.exc_info is None
        assert record.getMessage().startswith("refused a request that is not valid UTF-8")


def test_every_other_error_keeps_its_traceback():
    for record in (record_of(BadURL("no unicode behind it")), record_of(chained(), "another message")):
        assert ClientFaults().filter(record)
        assert record.levelno == logging.ERROR and record.exc_info is not None
