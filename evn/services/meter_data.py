"""Loading the meter data system's daily export: every row judged, the good ones in one transaction.

A file loads whole or not at all (one unit of work): an import that stops halfway leaves no day
of it behind, and loading the same file again adds nothing. Rows that cannot be loaded are
returned with their reasons for the report; they do not stop the others.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import groupby

from evn.domain import daily_readings as rules
from evn.domain.daily_readings import Reason, Rejection, Row, Verdict
from evn.services.unit_of_work import UnitOfWorkFactory


@dataclass
class ImportReport:
    file_name: str
    rows: int = 0
    loaded: int = 0
    unchanged: int = 0
    replaced: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    first_day: date | None = None
    last_day: date | None = None
    loaded_before: list[datetime] = field(default_factory=list)  # earlier loads of the same bytes

    @property
    def rejected(self) -> int:
        return len(self.rejections)


def import_readings(uow_factory: UnitOfWorkFactory, records: Iterable[Sequence[str]], *, file_name: str,
                    sha256: str, today: date, now: datetime) -> ImportReport:
    """Load one file's records (its header first); rules.FileRefused when the header is not the format's."""
    report = ImportReport(file_name)
    lines = iter(records)
    positions = rules.header_positions(next(lines, ()))
    parsed: list[Row] = []
    for number, fields in enumerate(lines, start=2):
        if not any(value.strip() for value in fields):
            continue  # a blank line is no row
        report.rows += 1
        outcome = rules.parse(fields, positions, number, today)
        if isinstance(outcome, Rejection):
            report.rejections.append(outcome)
        else:
            parsed.append(outcome)
    rows, duplicates = rules.without_duplicates(parsed)
    report.rejections.extend(duplicates)
    with uow_factory() as uow:
        report.loaded_before = uow.meter_data.imported(sha256)
        meters = uow.meter_data.meter_ids({row.meter for row in rows})
        known = []
        for row in rows:
            if row.meter in meters:
                known.append(row)
            else:
                report.rejections.append(Rejection(row.line, row.meter, row.day.isoformat(), Reason.UNKNOWN_METER,
                                                   "no meter with this serial"))
        known.sort(key=lambda row: (row.meter, row.day))
        stored = uow.meter_data.around([(meters[row.meter], row.day) for row in known])
        new, replaced = [], []
        position = 0
        for _, group in groupby(known, key=lambda row: row.meter):
            meter_rows = list(group)
            around = stored[position:position + len(meter_rows)]
            position += len(meter_rows)
            for row, verdict in rules.judged(meter_rows, around):
                if isinstance(verdict, Rejection):
                    report.rejections.append(verdict)
                    continue
                reading = (meters[row.meter], row.day, row.register, row.quality.value)
                if verdict is Verdict.NEW:
                    new.append(reading)
                elif verdict is Verdict.REPLACES:
                    replaced.append(reading)
                else:
                    report.unchanged += 1
                report.first_day = min(filter(None, (report.first_day, row.day)))
                report.last_day = max(filter(None, (report.last_day, row.day)))
        uow.meter_data.add(new)
        uow.meter_data.replace(replaced)
        report.loaded, report.replaced = len(new), len(replaced)
        report.rejections.sort(key=lambda rejection: rejection.line)
        uow.meter_data.record_import(
            file_name=file_name[-200:], sha256=sha256, imported_at=now, rows=report.rows, loaded=report.loaded,
            unchanged=report.unchanged, replaced=report.replaced, rejected=report.rejected,
            first_day=report.first_day, last_day=report.last_day)
        uow.commit()
    return report
