"""The numbers issues #2 and #13 ask for, measured on this machine in one run.

    python -m bench.bench [--customers 1000000] [--turns 30] [--duration 60] [--skip-seed] [--skip-train]

1. Turn latency through the REST channel, one process of each (as `make run`): whole
   conversations (greet, verify, bill, why higher, payment link, a meter inspection
   request, its status; the load test's script) by 10 customers at once with no pauses,
   beside a fresh `rasa init` bot started the same way with 10 conversations at once;
   then 30 customers at once, with the actions on the action server's event loop
   (ACTION_THREADS=0, rasa-sdk's way) and on worker threads (the default), per kind of turn.
   With each, the CPU time per turn of the whole stack (every process of it, from /proc:
   bench/proc_cpu.py), which another load on the machine does not stretch as it does latency.
2. A full `rasa train` of this project.
3. Seeding N customers with 12 months of bills (SQLite, bulk inserts).
4. Bill lookup in the core (customer code + period) on that database: p50/p95.
Results are printed as a table and written to results/bench.json.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

from bench.proc_cpu import ProcessKey, cpu_seconds_used, cpu_ticks
from bench.results import save
from ops.environments import rasa_executable
from ops.model_fingerprint import ROOT, newest_model
from ops.stack import QUIET_ENV, Stack, free_port

INIT_TURNS = ["hello", "I am feeling great", "hi there", "are you a bot?"]


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def summary(samples_ms: list[float]) -> dict:
    return {"n": len(samples_ms), "p50_ms": round(percentile(samples_ms, 50), 1),
            "p95_ms": round(percentile(samples_ms, 95), 1), "mean_ms": round(statistics.mean(samples_ms), 1)}


def conversation(stack: Stack, turns: int, texts: list[str], setup: list[str]) -> list[float]:
    sender = f"bench-{uuid.uuid4().hex}"
    for text in setup:
        stack.say(sender, text)
    samples = []
    for turn in range(turns):
        started = time.perf_counter()
        replies = stack.say(sender, texts[turn % len(texts)])
        samples.append((time.perf_counter() - started) * 1000)
        if not replies:
            raise RuntimeError(f"no reply to {texts[turn % len(texts)]!r}")
    return samples


def stack_cpu(stack: Stack) -> dict[ProcessKey, int]:
    """CPU ticks so far of every process of `stack`: each supervised process (its current run, so a
    restarted one is found again) with its group and children; the benchmark's own process is not."""
    return cpu_ticks(process.pid for process in stack.processes)


def cpu_per_turn(before: dict[ProcessKey, int], after: dict[ProcessKey, int], turns: int,
                 seconds: float) -> dict:
    used = cpu_seconds_used(before, after)
    return {"seconds": round(used, 2), "turns": turns, "processes": len(after),
            "ms_per_turn": round(used * 1000 / turns, 1) if turns else None,
            "cores_busy": round(used / seconds, 2) if seconds > 0 else None}


def latency(stack: Stack, concurrency: int, turns: int, texts: list[str], setup: list[str]) -> dict:
    conversation(stack, 3, texts, setup)  # warm-up
    cpu_before, started = stack_cpu(stack), time.monotonic()
    with ThreadPoolExecutor(concurrency) as pool:
        futures = [pool.submit(conversation, stack, turns, texts, setup) for _ in range(concurrency)]
        samples = [s for f in futures for s in f.result()]
    elapsed = time.monotonic() - started
    return {**summary(samples), "cpu": cpu_per_turn(cpu_before, stack_cpu(stack), len(samples), elapsed)}


def whole_conversations(database_url: str, customers: list, users: int, duration: float,
                        env: dict[str, str] | None = None) -> dict:
    """`users` customers at once holding whole conversations with no pauses, one process of each."""
    from bench.loadtest.report import latency_table
    from bench.loadtest.simulation import Simulation, Target

    with Stack(rasa_port=free_port(), actions_port=free_port(), web_port=free_port(),
               env={"DATABASE_URL": database_url, **(env or {})}) as stack:
        target = Target(stack.rasa_url, stack.rest_headers, stack.web_url, f"http://localhost:{stack.web_port}",
                        pay_share=0)
        Simulation(target, customers[:2], 2, 10, (0, 0)).run()  # warm-up
        cpu_before, started = stack_cpu(stack), time.monotonic()
        results = Simulation(target, customers[2:], users, duration, (0, 0)).run()  # returns once every turn ended
        elapsed = time.monotonic() - started
        cpu_after = stack_cpu(stack)
        table = latency_table(results, elapsed)
        return {**table, "cpu": cpu_per_turn(cpu_before, cpu_after, table["turns"], elapsed)}


def measure_latency(turns: int, database_url: str, duration: float) -> dict:
    from bench.loadtest.simulation import load_customers

    customers = load_customers(database_url, 4000)
    rng = random.Random(13)
    rng.shuffle(customers)  # each measurement its own customers: no lockouts or limits carried over
    quarter = len(customers) // 4
    results: dict = {"evn_whole_10": whole_conversations(database_url, customers[:quarter], 10, duration)}
    with tempfile.TemporaryDirectory() as init_dir:
        print("  rasa init (trains its demo bot)…", flush=True)
        subprocess.run([rasa_executable(), "init", "--no-prompt", "--init-dir", init_dir], check=True,
                       env={**os.environ, **QUIET_ENV}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # Rasa is started as `python -m ops.rasa_server` in the project's folder: from the rasa init
        # folder, ops/ is found only through PYTHONPATH (the init folder's own modules still come first).
        pythonpath = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
        stack = Stack(project=Path(init_dir), rasa_port=free_port(), actions_port=free_port(),
                      with_actions=False, with_web=False, env={"PYTHONPATH": pythonpath})
        with stack:
            results["rasa_init_10"] = latency(stack, 10, turns, INIT_TURNS, [])
    results["ratio_p95_10"] = round(results["evn_whole_10"]["all"]["p95_ms"] / results["rasa_init_10"]["p95_ms"], 2)
    evn_cpu, init_cpu = results["evn_whole_10"]["cpu"]["ms_per_turn"], results["rasa_init_10"]["cpu"]["ms_per_turn"]
    results["ratio_cpu_per_turn_10"] = round(evn_cpu / init_cpu, 2) if evn_cpu is not None and init_cpu else None
    for threads, part in (("0", customers[quarter:2 * quarter]), ("8", customers[2 * quarter:])):
        print(f"  30 khách cùng lúc, ACTION_THREADS={threads}…", flush=True)
        results[f"evn_whole_30_threads_{threads}"] = whole_conversations(
            database_url, part, 30, duration, {"ACTION_THREADS": threads})
    return results


def measure_training() -> dict:
    """A cold train: empty output folder and an empty Rasa component cache."""
    with tempfile.TemporaryDirectory() as out, tempfile.TemporaryDirectory() as cache:
        started = time.perf_counter()
        subprocess.run(
            [rasa_executable(), "train", "--out", out, "--force"],
            cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={**os.environ, **QUIET_ENV, "RASA_CACHE_DIRECTORY": cache},
        )
        return {"seconds": round(time.perf_counter() - started, 1)}


def measure_seed_and_lookup(customers: int, path: Path, skip_seed: bool) -> dict:
    from sqlalchemy import select

    from evn.adapters import orm
    from evn.adapters.db import make_engine, session_factory
    from evn.adapters.repositories import BillRepository, CustomerRepository
    from evn.demo.seed import seed

    engine = make_engine(f"sqlite:///{path}")
    result: dict = {"customers": customers}
    if not skip_seed:
        path.unlink(missing_ok=True)
        started = time.perf_counter()
        seed(engine, customers, date(2026, 11, 1))
        result["seed_seconds"] = round(time.perf_counter() - started, 1)
    sessions = session_factory(engine)
    with sessions() as session:
        codes = session.execute(select(orm.Customer.code)).scalars().all()
    # Two passes over different customers: the first may read a file the OS has not
    # cached yet (a restarted server), the second is the steady state.
    for name, seed_value in (("lookup_first_pass", 1), ("lookup", 2)):
        rng = random.Random(seed_value)
        samples = []
        with sessions() as session:
            customers_repo, bills = CustomerRepository(session), BillRepository(session)
            for _ in range(2000):
                code, period = rng.choice(codes), 202600 + rng.randint(1, 10)
                started = time.perf_counter()
                customer = customers_repo.get_by_code(code)
                bill = bills.for_period(customer.id, period)
                samples.append((time.perf_counter() - started) * 1000)
                assert bill is not None and bill.total >= 0
                session.expunge_all()
        result[name] = summary(samples)
    result["customers_in_db"] = len(codes)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--turns", type=int, default=30, help="measured turns per rasa init conversation")
    parser.add_argument("--duration", type=float, default=60, help="seconds of whole conversations per measurement")
    parser.add_argument("--db", type=Path, default=ROOT / "var" / "bench.sqlite3")
    parser.add_argument("--skip-seed", action="store_true", help="reuse --db as it is")
    parser.add_argument("--skip-train", action="store_true")
    args = parser.parse_args()
    if newest_model() is None:
        parser.error("no trained model: run `make train` first")
    report: dict = {"date": time.strftime("%Y-%m-%d %H:%M")}
    print(f"1/3 Seeding {args.customers:,} customers and timing bill lookups…", flush=True)
    report["data"] = measure_seed_and_lookup(args.customers, args.db, args.skip_seed)
    print("2/3 Turn latency over REST (this bot, then a fresh rasa init bot)…", flush=True)
    report["latency"] = measure_latency(args.turns, f"sqlite:///{args.db}", args.duration)
    if not args.skip_train:
        print("3/3 Full rasa train…", flush=True)
        report["train"] = measure_training()
    save("bench", report, show=False)
    print_table(report)
    return 0


def print_table(report: dict) -> None:
    lat, data = report["latency"], report["data"]
    print("\n| measure | result | target |\n|---|---|---|")
    whole = lat["evn_whole_10"]["all"]
    print(f"| whole conversations, 10 at once, this bot | p50 {whole['p50_ms']} ms, p95 {whole['p95_ms']} ms "
          f"(n={lat['evn_whole_10']['turns']}, errors {lat['evn_whole_10']['errors']}) | |")
    init = lat["rasa_init_10"]
    print(f"| rasa init, 10 at once | p50 {init['p50_ms']} ms, p95 {init['p95_ms']} ms (n={init['n']}) | |")
    print(f"| p95 at 10 at once, this bot ÷ rasa init | {lat['ratio_p95_10']} | ≤ 1.0 |")
    for name, row in (("this bot", lat["evn_whole_10"]["cpu"]), ("rasa init", init["cpu"])):
        print(f"| CPU per turn, 10 at once, {name} (whole stack) | {row['ms_per_turn']} ms "
              f"({row['seconds']} s over {row['turns']} turns, {row['processes']} processes, "
              f"{row['cores_busy']} cores busy) | |")
    print(f"| CPU per turn at 10 at once, this bot ÷ rasa init | {lat['ratio_cpu_per_turn_10']} | |")
    for threads in ("0", "8"):
        row = lat[f"evn_whole_30_threads_{threads}"]
        phone = row["by_kind"].get("give_phone", {})
        print(f"| 30 at once, ACTION_THREADS={threads} | p50 {row['all']['p50_ms']} ms, "
              f"p95 {row['all']['p95_ms']} ms, {row['turns_per_second']} turns/s, "
              f"phone check p50 {phone.get('p50_ms')} ms, CPU {row['cpu']['ms_per_turn']} ms/turn, "
              f"errors {row['errors']} | |")
    if "train" in report:
        print(f"| full rasa train | {report['train']['seconds']} s | ≤ 240 s |")
    if "seed_seconds" in data:
        print(f"| seed {data['customers']:,} customers × 12 bills | {data['seed_seconds']} s | < 300 s |")
    first = data["lookup_first_pass"]
    print(f"| bill lookup, {data['customers_in_db']:,} customers, first pass | "
          f"p50 {first['p50_ms']} ms, p95 {first['p95_ms']} ms | |")
    print(f"| bill lookup, {data['customers_in_db']:,} customers, steady | "
          f"p50 {data['lookup']['p50_ms']} ms, p95 {data['lookup']['p95_ms']} ms | p95 ≤ 5 ms |")


if __name__ == "__main__":
    sys.exit(main())
