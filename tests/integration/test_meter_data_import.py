"""Loading the meter data system's daily export (evn.services.meter_data, python -m evn.meter_data), on SQLite
and PostgreSQL: bad rows reported, the rest loaded in one transaction, a second load changing nothing."""
from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from datetime import date, datetime

import pytest
from sqlalchemy import select

from evn.adapters import orm
from evn.adapters.repositories.meter_data import MeterDataRepository
from evn.adapters.unit_of_work import Factory
from evn.domain.daily_readings import Reason
from evn.services.meter_data import import_readings

TODAY = date(2027, 1, 20)
NOW = datetime(2027, 1, 20, 3, 0)
METER = "CTTEST00001"
OTHER = "CTTEST00002"


@pytest.fixture
def sessions(fresh_sessions):
    """The fresh seeded database with two meters of customer 1 that nothing else reads."""
    with fresh_sessions() as session:
        for serial in (METER, OTHER):
            session.add(orm.Meter(customer_id=1, serial=serial, installed_on=date(2027, 1, 1)))
        session.commit()
    return fresh_sessions


def records(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def load(sessions, text: str, sha: str = "a" * 64):
    return import_readings(Factory(sessions), records(text), file_name="mdms-20270119.csv", sha256=sha,
                           today=TODAY, now=NOW)


def stored(sessions, serial: str = METER) -> list[tuple]:
    with sessions() as session:
        return [tuple(found) for found in session.execute(
            select(orm.DailyReading.read_on, orm.DailyReading.register, orm.DailyReading.quality)
            .join(orm.Meter, orm.Meter.id == orm.DailyReading.meter_id).where(orm.Meter.serial == serial)
            .order_by(orm.DailyReading.read_on))]


GOOD_AND_BAD = f"""meter,day,register_kwh,quality
{METER},2027-01-10,1000,A
{METER},2027-01-11,1006,A
{METER},2027-01-12,,M
{METER},2027-01-13,1004,A
{METER},2027-01-14,1015.7,E
CTNOSUCHMETER,2027-01-14,5,A
{OTHER},2027-01-14,50,A
{OTHER},2027-01-14,51,A
{OTHER},2027-01-15,52,A
{OTHER},2027-01-15,52,A
{OTHER},2027-01-21,60,A
{OTHER},14/01/2027,50,A

"""


def test_bad_rows_are_reported_by_line_and_reason_and_the_rest_is_loaded(sessions):
    report = load(sessions, GOOD_AND_BAD)
    assert (report.rows, report.loaded, report.unchanged, report.replaced) == (12, 5, 0, 0)
    assert [(r.line, r.reason) for r in report.rejections] == [
        (5, Reason.BACKWARDS), (7, Reason.UNKNOWN_METER), (8, Reason.DUPLICATE_CONFLICT),
        (9, Reason.DUPLICATE_CONFLICT), (12, Reason.FUTURE_DAY), (13, Reason.MALFORMED)]
    assert stored(sessions) == [(date(2027, 1, 10), 1000, "A"), (date(2027, 1, 11), 1006, "A"),
                                (date(2027, 1, 12), None, "M"), (date(2027, 1, 14), 1015, "E")]
    assert stored(sessions, OTHER) == [(date(2027, 1, 15), 52, "A")]
    assert (report.first_day, report.last_day) == (date(2027, 1, 10), date(2027, 1, 15))


def test_a_file_loaded_twice_changes_nothing_the_second_time_and_is_recognised(sessions):
    load(sessions, GOOD_AND_BAD)
    before = stored(sessions), stored(sessions, OTHER)
    again = load(sessions, GOOD_AND_BAD)
    assert (again.loaded, again.unchanged, again.replaced) == (0, 5, 0)
    assert (stored(sessions), stored(sessions, OTHER)) == before
    assert again.loaded_before == [NOW]
    with sessions() as session:
        assert session.execute(select(orm.MeterDataImport.loaded).order_by(orm.MeterDataImport.id)).scalars().all() \
            == [5, 0]


def test_a_later_file_is_checked_against_the_days_already_loaded(sessions):
    load(sessions, GOOD_AND_BAD)
    later = load(sessions, f"""meter,day,register_kwh,quality
{METER},2027-01-14,1016,A
{METER},2027-01-12,1010,A
{METER},2027-01-13,1009,A
{METER},2027-01-11,1007,A
{METER},2027-01-15,1014,A
""", sha="b" * 64)
    # 14/01 read at last (an estimate replaced); 12/01 found (a missing day); 13/01 would go below 12/01 as
    # loaded by this file; 11/01 already holds another value; 15/01 goes below 14/01.
    assert (later.loaded, later.replaced) == (0, 2)
    assert [(r.line, r.reason) for r in later.rejections] == [
        (4, Reason.BACKWARDS), (5, Reason.STORED_CONFLICT), (6, Reason.BACKWARDS)]
    assert stored(sessions)[1:] == [(date(2027, 1, 11), 1006, "A"), (date(2027, 1, 12), 1010, "A"),
                                    (date(2027, 1, 14), 1016, "A")]


def test_a_file_stopped_halfway_leaves_none_of_its_rows(sessions, monkeypatch):
    def fail(self, rows):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(MeterDataRepository, "replace", fail)
    with pytest.raises(RuntimeError):
        load(sessions, GOOD_AND_BAD)
    assert stored(sessions) == [] and stored(sessions, OTHER) == []
    with sessions() as session:
        assert session.execute(select(orm.MeterDataImport.id)).first() is None


def test_the_command_reports_rejected_rows_in_a_file_and_refuses_a_file_of_another_format(sessions, tmp_path):
    url = sessions.kw["bind"].url.render_as_string(hide_password=False)
    env = {**os.environ, "DATABASE_URL": url, "DEMO_NOW": "2027-01-20T10:00"}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "evn.meter_data", "import", *args], capture_output=True,
                              text=True, timeout=120, env=env)

    good = tmp_path / "good.csv"
    good.write_text(f"meter,day,register_kwh,quality\n{METER},2027-01-10,1000,A\n", encoding="utf-8")
    assert run(str(good)).returncode == 0 and stored(sessions) == [(date(2027, 1, 10), 1000, "A")]
    mixed = tmp_path / "mixed.csv"
    mixed.write_text(GOOD_AND_BAD, encoding="utf-8")
    result = run(str(mixed))
    assert result.returncode == 3, result.stderr
    assert "nạp mới 4, đã có 1" in result.stdout and "từ chối 6" in result.stdout
    with (tmp_path / "mixed.csv.rejected.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(row["line"], row["reason"]) for row in rows][:2] == [("5", "backwards"), ("7", "unknown_meter")]
    other = tmp_path / "other.csv"
    other.write_text("serial;date;value\nCT1;2027-01-10;5\n", encoding="utf-8")
    refused = run(str(other))
    assert refused.returncode == 1 and "header" in refused.stderr
    assert run(str(tmp_path / "absent.csv")).returncode == 1
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\xff\xfe\x00bad")
    assert run(str(binary)).returncode == 1
