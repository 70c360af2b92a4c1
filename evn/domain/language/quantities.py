"""Numbers as customers type them: 350 kWh, 450kwh, 1.200 số, 275,5 kw, "2 trăm 40 số", "bốn trăm rưỡi ký"."""
from __future__ import annotations

from evn.domain import linear_regex
from evn.domain.language.number_words import find_spoken_numbers
from evn.domain.periods import fold

# Thousands groups end where no digit follows: the final (?!\d) says it (after them come decimals or nothing).
_NUMBER = linear_regex.compile(r"(?<![\w.,\-])(\d{1,3}(?:[.,]\d{3})+|\d+)(?:[.,](\d+))?(?!\d)")


# What makes a typed quantity impossible to use, for a clear answer instead of a guess.
NEGATIVE, NOT_A_NUMBER, TOO_LARGE = "negative", "not_a_number", "too_large"
MAX_KWH = 100_000
# (?<!\w) and (?!\w), not \b: the text is not folded, and RE2's \b knows only ASCII letters.
_SCIENTIFIC = linear_regex.compile(
    r"(?<![\w.])\d+(?:[.,]\d+)?\s?e\s?[+-]?\d+(?![\w.])|(?<!\w)(?:nan|inf|infinity)(?!\w)", linear_regex.IGNORECASE
)
_NEGATIVE = linear_regex.compile(r"(?:^|[\s(:=])[-−–]\s?\d")
_DIGIT_RUN = linear_regex.compile(r"\d[\d.,]*")


def kwh_problem(text: str) -> str | None:
    """NEGATIVE ('-300'), NOT_A_NUMBER ('1e308', 'NaN') or TOO_LARGE (above MAX_KWH); None if usable."""
    text = text or ""
    if _SCIENTIFIC.search(text):
        return NOT_A_NUMBER
    if _NEGATIVE.search(text):
        return NEGATIVE
    if any(len(linear_regex.sub(r"\D", "", run)) > 12 for run in _DIGIT_RUN.findall(text)):
        return TOO_LARGE
    kwh = parse_kwh(text)
    if kwh is not None and kwh > MAX_KWH:
        return TOO_LARGE
    return None


# A number of kWh in digits with its unit: the NLU's kwh regex (data/nlu/entities.yml, kept the same by
# tests/components/test_entity_patterns.py).
KWH = linear_regex.compile(r"(?<![\w.,\-])\d+(?:[.,]\d+)?\s?(?:kwh|kw|số|so|ký|kí|ky|ki|chữ|chu)(?!\w)",
                           linear_regex.IGNORECASE)
# What follows a number of kWh: "350 kWh", "240 số", "4 trăm ký", "chín chục chữ".
_UNIT_AFTER = linear_regex.compile(r"^\s?(?:kwh|kw|số|so|ký|kí|ky|ki|chữ|chu)(?!\w)", linear_regex.IGNORECASE)


def parse_kwh(text: str) -> int | None:
    """'350 kWh', '450kwh', '1.200 số', '275,5 kwh', '300', 'hai trăm rưỡi số' -> whole kWh; None without a number.

    A dot or comma before exactly three digits groups thousands (Vietnamese style);
    otherwise it starts decimals, which are rounded. Of several numbers ("tháng 9 xài 180 số"),
    the one a unit follows is the quantity; without a unit, the first.
    """
    text = text or ""
    found: list[tuple[int, int, int | None]] = [(n.start, n.end, n.value) for n in find_spoken_numbers(text)]
    for match in _NUMBER.finditer(text):
        if any(start <= match.start() < end for start, end, _ in found):
            continue
        found.append((match.start(), match.end(), _digits_value(match)))
    if not found:
        return None
    found.sort()
    with_unit = [item for item in found if _UNIT_AFTER.search(text[item[1]:])]
    return (with_unit or found)[0][2]


def _digits_value(match: linear_regex.Match) -> int | None:
    if len(match.group(0)) > 20:  # a run of digits that long is no meter reading
        return None
    whole = int(linear_regex.sub(r"[.,]", "", match.group(1)))
    decimals = match.group(2)
    return whole + (1 if decimals and int(decimals[0]) >= 5 else 0)


_TIMES_WORDS = {"doi": 2, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5}
_TIMES = linear_regex.compile(r"\bgap\s+(doi|hai|ba|bon|tu|nam|\d{1,2})(?:\s+lan)?\b|\bx\s?(\d{1,2})\b")


def multiplier(text: str) -> int | None:
    """'nếu xài gấp ba thì sao' -> 3, 'gấp đôi' -> 2, 'x2' -> 2: a follow-up on the last estimate."""
    match = _TIMES.search(" ".join(fold(text or "").split()))
    if match is None:
        return None
    word = match.group(1) or match.group(2)
    value = int(word) if word.isdigit() else _TIMES_WORDS[word]
    return value if 2 <= value <= 20 else None


_ASKS_AMOUNT = linear_regex.compile(
    r"(?<!\w)(?:bao nhieu|bn|bnhieu|nhieu|nhiu|tien|gia|het|tinh|uoc tinh|dong|tra|thi sao|sao|may|chung)(?!\w)")


def asks_an_amount(text: str) -> bool:
    """'… vậy tiền chừng nhiêu', 'hết bn', 'thì sao': words that ask what something costs."""
    return _ASKS_AMOUNT.search(fold(text or "")) is not None


_TIER_EDGE = linear_regex.compile(r"(?<!\w)(?:tren|duoi|tu|den|vuot|qua|bac \d|don gia|gia 1|gia mot)(?!\w)")


def asks_a_price(text: str) -> bool:
    """'1 số bao nhiêu', 'trên 400 kWh giá mấy', 'từ 51 đến 100 số': the price of a unit or a tier, not a bill
    (the quantity read whole: "2 trăm mốt ký" is 210, not one)."""
    return parse_kwh(text) == 1 or _TIER_EDGE.search(fold(text or "")) is not None
