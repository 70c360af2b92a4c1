"""Faults under load (`make loadtest FAULTS=1`): each one scripted, injected while customers chat, and judged.

One production profile (2 + 2) whose business database is reached through a relay that
can be cut (tests/doubles/tcp_proxy.py). For each fault, simulated customers hold whole
conversations (1-3 s pauses); the fault starts after a while, lasts a few seconds, and is
healed. The outcome is judged from what customers saw before, during and after, and from
the books (bench/loadtest/books.py): after healing (and a grace of GRACE seconds) every turn
must be answered; a conversation with no failed turn must be whole in the tracker store,
the business database and its payments; no reply may show another customer's data.
During the fault, what degrades is reported, not hidden.
"""
from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bench.loadtest.books import check_books
from bench.loadtest.run_profile import drop_databases, profile_for
from bench.loadtest.simulation import Results, Simulation, Target, load_customers
from ops.production import Profile
from ops.stack import wait_until
from tests.doubles.tcp_proxy import TcpProxy

GRACE = 10.0
REDIS_START = ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379", "--save", "",
               "--appendonly", "no", "--dir", "/var/lib/redis", "--logfile", "/var/log/redis/ci.log"]


def _windows(results: Results, fault_at: float, healed_at: float) -> dict[str, dict[str, int]]:
    found: dict[str, dict[str, int]] = {}
    for name, low, high in (("before", 0.0, fault_at), ("during", fault_at, healed_at + GRACE),
                            ("after", healed_at + GRACE, float("inf"))):
        window = [ok for at, _sender, ok in results.outcomes if low <= at < high]
        found[name] = {"turns": len(window), "failed": window.count(False)}
    return found


def under_load(profile: Profile, customers: list[Any], name: str, fault: Callable[[], None],
               heal: Callable[[], None], users: int = 20, duration: float = 75, at: float = 20,
               lasting: float = 10) -> dict[str, Any]:
    """Customers chat for `duration` s; `fault` at `at` s, `heal` `lasting` s later; the judged outcome."""
    simulation = Simulation(Target.of_profile(profile), customers, users, duration, (1.0, 3.0))
    runner = threading.Thread(target=simulation.run)
    runner.start()
    time.sleep(at)
    fault_at = time.monotonic()
    fault()
    time.sleep(lasting)
    heal()
    healed_at = time.monotonic()
    runner.join()
    results = simulation.results
    windows = _windows(results, fault_at, healed_at)
    failed_senders = {f"rest-{sender}" for _at, sender, ok in results.outcomes if not ok}
    books = check_books(profile, results)
    clean_problems = [p for p in books["problems"] if p.split(":", 1)[0] not in failed_senders]
    crossed = [e for e in results.errors if "another" in e]
    checks = {
        "every turn answered after healing": windows["after"]["failed"] == 0 and windows["after"]["turns"] > 0,
        "conversations without a failed turn are whole in the books": not clean_problems,
        "no customer saw another's data": not crossed,
    }
    return {
        "fault": name, "windows": windows, "checks": checks, "passed": all(checks.values()),
        "conversations_with_a_failed_turn": len(failed_senders), "book_problems": clean_problems[:10],
        "failed_samples": [e for e in results.errors][:5],
    }


def _kill_rasa(profile: Profile) -> tuple[Callable[[], None], Callable[[], None]]:
    victim = profile.supervisor.service("rasa-1")

    def fault() -> None:
        os.killpg(victim.pid, signal.SIGKILL)

    def heal() -> None:  # the supervisor restarts it; healed once it answers again
        wait_until(f"http://127.0.0.1:{profile.rasa_port}/", 120, victim, restarted=True)

    return fault, heal


def _restart_redis() -> tuple[Callable[[], None], Callable[[], None]]:
    def fault() -> None:
        subprocess.run(["redis-cli", "-p", "6379", "shutdown", "nosave"], check=False, capture_output=True)

    def heal() -> None:
        subprocess.run(REDIS_START, check=False, capture_output=True)
        for _ in range(50):
            if subprocess.run(["redis-cli", "-p", "6379", "ping"], capture_output=True).returncode == 0:
                return
            time.sleep(0.2)

    return fault, heal


def _restart_rabbitmq() -> tuple[Callable[[], None], Callable[[], None]]:
    def fault() -> None:
        subprocess.run(["rabbitmqctl", "stop_app"], check=False, capture_output=True)

    def heal() -> None:
        subprocess.run(["rabbitmqctl", "start_app"], check=False, capture_output=True)

    return fault, heal


def run_faults(args: Any) -> list[dict[str, Any]]:
    database = "evn_faults"
    drop_databases(database)
    base = "postgresql://postgres@127.0.0.1:5432"
    proxy = TcpProxy("127.0.0.1", 5432)
    relayed = urlunsplit(urlsplit(f"{base}/{database}")._replace(netloc=f"postgres@127.0.0.1:{proxy.port}"))
    outcomes = []
    try:
        # Every process of the profile, and its seeding, reaches the business database through the relay.
        with profile_for(2, args.base_port, database, 3000, {"DATABASE_URL": relayed}) as profile:
            customers = load_customers(f"{base}/{database}", 2900)
            share = len(customers) // 4
            faults = [
                ("one Rasa process killed", *_kill_rasa(profile)),
                ("Redis restarted", *_restart_redis()),
                ("RabbitMQ restarted", *_restart_rabbitmq()),
                ("business database unreachable", proxy.cut, proxy.restore),
            ]
            for index, (name, fault, heal) in enumerate(faults):
                print(f"  {name}…", flush=True)
                outcomes.append(under_load(profile, customers[index * share:(index + 1) * share], name, fault, heal))
    finally:
        proxy.close()
        drop_databases(database)
    return outcomes
