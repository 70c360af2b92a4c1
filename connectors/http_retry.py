"""One HTTP call to a platform, retried on the failures worth retrying, with exponential backoff.

Connection errors and 5xx/429 answers are retried; a timeout is retried only where a
duplicate is harmless (the platform may have delivered the message already).
"""
from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from typing import Any

import aiohttp

logger = logging.getLogger(__name__)
RETRY_STATUSES = {429}  # besides every 5xx


async def call(
    what: str, request: Callable[[], Any], attempts: int = 3, backoff_base: float = 0.5,
    retry_timeouts: bool = True,
) -> tuple[int, Any] | None:
    """(status, parsed JSON or the raw text) of the first answer worth keeping; None after the last try."""
    for attempt in range(1, max(1, attempts) + 1):
        try:
            async with request() as answer:
                raw = await answer.read()
                if answer.status < 500 and answer.status not in RETRY_STATUSES:
                    return answer.status, _parsed(raw)
                problem = f"HTTP {answer.status}"
        except asyncio.TimeoutError:
            if not retry_timeouts:
                logger.warning("%s: timed out; not retried (it may have been delivered)", what)
                return None
            problem = "timeout"
        except (aiohttp.ClientError, OSError) as error:
            problem = error.__class__.__name__
        if attempt < attempts:
            delay = backoff_base * 2 ** (attempt - 1)
            logger.info("%s: %s, try %d of %d, again in %.1f s", what, problem, attempt, attempts, delay)
            await asyncio.sleep(delay)
        else:
            logger.warning("%s: %s after %d tries; given up", what, problem, attempts)
    return None


def _parsed(raw: bytes) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode("utf-8", "replace")
