"""bench/proc_cpu.py reads the CPU of real processes: children that spin for a known CPU time
(measured by themselves with time.process_time, so no assumption on the machine's speed) and
children that only wait."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator

import pytest

from bench.proc_cpu import CLOCK_TICKS, cpu_seconds_used, cpu_ticks, parse_stat

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs Linux's /proc")

SPIN = 0.5  # CPU seconds a spinner burns

# Waits for a line on stdin before each of `rounds` spins, says "done" after each, then waits to be ended.
CHILD = textwrap.dedent("""
    import sys, time
    spin, rounds, wait_first = float(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1"
    for _ in range(rounds):
        if wait_first:
            sys.stdin.readline()
        end = time.process_time() + spin
        while time.process_time() < end:
            pass
        print("done", flush=True)
    if not rounds:
        print("done", flush=True)
    sys.stdin.read()
""")

# Starts CHILD (spinning once) in a session of its own, as a worker that left its parent's group would, and waits.
PARENT = textwrap.dedent("""
    import subprocess, sys
    child = subprocess.Popen([sys.executable, "-c", sys.argv[1], sys.argv[2], "1", "0"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, start_new_session=True)
    print(child.stdout.readline().strip(), flush=True)
    sys.stdin.read()
    child.stdin.close()
    child.wait()
""")


@pytest.fixture
def spawn() -> Iterator:
    started: list[subprocess.Popen] = []

    def start(*args: str) -> subprocess.Popen:
        process = subprocess.Popen([sys.executable, "-c", *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   text=True, start_new_session=True)
        started.append(process)
        return process

    yield start
    for process in started:
        if process.stdin is not None:
            process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


def said_done(process: subprocess.Popen) -> None:
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "done"


def seconds(process: subprocess.Popen) -> float:
    return sum(cpu_ticks([process.pid]).values()) / CLOCK_TICKS


def test_a_spinning_process_shows_its_cpu_and_a_waiting_one_almost_none(spawn) -> None:
    spinner, sleeper = spawn(CHILD, str(SPIN), "1", "0"), spawn(CHILD, "0", "0", "0")
    said_done(spinner)
    said_done(sleeper)
    spun, slept = seconds(spinner), seconds(sleeper)
    # At least the spin (less a few ticks of rounding), at most the spin and a Python's start-up.
    assert SPIN - 0.1 <= spun <= SPIN + 1.0
    assert slept < 0.3
    assert spun - slept > 0.3


def test_the_window_counts_only_the_cpu_used_inside_it(spawn) -> None:
    spinner = spawn(CHILD, str(SPIN), "2", "1")
    assert spinner.stdin is not None
    spinner.stdin.write("go\n")
    spinner.stdin.flush()
    said_done(spinner)  # the first spin is before the window
    before = cpu_ticks([spinner.pid])
    spinner.stdin.write("go\n")
    spinner.stdin.flush()
    said_done(spinner)
    used = cpu_seconds_used(before, cpu_ticks([spinner.pid]))
    assert SPIN - 0.1 <= used <= SPIN + 0.3
    assert sum(before.values()) / CLOCK_TICKS >= SPIN - 0.1


def test_a_child_in_a_session_of_its_own_is_found_through_its_parent(spawn) -> None:
    parent = spawn(PARENT, CHILD, str(SPIN))
    said_done(parent)
    found = cpu_ticks([parent.pid])
    assert len(found) == 2  # the parent and its child, though the child left the parent's group
    assert sum(found.values()) / CLOCK_TICKS >= SPIN - 0.1


def test_an_unrelated_process_and_this_one_are_not_counted(spawn) -> None:
    spinner, other = spawn(CHILD, str(SPIN), "1", "0"), spawn(CHILD, str(SPIN), "1", "0")
    said_done(spinner)
    said_done(other)
    assert [pid for pid, _ in cpu_ticks([spinner.pid])] == [spinner.pid]
    # This process's own children belong to it, but it is left out itself (the load generator).
    assert os.getpid() not in {pid for pid, _ in cpu_ticks([os.getpid()])}
    assert {spinner.pid, other.pid} <= {pid for pid, _ in cpu_ticks([os.getpid()])}


def test_a_process_that_started_inside_the_window_counts_whole_and_one_that_ended_is_not_subtracted() -> None:
    before = {(10, 500): 40, (11, 600): 70}
    after = {(10, 500): 55, (11, 900): 30, (12, 950): 5}  # pid 11 reused by a new process; 12 new
    assert cpu_seconds_used(before, after) == pytest.approx((15 + 30 + 5) / CLOCK_TICKS)


def test_a_command_name_with_spaces_and_parentheses_is_read() -> None:
    fields = ["S", "7", "42", "42", "0", "-1", "4194304", "0", "0", "0", "0", "120", "35", "9", "9", "20", "0",
              "3", "0", "123456"]
    stat = parse_stat("4242 (we (ird) name) " + " ".join(fields) + " 0 0\n")
    assert (stat.pid, stat.ppid, stat.pgid, stat.ticks, stat.start) == (4242, 7, 42, 155, 123456)
