"""What a channel says by itself (an empty message, an image it cannot read), from the domain's responses.

The channels answer some messages before Rasa sees them; their words live in
domain.yml like every other reply (read once).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DOMAIN = Path(__file__).resolve().parents[1] / "domain.yml"


@lru_cache(maxsize=1)
def _domain() -> dict[str, Any]:
    return yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))


def _initial_values() -> dict[str, Any]:
    """The slots' initial values ({addressee}: "anh/chị"): before Rasa, nobody has said how to address them."""
    return {name: slot["initial_value"] for name, slot in (_domain().get("slots") or {}).items()
            if isinstance(slot, dict) and isinstance(slot.get("initial_value"), str)}


def reply(name: str, **values: Any) -> str:
    return str(_domain()["responses"][name][0]["text"]).format(**{**_initial_values(), **values})
