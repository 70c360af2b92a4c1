"""Personal data never reaches a log in clear, whichever library writes the line.

`install()` wraps the process's log record factory: every record's message is
formatted at once and masked (phones, citizen IDs, street addresses), and so is its
traceback, before any handler sees it. Rasa's structured logs, Sanic's and our own
all pass through it. The launcher masks what processes print besides (tools/supervise.py).
"""
from __future__ import annotations

import logging
import traceback
from typing import Any

from evn.domain.masking import mask_personal_data

_INSTALLED = "_evn_privacy"


def install() -> None:
    """Idempotent: the second call in a process changes nothing."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, _INSTALLED, False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        mask_record(record)
        return record

    setattr(factory, _INSTALLED, True)
    logging.setLogRecordFactory(factory)


def mask_record(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 - a record whose arguments do not fit its format
        message = f"{record.msg!r} {record.args!r}"
    record.msg, record.args = mask_personal_data(message), ()
    if record.exc_info and record.exc_info[0] is not None:
        record.exc_text = mask_personal_data("".join(traceback.format_exception(*record.exc_info)).rstrip("\n"))
    if record.stack_info:
        record.stack_info = mask_personal_data(record.stack_info)
