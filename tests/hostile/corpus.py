"""Hostile inputs for the public HTTP endpoints, read from corpus.json.

The inputs live in a data file, not in code, so that every endpoint test sends
the same list and a new nasty input is added in one place. Entries that would
make the file huge (5 MB bodies, 1000-level nesting) are stored as recipes and
expanded here.

Entry shapes in corpus.json (values of the top-level category lists):

- "text"                          -> the text, UTF-8 encoded
- {"b64": "..."}                  -> raw bytes (invalid UTF-8, NUL, CR/LF, ...)
- {"repeat": s, "times": n}       -> s * n; an optional "prefix" goes in front,
                                     e.g. "Bearer " + "a" * 5000
- {"json": value}                 -> json.dumps(value, ensure_ascii=False)
- {"nest": n}                     -> "[" * n + "]" * n
"""
from __future__ import annotations

import base64
import binascii
import functools
import json
from pathlib import Path
from typing import Any

CORPUS_PATH = Path(__file__).with_name("corpus.json")

# CPython's json.dumps gives up (RecursionError) a little below 1000 levels, so a
# 1000-level list could not even be sent as a field value. values() therefore
# caps nested lists at this depth; the full depth still reaches the servers as
# a raw body through load().
NEST_VALUE_DEPTH = 500

Entry = str | dict[str, Any]
_SHAPES = ({"b64"}, {"repeat", "times"}, {"repeat", "times", "prefix"}, {"json"}, {"nest"})


@functools.lru_cache(maxsize=1)
def _raw() -> dict[str, tuple[Entry, ...]]:
    """The parsed file, read once: several test modules ask for it."""
    with CORPUS_PATH.open(encoding="utf-8") as handle:
        data = json.load(handle)
    if not isinstance(data, dict):
        raise ValueError(f"{CORPUS_PATH}: top level must be an object of categories")
    corpus: dict[str, tuple[Entry, ...]] = {}
    for category, entries in data.items():
        if not isinstance(entries, list):
            raise ValueError(f"{CORPUS_PATH}: category {category!r} must be a list")
        for index, entry in enumerate(entries):
            _materialise(entry, f"{category}[{index}]")  # fail early, with a location
        corpus[category] = tuple(entries)
    return corpus


def _materialise(entry: Entry, where: str = "entry") -> bytes:
    """One entry as the bytes a client would put on the wire."""
    if isinstance(entry, str):
        return entry.encode("utf-8")
    if not isinstance(entry, dict) or set(entry) not in _SHAPES:
        raise ValueError(f"{where}: unknown entry shape {entry!r:.80}")
    if "b64" in entry:
        try:
            return base64.b64decode(entry["b64"], validate=True)
        except (binascii.Error, TypeError) as error:
            raise ValueError(f"{where}: bad base64: {error}") from None
    if "repeat" in entry:
        times = entry.get("times")
        if not isinstance(times, int) or isinstance(times, bool) or times < 0:
            raise ValueError(f"{where}: 'times' must be a non-negative integer")
        return (str(entry.get("prefix", "")) + str(entry["repeat"]) * times).encode("utf-8")
    if "json" in entry:
        return json.dumps(entry["json"], ensure_ascii=False).encode("utf-8")
    if "nest" in entry:
        depth = entry["nest"]
        if not isinstance(depth, int) or isinstance(depth, bool) or depth < 1:
            raise ValueError(f"{where}: 'nest' must be a positive integer")
        return b"[" * depth + b"]" * depth
    raise ValueError(f"{where}: unknown entry shape {entry!r:.80}")


@functools.lru_cache(maxsize=1)
def _bodies() -> tuple[tuple[str, tuple[bytes, ...]], ...]:
    """Materialised once: the 5 MB bodies are not cheap to rebuild per test."""
    return tuple((category, tuple(_materialise(e) for e in entries)) for category, entries in _raw().items())


def load() -> dict[str, list[bytes]]:
    """Every entry as bytes, by category; fresh lists, so callers may mutate them."""
    return {category: list(bodies) for category, bodies in _bodies()}


@functools.lru_cache(maxsize=1)
def _texts() -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for _, bodies in _bodies():
        for body in bodies:
            try:
                seen.setdefault(body.decode("utf-8"), None)
            except UnicodeDecodeError:
                continue  # raw bytes only; a str field cannot carry them
    return tuple(seen)


def texts() -> list[str]:
    """Every entry that is valid UTF-8, as str, for chat message fields.

    Exact duplicates across categories (the empty string is both an "empty"
    text and an empty signature header) are kept once, in first-seen order.
    """
    return list(_texts())


def _nested(depth: int) -> list[Any]:
    """A list nested `depth` levels deep, built without recursion."""
    value: list[Any] = []
    for _ in range(depth - 1):
        value = [value]
    return value


def values() -> list[object]:
    """JSON-able values for typed fields: every text, then the JSON values and nested lists.

    Built afresh on each call, so a test that mutates a dict does not poison the next.
    """
    result: list[object] = list(_texts())
    for entries in _raw().values():
        for entry in entries:
            if isinstance(entry, dict) and "json" in entry:
                result.append(json.loads(json.dumps(entry["json"])))
            elif isinstance(entry, dict) and "nest" in entry:
                result.append(_nested(min(entry["nest"], NEST_VALUE_DEPTH)))
    return result


def count_by_category() -> dict[str, int]:
    """Number of entries per category, as written in the file."""
    return {category: len(entries) for category, entries in _raw().items()}


def total() -> int:
    """Number of entries in the whole corpus."""
    return sum(count_by_category().values())
