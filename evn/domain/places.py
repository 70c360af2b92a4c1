"""Where something is: the one rule for an address customers type, and how places are compared.

The service form's address field and the outage report's place use the same rule,
so a place accepted in one is accepted in the other.
"""
from __future__ import annotations

from evn.domain import linear_regex
from evn.domain.identity import find_customer_code
from evn.domain.periods import fold

# "phố" but not the "phố" of "thành phố": a city alone is not an address (_names_address_word checks what
# comes before "pho": RE2 has no look-behind of several characters).
ADDRESS_WORDS = linear_regex.compile(r"(?<!\w)(?:duong|pho|ap|thon|xom|hem|ngo|ngach|kiet|khom)(?!\w)")
MIN_LENGTH, MAX_LENGTH = 10, 300
_CITY_COMPANY: tuple[tuple[tuple[str, ...], str], ...] = (
    (("ha noi", "hanoi"), "EVNHANOI"),
    (("tp.hcm", "tphcm", "hcm", "ho chi minh", "sai gon", "saigon"), "EVNHCMC"),
)


# A day and its words ("ngày 15/12/2026", "thứ 5 tuần sau 10/12"): digits that are no house number.
_DAY = linear_regex.compile(r"(?<![\d/])\d{1,2}\s*[/.\-]\s*\d{1,2}(?:\s*[/.\-]\s*\d{2,4})?(?![\d/])"
                            r"|(?<!\w)(?:ngay|thang|nam|luc|gio|h|sang|trua|chieu|toi|mai|thu|tuan|sau|nay|hen"
                            r"|mong muon|khoang|tam|vao|\d{1,2}h\d{0,2})(?!\w)")


def is_street_address(text: str) -> bool:
    """Long enough, two words or more, and a house number or a street/hamlet/alley word; not a day written
    with its digits ("ngày 15/12/2026" has the shape of "15/12 Lê Lợi")."""
    text = " ".join((text or "").split())
    folded = fold(text)
    return (
        MIN_LENGTH <= len(text) <= MAX_LENGTH
        and len(text.split()) >= 2
        and (any(ch.isdigit() for ch in text) or _names_address_word(folded))
        and linear_regex.search(r"[a-z]{2,}", _DAY.sub(" ", folded.lower())) is not None
    )


def _names_address_word(folded: str) -> bool:
    return any(word.group() != "pho" or not folded.endswith("thanh ", 0, word.start())
               for word in ADDRESS_WORDS.finditer(folded))


def is_outage_place(text: str) -> bool:
    """An outage report's place: a customer code, or an address by the rule above."""
    return find_customer_code(text or "") is not None or is_street_address(text)


def place_key(address: str) -> str:
    """Folded, punctuation-free and bounded: reports of one place compare equal."""
    return " ".join(linear_regex.sub(r"[^a-z0-9 ]", " ", fold(address)).split())[:200]


def power_company_of_city(address: str) -> str | None:
    """The power company of the city an address names, for the hotline (None when it names none)."""
    folded = fold(address)
    for words, code in _CITY_COMPANY:
        if any(word in folded for word in words):
            return code
    return None
