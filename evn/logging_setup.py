"""Logging of every process, set up in one call: privacy first, and client faults without tracebacks.

Sanic 21.12 cannot answer a request line that is not UTF-8: it closes the connection
and logs two tracebacks ("protocol.connection_task uncaught"). That is the client's
fault, so it becomes one warning line; every other error keeps its traceback.
"""
from __future__ import annotations

import logging

from evn import logging_privacy

_CLIENT_FAULTS = (UnicodeError,)


class ClientFaults(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, _CLIENT_FAULTS) and "connection_task" in record.getMessage():
            record.msg, record.args = f"refused a request that is not valid UTF-8 ({error.__class__.__name__})", ()
            record.exc_info, record.exc_text, record.levelno, record.levelname = None, None, logging.WARNING, "WARNING"
        return True


def install() -> None:
    logging_privacy.install()
    sanic_errors = logging.getLogger("sanic.error")
    if not any(isinstance(f, ClientFaults) for f in sanic_errors.filters):
        sanic_errors.addFilter(ClientFaults())
