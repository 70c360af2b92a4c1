"""Running a translated pattern: RE2 on the text's bytes, answered as `re` would (spans, groups, templates)."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import re2

from evn.domain.linear_regex.translation import _SENTINEL, UnsupportedPattern, _translate


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
