"""CPU accounting of a run: the CPU time each kind of process on this machine spent, per turn.

Throughput alone does not say which process is the bottleneck; the ceiling runs report the CPU
milliseconds per turn of Rasa, the action server, the web app, PostgreSQL, Redis, RabbitMQ and the
load generator itself, read from /proc.
"""
from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.proc_cpu import CLOCK_TICKS
from ops.production import Profile


def cpu_seconds(profile: Profile) -> dict[str, float]:
    """CPU time so far of each kind of process on this machine: the profile's, PostgreSQL, Redis, this one."""
    groups = {service.pid: service.name.split("-")[0] for service in profile.supervisor.services if service.pid}
    found: dict[str, float] = defaultdict(float)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        pgid, seconds = int(fields[2]), (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
        if pgid in groups:
            found[groups[pgid]] += seconds
        elif name.startswith("postgres"):
            found["postgresql"] += seconds
        elif name.startswith("redis"):
            found["redis"] += seconds
        elif name.startswith(("beam", "erl")):
            found["rabbitmq"] += seconds
        elif int(entry.name) == os.getpid():
            found["load generator"] += seconds
    return found


def cpu_per_turn(before: dict[str, float], after: dict[str, float], turns: int, seconds: float) -> dict[str, Any]:
    used = {name: after.get(name, 0.0) - before.get(name, 0.0) for name in after}
    return {"ms_per_turn": {name: round(value * 1000 / max(1, turns), 1) for name, value in sorted(used.items())},
            "cores_busy": round(sum(used.values()) / seconds, 2)}
