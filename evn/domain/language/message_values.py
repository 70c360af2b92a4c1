"""What values a customer's message carries, where, and of which kind: read before what it asks.

A request is recognised whatever values stand around it ("tiền điện kỳ 9 nhà em, mã KH PE…, đt 09…"):
the NLU classifies the message with these spans as their kind, and gives each value in one form the
core reads ("pe 01000000001" -> "PE01000000001", "hai trăm rưỡi số" -> "250 kWh", "tháng chín năm
ngoái" -> "tháng 9 năm ngoái").
"""
from __future__ import annotations

from dataclasses import dataclass

from evn.domain import linear_regex
from evn.domain.identity import PHONE, code_spans, normalize_phone, spoken_phones
from evn.domain.language.number_words import find_spoken_numbers
from evn.domain.language.quantities import KWH
from evn.domain.periods import PERIOD, fold, period_words, relative_year

CODE, PHONE_NUMBER, KWH_AMOUNT, PERIOD_NAMED = "customer_code", "phone", "kwh", "period"
_UNIT = linear_regex.compile(r"^\s?(?:kwh|kw|số|so|ký|kí|ky|ki|chữ|chu|điện|dien)(?!\w)", linear_regex.IGNORECASE)


# Several months after one "tháng": "tháng 5 6 7", "tháng 8 và 9", "th 3, 4".
_MONTH_LIST = linear_regex.compile(
    r"(?<!\w)(?:tháng|thang|th|kỳ|kì|ky|ki)\.?\s?(?:0?[1-9]|1[0-2])"
    r"((?:\s*(?:,|và|va|với|voi|-|&|\s)\s*(?:0?[1-9]|1[0-2]))+)(?![\w/.,])", linear_regex.IGNORECASE)
_LISTED_MONTH = linear_regex.compile(r"(?<!\d)(?:0?[1-9]|1[0-2])(?!\d)")


@dataclass(frozen=True)
class Value:
    kind: str
    start: int
    end: int
    value: str


def find_values(text: str) -> list[Value]:
    """Every code, phone, quantity of kWh and period in `text`, left to right, none overlapping.

    A phrase in words wins over the digits inside it ("2 trăm 40 số" is 240, not "40 số").
    """
    text = text or ""
    found: list[Value] = []
    found += [Value(CODE, start, end, code) for start, end, code in code_spans(text)]
    for match in PHONE.finditer(text):
        phone = normalize_phone(match.group(0))
        if phone:
            found.append(Value(PHONE_NUMBER, match.start(), match.end(), phone))
    found += [Value(PHONE_NUMBER, start, end, phone) for start, end, phone in spoken_phones(text)]
    for number in find_spoken_numbers(text):
        unit = _UNIT.search(text[number.end:])
        if unit:
            found.append(Value(KWH_AMOUNT, number.start, number.end + unit.end(), f"{number.value} kWh"))
    for match in KWH.finditer(text):
        if not _not_a_quantity(text, match.start(), match.end()):
            found.append(Value(KWH_AMOUNT, match.start(), match.end(), match.group(0)))
    # Periods are read with the codes and phones blanked (same length, places kept): the last digit of
    # "PE01000000001 thang nay" is no count of months ("3 tháng này" is not a period, "tháng này" is).
    blanked = text
    for value in found:
        if value.kind in (CODE, PHONE_NUMBER):
            blanked = blanked[:value.start] + " " * (value.end - value.start) + blanked[value.end:]
    for start, end, words in period_words(blanked):
        found.append(Value(PERIOD_NAMED, start, end, words))
    for match in PERIOD.finditer(blanked):
        found.append(Value(PERIOD_NAMED, match.start(), match.end(), _with_year_words(match.group(0), text)))
    for match in _MONTH_LIST.finditer(text):  # "tháng 5, 6 và 7": the months after the first
        for month in _LISTED_MONTH.finditer(text, match.start(1), match.end(1)):
            found.append(Value(PERIOD_NAMED, month.start(), month.end(),
                               _with_year_words(f"tháng {int(month.group(0))}", text)))
    kept: list[Value] = []
    for value in found:  # first found first: codes, phones, words before digits
        if not any(value.start < other.end and other.start < value.end for other in kept):
            kept.append(value)
    return sorted(kept, key=lambda value: value.start)


# "tháng 7 so với tháng 1": the 7 is a month and its "so" compares, no "7 số" (kWh).
_MONTH_BEFORE = linear_regex.compile(r"(?<!\w)(?:tháng|thang|th|kỳ|kì|ky|ki|t)\.?\s*$", linear_regex.IGNORECASE)
_COMPARING_AFTER = linear_regex.compile(r"^\s*(?:với|voi|vs|sánh|sanh)(?!\w)", linear_regex.IGNORECASE)


def _not_a_quantity(text: str, start: int, end: int) -> bool:
    """A number after "tháng" or a "so" that compares: what a kWh pattern matched is no quantity."""
    unit = fold(text[start:end]).split()[-1] if text[start:end].split() else ""
    return (_MONTH_BEFORE.search(text[:start]) is not None
            or (unit in ("so",) and _COMPARING_AFTER.search(text[end:]) is not None))


def _with_year_words(period: str, text: str) -> str:
    """"tháng 12" in "năm ngoái tháng 12" is "tháng 12 năm ngoái": the year words said apart go with it."""
    if relative_year(period) is not None or linear_regex.search(r"\d{4}|/\s?\d{2}(?!\d)", period):
        return period
    year = relative_year(text)
    return f"{period} {year}" if year and fold(period).startswith(("thang", "th", "t")) else period
