"""The worker's loop, written once: deliver what is due, run the scans between rounds, rest when idle.

The outbox's delivery and the notices' each run one (in their own threads of the worker
process, evn.entrypoints.worker). A failing database or scan is logged and waited out, never
fatal: the next round tries again.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence

log = logging.getLogger(__name__)


def poll(
    stop: threading.Event, deliver: Callable[[], int], *, name: str, interval: float,
    scans: Sequence[Callable[[], object]] = (), scan_interval: float = 5.0,
) -> None:
    """Runs `deliver` (which returns how much it did) until `stop` is set, waiting `interval` seconds after a
    round that did nothing, and each of `scans` every `scan_interval` seconds before a round."""
    next_scans = 0.0
    while not stop.is_set():
        if scans and time.monotonic() >= next_scans:
            next_scans = time.monotonic() + scan_interval
            for scan in scans:
                try:
                    scan()
                except Exception:  # noqa: BLE001 - the next round tries again
                    log.exception("%s: scan %s failed", name, getattr(scan, "__name__", scan))
        try:
            done = deliver()
        except Exception:  # noqa: BLE001 - the next round tries again
            log.exception("%s: delivery round failed", name)
            done = 0
        if not done:
            stop.wait(interval)
