"""CPU time spent by a whole stack of processes, read from /proc (Linux only).

Wall-clock latency on a shared 2-core machine says little about what a turn costs: another
test suite running beside the benchmark stretches it. The CPU a turn burns across every
process that serves it (Rasa, the action server, the web app, their workers) does not depend
on who else is queued for the cores, so it is the fairer number to compare two bots by.

The kernel's own accounting is read rather than psutil's: no extra dependency, and the
benchmark needs nothing but utime + stime of a known set of processes.
"""
from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

CLOCK_TICKS: int = os.sysconf("SC_CLK_TCK")
PROC = Path("/proc")

# (pid, start time in ticks since boot): a pid alone can be reused by another process within a window.
ProcessKey = tuple[int, int]


@dataclass(frozen=True)
class ProcStat:
    pid: int
    ppid: int
    pgid: int
    start: int  # ticks since boot
    ticks: int  # utime + stime, in clock ticks, all threads of the process


def parse_stat(text: str) -> ProcStat:
    """One /proc/<pid>/stat line; the command name (field 2) may hold spaces and parentheses, so the
    fields are counted from its last ')' (proc(5))."""
    pid, _, rest = text.partition(" (")
    fields = rest[rest.rindex(")") + 2:].split()
    # fields[0] is field 3 of proc(5) (state): ppid 4, pgrp 5, utime 14, stime 15, starttime 22.
    return ProcStat(pid=int(pid), ppid=int(fields[1]), pgid=int(fields[2]), start=int(fields[19]),
                    ticks=int(fields[11]) + int(fields[12]))


def _process_table() -> dict[int, ProcStat]:
    table = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = parse_stat((entry / "stat").read_text())
        except (OSError, ValueError, IndexError):  # it ended between the listing and the read
            continue
        table[stat.pid] = stat
    return table


def cpu_ticks(roots: Iterable[int], exclude: Collection[int] | None = None) -> dict[ProcessKey, int]:
    """utime + stime (clock ticks) of every live process that belongs to the processes `roots`.

    A process belongs when its process group is one of `roots` (the supervisor starts each server
    in its own session, so its pid is its group's id and workers it forks stay in the group) or
    when one of `roots` is among its ancestors (a worker that moved to a session of its own).
    `exclude` (by default this process: the load generator, whose client threads are not the
    stack's cost) is left out even when it would belong.

    Only what is alive at the moment of reading is seen: a process that exits between two readings
    takes the CPU it used since the first one with it (its parent's cutime/cstime would hold it once
    reaped, but those are not counted here, to keep one rule for every process). Keyed by pid and
    start time, so that `cpu_seconds_used` never subtracts one process's reading from another's.
    """
    wanted = set(roots)
    skipped = {os.getpid()} if exclude is None else set(exclude)
    table = _process_table()
    belongs: dict[int, bool] = {}

    def in_stack(pid: int) -> bool:
        path: list[int] = []
        found = False
        while pid in table and pid not in belongs:
            path.append(pid)
            stat = table[pid]
            if stat.pid in wanted or stat.pgid in wanted:
                found = True
                break
            pid = stat.ppid
        else:
            found = belongs.get(pid, False)
        for seen in path:
            belongs[seen] = found
        return found

    return {(stat.pid, stat.start): stat.ticks for stat in table.values()
            if stat.pid not in skipped and in_stack(stat.pid)}


def cpu_seconds_used(before: Mapping[ProcessKey, int], after: Mapping[ProcessKey, int]) -> float:
    """CPU seconds the processes used between two `cpu_ticks` readings.

    A process seen only at the end started inside the window: all of its time counts. One seen
    only at the start exited inside the window: its time since the start is lost (see `cpu_ticks`),
    and nothing of it is subtracted.
    """
    return sum(ticks - before.get(key, 0) for key, ticks in after.items()) / CLOCK_TICKS
