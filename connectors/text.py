"""Cutting a reply into the pieces a platform accepts, at a paragraph, line or word when one is near.

Platforms count length differently (Messenger in UTF-16 code units, Zalo in characters),
so the measure is a parameter; the cutting is the same everywhere.
"""
from __future__ import annotations

from collections.abc import Callable

Measure = Callable[[str], int]


def characters(text: str) -> int:
    return len(text)


def utf16_units(text: str) -> int:
    """Never less than the character count, whichever way a platform counts."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _prefix_within(text: str, limit: int, measure: Measure) -> int:
    """How many characters of `text` fit in `limit` (by `measure`)."""
    if measure is characters:
        return min(len(text), limit)
    used = 0
    for index, ch in enumerate(text):
        used += measure(ch)
        if used > limit:
            return index
    return len(text)


def split_text(text: str, limit: int, measure: Measure = characters) -> list[str]:
    """Pieces of at most `limit`, cut at a paragraph, line or word boundary in the second half of a piece."""
    pieces: list[str] = []
    rest = (text or "").strip()
    while rest:
        if measure(rest) <= limit:
            pieces.append(rest)
            break
        end = max(1, _prefix_within(rest, limit, measure))
        window = rest[:end]
        cut = -1
        for separator in ("\n\n", "\n", " "):
            position = window.rfind(separator)
            if position >= end // 2:
                cut = position
                break
        piece = (window[:cut] if cut > 0 else window).rstrip()
        if not piece:  # only whitespace before the cut: hard cut instead
            piece, cut = window, -1
        pieces.append(piece)
        rest = rest[cut if cut > 0 else end:].lstrip()
    return pieces


def shorten(text: str, limit: int, measure: Measure = characters) -> str:
    """Whitespace collapsed and cut to `limit`, ending with "…" when something was cut."""
    text = " ".join(str(text).split())
    if measure(text) <= limit:
        return text
    return text[: _prefix_within(text, limit - 1, measure)].rstrip() + "…"
