"""Words that ask about a bill when the values led a message ("bill mới nhất của e, PE… 09…")."""
from __future__ import annotations

from evn.domain import linear_regex
from evn.domain.language.message_values import PERIOD_NAMED, find_values
from evn.domain.periods import fold, month_count

_BILL = linear_regex.compile(r"(?<!\w)(?:bill|hoa don|tien dien|tien thang|moi nhat|gan nhat|gan day nhat"
                             r"|bao nhieu tien|het bao nhieu)(?!\w)")
_WHY_IT_ROSE = linear_regex.compile(r"(?<!\w)(?:tang|cao|tai sao|vi sao|sao ma|sao lai|gap doi|gap ba|dot bien"
                                    r"|bat thuong|nhay vot|vot len)(?!\w)")


def names_a_bill(text: str) -> bool:
    """A period, a count of months or a bill's words: what a message that gives values asks for is the bill."""
    folded = " ".join(fold(text or "").split())
    return (_BILL.search(folded) is not None or month_count(text) is not None
            or any(value.kind == PERIOD_NAMED for value in find_values(text)))


def asks_why_it_rose(text: str) -> bool:
    return _WHY_IT_ROSE.search(" ".join(fold(text or "").split())) is not None
