"""The action server's core, built once by the composition root (evn/bootstrap.py).

rasa-sdk instantiates actions itself, with no arguments, so they reach the core
through `services()`; tests hand in their own with `use()`.
"""
from __future__ import annotations

from evn.bootstrap import Core, bootstrap

_core: Core | None = None


def services() -> Core:
    global _core
    if _core is None:
        _core = bootstrap()
    return _core


def use(core: Core | None) -> None:
    """Tests: run the actions on this core (None: build the default again on next use)."""
    global _core
    _core = core
