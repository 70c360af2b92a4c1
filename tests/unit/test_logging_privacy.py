"""Log records are masked when they are made, tracebacks included, whoever logs them."""
from __future__ import annotations

import logging

import pytest

from evn import logging_privacy


@pytest.fixture
def captured():
    original = logging.Logger.makeRecord
    logging_privacy.install()
    logging_privacy.install()  # idempotent
    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(logging.Formatter("%(message)s").format(record))

    logger = logging.getLogger("test.privacy")
    handler = Keep()
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield logger, records
    logger.removeHandler(handler)
    logging.Logger.makeRecord = original


def test_arguments_messages_and_tracebacks_are_masked(captured):
    logger, records = captured
    logger.info("user said %s", {"text": "sdt 0901234567 cccd 079095001234"})
    try:
        int("0912345678x")
    except ValueError:
        logger.exception("parse failed for %r", "123 Lê Lợi, Quận 1")
    joined = "\n".join(records)
    for secret in ("0901234567", "079095001234", "0912345678", "123 Lê Lợi"):
        assert secret not in joined, joined
    assert "090****567" in joined and "Traceback" in joined and "Quận 1" in joined


def test_a_record_whose_arguments_do_not_fit_still_logs(captured):
    logger, records = captured
    logger.info("%d items", "not a number 0901234567")
    assert records and "0901234567" not in records[0]


def test_credentials_and_extra_fields_are_masked(captured):
    logger, records = captured
    kept: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            kept.append(record)

    logger.addHandler(Keep())
    logger.info("calling %s", "http://127.0.0.1:5005/conversations/x/tracker?token=s3cret&output_channel=latest",
                extra={"request": "GET /webhook?token=s3cret from 0901234567"})
    logger.info("Authorization: Bearer abc.def")
    assert "s3cret" not in records[0] and "token=***" in records[0] and "abc.def" not in records[1]
    assert kept[0].request == "GET /webhook?token=*** from 090****567"  # Sanic's access log reads it
