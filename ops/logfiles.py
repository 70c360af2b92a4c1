"""Where launched processes write: their output masked, appended to var/log/, rotated by size.

Everything a process prints passes through here (tracebacks, warnings, libraries'
own prints), so personal data is masked even in lines no logger formatted, and a
restart appends instead of wiping the previous run's errors.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import IO

from evn.domain.masking import mask_for_logs

MAX_BYTES = 10 * 1024 * 1024
BACKUPS = 5


class RotatingLog:
    def __init__(self, path: Path, max_bytes: int = MAX_BYTES, backups: int = BACKUPS) -> None:
        self.path, self.max_bytes, self.backups = path, max_bytes, backups
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file = self._open()
        self._lock = threading.Lock()

    def write_line(self, line: str) -> None:
        with self._lock:
            self._file.write(mask_for_logs(line.rstrip("\n")) + "\n")
            self._file.flush()
            if self._file.tell() >= self.max_bytes:
                self._rotate()

    def _rotate(self) -> None:
        self._file.close()
        for index in range(self.backups - 1, 0, -1):
            older = self.path.with_name(f"{self.path.name}.{index}")
            if older.exists():
                older.replace(self.path.with_name(f"{self.path.name}.{index + 1}"))
        self.path.replace(self.path.with_name(f"{self.path.name}.1"))
        self._file = self._open()

    def _open(self):
        """Owner-only: even masked, a log says who asked what."""
        descriptor = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return os.fdopen(descriptor, "a", encoding="utf-8")

    def close(self) -> None:
        with self._lock:
            self._file.close()


def pump(stream: IO[bytes], log: RotatingLog) -> threading.Thread:
    """Copy a child's output into `log` line by line, in a daemon thread, until it closes."""

    def run() -> None:
        for raw in iter(stream.readline, b""):
            log.write_line(raw.decode("utf-8", "replace"))
        stream.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread
