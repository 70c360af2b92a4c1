"""Pieces of replies, from the domain's responses: customer-facing text lives in domain.yml, not here.

A reply that lists things (tiers, bills, a timeline) is one response with a {lines}
variable; each line is itself a response (`utter_line_*`), or a part of a sentence
(`utter_part_*`), which the action renders from the domain Rasa sends with every call.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.types import DomainDict

from evn import reference
from evn.domain.language import address_forms


def phrase(domain: DomainDict, response: str, /, **values: Any) -> str:
    """The first text of `response`, filled with `values` (a missing variable is an error)."""
    variations = (domain.get("responses") or {}).get(response)
    if not variations:
        raise KeyError(f"the domain has no response {response}")
    return str(variations[0]["text"]).format(**values)


def lines(domain: DomainDict, response: str, rows: Iterable[Mapping[str, Any]]) -> str:
    return "\n".join(phrase(domain, response, **row) for row in rows)


def hotline_phrase(domain: DomainDict, hotline: str | None) -> str:
    """'call 1900 545454 (24/7)' for a known power company, else every company's hotline."""
    if hotline:
        return phrase(domain, "utter_part_hotline", hotline=hotline)
    return phrase(domain, "utter_part_hotlines", hotlines=reference.general_hotlines())


def addressed(text: str, tracker: Tracker) -> str:
    """Catalogue text (data, like the responses) in the customer's own form of address."""
    addressee = str(tracker.get_slot("addressee") or address_forms.DEFAULT)
    return text.replace(address_forms.title(address_forms.DEFAULT), address_forms.title(addressee)).replace(
        address_forms.DEFAULT, addressee)
