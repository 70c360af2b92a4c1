"""Turn latency of a customer with years of history, against a new one's (what session expiry buys).

Rasa reads a conversation's whole tracker on every turn: this measures a customer with 2.000 earlier
events in monthly sessions (expired, as session_config makes them) and one with as many in the current one.
"""
from __future__ import annotations

import time
import uuid
from typing import Any

import requests

from bench.loadtest.report import percentile
from ops.production import Profile


def history_events(count: int, sessions: int, start: float, spacing: float) -> list[dict[str, Any]]:
    """`count` events in `sessions` sessions, one every `spacing` seconds from `start` (epoch seconds)."""
    events: list[dict[str, Any]] = []
    per_session = max(4, count // sessions)
    moment = start
    while len(events) < count:
        if len(events) % per_session == 0:
            events += [{"event": "session_started", "timestamp": moment},
                       {"event": "action", "name": "action_listen", "timestamp": moment}]
        events += [
            {"event": "user", "text": "giá điện bậc 5 bao nhiêu", "timestamp": moment,
             "parse_data": {"intent": {"name": "ask_tariff", "confidence": 1.0}, "entities": [],
                            "text": "giá điện bậc 5 bao nhiêu"}},
            {"event": "bot", "text": "Dạ, giá bậc 5 là 3.350 đ/kWh.", "timestamp": moment},
            {"event": "action", "name": "action_listen", "timestamp": moment},
        ]
        moment += spacing
    return events[:count]


def history_latency(profile: Profile, events: int = 2000, turns: int = 20) -> dict[str, Any]:
    """Turn latency of a new customer, of one with `events` earlier events in monthly sessions (expired, as
    session_config makes them), and of one with as many events in its current session (what expiry avoids)."""
    api = f"{profile.internal_url}/conversations/{{}}/tracker/events"
    now = time.time()
    cases = {
        "new_conversation": [],
        f"{events}_events_in_monthly_sessions": history_events(events, 24, now - 730 * 86400, 730 * 86400 / events),
        f"{events}_events_in_the_current_session": history_events(events, 1, now - 600, 0.2),
    }
    found: dict[str, Any] = {}
    for name, history in cases.items():
        sender = f"hist-{uuid.uuid4().hex[:10]}"
        if history:
            for start in range(0, len(history), 500):
                response = requests.post(api.format(f"rest-{sender}"), headers=profile.rasa_headers(f"rest-{sender}"),
                                         json=history[start:start + 500], timeout=120)
                response.raise_for_status()
        samples = []
        for _ in range(turns):
            started = time.perf_counter()
            response = requests.post(f"{profile.url}/webhooks/rest/webhook", headers=profile.rest_headers,
                                     json={"sender": sender, "message": "giá điện bậc 5 bao nhiêu"}, timeout=120)
            samples.append((time.perf_counter() - started) * 1000)
            response.raise_for_status()
        found[name] = {"p50_ms": round(percentile(samples, 50)), "p95_ms": round(percentile(samples, 95))}
    return found
