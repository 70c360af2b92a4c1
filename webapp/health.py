"""GET /healthz: 200 only when every process of the deployment answers, else 503 naming what does not.

In production the answer is the verdict alone: the names are internal addresses, and /healthz is public.

nginx sends /healthz to any web app; each asks the same list (HEALTH_TARGETS: every Rasa
server, action server and web app of the profile) and its own database connection, so
a load balancer or a person sees one answer for the whole deployment.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import requests
from sqlalchemy import text
from sqlalchemy.engine import Engine

TIMEOUT = 2.0
OK, DOWN = "ok", "down"


def _answers(url: str) -> str:
    try:
        return OK if requests.get(url, timeout=TIMEOUT).ok else DOWN
    except requests.RequestException:
        return DOWN


def _database(engine: Engine | None) -> str:
    if engine is None:
        return OK
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return OK
    except Exception:  # noqa: BLE001 - any failure is "down", the reason is not the caller's business
        return DOWN


def report(targets: tuple[str, ...], engine: Engine | None) -> tuple[int, dict[str, Any]]:
    """(HTTP status, body): every target asked at once, each within TIMEOUT."""
    with ThreadPoolExecutor(max_workers=max(1, len(targets))) as pool:
        answers = dict(zip(targets, pool.map(_answers, targets), strict=True))
    checks = {"database": _database(engine), **answers}
    healthy = all(state == OK for state in checks.values())
    return (200 if healthy else 503), {"status": OK if healthy else DOWN, "checks": checks}


def shown(body: dict[str, Any], production: bool) -> dict[str, Any]:
    """What /healthz answers: in production the verdict alone, not the internal addresses it checked."""
    return {"status": body["status"]} if production else body
