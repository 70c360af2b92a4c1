"""`make loadtest`: simulated customers against the production profile on this machine, then the books checked.

    python -m bench.loadtest [--users 50] [--duration 300] [--pause 2-6] [--ceiling-users 16]
                             [--ceiling-duration 60] [--skip-ceiling] [--faults]

1. Open loop: N customers at once, each holding whole conversations in Vietnamese (greet,
   verify, the bill, why it rose, a payment link — a third of them pay it through the VNPay
   simulator —, a meter inspection request with its confirmation, its status), pausing 2-6 s
   between messages as people do, for a fixed duration, through nginx on the 2 + 2 profile.
   Each conversation is a different synthetic customer from its own client address.
2. Every reply is checked as it arrives: an answer (not empty, not "hệ thống đang bận"), the
   customer's own bill, own code, own masked phone, own tickets — never another's.
3. Afterwards, from the business database and the tracker store: every message answered
   exactly once, each filed request and each payment there once (none missing, none doubled),
   each payment confirmed once in its conversation.
4. The closed-loop ceiling (no pauses) of 1 Rasa + 1 action server and of 2 + 2, in this run.
5. With --faults, the faults under load (bench/faults.py).
Results are printed and written to results/loadtest.json.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from bench.loadtest.books import check_books
from bench.loadtest.cpu import cpu_per_turn, cpu_seconds
from bench.loadtest.long_history import history_latency
from bench.loadtest.report import latency_table, print_faults, print_report
from bench.loadtest.run_profile import delete_queue, drop_databases, profile_for
from bench.loadtest.simulation import SCRIPT, Simulation, Target, load_customers
from bench.turn_profile import profile_turns
from ops.stack import ROOT


def open_loop(args: argparse.Namespace) -> dict[str, Any]:
    database = "evn_load"
    drop_databases(database)
    needed = args.users * int(args.duration / (len(SCRIPT) * 2) + 2) + 50
    with profile_for(2, args.base_port, database, needed + 100, {}) as profile:
        customers = load_customers(profile.settings.database_url, needed)
        print(f"  {args.users} khách, {args.duration:.0f} s, nghỉ {args.pause[0]:g}-{args.pause[1]:g} s giữa các tin…",
              flush=True)
        started = time.monotonic()
        results = Simulation(Target.of_profile(profile), customers, args.users, args.duration, args.pause).run()
        report = latency_table(results, time.monotonic() - started)
        report["books"] = check_books(profile, results)
        print("  nơi thời gian của một lượt đi qua (từng hội thoại một)…", flush=True)
        spare = load_customers(profile.settings.database_url, needed + 100)[needed:needed + args.profile_conversations]
        report["where_time_goes"] = profile_turns(profile, spare, SCRIPT)
        print("  một khách hàng có 2.000 sự kiện cũ…", flush=True)
        report["long_history"] = history_latency(profile)
        report["events_in_the_broker"] = delete_queue(profile.settings.rabbitmq_url, profile.settings.rabbitmq_queue)
    return report


def ceiling(args: argparse.Namespace) -> dict[str, Any]:
    """Closed loop, no pauses: the turns per second one and two pairs of processes carry."""
    found: dict[str, Any] = {}
    for copies in (1, 2):
        database = f"evn_ceiling_{copies}"
        drop_databases(database)
        needed = args.ceiling_users * int(args.ceiling_duration) // 2 + 50
        with profile_for(copies, args.base_port, database, needed + 100, {}) as profile:
            customers = load_customers(profile.settings.database_url, needed)
            target = Target.of_profile(profile)
            Simulation(target, customers[-args.ceiling_users:], args.ceiling_users, 10, (0, 0)).run()  # warm-up
            started, cpu_before = time.monotonic(), cpu_seconds(profile)
            results = Simulation(target, customers[:-args.ceiling_users], args.ceiling_users,
                                 args.ceiling_duration, (0, 0)).run()
            elapsed = time.monotonic() - started
            found[f"{copies}+{copies}"] = latency_table(results, elapsed)
            found[f"{copies}+{copies}"]["cpu"] = cpu_per_turn(cpu_before, cpu_seconds(profile),
                                                              found[f"{copies}+{copies}"]["turns"], elapsed)
            delete_queue(profile.settings.rabbitmq_url, profile.settings.rabbitmq_queue)
        drop_databases(database)
    found["ratio"] = round(found["2+2"]["turns_per_second"] / found["1+1"]["turns_per_second"], 2)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.loadtest", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=300)
    parser.add_argument("--pause", type=lambda v: tuple(float(x) for x in v.split("-")), default=(2.0, 6.0))
    parser.add_argument("--ceiling-users", type=int, default=16)
    parser.add_argument("--ceiling-duration", type=float, default=60)
    parser.add_argument("--skip-open-loop", action="store_true")
    parser.add_argument("--skip-ceiling", action="store_true")
    parser.add_argument("--faults", action="store_true", help="also the faults under load (bench/faults.py)")
    parser.add_argument("--base-port", type=int, default=18000)
    parser.add_argument("--profile-conversations", type=int, default=8,
                        help="conversations replayed one at a time to time each stage of a turn")
    args = parser.parse_args()
    report: dict[str, Any] = {"date": time.strftime("%Y-%m-%d %H:%M"), "users": args.users,
                              "duration_s": args.duration, "pause_s": list(args.pause)}
    if not args.skip_open_loop:
        print("1. Khách hàng mô phỏng trên cấu hình 2 + 2…", flush=True)
        report["open_loop"] = open_loop(args)
    if not args.skip_ceiling:
        print("2. Trần thông lượng (không nghỉ): 1 + 1, rồi 2 + 2…", flush=True)
        report["ceiling"] = ceiling(args)
    if args.faults:
        from bench.faults import run_faults

        print("3. Sự cố dưới tải…", flush=True)
        report["faults"] = run_faults(args)
    out = ROOT / "results" / "loadtest.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print_report(report)
    if "faults" in report:
        print_faults(report["faults"])
    failed = report.get("open_loop", {}).get("errors") or report.get("open_loop", {}).get("books", {}).get("problems")
    return 1 if failed or not all(outcome["passed"] for outcome in report.get("faults", [])) else 0


if __name__ == "__main__":
    sys.exit(main())
