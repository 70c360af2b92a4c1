"""The remembered lookup of event classes gives what Rasa's own walk gives, for every event type."""
from __future__ import annotations

import pytest
import rasa.shared.utils.common
from rasa.shared.core.events import Event, SlotSet, UserUttered

from rasa_server_plugins.event_types import RASA_RESOLVE, resolve_by_type

TYPE_NAMES = sorted({cls.type_name for cls in rasa.shared.utils.common.all_subclasses(Event)})


@pytest.mark.parametrize("type_name", TYPE_NAMES)
def test_same_class_as_rasa(type_name):
    assert RASA_RESOLVE is not resolve_by_type
    assert resolve_by_type(type_name) is RASA_RESOLVE(type_name)


def test_unknown_names_behave_as_in_rasa():
    assert resolve_by_type("topic") is None
    assert resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    with pytest.raises(ValueError):
        resolve_by_type("no_such_event")


def test_events_still_deserialise_through_rasa():
    assert Event.resolve_by_type is resolve_by_type  # installed by importing the channels
    event = Event.from_parameters({"event": "user", "text": "xin chào",
                                   "parse_data": {"intent": {"name": "greet"}, "entities": []}})
    assert isinstance(event, UserUttered) and event.text == "xin chào"
