"""What a run reports: latency percentiles per kind of turn, and the tables printed at the end."""
from __future__ import annotations

import statistics
from typing import Any

from bench.loadtest.simulation import Results


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def latency_table(results: Results, seconds: float) -> dict[str, Any]:
    every = [s for kind, samples in results.latencies.items() if kind != "pay" for s in samples]
    table = {kind: {"n": len(s), "p50_ms": round(percentile(s, 50)), "p95_ms": round(percentile(s, 95)),
                    "p99_ms": round(percentile(s, 99))} for kind, s in results.latencies.items() if s}
    return {
        "turns": len(every), "turns_per_second": round(len(every) / seconds, 2),
        "all": {"p50_ms": round(percentile(every, 50)), "p95_ms": round(percentile(every, 95)),
                "p99_ms": round(percentile(every, 99)), "mean_ms": round(statistics.mean(every))} if every else {},
        "by_kind": table, "errors": len(results.errors), "error_samples": results.errors[:20],
    }


def print_report(report: dict[str, Any]) -> None:
    if "open_loop" in report:
        loop = report["open_loop"]
        books = loop["books"]
        print(f"\nOpen loop: {loop['turns']} turns, {loop['turns_per_second']} turns/s, errors {loop['errors']}")
        print("| turn | n | p50 ms | p95 ms | p99 ms |\n|---|---|---|---|---|")
        for kind, row in loop["by_kind"].items():
            print(f"| {kind} | {row['n']} | {row['p50_ms']} | {row['p95_ms']} | {row['p99_ms']} |")
        print(f"| all | {loop['turns']} | {loop['all'].get('p50_ms')} | {loop['all'].get('p95_ms')} | "
              f"{loop['all'].get('p99_ms')} |")
        print(f"Books: {books['conversations']} conversations ({books['completed']} whole), {books['messages']} "
              f"messages, {books['requests_filed']} requests, {books['links']} links, {books['payments']} payments; "
              f"problems: {len(books['problems'])}")
        for problem in books["problems"][:10]:
            print("  -", problem)
        for error in loop["error_samples"][:10]:
            print("  !", error)
    if "where_time_goes" in report.get("open_loop", {}):
        where = report["open_loop"]["where_time_goes"]
        print(f"Where a turn's time goes (ms per turn, {where['turns']} turns one at a time, "
              f"{where['action_calls_per_turn']} action calls per turn):")
        print("  " + ", ".join(f"{stage} {ms}" for stage, ms in where["ms_per_turn"].items()))
        print("  by kind of turn (ms): " + ", ".join(f"{k} {ms}" for k, ms in where["ms_by_kind_of_turn"].items()))
        print("  slowest actions (ms per call): " + ", ".join(f"{n} {ms}" for n, ms in
                                                             where["slowest_actions_ms_per_call"].items()))
    if "long_history" in report.get("open_loop", {}):
        print("Turn latency with a long history: " + ", ".join(
            f"{name} p50 {row['p50_ms']} ms, p95 {row['p95_ms']} ms"
            for name, row in report["open_loop"]["long_history"].items()))
    if "ceiling" in report:
        ceil = report["ceiling"]
        for name in ("1+1", "2+2"):
            row = ceil[name]
            print(f"Ceiling {name}: {row['turns_per_second']} turns/s, p50 {row['all'].get('p50_ms')} ms, "
                  f"p95 {row['all'].get('p95_ms')} ms, errors {row['errors']}; {row['cpu']['cores_busy']} cores busy, "
                  "CPU ms per turn: " + ", ".join(f"{k} {v}" for k, v in row["cpu"]["ms_per_turn"].items()))
        print(f"2+2 ÷ 1+1: {ceil['ratio']} (target ≥ 1,6)")


def print_faults(outcomes: list[dict[str, Any]]) -> None:
    print("\n| fault (under load) | before | during (+10 s) | after | judged |\n|---|---|---|---|---|")
    for outcome in outcomes:
        w = outcome["windows"]
        cells = [f"{w[k]['failed']}/{w[k]['turns']} failed" for k in ("before", "during", "after")]
        failed = [check for check, ok in outcome["checks"].items() if not ok]
        verdict = "pass" if outcome["passed"] else "FAIL: " + ", ".join(failed)
        print(f"| {outcome['fault']} | {' | '.join(cells)} | {verdict} |")
