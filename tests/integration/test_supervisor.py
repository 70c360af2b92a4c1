"""The supervisor restarts what exits, with backoff, and leaves the other processes alone."""
from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from ops.logfiles import RotatingLog
from ops.supervisor import Supervisor

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
        crashing = sup.add("worker", FAILING, dict(os.environ), tmp_path, None)
        wait_for(lambda: crashing.restarts >= 4, timeout=15)
    finally:
        sup.stop()
    stops = [line for line in lines if "worker: đã dừng (mã 3)" in line]
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


# A server that answers /health until the file `freeze` appears, then holds the next request forever (as a Rasa
# process did when a pattern backtracked on its event loop) and ignores SIGTERM, as a stuck loop does.
FREEZING_SERVER = r"""
import http.server, os, signal, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
flag = sys.argv[2]
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        while os.path.exists(flag):
            time.sleep(1)
        self.send_response(200); self.end_headers(); self.wfile.write(b"ok")
    def log_message(self, *args):
        pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
"""


def test_a_process_that_stops_answering_its_health_url_is_killed_and_restarted(tmp_path: Path):
    from ops.stack import free_port

    port, flag = free_port(), tmp_path / "freeze"
    lines: list[str] = []
    sup = supervisor(lines, health_interval=0.1, health_timeout=0.3, health_misses=2, kill_grace=0.3)
    try:
        server = sup.add("rasa", [sys.executable, "-c", FREEZING_SERVER, str(port), str(flag)], dict(os.environ),
                         tmp_path, None, health=f"http://127.0.0.1:{port}/")
        wait_for(lambda: server.answered)
        first_pid = server.pid
        flag.touch()
        wait_for(lambda: server.hung_kills == 1, timeout=15)
        flag.unlink()
        wait_for(lambda: server.running and server.pid != first_pid and server.answered, timeout=15)
        assert server.restarts == 1
        assert any("rasa: không trả lời" in line for line in lines)
    finally:
        sup.stop(timeout=1)
    assert not server.running


def test_a_process_still_starting_is_not_killed_for_not_answering(tmp_path: Path):
    lines: list[str] = []
    sup = supervisor(lines, health_interval=0.05, health_timeout=0.1, health_misses=1, kill_grace=0.1)
    try:
        starting = sup.add("rasa", SLEEPER, dict(os.environ), tmp_path, None, health="http://127.0.0.1:9/")
        pid = starting.pid
        time.sleep(0.5)  # ten checks unanswered: still loading its model, as far as anyone can tell
        assert starting.running and starting.pid == pid and starting.hung_kills == 0
    finally:
        sup.stop(timeout=1)


def test_stop_ends_a_process_that_ignores_sigterm(tmp_path: Path):
    ignores_sigterm = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)"
    stuck = [sys.executable, "-c", ignores_sigterm]
    sup = supervisor([])
    service = sup.add("rasa", stuck, dict(os.environ), tmp_path, None)
    process = service.process
    time.sleep(0.3)  # let it install its handler
    sup.stop(timeout=0.5)
    assert process is not None and process.poll() is not None
