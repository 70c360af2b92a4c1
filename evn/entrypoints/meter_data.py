"""python -m evn.meter_data import FILE [--report REJECTED.csv]: load a daily export of the meter data system.

The file's format is in docs/meter-data.md. Every row is checked; rows that cannot be loaded
(an unknown meter, a register going backwards, a day already loaded with another value, the
same day twice with other values, a day after today, a malformed line) are listed in the report
(CSV: line, meter, day, reason, detail; by default FILE.rejected.csv) and the others are loaded
in one transaction. Loading a file again changes nothing. A load that brought new days then checks the
customers' usage alerts (evn.services.usage_alerts) and queues a notice for each level crossed. Exit status:
0 every row is in the database, 3 some rows were rejected (the rest is loaded), 1 the file was refused.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import sys
from pathlib import Path

from evn.bootstrap import bootstrap
from evn.domain.daily_readings import FileRefused
from evn.services.meter_data import ImportReport, import_readings

MAX_FIELD = 1_000  # a field longer than this is no reading: csv refuses it instead of holding it


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evn.meter_data", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    load = commands.add_parser("import", help="load a daily readings file (CSV)")
    load.add_argument("file", type=Path)
    load.add_argument("--report", type=Path, default=None, help="where the rejected rows go (CSV)")
    arguments = parser.parse_args(argv)
    core = bootstrap()
    try:
        report = _load(core, arguments.file)
    except (OSError, UnicodeDecodeError, csv.Error, FileRefused) as error:
        print(f"Không nạp tệp {arguments.file}: {error}", file=sys.stderr)
        return 1
    _print(report)
    if report.loaded or report.replaced:  # new days: the forecasts moved, the alerts set on them are checked
        alerts = core.usage_alerts.scan(core.today())
        print(f"Cảnh báo sử dụng kỳ {alerts.period}: kiểm tra {alerts.checked}, vượt ngưỡng {alerts.crossed}, "
              f"thông báo mới {alerts.notices}")
    if report.rejections:
        path = arguments.report or arguments.file.with_name(arguments.file.name + ".rejected.csv")
        _write_rejections(report, path)
        print(f"Các dòng bị từ chối: {path}")
        return 3
    return 0


def _load(core, path: Path) -> ImportReport:
    csv.field_size_limit(MAX_FIELD)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return import_readings(core.uow, csv.reader(handle, strict=True), file_name=path.name, sha256=digest,
                               today=core.today(), now=core.clock())


def _print(report: ImportReport) -> None:
    days = f"{report.first_day:%d/%m/%Y}–{report.last_day:%d/%m/%Y}" if report.first_day and report.last_day else "-"
    print(f"{report.file_name}: {report.rows} dòng; nạp mới {report.loaded}, đã có {report.unchanged}, "
          f"thay số ước tính {report.replaced}, từ chối {report.rejected}; ngày {days}")
    if report.loaded_before:
        first = f"{report.loaded_before[0]:%d/%m/%Y %H:%M}"
        print(f"Tệp này đã được nạp {len(report.loaded_before)} lần trước (lần đầu {first} UTC): "
              "không có gì bị nạp hai lần.")


def _write_rejections(report: ImportReport, path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(("line", "meter", "day", "reason", "detail"))
        for rejection in report.rejections:
            writer.writerow((rejection.line, rejection.meter, rejection.day, rejection.reason.value, rejection.detail))


if __name__ == "__main__":
    raise SystemExit(main())
