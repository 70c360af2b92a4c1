"""Numbers as customers say them, in words or half in digits: "2 trăm 40", "bốn trăm rưỡi", "hai triệu mốt".

Vietnamese reads a lone digit after "trăm" or "nghìn" as the next place down ("hai trăm mốt" is 210,
"một nghìn hai" 1.200), unless "linh" / "lẻ" says it is units ("ba trăm linh năm" is 305); "rưỡi" is half
the last unit ("trăm rưỡi" 150); "chục" is ten ("chín chục" 90); "củ" is slang for a million.

Words that are also everyday words without their diacritics ("năm" year, "sau" after, "tư"/"từ", "tám"/"tạm",
"một" a) count only inside a phrase that has a place word (mươi, chục, trăm, nghìn, triệu): a number in
words always has one, and "năm nay" or "một tháng" never does. A phrase with "mấy" ("sáu mấy nghìn") is
vague and gives no number: a guess would be a wrong fact.
"""
from __future__ import annotations

from dataclasses import dataclass

from evn.domain import linear_regex
from evn.domain.periods import fold

DIGIT_WORDS = {
    "không": 0, "khong": 0, "một": 1, "mot": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "bon": 4, "tư": 4, "tu": 4,
    "năm": 5, "nam": 5, "lăm": 5, "lam": 5, "nhăm": 5, "nham": 5, "sáu": 6, "sau": 6, "bảy": 7, "bay": 7, "bẩy": 7,
    "tám": 8, "tam": 8, "chín": 9, "chin": 9,
}
_TENS = {"mươi", "mười", "muoi", "chục", "chuc"}
_HUNDRED = {"trăm", "tram"}
_BIG = {"nghìn": 1_000, "nghin": 1_000, "ngàn": 1_000, "ngan": 1_000, "triệu": 1_000_000, "trieu": 1_000_000,
        "củ": 1_000_000, "cu": 1_000_000, "tỷ": 1_000_000_000, "tỉ": 1_000_000_000, "ty": 1_000_000_000,
        "ti": 1_000_000_000}
_HALF = {"rưỡi", "ruoi", "rưởi"}
_UNITS_NEXT = {"linh", "lẻ", "le"}
_VAGUE = {"mấy", "may"}
_PLACES = _TENS | _HUNDRED | set(_BIG) | _HALF
_WORDS = set(DIGIT_WORDS) | _PLACES | _UNITS_NEXT | _VAGUE

_TOKEN = linear_regex.compile(r"\d+(?:[.,]\d+)?|\w+")


@dataclass(frozen=True)
class SpokenNumber:
    """A number found in text, with where it is (a phrase of words, or digits with words around them)."""

    value: int
    start: int
    end: int


def _is_number(word: str) -> bool:
    return word[0].isdigit() or word in _WORDS


def find_spoken_numbers(text: str) -> list[SpokenNumber]:
    """Every number phrase with a place word in `text` ("bốn trăm rưỡi", "2 trăm 40"), left to right.

    Plain digits ("240") are not returned: they need no reading.
    """
    words = [(m.group(0).lower(), m.start(), m.end()) for m in _TOKEN.finditer(text or "")]
    found: list[SpokenNumber] = []
    index = 0
    while index < len(words):
        if not _is_number(words[index][0]):
            index += 1
            continue
        end = index
        while end < len(words) and _is_number(words[end][0]):
            end += 1
        run = words[index:end]
        if index > 0 and fold(words[index - 1][0]) == "phan" and fold(run[0][0]) == "tram":
            run = run[1:]  # "40 phần trăm": per cent, not a hundred
        if run and not any(word in _VAGUE for word, _, _ in run):
            # "tu 2 tram" ("từ" without its marks): a word that does not read with the rest is left out
            for first in range(len(run)):
                number = _number(_trimmed(run[first:]))
                if number is not None:
                    found.append(number)
                    break
        index = end
    return found


def _number(run: list[tuple[str, int, int]]) -> SpokenNumber | None:
    if not any(word in _PLACES for word, _, _ in run):
        return None
    value = _value([word for word, _, _ in run])
    return None if value is None else SpokenNumber(value, run[0][1], run[-1][2])


def _trimmed(run: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """The phrase without words that cannot begin or end a number ("lẻ", a "rưỡi" with nothing before it)."""
    while run and (run[0][0] in _UNITS_NEXT or run[0][0] in _HALF):
        run = run[1:]
    while run and run[-1][0] in _UNITS_NEXT:
        run = run[:-1]
    return run


def _digit(word: str) -> float | None:
    """A digit token ("40", "1.200" thousands, "1,5" decimals) or a digit word; None for other words."""
    if not word[0].isdigit():
        return DIGIT_WORDS.get(word)
    whole, _, decimals = word.replace(",", ".").partition(".")
    if len(decimals) == 3:
        return float(whole + decimals)
    return float(f"{whole}.{decimals or 0}")


def _value(words: list[str]) -> int | None:
    """The number a phrase says, or None when it does not read as one ("hai ba trăm")."""
    total = 0.0  # thousands, millions, billions already closed
    group = 0.0  # below a thousand
    pending: float | None = None  # a number said but not yet placed
    last = 1  # the last place word's value
    units = False  # "linh" / "lẻ": the next digit is units
    for word in words:
        digit = _digit(word)
        if digit is not None:
            if pending is not None and last == 100 and 0 < pending < 10 and 0 < digit < 10 and not word[0].isdigit():
                pending, last = pending * 10 + digit, 1  # "hai trăm bảy lăm": 275, the tens said without "mươi"
                continue
            if pending is not None:
                return None  # two numbers in a row
            pending = digit
        elif word in _TENS:
            group += 10 if pending is None else pending * 10  # "mười lăm", "hai mươi", "chín chục"
            pending, last = None, 10
        elif word in _HUNDRED:
            group += (1 if pending is None else pending) * 100
            pending, last = None, 100
        elif word in _BIG:
            place = _BIG[word]
            total += ((group + (pending or 0)) or 1) * place
            group, pending, last = 0.0, None, place
        elif word in _HALF:
            if pending is not None:
                return None
            if last >= 1_000:
                total += last / 2
            else:
                group += last / 2
        else:  # linh / lẻ
            units = True
    if pending is not None:
        if not units and last >= 100 and pending < 10 and pending == int(pending):
            pending *= last / 10  # "hai trăm mốt", "một nghìn hai"
        if last >= 1_000:
            total += pending
        else:
            group += pending
    value = total + group
    return int(round(value)) if value > 0 else None
