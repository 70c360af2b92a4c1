"""Fast loading of many rows: COPY on PostgreSQL, executemany on SQLite.

Going through the ORM costs ~50 µs a row; a million customers with a year of
bills is ~40 million rows, so the seed talks to the driver directly.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from sqlalchemy.engine import Connection


class BulkLoader:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.dialect = connection.dialect.name
        self.raw = connection.connection  # the DBAPI connection, inside SQLAlchemy's transaction

    def insert(self, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
        rows = list(rows)
        if not rows:
            return
        if self.dialect == "postgresql":
            self._copy(table, columns, rows)
            return
        marker = "?" if self.connection.dialect.paramstyle == "qmark" else "%s"
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join([marker] * len(columns))})"
        cursor = self.raw.cursor()
        cursor.executemany(sql, rows)
        cursor.close()

    def _copy(self, table: str, columns: Sequence[str], rows: list[Sequence]) -> None:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for row in rows:
            writer.writerow(["\\N" if value is None else value for value in row])
        buffer.seek(0)
        cursor = self.raw.cursor()
        cursor.copy_expert(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer
        )
        cursor.close()

    def reset_sequences(self, tables: Sequence[str]) -> None:
        """Explicit ids bypass PostgreSQL's sequences; move them past the loaded rows."""
        if self.dialect != "postgresql":
            return
        cursor = self.raw.cursor()
        for table in tables:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            )
        cursor.close()
