"""Regular expressions in linear time, for every text that comes from outside (RE2).

Python's `re` backtracks: one ambiguous pattern and one crafted message once held a Rasa process's event
loop for 20 s, and each further word multiplied the time. RE2 runs an automaton instead, in time linear in
the text whatever the pattern, so no message can do that. Every pattern of the project is compiled here
(a test refuses `import re` elsewhere), and `tests/unit/test_regex_sweep.py` runs each of them on
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
from dataclasses import dataclass, field
from typing import Any

import re2

IGNORECASE = 2  # the values of re's flags, so callers read as before
MULTILINE = 8
DOTALL = 16

_WORD = r"\p{L}\p{N}_"
_DIGIT = r"\p{Nd}"
_SPACE = r"\t\n\x0b\x0c\r\x1c-\x1f \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}"
_IN_CLASS = {"w": _WORD, "d": _DIGIT, "s": _SPACE}
_OUTSIDE = {"w": f"[{_WORD}]", "W": f"[^{_WORD}]", "d": _DIGIT, "D": r"\P{Nd}", "s": f"[{_SPACE}]",
            "S": f"[^{_SPACE}]", "Z": r"\z"}
_SENTINEL = "\x00"
_OPEN_LOWER_BOUND = re2.compile(r"\{,\d+\}")
_INLINE_FLAGS = re2.compile(r"\(\?[imsx-]+\)")  # (?i) and the like, for the whole pattern


class UnsupportedPattern(ValueError):
    """A construct RE2 cannot run in linear time (look-around in the middle, back-references)."""


# ---------------------------------------------------------------- translation


@dataclass
class _Item:
    """One piece of a pattern: RE2 text, or a one-character look-around (`kind` and its class body)."""

    text: str
    kind: str = ""  # "", "lookbehind", "lookahead"
    negative: bool = False
    chars: str = ""  # the class body of a look-around: "\\p{L}\\p{N}_" for (?<!\w)
    sequence: tuple[str, ...] = ()  # a look-behind's class bodies, one per character: (?<!\d\s) has two
    or_end: bool = False  # a look-ahead that also holds at the end of the text: (?![^X])
    group: bool = False  # a non-capturing group of alternatives, kept for flattening
    inner_lookaround: bool = False  # such a group holds a look-around: allowed only once flattened
    alternatives: list[list[_Item]] = field(default_factory=list)


class _Parser:
    """Reads Python's pattern syntax (the subset this project uses) into RE2 pieces."""

    def __init__(self, pattern: str) -> None:
        self.pattern, self.at, self.groups = pattern, 0, 0
        self.word_boundary = False

    def fail(self, why: str) -> UnsupportedPattern:
        return UnsupportedPattern(f"{why} at {self.at} in {self.pattern!r}")

    def peek(self, count: int = 1) -> str:
        return self.pattern[self.at:self.at + count]

    def alternatives(self, closing: bool) -> list[list[_Item]]:
        branches: list[list[_Item]] = [[]]
        while self.at < len(self.pattern):
            char = self.peek()
            if char == ")":
                if not closing:
                    raise self.fail("unbalanced )")
                return branches
            if char == "|":
                self.at += 1
                branches.append([])
                continue
            branches[-1].append(self.item())
        if closing:
            raise self.fail("missing )")
        return branches

    def item(self) -> _Item:
        char = self.peek()
        if char == "\\":
            return _Item(self.escape())
        if char == "[":
            return _Item("[" + self.char_class() + "]")
        if char == "(":
            return self.group()
        if char == "{" and _OPEN_LOWER_BOUND.match(self.pattern[self.at:]):
            raise self.fail("{,n}: write {0,n}")  # re reads it as 0 to n, RE2 as the text itself
        self.at += 1
        return _Item(char)

    def escape(self) -> str:
        letter = self.pattern[self.at + 1:self.at + 2]
        if not letter:
            raise self.fail("trailing backslash")
        self.at += 2
        if letter in _OUTSIDE:
            return _OUTSIDE[letter]
        if letter in "bB":
            self.word_boundary = True
        if letter.isdigit() and letter != "0":
            raise self.fail("back-reference")
        if letter == "u":
            code, self.at = self.pattern[self.at:self.at + 4], self.at + 4
            return r"\x{" + code + "}"
        return "\\" + letter

    def char_class(self) -> str:
        """The body of a bracketed class, from `[` to after its `]`."""
        self.at += 1
        body = ""
        if self.peek() == "^":
            body, self.at = "^", self.at + 1
        first = True
        while True:
            char = self.peek()
            if not char:
                raise self.fail("missing ]")
            if char == "]" and not first:
                self.at += 1
                return body
            first = False
            if char == "\\":
                letter = self.pattern[self.at + 1:self.at + 2]
                if letter in _IN_CLASS:
                    body += _IN_CLASS[letter]
                elif letter in "WDS":
                    raise self.fail(f"\\{letter} inside a class")
                elif letter == "u":
                    body += r"\x{" + self.pattern[self.at + 2:self.at + 6] + "}"
                    self.at += 4
                else:
                    body += "\\" + letter
                self.at += 2
                continue
            if char == "[":
                body += r"\["
            else:
                body += char
            self.at += 1

    def group(self) -> _Item:
        head = self.peek(4)
        if head.startswith("(?<!") or head.startswith("(?<="):
            self.at += 4
            return self.lookaround("lookbehind", head[3] == "!")
        if head.startswith("(?!") or head.startswith("(?="):
            self.at += 3
            return self.lookaround("lookahead", head[2] == "!")
        if head.startswith("(?P="):
            raise self.fail("back-reference")
        if head.startswith("(?#"):
            end = self.pattern.index(")", self.at)
            self.at = end + 1
            return _Item("")
        if head.startswith("(?:"):
            self.at += 3
            branches = self.alternatives(closing=True)
            self.at += 1
            if any(item.kind or item.inner_lookaround for branch in branches for item in branch):
                return _Item("", group=True, alternatives=branches, inner_lookaround=True)
            return _Item("(?:" + _joined(branches) + ")", group=True, alternatives=branches)
        if head.startswith("(?P<"):
            end = self.pattern.index(">", self.at)
            name = self.pattern[self.at + 4:end]
            self.at = end + 1
            self.groups += 1
            branches = self.alternatives(closing=True)
            self.at += 1
            return _Item(f"(?P<{name}>" + _joined(branches) + ")")
        if head.startswith("(?"):
            end = self.at + 2
            while end < len(self.pattern) and self.pattern[end] not in ":)":
                end += 1
            flags = self.pattern[self.at + 2:end]
            if not flags or not all(flag in "imsx-" for flag in flags):
                raise self.fail("unknown group")
            if self.pattern[end] == ")":  # inline flags for the whole pattern, e.g. (?i)
                self.at = end + 1
                return _Item("(?" + flags + ")")
            self.at = end + 1
            branches = self.alternatives(closing=True)
            self.at += 1
            return _Item(f"(?{flags}:" + _joined(branches) + ")")
        self.at += 1
        self.groups += 1
        branches = self.alternatives(closing=True)
        self.at += 1
        return _Item("(" + _joined(branches) + ")")

    def lookaround(self, kind: str, negative: bool) -> _Item:
        begin = self.at
        if kind == "lookahead" and negative and self.peek(2) == "[^":  # (?![^X]): X follows, or the end
            chars = self.char_class()[1:]
            if self.peek() != ")" or not chars:
                self.at = begin
                raise self.fail("a look-ahead of more than one character (rewrite it without look-around)")
            self.at += 1
            return _Item("", kind=kind, negative=False, chars=chars, sequence=(chars,), or_end=True)
        sequence = [self.one_character()]
        while kind == "lookbehind" and sequence[-1] and self.peek() != ")":
            sequence.append(self.one_character())
        if self.peek() != ")" or not all(sequence):
            self.at = begin
            raise self.fail(f"a {kind} of more than one character (rewrite it without look-around)")
        self.at += 1
        return _Item("", kind=kind, negative=negative, chars=sequence[-1], sequence=tuple(sequence))

    def one_character(self) -> str:
        """The class body of one character of a look-around; "" where it is not one character."""
        if self.peek() == "[":
            chars = self.char_class()  # "^…" for a negated class: only a positive look-around may use it
        elif self.peek() == "\\":
            letter = self.pattern[self.at + 1:self.at + 2]
            if letter in "WDS":
                raise self.fail(f"\\{letter} in a look-around")
            chars = _IN_CLASS.get(letter, "\\" + letter)
            self.at += 2
        elif self.peek() not in ("", ")", "(", "|", "^", "$", ".", "*", "+", "?", "{"):
            chars = re2.escape(self.peek())
            self.at += 1
        else:
            chars = ""
        if self.peek() in ("*", "+", "?", "{"):
            return ""
        return chars


def _joined(branches: list[list[_Item]]) -> str:
    parts = []
    for branch in branches:
        for item in branch:
            if item.kind or item.inner_lookaround:
                raise UnsupportedPattern("a look-around inside a group (only at the ends of top-level alternatives)")
        parts.append("".join(item.text for item in branch))
    return "|".join(parts)


def _quantified(branch: list[_Item], index: int) -> bool:
    follower = branch[index + 1].text if index + 1 < len(branch) else ""
    return follower[:1] in ("*", "+", "?", "{")


def _flattened(branches: list[list[_Item]]) -> list[list[_Item]]:
    """A branch that is only `(?:a|b)` becomes the branches a and b (look-arounds inside reach the top)."""
    result: list[list[_Item]] = []
    for branch in branches:
        if len(branch) == 1 and branch[0].group and not _quantified(branch, 0):
            result.extend(_flattened(branch[0].alternatives))
        else:
            result.append(branch)
    return result


@dataclass(frozen=True)
class _Translation:
    text: str  # the RE2 pattern
    sentinel: int  # the text is matched with this many _SENTINEL in front (the longest look-behind)
    bodies: tuple[int, ...]  # RE2 group of each alternative's reported part (empty: group 0 is the match)
    groups: tuple[int, ...]  # RE2 group of each of the caller's groups 1..n


def _class_of(items: list[_Item]) -> str:
    """One RE2 class for several one-character look-arounds of the same side."""
    negatives = [item.chars for item in items if item.negative]
    positives = [item.chars for item in items if not item.negative]
    if any(chars.startswith("^") for chars in negatives):
        raise UnsupportedPattern("a negated class in a negative look-around (write the positive one)")
    if positives and (negatives or len(positives) > 1):
        raise UnsupportedPattern("a positive look-around combined with another")
    if positives:  # a negated class never takes the sentinel: a positive look-behind fails at the text's start
        return "[" + positives[0] + ("\\x00" if positives[0].startswith("^") else "") + "]"
    return "[^" + "".join(negatives) + "]"


def _window(behind: list[_Item], width: int) -> str:
    """The `width` characters before an alternative, as its look-behinds allow them (one RE2 alternative each)."""
    if all(len(item.sequence) == 1 for item in behind):
        return "(?s:.)" * (width - 1) + _class_of(behind)
    if not all(item.negative for item in behind):
        raise UnsupportedPattern("a positive look-behind of several characters combined with another")
    if any(chars.startswith("^") for item in behind for chars in item.sequence):
        raise UnsupportedPattern("a negated class in a negative look-behind (write the positive one)")
    # (?<!xy) holds where the character before is not y, or the one before it is not x: one choice per look-behind.
    windows: list[tuple[str, ...]] = [("",) * width]
    for item in behind:
        offset = width - len(item.sequence)
        windows = [tuple(cls + item.sequence[index] if at == offset + index else cls for at, cls in enumerate(window))
                   for window in windows for index in range(len(item.sequence))]
    texts = dict.fromkeys("".join(f"[^{cls}]" if cls else "(?s:.)" for cls in window) for window in windows)
    return "(?:" + "|".join(texts) + ")"


def _translate(pattern: str, flags: int, whole: bool = False) -> _Translation:
    """RE2's pattern; `whole`: for fullmatch, where a look-ahead at the end sees the end of the text."""
    parser = _Parser(pattern)
    prefix = ""
    if flags & IGNORECASE:
        prefix += "(?i)"
    if flags & MULTILINE:
        prefix += "(?m)"
    if flags & DOTALL:
        prefix += "(?s)"
    branches = _flattened(parser.alternatives(closing=False))
    if parser.word_boundary and not pattern.isascii():
        raise UnsupportedPattern(f"\\b is ASCII on RE2, so {pattern!r} would miss words ending in ã or ộ: "
                                 "use (?<!\\w) and (?!\\w), or fold the text and the pattern")
    leading_flags = ""
    while branches and branches[0] and _INLINE_FLAGS.fullmatch(branches[0][0].text):
        leading_flags += branches[0].pop(0).text
    if not any(item.kind or item.inner_lookaround for branch in branches for item in branch):
        text = prefix + leading_flags + "|".join("".join(item.text for item in branch) for branch in branches)
        return _Translation(text, False, (), tuple(range(1, parser.groups + 1)))
    sentinel = max((len(item.sequence) for branch in branches for item in branch if item.kind == "lookbehind"),
                   default=0)
    parts: list[str] = []
    bodies: list[int] = []
    groups: list[int] = []
    number = 0
    for branch in branches:
        behind: list[_Item] = []
        ahead: list[_Item] = []
        items = list(branch)
        while items and items[0].kind == "lookbehind":
            behind.append(items.pop(0))
        while items and items[-1].kind == "lookahead":
            ahead.insert(0, items.pop())
        if any(item.kind or item.inner_lookaround for item in items):
            raise UnsupportedPattern(f"a look-around in the middle of {pattern!r} (rewrite it without)")
        body = "".join(item.text for item in items)
        before = ""
        if sentinel:
            if body.startswith("^"):
                if behind:
                    raise UnsupportedPattern(f"^ after a look-behind in {pattern!r}")
                before, body = re2.escape(_SENTINEL) * sentinel, body[1:]
            elif "^" in body.replace(r"\^", "").replace("[^", ""):
                raise UnsupportedPattern(f"^ inside an alternative of {pattern!r} with look-behinds")
            else:
                before = _window(behind, sentinel) if behind else "(?s:.)" * sentinel
        after = ""
        if ahead and any(item.or_end for item in ahead):
            if len(ahead) > 1:
                raise UnsupportedPattern(f"(?![^…]) combined with another look-ahead in {pattern!r}")
            after = "" if whole else f"(?:[{ahead[0].chars}]|\\z)"
        elif ahead:
            cls, negative = _class_of(ahead), all(item.negative for item in ahead)
            # At the end (fullmatch) nothing follows: a negative look-ahead holds there, a positive one never does.
            at_end = "" if negative else r"[^\x00-\x{10FFFF}]"
            after = at_end if whole else f"(?:{cls}|\\z)" if negative else cls
        number += 1
        bodies.append(number)
        inner = _count_groups(body)
        groups.extend(range(number + 1, number + 1 + inner))
        number += inner
        parts.append(f"{before}({body}){after}")
    text = prefix + leading_flags + "(?:" + "|".join(parts) + ")"
    return _Translation(text, sentinel, tuple(bodies), tuple(groups))


def _count_groups(body: str) -> int:
    return re2.compile(body).groups if body else 0


# ---------------------------------------------------------------- matching


class _Subject:
    """The text as RE2 reads it: UTF-8 bytes, the sentinel in front when the pattern needs it.

    Encoded once per call (RE2's own binding encodes the whole text again for every match), with byte offsets
    turned into character offsets left to right, so a whole `finditer` costs one pass over the text.
    """

    __slots__ = ("raw", "data", "ascii", "_byte", "_char")

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.data = self.raw.encode("utf-8", "surrogatepass")
        self.ascii = len(self.data) == len(self.raw)
        self._byte = self._char = 0

    def char_of(self, offset: int) -> int:
        if self.ascii or offset < 0:
            return offset
        if offset >= self._byte:
            self._char += len(self.data[self._byte:offset].decode("utf-8", "surrogatepass"))
        else:
            self._char -= len(self.data[offset:self._byte].decode("utf-8", "surrogatepass"))
        self._byte = offset
        return self._char



class Match:
    """What `re.Match` offers, on the caller's groups and the span `re` would report."""

    __slots__ = ("_pattern", "_spans", "_body", "string", "pos", "endpos")

    def __init__(self, pattern: Pattern, spans: list[tuple[int, int]], string: str, pos: int, endpos: int) -> None:
        """`spans`: every RE2 group's span in characters of `string` ((-1, -1) when it took no part)."""
        self._pattern, self._spans = pattern, spans
        self.string, self.pos, self.endpos = string, pos, endpos
        bodies = pattern._translation.bodies
        self._body = next((group for group in bodies if spans[group][0] >= 0), 0)

    def _index(self, group: int | str) -> int:
        if isinstance(group, str):
            return self._pattern._inner.groupindex[group]
        if group == 0:
            return self._body
        if not 0 < group <= len(self._pattern._translation.groups):
            raise IndexError("no such group")
        return self._pattern._translation.groups[group - 1]

    def span(self, group: int | str = 0) -> tuple[int, int]:
        return self._spans[self._index(group)]

    def start(self, group: int | str = 0) -> int:
        return self.span(group)[0]

    def end(self, group: int | str = 0) -> int:
        return self.span(group)[1]

    def group(self, *groups: int | str) -> Any:
        if not groups:
            groups = (0,)
        values = [self._value(group) for group in groups]
        return values[0] if len(values) == 1 else tuple(values)

    def __getitem__(self, group: int | str) -> str | None:
        return self._value(group)

    def _value(self, group: int | str, default: Any = None) -> Any:
        start, end = self.span(group)
        return default if start < 0 else self.string[start:end]

    def groups(self, default: Any = None) -> tuple[Any, ...]:
        return tuple(self._value(number, default) for number in range(1, self._pattern.groups + 1))

    def groupdict(self, default: Any = None) -> dict[str, Any]:
        return {name: self._value(name, default) for name in self._pattern._inner.groupindex}

    def expand(self, template: str) -> str:
        return _expand(template, self)

    def __repr__(self) -> str:
        return f"<linear_regex.Match span={self.span()} match={self.group()!r}>"


class Pattern:
    """A compiled pattern with `re.Pattern`'s methods, run by RE2."""

    def __init__(self, pattern: str, flags: int) -> None:
        self.pattern, self.flags = pattern, flags
        self._translation = _translate(pattern, flags)
        options = re2.Options()
        options.log_errors = False
        options.max_mem = 64 << 20
        try:
            self._inner = re2.compile(self._translation.text, options)
        except re2.error as error:
            raise UnsupportedPattern(f"{pattern!r}: {error}") from None
        self._whole = self._inner
        if any(item in pattern for item in ("(?!", "(?=")):
            whole = _translate(pattern, flags, whole=True)
            self._whole = re2.compile(whole.text, options)
        self.groups = len(self._translation.groups)
        self.groupindex = dict(self._inner.groupindex)

    def __repr__(self) -> str:
        return f"linear_regex.compile({self.pattern!r})"

    def _scan(self, anchor: str, text: str, pos: int, endpos: int | None, every: bool) -> Iterator[Match]:
        """The match at or after `pos` (anchored as `anchor` says), and with `every` the ones after it."""
        if not isinstance(text, str):
            raise TypeError("linear_regex matches str only")
        end = len(text) if endpos is None else max(0, min(endpos, len(text)))
        pos = max(0, min(pos, end))
        sentinel = self._translation.sentinel
        # RE2 reads from the characters a look-behind needs before `pos` (or the one \b and ^ look at), so a
        # search from a position costs the rest of the text, not all of it; sentinels stand for what lies
        # before the text's start.
        first = max(0, pos - (sentinel or 1))
        pad = max(0, sentinel - pos)
        piece = text[first:end]
        if sentinel and _SENTINEL in piece:
            piece = piece.replace(_SENTINEL, "\ufffd")  # a NUL typed by someone is never taken for the start
        subject = _Subject(_SENTINEL * pad + piece)
        shift = first - pad  # text index = subject index + shift
        program = self._whole if anchor == "fullmatch" else self._inner
        at = 0 if sentinel else len(piece[:pos - first].encode("utf-8", "surrogatepass"))
        while at <= len(subject.data):
            found = getattr(program, anchor)(subject.data, at)
            if found is None:
                return
            byte_spans = [found.span(group) for group in range(program.groups + 1)]
            chars = {offset: 0 for span in byte_spans for offset in span if offset >= 0}
            for offset in sorted(chars):
                chars[offset] = subject.char_of(offset) + shift
            spans = [(chars[a], chars[b]) if a >= 0 else (-1, -1) for a, b in byte_spans]
            match = Match(self, spans, text, pos, end)
            yield match
            if not every:
                return
            body_start, body_end = match.span()
            stop = byte_spans[match._body][1]  # where the reported match ends, in subject bytes
            after = body_end - shift  # in subject characters
            if body_end == body_start:  # an empty match: the next one starts a character further
                if body_end >= end:
                    return
                stop += len(subject.raw[after].encode("utf-8", "surrogatepass"))
                after += 1
            if sentinel:  # the next match's look-behind reads the last characters before it
                stop -= len(subject.raw[after - sentinel:after].encode("utf-8", "surrogatepass"))
            if stop <= at:
                raise RuntimeError(f"linear_regex: no progress in {self.pattern!r}")  # never loop forever
            at = stop

    def _first(self, anchor: str, text: str, pos: int, endpos: int | None) -> Match | None:
        return next(self._scan(anchor, text, pos, endpos, every=False), None)

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> Match | None:
        return self._first("search", text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> Match | None:
        return self._first("match", text, pos, endpos)

    def fullmatch(self, text: str, pos: int = 0, endpos: int | None = None) -> Match | None:
        return self._first("fullmatch", text, pos, endpos)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[Match]:
        return self._scan("search", text, pos, endpos, every=True)

    def findall(self, text: str, pos: int = 0, endpos: int | None = None) -> list[Any]:
        results: list[Any] = []
        for found in self.finditer(text, pos, endpos):
            if self.groups == 0:
                results.append(found.group())
            elif self.groups == 1:
                results.append(found.group(1) or "")
            else:
                results.append(found.groups(""))
        return results

    def subn(self, repl: str | Callable[[Match], str], text: str, count: int = 0) -> tuple[str, int]:
        pieces, last, done = [], 0, 0
        for found in self.finditer(text):
            if count and done == count:
                break
            start, stop = found.span()
            pieces.append(text[last:start])
            pieces.append(repl(found) if callable(repl) else _expand(repl, found))
            last, done = stop, done + 1
        pieces.append(text[last:])
        return "".join(pieces), done

    def sub(self, repl: str | Callable[[Match], str], text: str, count: int = 0) -> str:
        return self.subn(repl, text, count)[0]

    def split(self, text: str, maxsplit: int = 0) -> list[str | None]:
        pieces: list[str | None] = []
        last = 0
        for done, found in enumerate(self.finditer(text)):
            if maxsplit and done == maxsplit:
                break
            start, stop = found.span()
            pieces.append(text[last:start])
            pieces.extend(found.groups())
            last = stop
        pieces.append(text[last:])
        return pieces


def _expand(template: str, found: Match) -> str:
    """`\\1`, `\\g<1>`, `\\g<name>` and the usual escapes, as re's templates."""
    out, index = [], 0
    while index < len(template):
        char = template[index]
        if char != "\\" or index + 1 == len(template):
            out.append(char)
            index += 1
            continue
        letter = template[index + 1]
        if letter.isdigit():
            end = index + 2
            while end < len(template) and end < index + 3 and template[end].isdigit():
                end += 1
            out.append(found.group(int(template[index + 1:end])) or "")
            index = end
        elif letter == "g" and template[index + 2:index + 3] == "<":
            close = template.index(">", index)
            name = template[index + 3:close]
            out.append(found.group(int(name) if name.isdigit() else name) or "")
            index = close + 1
        else:
            out.append({"n": "\n", "t": "\t", "\\": "\\"}.get(letter, "\\" + letter))
            index += 2
    return "".join(out)


# ---------------------------------------------------------------- the module's functions


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
