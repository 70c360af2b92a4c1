"""Fixtures of the action tests (test_actions.py, test_handoff_actions.py, test_link_actions.py,
test_notice_actions.py): the domain as the action server has it, and a core on the seeded SQLite database.

The integration tests run in both Python environments (make test-integration, make test-app). What needs
Rasa's own code is marked rasa_environment: the modules that import it at the top (collected only where Rasa
is installed), and every test that takes a fixture built with it.
"""
from __future__ import annotations

import importlib.util
import uuid
from pathlib import Path

import pytest

from evn.bootstrap import bootstrap
from evn.settings import Settings
from tests.integration.action_calls import DOMAIN_RESPONSES, INITIAL_SLOTS

ROOT = Path(__file__).resolve().parents[2]
RASA_MODULES = ["test_lock_store.py", "test_channel_state.py", "test_handoff_actions.py", "test_sdk_event_contract.py"]
RASA_FIXTURES = {"domain", "rasa_tracker_urls"}  # Rasa's Domain; databases whose tracker Rasa's own store wrote
collect_ignore = [] if importlib.util.find_spec("rasa") else RASA_MODULES


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if RASA_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.rasa_environment)


@pytest.fixture(scope="module")
def domain() -> dict:
    from rasa.shared.core.domain import Domain

    loaded = Domain.load(str(ROOT / "domain.yml")).as_dict()
    DOMAIN_RESPONSES.update(loaded["responses"])
    INITIAL_SLOTS.update({name: slot["initial_value"] for name, slot in loaded["slots"].items()
                          if isinstance(slot.get("initial_value"), str)})
    return loaded


@pytest.fixture
def actions_env(sqlite_url, tmp_path):
    """The actions on a core the composition root builds for the seeded test database."""
    from actions import runtime

    # Early December: the seeded bills end at 10/2026, so November's is not issued yet.
    core = bootstrap(Settings.from_env({"DATABASE_URL": sqlite_url, "PAYMENT_LINK_SECRET": "actions-test-secret",
                                        "DEMO_NOW": "2026-12-01T10:00"}, root=tmp_path))
    runtime.use(core)
    yield core
    runtime.use(None)


@pytest.fixture
def mid_period_chat(sqlite_url, tmp_path):
    """(the core, a Messenger chat verified for PE01000000001) on Saturday 21/11/2026 10:00: the period 11/2026
    read up to 20/11, the actions using that core."""
    from actions import runtime

    core = bootstrap(Settings.from_env({"DATABASE_URL": sqlite_url, "PAYMENT_LINK_SECRET": "usage-test-secret",
                                        "DEMO_NOW": "2026-11-21T10:00"}, root=tmp_path))
    runtime.use(core)
    sender = f"facebook-{uuid.uuid4().int % 10**15}"
    assert core.identity.verify("PE01000000001", "0901234567", sender).status == "verified"
    yield core, sender
    core.usage_alerts.cancel(sender, "PE01000000001")  # the shared database keeps no alert of a test
    runtime.use(None)
