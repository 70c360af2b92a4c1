"""The patterns Rasa's regex components run on customer text, compiled by evn.domain.linear_regex (RE2).

Rasa's RegexFeaturizer and RegexEntityExtractor call `re.finditer` with the regexes of data/nlu/entities.yml and
one pattern per lookup table (data/nlu/lookups.yml); a backtracking pattern would let one crafted message hold
the server. The two components of this package (linear_regex_featurizer.py, linear_regex_entity_extractor.py)
run the same patterns here instead, with the same spans:
- Rasa writes a lookup table as `(\\bA\\b|\\bB\\b|…)` (`re.escape`d elements). `\\b` reads `\\w` as Unicode in
  `re` but as ASCII in RE2, and the text is the customer's, with its diacritics ("Hà Nội" ends in a letter RE2
  does not know), so that form is rewritten with look-arounds: `(?<!\\w)(?:A|B|…)(?!\\w)`, or one look-around
  per side and element where an element begins or ends with a character that is not a letter or digit. It is
  recognised only when Rasa's own generator gives the pattern back from the elements read out of it.
- Any other `\\b` is refused, ASCII text or not: the text is not folded, so RE2's `\\b` would not mean `re`'s.
"""
from __future__ import annotations

import functools
import warnings

from rasa.nlu.utils.pattern_utils import _generate_lookup_regex
from rasa.shared.exceptions import InvalidConfigException

from evn.domain import linear_regex

_PREFIX, _SEPARATOR, _SUFFIX = "(\\b", "\\b|\\b", "\\b)"

# Rasa's recipe validator looks for its own two classes by type, not for subclasses: with these components its
# warnings that no component uses the regexes and lookup tables are false.
for _false in ("You have defined training data with regexes, but your NLU configuration does not include a 'Regex",
               "You have defined training data consisting of lookup tables, but your NLU configuration does not "
               "include a featurizer or an entity extractor"):
    warnings.filterwarnings("ignore", message=_false)


def compiled(pattern: str, case_sensitive: bool) -> linear_regex.Pattern:
    """The pattern Rasa would run with `re`, as RE2 runs it (raises linear_regex.UnsupportedPattern)."""
    return linear_regex.compile(linear_form(pattern), 0 if case_sensitive else linear_regex.IGNORECASE)


def check(patterns: list[dict[str, str]], case_sensitive: bool) -> None:
    """Training fails on a pattern RE2 cannot run in linear time, as Rasa's fails on an invalid regex."""
    for pattern in patterns:
        try:
            compiled(pattern["pattern"], case_sensitive)
        except linear_regex.UnsupportedPattern as error:
            raise InvalidConfigException(
                f"Model training failed: the {pattern['name']!r} pattern cannot run in linear time: {error}"
            ) from None


@functools.lru_cache(maxsize=256)
def linear_form(pattern: str) -> str:
    """A lookup table's pattern with look-arounds for `\\b`; any other pattern as it is, unless it holds `\\b`."""
    elements = _lookup_elements(pattern)
    if elements is None:
        if _has_word_boundary(pattern):
            raise linear_regex.UnsupportedPattern(
                f"\\b in {pattern!r}: RE2's \\b is ASCII and the customer's text has diacritics; "
                "write (?<!\\w) and (?!\\w) instead")
        return pattern
    edges = {(_is_word(element[0]), _is_word(element[-1])) for element, _ in elements}
    if len(edges) == 1:
        ((starts_word, ends_word),) = edges
        return _before(starts_word) + "(?:" + "|".join(escaped for _, escaped in elements) + ")" + _after(ends_word)
    return "(?:" + "|".join(_before(_is_word(element[0])) + escaped + _after(_is_word(element[-1]))
                            for element, escaped in elements) + ")"


def _lookup_elements(pattern: str) -> list[tuple[str, str]] | None:
    """(element, as escaped) of a pattern Rasa made from a lookup table with word boundaries; None for another."""
    if not (pattern.startswith(_PREFIX) and pattern.endswith(_SUFFIX)) or len(pattern) < len(_PREFIX + _SUFFIX):
        return None
    pieces = pattern[len(_PREFIX):-len(_SUFFIX)].split(_SEPARATOR)
    elements = [_unescaped(piece) for piece in pieces]
    words = [element for element in elements if element]
    if len(words) != len(pieces):
        return None
    if _generate_lookup_regex({"name": "", "elements": words}, use_word_boundaries=True) != pattern:
        return None  # not re.escape's output: a hand-written regex that only looks like one
    return list(zip(words, pieces, strict=True))


def _unescaped(piece: str) -> str | None:
    """The text `re.escape` was given; None where the piece holds anything but escaped and plain characters."""
    out, index = [], 0
    while index < len(piece):
        char = piece[index]
        if char == "\\":
            if index + 1 == len(piece) or piece[index + 1].isalnum():
                return None  # \d, \b, a trailing backslash: regex syntax, not an escaped character
            out.append(piece[index + 1])
            index += 2
        else:
            out.append(char)
            index += 1
    return "".join(out)


def _has_word_boundary(pattern: str) -> bool:
    """`\\b` or `\\B` outside brackets (inside them `\\b` is a backspace)."""
    index, in_class = 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            if not in_class and pattern[index + 1:index + 2] in ("b", "B"):
                return True
            index += 2
            continue
        if char == "[" and not in_class:
            in_class = True
            index += 1
            if pattern[index:index + 1] == "^":
                index += 1
            if pattern[index:index + 1] == "]":  # a "]" first in a class is itself
                index += 1
            continue
        if char == "]":
            in_class = False
        index += 1
    return False


def _is_word(char: str) -> bool:
    """What `re` counts as `\\w` (in str patterns): what `\\b` separates."""
    return char.isalnum() or char == "_"


def _before(starts_word: bool) -> str:
    return "(?<!\\w)" if starts_word else "(?<=\\w)"


def _after(ends_word: bool) -> str:
    return "(?!\\w)" if ends_word else "(?=\\w)"
