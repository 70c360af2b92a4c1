"""Blocking work (database, Rasa's HTTP API, password hashing) off the web app's event loop."""
from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import Any


async def blocking(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return await asyncio.get_running_loop().run_in_executor(None, partial(function, *args, **kwargs))
