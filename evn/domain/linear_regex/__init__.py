"""Regular expressions in linear time, for every text that comes from outside (RE2).

Python's `re` backtracks: one ambiguous pattern and one crafted message once held a Rasa process's event
loop for 20 s, and each further word multiplied the time. RE2 runs an automaton instead, in time linear in
the text whatever the pattern, so no message can do that. Every pattern of the project is compiled here
(a test refuses `import re` elsewhere), and `tests/components/test_regex_sweep.py` runs each of them on
adversarial texts up to the message limit.

RE2 differs from `re` in three ways, handled here so that patterns keep Python's meaning:
- its classes are ASCII: `\\w \\d \\s` (in and out of brackets) become their Unicode classes; `\\b` stays
  ASCII, so it is for folded text (`periods.fold`): a pattern with `\\b` and a letter outside ASCII is refused,
  and text with diacritics takes `(?<!\\w)`/`(?!\\w)`;
- it has no look-around. A look-behind of a few characters (`(?<!\\d\\s)`: fixed classes, no quantifier) at the
  start of a top-level alternative (several combine) and a look-ahead of one character at its end (`(?![^X])`
  too: X or the end follows) are rewritten:
  the text gets sentinels in front, as many as the longest look-behind reads, each alternative consumes the
  characters before it (`[^…]`) and the one after it (`(?:[^…]|\\z)`), and the match
  reported is the part between, so `search`, `finditer` and `sub` give the spans `re` would. A look-around
  anywhere else, and back-references, are refused when the pattern is compiled;
- `^` in such a pattern is allowed only at the start of an alternative without a look-behind.

Known differences left: `$` does not match before a final newline; `\\b` sees a letter outside ASCII (ß, ж)
in folded text as a non-word character; after an empty match the next match starts one character later.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import re2

from evn.domain.linear_regex.matching import Match, Pattern
from evn.domain.linear_regex.translation import DOTALL, IGNORECASE, MULTILINE, UnsupportedPattern

__all__ = ["DOTALL", "IGNORECASE", "MULTILINE", "Match", "Pattern", "UnsupportedPattern", "compile", "compiled",
           "escape", "findall", "finditer", "fullmatch", "match", "search", "split", "sub"]

_CACHE_SIZE = 4096
_CACHE: dict[tuple[str, int], Pattern] = {}  # oldest first; bounded, as patterns may be built from text
_CACHE_LOCK = threading.Lock()  # actions run on worker threads


def compile(pattern: str, flags: int = 0) -> Pattern:  # noqa: A001 - re's name, so callers read as before
    """The pattern, compiled once while it stays among the last 4.096 used."""
    key = (pattern, flags)
    with _CACHE_LOCK:
        found = _CACHE.pop(key, None)
    if found is None:
        found = Pattern(pattern, flags)
    with _CACHE_LOCK:
        while len(_CACHE) >= _CACHE_SIZE:
            del _CACHE[next(iter(_CACHE))]
        _CACHE[key] = found
    return found


def compiled() -> list[Pattern]:
    """The patterns compiled in this process and still cached (every one, in a fresh process): the sweep runs them."""
    with _CACHE_LOCK:
        return list(_CACHE.values())


def search(pattern: str, text: str, flags: int = 0) -> Match | None:
    return compile(pattern, flags).search(text)


def match(pattern: str, text: str, flags: int = 0) -> Match | None:
    return compile(pattern, flags).match(text)


def fullmatch(pattern: str, text: str, flags: int = 0) -> Match | None:
    return compile(pattern, flags).fullmatch(text)


def sub(pattern: str, repl: str | Callable[[Match], str], text: str, count: int = 0, flags: int = 0) -> str:
    return compile(pattern, flags).sub(repl, text, count)


def findall(pattern: str, text: str, flags: int = 0) -> list[Any]:
    return compile(pattern, flags).findall(text)


def finditer(pattern: str, text: str, flags: int = 0) -> Iterator[Match]:
    return compile(pattern, flags).finditer(text)


def split(pattern: str, text: str, maxsplit: int = 0, flags: int = 0) -> list[str | None]:
    return compile(pattern, flags).split(text, maxsplit)


def escape(text: str) -> str:
    """Text matched as itself."""
    return str(re2.escape(text))
