"""`python -m evn.seed --issue-period MM/YYYY`: the billing run the notices start from (a contract)."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

from sqlalchemy import create_engine, text

from evn import reference
from evn.adapters.db import make_engine
from evn.demo.seed import seed
from evn.domain.tariff import compute_bill


def run(url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "evn.seed", *args, "--database-url", url],
                          capture_output=True, text=True, timeout=120)


def test_a_period_is_billed_once_for_every_customer_priced_by_the_tariff(tmp_path):
    url = f"sqlite:///{tmp_path / 'run.sqlite3'}"
    engine = make_engine(url)
    seed(engine, 20, date(2026, 11, 1), quiet=True)
    engine.dispose()
    first = run(url, "--issue-period", "11/2026")
    assert first.returncode == 0 and "22 hóa đơn kỳ 11/2026" in first.stdout
    again = run(url, "--issue-period", "11/2026")
    assert again.returncode == 0 and "0 hóa đơn" in again.stdout
    check = create_engine(url)
    with check.connect() as connection:
        bills = connection.execute(text(
            "SELECT b.kwh, b.total, b.old_reading, b.new_reading, b.issued_on, b.due_date, b.status, p.new_reading "
            "FROM bills b JOIN bills p ON p.customer_id = b.customer_id AND p.period = 202610 "
            "WHERE b.period = 202611")).all()
        readings = connection.execute(text("SELECT count(*) FROM meter_readings WHERE read_on = '2026-11-30'")).scalar()
    check.dispose()
    assert len(bills) == 22 and readings == 22
    tariffs, vat = reference.tariffs(), reference.vat_rates()
    for kwh, total, old, new, issued, due, status, previous in bills:
        assert old == previous and new == old + kwh, "the new reading follows the last one"
        assert total == compute_bill(kwh, date(2026, 11, 1), date(2026, 11, 30), tariffs, vat).total
        assert (str(issued), str(due), status) == ("2026-12-01", "2026-12-15", "unpaid")


def test_a_bad_period_is_refused_with_a_clear_message(tmp_path):
    result = run(f"sqlite:///{tmp_path / 'x.sqlite3'}", "--issue-period", "13/2026")
    assert result.returncode == 2 and "11/2026" in result.stderr


def test_the_back_office_cli_moves_a_request_on_and_notifies(tmp_path):
    url = f"sqlite:///{tmp_path / 'office.sqlite3'}"
    engine = make_engine(url)
    seed(engine, 0, date(2026, 11, 1), quiet=True)
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO service_requests (ticket, kind, service_type, customer_code, status, priority, details, "
            "channel, conversation_id, created_at) VALUES ('YC-261201-0009', 'service', 'change_info', "
            "'PE01000000001', 'received', 'normal', '{}', 'zalo', 'zalo-u9', '2026-12-01 03:00:00')"))
    engine.dispose()

    def office(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "evn.entrypoints.back_office", *args],
                              capture_output=True, text=True,
                              timeout=60, env={**os.environ, "DATABASE_URL": url})

    done = office("status", "yc-261201-0009", "done", "--note", "Đã cập nhật thông tin")
    assert done.returncode == 0 and "YC-261201-0009: done" in done.stdout
    assert office("status", "YC-000000-0000", "done").returncode == 1
    assert office("status", "YC-261201-0009", "finished").returncode == 2
    check = create_engine(url)
    with check.connect() as connection:
        status = connection.execute(text("SELECT status FROM service_requests")).scalar()
        notices = connection.execute(text("SELECT kind, conversation_id, status FROM notices")).all()
    check.dispose()
    assert status == "done" and [tuple(n) for n in notices] == [("request_status", "zalo-u9", "pending")]
