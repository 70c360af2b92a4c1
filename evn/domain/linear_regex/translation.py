"""A pattern in Python's meaning, rewritten for RE2: Unicode classes, short look-arounds as sentinels and
consumed characters, refused constructs (evn.domain.linear_regex says which and why)."""
from __future__ import annotations

from dataclasses import dataclass, field

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
