"""Logging of every process, set up in one call: privacy first, and client faults without tracebacks.

A request line that is not UTF-8 makes Sanic log "protocol.connection_task uncaught" with its
tracebacks: Sanic 21.12 (the Rasa server) closes the connection on the UnicodeError itself, Sanic 25
(the web app and the action server) answers 400 and logs a chain that starts with it and ends in its
own BadURL. That is the client's fault, so it becomes one warning line; every other error keeps its
traceback.
"""
from __future__ import annotations

import logging

from evn import logging_privacy

_CLIENT_FAULTS = (UnicodeError,)


def _caused_by_client(error: BaseException | None) -> bool:
    """The error, or one it was raised while handling, is a client's fault (a short chain: Sanic's is four)."""
    for _ in range(8):
        if error is None:
            return False
        if isinstance(error, _CLIENT_FAULTS):
            return True
        error = error.__cause__ or error.__context__
    return False


class ClientFaults(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if _caused_by_client(error) and "connection_task" in record.getMessage():
            record.msg, record.args = f"refused a request that is not valid UTF-8 ({type(error).__name__})", ()
            record.exc_info, record.exc_text, record.levelno, record.levelname = None, None, logging.WARNING, "WARNING"
        return True


def install() -> None:
    logging_privacy.install()
    sanic_errors = logging.getLogger("sanic.error")
    if not any(isinstance(f, ClientFaults) for f in sanic_errors.filters):
        sanic_errors.addFilter(ClientFaults())
