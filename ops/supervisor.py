"""Keeps launched processes running: a process that exits, or stops answering, is started again, with backoff.

One crashed server must not take the others down (pay pages, gateway callbacks and every
channel would go with it). The supervisor notices an exit within `poll` seconds, logs it
(to the process's own log and to the launcher's output), waits 1, 2, 4 … up to 30 s
between restarts of a process that keeps failing, and forgets the failures of a process
that then ran for a minute.

A process can also be alive and useless: a server whose event loop is stuck answers nothing and
never exits. A service given a `health` URL is asked every `health_interval` seconds once it has
answered for the first time; after `health_misses` unanswered checks in a row it is killed
(SIGTERM, SIGKILL after `kill_grace`), and the exit restarts it as above.

`stop()` ends every process, stuck ones included (SIGKILL after the grace period), and restarts none.
"""
from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ops.logfiles import RotatingLog, pump

INITIAL_BACKOFF, MAX_BACKOFF, STABLE_AFTER = 1.0, 30.0, 60.0
HEALTH_INTERVAL, HEALTH_TIMEOUT, HEALTH_MISSES, KILL_GRACE = 5.0, 3.0, 3, 5.0


@dataclass
class Service:
    """One supervised process: how to start it, and its current run."""

    name: str
    command: list[str]
    env: dict[str, str]
    cwd: Path
    log: RotatingLog | None = None
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    restarts: int = 0
    failures: int = 0  # exits in a row without a stable run
    restart_at: float | None = None
    pumps: list[threading.Thread] = field(default_factory=list)
    health: str | None = None  # a URL that answers 2xx while the process serves
    answered: bool = False  # the current run has answered its health URL once (it has finished starting)
    misses: int = 0  # health checks in a row without an answer, once answered
    hung_kills: int = 0

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None


class Supervisor:
    def __init__(self, announce: Callable[[str], None] | None = None, poll: float = 0.5,
                 initial_backoff: float = INITIAL_BACKOFF, max_backoff: float = MAX_BACKOFF,
                 stable_after: float = STABLE_AFTER, health_interval: float = HEALTH_INTERVAL,
                 health_timeout: float = HEALTH_TIMEOUT, health_misses: int = HEALTH_MISSES,
                 kill_grace: float = KILL_GRACE) -> None:
        self.services: list[Service] = []
        self.announce = announce or (lambda line: print(line, flush=True))
        self.poll, self.initial_backoff, self.max_backoff = poll, initial_backoff, max_backoff
        self.stable_after = stable_after
        self.health_interval, self.health_timeout = health_interval, health_timeout
        self.health_misses, self.kill_grace = health_misses, kill_grace
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._watcher: threading.Thread | None = None
        self._prober: threading.Thread | None = None

    def add(self, name: str, command: list[str], env: dict[str, str], cwd: Path, log: RotatingLog | None,
            health: str | None = None) -> Service:
        """Starts `command` now and keeps it running (and, with `health`, answering) until `stop()`."""
        service = Service(name, command, env, cwd, log, health=health)
        with self._lock:
            self.services.append(service)
            self._launch(service)
        if self._watcher is None:
            self._watcher = threading.Thread(target=self._watch, name="supervisor", daemon=True)
            self._watcher.start()
        if health is not None and self._prober is None:
            self._prober = threading.Thread(target=self._probe, name="supervisor-health", daemon=True)
            self._prober.start()
        return service

    def service(self, name: str) -> Service:
        return next(service for service in self.services if service.name == name)

    def _launch(self, service: Service) -> None:
        output = subprocess.PIPE if service.log is not None else subprocess.DEVNULL
        service.process = subprocess.Popen(
            service.command, cwd=service.cwd, env=service.env, stdout=output, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        service.started_at = time.monotonic()
        service.restart_at = None
        service.answered, service.misses = False, 0
        if service.log is not None:
            assert service.process.stdout is not None
            service.pumps = [thread for thread in service.pumps if thread.is_alive()]
            service.pumps.append(pump(service.process.stdout, service.log))

    def _watch(self) -> None:
        while not self._stopping.wait(self.poll):
            with self._lock:
                for service in self.services:
                    self._check(service, time.monotonic())

    def _check(self, service: Service, now: float) -> None:
        if self._stopping.is_set() or service.process is None:
            return
        if service.restart_at is not None:
            if now >= service.restart_at:
                service.restarts += 1
                self._note(service, f"{service.name}: khởi động lại (lần {service.restarts})")
                self._launch(service)
            return
        code = service.process.poll()
        if code is None:
            if service.failures and now - service.started_at >= self.stable_after:
                service.failures = 0
            return
        ran = now - service.started_at
        service.failures = 1 if ran >= self.stable_after else service.failures + 1
        delay = self.backoff(service.failures)
        service.restart_at = now + delay
        self._note(service, f"{service.name}: đã dừng (mã {code}) sau {ran:.0f} s; khởi động lại sau {delay:.0f} s")

    def _probe(self) -> None:
        """Asks each started service's health URL; one that stopped answering is killed, so it restarts."""
        while not self._stopping.wait(self.health_interval):
            with self._lock:
                checked = [(service, service.process) for service in self.services
                           if service.health is not None and service.running and service.restart_at is None
                           and service.process is not None]
            for service, process in checked:
                assert process is not None  # the list holds started processes only
                if self._stopping.is_set():
                    return
                if _answers(service.health or "", self.health_timeout):
                    service.answered, service.misses = True, 0
                    continue
                if not service.answered or process is not service.process:
                    continue  # still starting (Rasa loads its model for a minute), or already replaced
                service.misses += 1
                if service.misses >= self.health_misses:
                    service.hung_kills += 1
                    self._note(service, f"{service.name}: không trả lời {service.health} {service.misses} lần liền; "
                                        "dừng hẳn để khởi động lại")
                    _end(process, self.kill_grace)

    def backoff(self, failures: int) -> float:
        """Seconds before the restart that follows `failures` exits in a row: doubling, capped."""
        return min(self.max_backoff, self.initial_backoff * 2 ** (failures - 1))

    def _note(self, service: Service, line: str) -> None:
        if service.log is not None:
            service.log.write_line(f"[supervisor] {line}")
        self.announce(f"[supervisor] {line}")

    def stop(self, timeout: float = 20) -> None:
        """Ends every process (SIGTERM, then SIGKILL after `timeout`) and restarts none."""
        self._stopping.set()
        for thread in (self._watcher, self._prober):
            if thread is not None:
                thread.join(timeout=5)
        with self._lock:
            running = [service.process for service in self.services
                       if service.running and service.process is not None]
            for process in running:
                _signal_group(process, signal.SIGTERM)
            deadline = time.monotonic() + timeout
            for process in running:  # a stuck process ignores SIGTERM: it gets SIGKILL at the deadline
                try:
                    process.wait(timeout=max(0.0, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    _signal_group(process, signal.SIGKILL)
                    process.wait()
            for service in self.services:
                for thread in service.pumps:
                    thread.join(timeout=5)
                if service.log is not None:
                    service.log.close()
            self.services.clear()
        self._stopping, self._watcher, self._prober = threading.Event(), None, None  # ready for another start


def _answers(url: str, timeout: float) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - our own loopback URL
            return 200 <= response.status < 300
    except Exception:  # noqa: BLE001 - refused, timed out, 5xx: not answering
        return False


def _end(process: subprocess.Popen, grace: float) -> None:
    """SIGTERM to the process's group, SIGKILL if it is still there after `grace` seconds."""
    _signal_group(process, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        _signal_group(process, signal.SIGKILL)


def _signal_group(process: subprocess.Popen, sig: signal.Signals) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass
