"""Every event rasa-sdk 3.21 lets an action return is one the Rasa 3.6 server reads back as meant.

The action server runs rasa-sdk 3.21 in the application's environment (Python 3.13); the Rasa server is Rasa 3.6 in
its own (Python 3.10). They meet only in the JSON of the action server's answer, so the events are made by rasa-sdk
3.21's own functions in that environment's interpreter, and read here by Rasa 3.6 as its action client reads them,
then applied to a tracker: forms (active loop, rejection), slots, pausing for an agent, reminders, follow-ups.
"""
from __future__ import annotations

import json
import subprocess
from datetime import datetime

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecutionRejected,
    ActiveLoop,
    AllSlotsReset,
    BotUttered,
    ConversationPaused,
    ConversationResumed,
    Event,
    FollowupAction,
    LoopInterrupted,
    ReminderCancelled,
    ReminderScheduled,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
)
from rasa.shared.core.trackers import DialogueStateTracker

from ops.environments import app_python

SDK_EVENTS = """
import json
from datetime import datetime
import rasa_sdk
from rasa_sdk import events as e
made = [
    e.SlotSet("customer_code", "PE01000000001"),
    e.SlotSet("verified", True),
    e.ActiveLoop("verify_form"),
    e.ActiveLoop(None),
    e.ActionExecutionRejected("verify_form"),
    e.LoopInterrupted(True),
    e.ConversationPaused(),
    e.ConversationResumed(),
    e.FollowupAction("action_answer_verified"),
    e.ReminderScheduled("EXTERNAL_agent_timeout", datetime(2026, 12, 7, 9, 30), entities={"ticket": "YC-1"},
                        name="agent_wait", kill_on_user_message=False),
    e.ReminderCancelled(name="agent_wait"),
    e.UserUtteranceReverted(),
    e.AllSlotsReset(),
    e.Restarted(),
    e.SessionStarted(),
    e.BotUttered("Dạ, em chào anh ạ.", {"template_name": "utter_greet"}),
]
print(json.dumps({"version": rasa_sdk.__version__, "events": made}, default=str))
"""


@pytest.fixture(scope="module")
def sdk_answer() -> dict:
    made = subprocess.run([app_python(), "-c", SDK_EVENTS], capture_output=True, text=True, check=True, timeout=120)
    return json.loads(made.stdout)


def test_the_events_come_from_rasa_sdk_3_21_in_the_application_environment(sdk_answer):
    assert sdk_answer["version"].startswith("3.21.")


def test_rasa_3_6_reads_every_event_as_the_action_meant_it(sdk_answer):
    read = [Event.from_parameters(event) for event in sdk_answer["events"]]
    assert read[:2] == [SlotSet("customer_code", "PE01000000001"), SlotSet("verified", True)]
    assert read[2:9] == [ActiveLoop("verify_form"), ActiveLoop(None), ActionExecutionRejected("verify_form"),
                         LoopInterrupted(True), ConversationPaused(), ConversationResumed(),
                         FollowupAction("action_answer_verified")]
    reminder = read[9]
    assert isinstance(reminder, ReminderScheduled)
    assert (reminder.intent, reminder.name, reminder.kill_on_user_message) == (
        "EXTERNAL_agent_timeout", "agent_wait", False)
    assert reminder.trigger_date_time == datetime(2026, 12, 7, 9, 30)
    assert reminder.entities == {"ticket": "YC-1"}  # Rasa 3.6 takes a dict of entities when the reminder fires
    assert read[10] == ReminderCancelled(name="agent_wait")
    assert [type(event) for event in read[11:15]] == [UserUtteranceReverted, AllSlotsReset, Restarted, SessionStarted]
    assert isinstance(read[15], BotUttered) and read[15].text == "Dạ, em chào anh ạ."


def test_the_events_change_a_rasa_3_6_tracker_as_they_should(sdk_answer):
    domain = Domain.from_yaml("""
version: "3.1"
slots:
  customer_code: {type: text, mappings: [{type: custom}]}
  verified: {type: bool, mappings: [{type: custom}]}
forms:
  verify_form: {required_slots: [customer_code]}
""")
    tracker = DialogueStateTracker("sdk-contract", domain.slots)
    events = [Event.from_parameters(event) for event in sdk_answer["events"]]
    for event in events[:3]:
        tracker.update(event, domain)
    assert tracker.get_slot("customer_code") == "PE01000000001" and tracker.get_slot("verified") is True
    assert tracker.active_loop_name == "verify_form"
    tracker.update(events[6], domain)  # ConversationPaused: an agent holds the conversation
    assert tracker.is_paused()
    tracker.update(events[7], domain)
    assert not tracker.is_paused()
    tracker.update(events[3], domain)  # ActiveLoop(None): the form ended
    assert tracker.active_loop_name is None
