"""A customer who is upset: heard before being answered ("bực quá, tháng nào cũng tăng, vô lý").

Answering a complaint with the bare figures reads as indifference; a word of
understanding first is what a person at the counter would say.
"""
from __future__ import annotations

from evn.domain import linear_regex
from evn.domain.periods import fold

_WORDS = linear_regex.compile(
    r"\b(?:buc(?: minh| qua| lam| boi)?|buc xuc|vo ly|vo li|qua dang|cat co|an cuop|lua dao|chan qua|te qua"
    r"|dat qua|dat the nay|dat vay|mac qua|mac vay|chat chem|phi qua|kho chiu|khong hai long|ko hai long|that vong"
    r"|thang nao cung tang|tang hoai|tang mai|tang vo toi va|qua vo ly|ky cuc|tuc qua|tuc minh|phien qua)\b"
)


def is_complaint(text: str) -> bool:
    """Whether the customer sounds upset, with or without diacritics."""
    return bool(text) and _WORDS.search(" ".join(fold(text).split())) is not None
