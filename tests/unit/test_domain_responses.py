"""The domain and the code agree: every response the actions name exists, every catalogue field has its slot.

Customer-facing text lives in domain.yml; the code only names responses, some of them
built from a value (utter_part_status_<status>, utter_invalid_field_<problem>, …).
These tests keep the two from drifting apart. What rasa-sdk registers and how Rasa fills a response's
buttons: tests/components/test_domain_in_rasa.py.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from evn.domain import account_links, periods, rate_limits
from evn.domain.language import quantities, relative_days
from evn.domain.service_catalogue import load_catalogue
from evn.domain.statuses import RequestStatus

ROOT = Path(__file__).resolve().parents[2]
NAMED = re.compile(r'"(utter_[a-z_]+)"')


def test_every_response_the_code_names_is_in_the_domain(domain_dict):
    named = set()
    for folder in ("actions", "connectors"):
        for path in (ROOT / folder).rglob("*.py"):
            named |= set(NAMED.findall(path.read_text(encoding="utf-8")))
    named.discard("utter_action")  # Rasa's metadata key naming the response a message came from
    missing = sorted(name for name in named if name not in domain_dict["responses"])
    assert not missing, missing


@pytest.mark.parametrize("prefix, values", [
    ("utter_part_status_", [status.value for status in RequestStatus]),
    ("utter_too_many_", list(rate_limits.LIMITS)),
    ("utter_part_when_", [relative_days.RANGE, relative_days.TODAY, relative_days.TOMORROW, relative_days.DAY]),
    ("utter_invalid_period_", [periods.MONTH, periods.DAY, periods.YEAR]),
    ("utter_part_channel_", sorted(account_links.LINKABLE_CHANNELS)),
    ("utter_kwh_", [quantities.NEGATIVE, quantities.NOT_A_NUMBER, quantities.TOO_LARGE]),
    ("utter_invalid_field_", ["name", "phone", "address", "id_number", "kw", "count", "date", "date_in_the_past",
                              "text", "consent"]),
])
def test_responses_built_from_a_value_exist_for_every_value(domain_dict, prefix, values):
    assert [v for v in values if f"{prefix}{v}" not in domain_dict["responses"]] == []


def test_every_problem_a_field_check_can_report_has_its_response(domain_dict):
    source = (ROOT / "evn" / "domain" / "service_catalogue.py").read_text(encoding="utf-8")
    codes = set(re.findall(r'Problem\("([a-z_]+)"', source))
    assert codes and all(f"utter_invalid_field_{code}" in domain_dict["responses"] for code in codes)


def test_the_catalogue_is_the_one_list_of_service_fields(domain_dict):
    """Adding a field to the catalogue needs its slot in domain.yml; nothing else names them."""
    fields = set(load_catalogue().field_codes)
    slots = set(domain_dict["slots"])
    assert fields <= slots, sorted(fields - slots)
    for code in fields:
        assert domain_dict["slots"][code]["mappings"] == [{"type": "custom"}]
    for path in (ROOT / "actions").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        # No second list of them (a field kind such as "phone" may share a field's name).
        assert len([code for code in fields if f'"{code}"' in text]) <= 1, path


def test_rasa_validate_sees_no_text_responses_built_in_python(domain_dict):
    """No response is a bare {text} that Python fills with a whole reply."""
    assert [name for name, variations in domain_dict["responses"].items()
            if any(v.get("text", "").strip() == "{text}" for v in variations)] == []


def test_pieces_rendered_by_the_actions_need_no_slot(domain_dict):
    """utter_part_* and utter_line_* are filled in Python (actions/phrases.py), where the slots are not."""
    with_slots = [name for name, variations in domain_dict["responses"].items()
                  if name.startswith(("utter_part_", "utter_line_"))
                  and any("{addressee" in v.get("text", "") for v in variations)]
    assert with_slots == []


def test_every_reply_mirrors_the_customers_form_of_address(domain_dict):
    """No reply hard-codes "anh/chị": it says {addressee}, the customer's own word once known."""
    assert [name for name, variations in domain_dict["responses"].items()
            if any("anh/chị" in v.get("text", "").lower() for v in variations)] == []
    from evn.domain.language.address_forms import DEFAULT, title

    slots = domain_dict["slots"]
    assert slots["addressee"]["initial_value"] == DEFAULT
    assert slots["addressee_title"]["initial_value"] == title(DEFAULT)


def test_every_picture_refusal_has_its_answer(domain_dict):
    from evn.domain.pictures import Refusal

    assert [r.value for r in Refusal if f"utter_picture_refused_{r.value}" not in domain_dict["responses"]] == []
