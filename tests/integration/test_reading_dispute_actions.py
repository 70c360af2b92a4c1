"""A disputed reading in the chat (actions/reading_dispute.py) on the seeded SQLite database, on 21/11/2026: the
bill's readings and the daily registers first; a register read on the meter that agrees ends it, one that does
not is summed up as a meter-reading check, filed on the yes with a place for a photo."""
from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from tests.integration.action_calls import responses, run, slots_set, texts, tracker, user

CODE, PHONE = "PE01000000001", "0901234567"
pytestmark = pytest.mark.rasa_environment


@pytest.fixture
def chat(mid_period_chat):
    return mid_period_chat[1]


def dispute(sender: str, domain, said: str, period: str | None = None, *others: str):
    from actions.identity import ActionAnswerVerified

    entities = [{"entity": "period", "value": named} for named in (period, *others) if named]
    return run(ActionAnswerVerified(), tracker(sender, [user(said, "dispute_reading", entities)],
                                               {"verified_code": CODE}), domain)


def test_the_readings_and_the_daily_registers_come_first(chat, domain, sqlite_url):
    messages, _ = dispute(chat, domain, "chỉ số tháng 10 nhà em ghi sai rồi", "tháng 10")
    assert responses(messages) == ["utter_reading_dispute"]
    said = texts(messages)
    now = registered_now(sqlite_url)
    for fragment in ("kỳ 10/2026", "chỉ số cũ 14868", "chỉ số mới 15218", "350 kWh", "31/10/2026",
                     f"hết ngày 20/11/2026, công tơ đo xa ghi được {now}"):
        assert fragment in said, fragment


def test_of_two_months_named_the_first_is_disputed(chat, domain):
    messages, _ = dispute(chat, domain, "tháng 10 tăng gấp đôi tháng 9, có phải ghi sai chỉ số ko", "tháng 10",
                          "tháng 9")
    assert responses(messages) == ["utter_reading_dispute"] and "kỳ 10/2026" in texts(messages)


def registered_now(sqlite_url: str) -> int:
    engine = create_engine(sqlite_url)
    with engine.connect() as connection:
        found = connection.execute(text(
            "SELECT d.register FROM daily_readings d JOIN meters m ON m.id = d.meter_id JOIN customers c "
            "ON c.id = m.customer_id WHERE c.code = :c AND d.read_on = '2026-11-20'"), {"c": CODE}).scalar_one()
    engine.dispose()
    return int(found)


def test_a_register_that_agrees_ends_it_and_one_that_does_not_is_filed_as_a_check(chat, domain, sqlite_url):
    from actions.service_requests import ActionSubmitServiceRequest

    now = registered_now(sqlite_url)
    agreeing, _ = dispute(chat, domain, f"đồng hồ nhà em giờ chỉ {now + 3}")
    assert responses(agreeing) == ["utter_reading_agrees"]
    offered, events = dispute(chat, domain, f"vẫn không khớp, công tơ nhà em đang chỉ {now - 60}")
    assert responses(offered) == ["utter_reading_check_offered"]
    slots = slots_set(events)
    assert (slots["service_type"], slots["reported_register"], slots["contact_phone"]) == (
        "meter_reading_check", str(now - 60), PHONE)
    assert any(e["event"] == "followup" and e["name"] == "action_service_summary" for e in events)
    filed, _ = run(ActionSubmitServiceRequest(), tracker(chat, [user("ok lập đi", "affirm", [])], {
        **slots, "verified_code": CODE, "verified": True}), domain)
    ticket = next(slot["value"] for slot in _ if slot.get("name") == "last_ticket")
    assert ticket.startswith("YC-") and ticket in texts(filed)
    engine = create_engine(sqlite_url)
    with engine.connect() as connection:
        details = connection.execute(text("SELECT details FROM service_requests WHERE ticket = :t"),
                                     {"t": ticket}).scalar_one()
    engine.dispose()
    assert '"reported_register": "' + str(now - 60) + '"' in details and '"photo_url": null' in details
