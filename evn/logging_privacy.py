"""Personal data and credentials never reach a log in clear, whichever library writes the line.

`install()` wraps `logging.Logger.makeRecord`, through which every record of every
logger passes: the message is formatted at once and masked (phones, citizen IDs, street
addresses, tokens in URLs and headers), and so are its traceback and the string values
passed as `extra` (Sanic's access log puts the URL there), before any handler sees it.
Rasa's structured logs, Sanic's and our own all pass through it. The launcher masks
what processes print besides (ops/logfiles.py).
"""
from __future__ import annotations

import logging
import traceback
from typing import Any

from evn.domain.masking import mask_for_logs

_INSTALLED = "_evn_privacy"


_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


def install() -> None:
    """Idempotent: the second call in a process changes nothing."""
    original = logging.Logger.makeRecord
    if getattr(original, _INSTALLED, False):
        return

    def make_record(self: logging.Logger, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record = original(self, *args, **kwargs)
        mask_record(record)
        return record

    setattr(make_record, _INSTALLED, True)
    logging.Logger.makeRecord = make_record  # type: ignore[method-assign]


def mask_record(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 - a record whose arguments do not fit its format
        message = f"{record.msg!r} {record.args!r}"
    record.msg, record.args = mask_for_logs(message), ()
    if record.exc_info and record.exc_info[0] is not None:
        record.exc_text = mask_for_logs("".join(traceback.format_exception(*record.exc_info)).rstrip("\n"))
    if record.stack_info:
        record.stack_info = mask_for_logs(record.stack_info)
    for key, value in vars(record).items():
        if key not in _STANDARD and isinstance(value, str):
            setattr(record, key, mask_for_logs(value))
