"""A question that compares bills: "so tháng 10 với tháng 9", "tháng 7 xài nhiều hơn tháng 6 hả", "chênh bao nhiêu".

With two periods named it compares those two (evn.services.billing.explain_increase); with one, that period and
the one before it ("so với tháng trước đó"); with none, after a bill was shown, that bill and the one before.
"""
from __future__ import annotations

import unicodedata

from evn.domain import linear_regex
from evn.domain.periods import fold

_COMPARES = linear_regex.compile(
    r"(?<!\w)(?:so sanh|so voi|so|chenh(?: lech)?|nhieu hon|it hon|cao hon|thap hon|hon|gap doi|gap ba"
    r"|cai nao|thang nao|ky nao|khac nhau|khac biet)(?!\w)")

_SO_BEFORE = linear_regex.compile(r"^\s+(?:thang|ky|ki|t\d|voi|tien|hoa don|bill|hai)(?!\w)")


# Not "tăng" / "giảm" alone: "tăng công suất" is a request, not a comparison.


def compares(text: str) -> bool:
    """Words that compare two amounts or periods. "so" counts typed without marks ("số", a number, folds to it
    too) and before what is compared: a period, "với", "tiền", a bill."""
    typed = " ".join(unicodedata.normalize("NFC", text or "").lower().split())
    folded = fold(typed)  # one character for one: positions in `typed` and `folded` are the same
    for found in _COMPARES.finditer(folded):
        if found.group(0) != "so":
            return True
        if typed[found.start():found.end()] == "so" and _SO_BEFORE.search(folded[found.end():]):
            return True
    return False
