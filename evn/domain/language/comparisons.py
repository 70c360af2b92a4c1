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

_SO_BEFORE = linear_regex.compile(r"^\s+(?:thang|ky|ki|t\d|voi|hoa don|bill|hai)(?!\w)")
# "so tiền tháng 10 với tháng 9" compares; "số tiền tháng này" (typed "so tien") and "số tiền tháng trước vs" ("vs"
# closing the sentence, "với") do not: money compared needs what it is compared with.
_SO_MONEY = linear_regex.compile(r"^\s+tien(?!\w)")
_AGAINST = linear_regex.compile(r"(?<!\w)(?:voi|vs|va)\s+\w")
# "bao nhiêu số tháng 11", "ghi mấy số": a quantity asked, so "so" is "số" (kWh), not "so sánh".
_SO_COUNTED = linear_regex.compile(r"(?<!\w)(?:bao nhieu|bn|nhieu|nhiu|may|het|ghi|xai|dung)\s+$")


# Not "tăng" / "giảm" alone: "tăng công suất" is a request, not a comparison.


def compares(text: str) -> bool:
    """Words that compare two amounts or periods. "so" counts typed without marks ("số", a number, folds to it
    too) before what is compared: a period, "với", a bill, money compared with something; not "số tiền" nor after
    a quantity asked ("bn so thang 11")."""
    typed = " ".join(unicodedata.normalize("NFC", text or "").lower().split())
    folded = fold(typed)  # one character for one: positions in `typed` and `folded` are the same
    for found in _COMPARES.finditer(folded):
        if found.group(0) != "so":
            return True
        after = folded[found.end():]
        if typed[found.start():found.end()] != "so" or _SO_COUNTED.search(folded[:found.start()]):
            continue
        if _SO_BEFORE.search(after) or (_SO_MONEY.search(after) and _AGAINST.search(after)):
            return True
    return False
