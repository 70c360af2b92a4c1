"""Rasa's lookup of an event class by its type name, with the answer remembered.

Rasa 3.6 finds the class of every event it reads (each event of the tracker store's rows,
each event an action returns) by walking every subclass of Event, checking each for
abstractness: 13 % of the Rasa server's CPU per turn here (bench/turn_profile.py). The same
walk done once per type name gives the same class (the first match, as Rasa's loop takes),
and a name not found is looked up afresh, so classes defined later are still found.
"""
from __future__ import annotations

import rasa.shared.utils.common
from rasa.shared.core.events import Event

RASA_RESOLVE = Event.resolve_by_type  # Rasa's own, kept to compare with (tests)
_found: dict[str, type[Event]] = {}


def _refresh() -> None:
    for cls in rasa.shared.utils.common.all_subclasses(Event):
        _found.setdefault(cls.type_name, cls)


def resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    if type_name not in _found:
        _refresh()
    found = _found.get(type_name)
    if found is not None:
        return found
    return RASA_RESOLVE(type_name, default)


def install() -> None:
    Event.resolve_by_type = staticmethod(resolve_by_type)
