"""Where a turn's time goes: Rasa's NLU, its policies, the tracker and lock stores, the action call, the database.

The load test's conversations are replayed one at a time through a Rasa agent, on the profile's own stores and
action server, with timers around the stages of Rasa 3.6's MessageProcessor. The agent needs Rasa, so the replay
runs as `python -m bench.turn_profile` in the Rasa server's environment (JSON in on stdin, out on stdout), started
by profile_turns from the load test in the application's. The action server's own /timings say how much of each
action call was the action and how much of that was database statements. One at a time, so a stage's time is its
own and not time spent waiting for the loop.
"""
from __future__ import annotations

import asyncio
import functools
import json
import logging
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

from ops.endpoints import render as render_endpoints
from ops.endpoints import shared_stores
from ops.environments import rasa_python
from ops.model_fingerprint import ROOT, newest_model

DEBUG = False
STAGES = ("turn", "nlu", "policies", "action_call", "action_call_format", "action_http", "action_result_check",
          "tracker_retrieve", "tracker_save", "lock")


class Stopwatch:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)

    def wrap_async(self, stage: str, function: Callable) -> Callable:
        @functools.wraps(function)
        async def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return await function(*args, **kwargs)
            finally:
                self.seconds[stage] += time.perf_counter() - started
                self.calls[stage] += 1
        return timed

    def wrap_sync(self, stage: str, function: Callable) -> Callable:
        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[stage] += time.perf_counter() - started
                self.calls[stage] += 1
        return timed


def action_timings(port: int, token: str) -> dict[str, dict[str, float]]:
    return requests.get(f"http://127.0.0.1:{port}/timings", headers={"Authorization": f"Bearer {token}"},
                        timeout=10).json()


async def _replay(job: dict[str, Any], watch: Stopwatch) -> int:
    from rasa.core.actions.action import RemoteAction
    from rasa.core.agent import load_agent
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
    from rasa.core.processor import MessageProcessor
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.log_utils import configure_structlog

    import connectors  # noqa: F401 - what the Rasa server loads with its channels (rasa_server_plugins)

    configure_structlog(logging.WARNING)  # as `rasa run` does; unconfigured, structlog prints every debug line

    endpoints_file = render_endpoints(ROOT, f"http://127.0.0.1:{job['actions_port']}/webhook", job["action_token"],
                                      Path(job["run_dir"]), "profile", extra=job["stores"])
    agent = await load_agent(str(newest_model()), endpoints=AvailableEndpoints.read_endpoints(str(endpoints_file)))
    MessageProcessor.parse_message = watch.wrap_async("nlu", MessageProcessor.parse_message)
    MessageProcessor._predict_next_with_tracker = watch.wrap_sync("policies",
                                                                  MessageProcessor._predict_next_with_tracker)
    RemoteAction.run = watch.wrap_async("action_call", RemoteAction.run)
    # Inside action_call: building the call (tracker and domain as JSON-ready dicts), and the HTTP round trip.
    RemoteAction._action_call_format = watch.wrap_sync("action_call_format", RemoteAction._action_call_format)
    RemoteAction._validate_action_result = watch.wrap_sync("action_result_check", RemoteAction._validate_action_result)
    from rasa.utils.endpoints import EndpointConfig

    EndpointConfig.request = watch.wrap_async("action_http", EndpointConfig.request)
    store = agent.tracker_store
    store.retrieve = watch.wrap_async("tracker_retrieve", store.retrieve)  # type: ignore[method-assign]
    store.save = watch.wrap_async("tracker_save", store.save)  # type: ignore[method-assign]
    lock_store = agent.lock_store
    lock_store._acquire_lock = watch.wrap_async("lock", lock_store._acquire_lock)  # type: ignore[method-assign]
    turns = 0
    for customer in job["customers"]:
        sender = f"rest-prof-{uuid.uuid4().hex[:10]}"
        for kind, template in job["script"]:
            text = template.format(**customer)
            started = time.perf_counter()
            replies = await agent.handle_message(UserMessage(text, CollectingOutputChannel(), sender,
                                                             input_channel="rest"))
            if DEBUG:
                print(text, "->", [r.get("text", "")[:70] for r in replies or []])
            elapsed = time.perf_counter() - started
            watch.seconds["turn"] += elapsed
            watch.calls["turn"] += 1
            watch.seconds[f"kind:{kind}"] += elapsed
            watch.calls[f"kind:{kind}"] += 1
            turns += 1
    return turns


def profile_turns(profile: Any, customers: list[Any], script: list[tuple[str, str]]) -> dict[str, Any]:
    """Mean milliseconds per turn for each stage, over the conversations of `customers`."""
    before = action_timings(profile.actions_port, profile.action_token)
    job = {"actions_port": profile.actions_port, "action_token": profile.action_token, "run_dir": str(profile.run_dir),
           "stores": shared_stores(profile.settings), "script": script,
           "customers": [{"code": c.code, "phone": c.phone, "name": c.name} for c in customers]}
    # The action token travels on stdin, never on a command line.
    replayed = subprocess.run([rasa_python(), "-m", "bench.turn_profile"], input=json.dumps(job), cwd=ROOT,
                              capture_output=True, text=True, check=True)
    answer = json.loads(replayed.stdout.strip().splitlines()[-1])
    turns, watch = answer["turns"], Stopwatch()
    watch.seconds.update(answer["seconds"])
    watch.calls.update(answer["calls"])
    after = action_timings(profile.actions_port, profile.action_token)
    action_ms = sum(row["ms"] for row in after.values()) - sum(row["ms"] for row in before.values())
    db_ms = sum(row["db_ms"] for row in after.values()) - sum(row["db_ms"] for row in before.values())
    per_turn = {stage: round(watch.seconds[stage] * 1000 / turns, 1) for stage in STAGES}
    per_turn["action_server"] = round(action_ms / turns, 1)  # inside the action server, of action_call
    per_turn["database"] = round(db_ms / turns, 1)  # statements inside the actions, of action_server
    accounted = sum(per_turn[s] for s in ("nlu", "policies", "action_call", "tracker_retrieve", "tracker_save", "lock"))
    per_turn["rest_of_rasa"] = round(per_turn["turn"] - accounted, 1)
    slowest = sorted(((name, round((after[name]["ms"] - before.get(name, {}).get("ms", 0))
                              / max(1, after[name]["calls"] - before.get(name, {}).get("calls", 0)), 1))
                      for name in after), key=lambda item: -item[1])[:5]
    by_kind = {name.removeprefix("kind:"): round(watch.seconds[name] * 1000 / watch.calls[name], 1)
               for name in watch.seconds if name.startswith("kind:")}
    return {"turns": turns, "ms_per_turn": per_turn, "ms_by_kind_of_turn": by_kind,
            "action_calls_per_turn": round(watch.calls["action_call"] / turns, 2),
            "slowest_actions_ms_per_call": dict(slowest)}


def replay_main() -> int:
    """The replay itself, in the Rasa server's environment: the job as JSON on stdin, the stopwatch on stdout."""
    watch = Stopwatch()
    turns = asyncio.run(_replay(json.load(sys.stdin), watch))
    print(json.dumps({"turns": turns, "seconds": watch.seconds, "calls": watch.calls}))
    return 0


if __name__ == "__main__":
    sys.exit(replay_main())
