"""The supervisor restarts what exits, with backoff, and leaves the other processes alone."""
from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from tools.logfiles import RotatingLog
from tools.supervisor import Supervisor

SLEEPER = [sys.executable, "-c", "import time; time.sleep(600)"]
FAILING = [sys.executable, "-c", "import sys; sys.exit(3)"]


def wait_for(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("condition not reached in time")


def supervisor(lines: list[str], **kwargs) -> Supervisor:
    return Supervisor(announce=lines.append, poll=0.05, **{"initial_backoff": 0.1, "max_backoff": 0.4, **kwargs})


def test_a_killed_process_is_restarted_and_the_others_keep_running(tmp_path: Path):
    lines: list[str] = []
    sup = supervisor(lines)
    try:
        victim = sup.add("actions", SLEEPER, dict(os.environ), tmp_path, RotatingLog(tmp_path / "actions.log"))
        other = sup.add("web", SLEEPER, dict(os.environ), tmp_path, None)
        first_pid, other_pid = victim.pid, other.pid
        os.killpg(victim.pid, signal.SIGKILL)
        wait_for(lambda: victim.running and victim.pid != first_pid)
        assert victim.restarts == 1
        assert other.pid == other_pid and other.running and other.restarts == 0
        log = (tmp_path / "actions.log").read_text()
        assert "actions: đã dừng (mã -9)" in log and "khởi động lại (lần 1)" in log
        assert any("actions: đã dừng" in line for line in lines)
    finally:
        sup.stop()
    assert not victim.running and not other.running


def test_a_process_that_keeps_failing_waits_longer_each_time_up_to_the_ceiling(tmp_path: Path):
    lines: list[str] = []
    sup = supervisor(lines)
    try:
        crashing = sup.add("dispatcher", FAILING, dict(os.environ), tmp_path, None)
        wait_for(lambda: crashing.restarts >= 4, timeout=15)
    finally:
        sup.stop()
    stops = [line for line in lines if "dispatcher: đã dừng (mã 3)" in line]
    assert len(stops) >= 4 and crashing.failures >= 4  # failures in a row keep counting: the wait grows


def test_backoff_doubles_and_is_capped():
    sup = Supervisor(announce=lambda _line: None)
    assert [sup.backoff(failures) for failures in range(1, 8)] == [1, 2, 4, 8, 16, 30, 30]


def test_stop_restarts_nothing(tmp_path: Path):
    lines: list[str] = []
    sup = supervisor(lines)
    service = sup.add("rasa", SLEEPER, dict(os.environ), tmp_path, None)
    sup.stop()
    time.sleep(0.3)
    assert not service.running and service.restarts == 0
    assert not any("đã dừng" in line for line in lines)
