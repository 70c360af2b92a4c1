"""Daily readings of remotely read meters: loaded by the file, read by the meter and day."""
from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, text, update

from evn.adapters import orm
from evn.adapters.bulk import BulkLoader
from evn.adapters.repositories.base import Repository
from evn.domain.daily_readings import Stored

CHUNK = 10_000
STAGING = "meter_data_staging"
READING_COLUMNS = ("meter_id", "read_on", "register", "quality")

# For each staged (meter, day): that day's stored reading, and the registers of the nearest days read
# either side. Each subquery is one probe of the primary key (meter_id, read_on), in either direction.
_AROUND = text(f"""
SELECT s.pos, d0.register, d0.quality,
  (SELECT d.register FROM daily_readings d WHERE d.meter_id = s.meter_id AND d.read_on < s.read_on
     AND d.register IS NOT NULL ORDER BY d.read_on DESC LIMIT 1),
  (SELECT d.register FROM daily_readings d WHERE d.meter_id = s.meter_id AND d.read_on > s.read_on
     AND d.register IS NOT NULL ORDER BY d.read_on LIMIT 1)
FROM {STAGING} s
LEFT JOIN daily_readings d0 ON d0.meter_id = s.meter_id AND d0.read_on = s.read_on
""")


class MeterDataRepository(Repository):
    def meter_ids(self, serials: Collection[str]) -> dict[str, int]:
        """serial -> meter id, for the serials that name a meter."""
        found: dict[str, int] = {}
        wanted = list(serials)
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start:start + CHUNK]
            found.update((serial, meter_id) for serial, meter_id in self.session.execute(
                select(orm.Meter.serial, orm.Meter.id).where(orm.Meter.serial.in_(chunk))))
        return found

    def around(self, keys: Sequence[tuple[int, date]]) -> list[Stored]:
        """What is stored at and around each (meter id, day), in the order given (one query, set-based)."""
        connection = self.session.connection()
        connection.execute(text(f"CREATE TEMPORARY TABLE {STAGING} (pos INTEGER, meter_id INTEGER, read_on DATE)"))
        try:
            BulkLoader(connection).insert(
                STAGING, ("pos", "meter_id", "read_on"),
                [(position, meter_id, day.isoformat()) for position, (meter_id, day) in enumerate(keys)])
            stored = [Stored()] * len(keys)
            for position, register, quality, before, after in connection.execute(_AROUND):
                stored[position] = Stored(register, quality, before, after)
            return stored
        finally:
            connection.execute(text(f"DROP TABLE {STAGING}"))

    def add(self, rows: Iterable[tuple[int, date, int | None, str]]) -> None:
        BulkLoader(self.session.connection()).insert(
            "daily_readings", READING_COLUMNS,
            [(meter_id, day.isoformat(), register, quality) for meter_id, day, register, quality in rows])

    def replace(self, rows: Iterable[tuple[int, date, int | None, str]]) -> None:
        """Days stored as estimated or missing, now read."""
        table = orm.DailyReading
        for meter_id, day, register, quality in rows:
            self.session.execute(update(table).where(table.meter_id == meter_id, table.read_on == day)
                                 .values(register=register, quality=quality))

    def record_import(self, **values: Any) -> None:
        self.session.add(orm.MeterDataImport(**values))

    def imported(self, sha256: str) -> list[datetime]:
        """When a file with these bytes was loaded before."""
        return list(self.session.execute(
            select(orm.MeterDataImport.imported_at).where(orm.MeterDataImport.sha256 == sha256)
            .order_by(orm.MeterDataImport.imported_at)).scalars())

    def serial_of(self, customer_id: int) -> str | None:
        """The serial of the customer's meter (the latest installed), if known."""
        return self._one(select(orm.Meter.serial).where(orm.Meter.customer_id == customer_id)
                         .order_by(orm.Meter.installed_on.desc(), orm.Meter.id.desc()).limit(1))

    def meter_of(self, customer_id: int) -> int | None:
        """The customer's meter that is read every day (has daily readings), if any."""
        return self._one(
            select(orm.Meter.id).where(orm.Meter.customer_id == customer_id)
            .where(select(orm.DailyReading.meter_id).where(orm.DailyReading.meter_id == orm.Meter.id).exists())
            .order_by(orm.Meter.id).limit(1))

    def days(self, meter_id: int, first: date, last: date) -> list[tuple[date, int | None, str]]:
        """A meter's readings from `first` to `last` (both included), in day order."""
        table = orm.DailyReading
        return [(day, register, quality) for day, register, quality in self.session.execute(
            select(table.read_on, table.register, table.quality)
            .where(table.meter_id == meter_id, table.read_on >= first, table.read_on <= last)
            .order_by(table.read_on))]
