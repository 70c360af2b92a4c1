"""The requests of a message of several that still wait to be served, read from the conversation's events.

A message of several requests keeps them in order on its parse (`requests`, nlu_components/several_requests.py);
the rules serve the first. Each later one is served as a message of its own once the answer before it is
complete: after its verification or form, when the rules would wait for the customer. The queue is over when
every request was served, or when the customer wrote something other than an answer to a form's question (a new
message while no form asked: they moved on), or at a restart.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

REQUESTS = "requests"  # on a message's parse: its requests, in order
QUEUED = "queued_request"  # true on a request's parse when it was served after its message


def waiting(events: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The requests not served yet of the customer's latest message of several, in order; [] when none wait."""
    asked: list[dict[str, Any]] = []
    served = 0
    form: str | None = None
    for event in events:
        kind = event.get("event")
        if kind == "active_loop":
            form = event.get("name")
        elif kind in ("restart", "session_started"):
            asked, form = [], None
        elif kind == "user":
            parse = event.get("parse_data") or {}
            intent = str((parse.get("intent") or {}).get("name") or "")
            if parse.get(QUEUED) is not None:
                served += 1
            elif parse.get(REQUESTS):
                asked, served = list(parse[REQUESTS]), 1  # the first is the message's own intent
            elif form is None and not intent.startswith("EXTERNAL_"):
                asked = []  # a new message while no form asked: the customer moved on
    return asked[served:]
