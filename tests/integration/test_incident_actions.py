"""The incidents' actions as the action server calls them: a report told what is known, a customer still dark
filed anew, "có điện lại chưa" answered from the data, and the incident's notices in words."""
from __future__ import annotations

import uuid
from datetime import timedelta

from evn.domain.incidents import Cause
from tests.integration.action_calls import responses, run, texts, tracker, user

PLACE = "30 Lê Lợi, phường Bến Nghé, quận 1, TP.HCM"


def notice(kind: str, **facts: str):
    entities = [{"entity": "notice_kind", "value": kind}, *({"entity": k, "value": v} for k, v in facts.items())]
    return user("", "EXTERNAL_notice", entities)


def report(core, place: str = PLACE, channel: str = "zalo") -> tuple[str, object]:
    chat = f"{channel}-{uuid.uuid4().int % 10**15}"
    return chat, core.requests.report_outage(chat, channel, place, "")


def ask(domain, chat: str, text: str, slots: dict | None = None):
    from actions.outages import ActionTellRestoration

    return run(ActionTellRestoration(), tracker(chat, [user(text, "ask_restoration")], slots=slots), domain)


def test_the_incident_notices_say_the_cause_the_estimate_and_the_restoration(actions_env, domain):
    from actions.notices import ActionSendNotice

    update = notice("outage_update", ticket="MD-20261201-0001", outage_area="phường Bến Nghé, Quận 1",
                    incident_cause="tree", estimated_at="13:10 01/12/2026")
    messages, events = run(ActionSendNotice(), tracker(f"zalo-{uuid.uuid4().hex}", [update]), domain)
    said = texts(messages)
    assert responses(messages) == ["utter_notice_outage_update"] and [e["event"] for e in events] == ["rewind"]
    assert "phường Bến Nghé, Quận 1" in said and "cây đổ" in said and "13:10 01/12/2026" in said
    unknown = notice("outage_update", ticket="MD-20261201-0001", outage_area="phường Bến Nghé, Quận 1",
                     incident_cause="<b>", estimated_at="")
    said = texts(run(ActionSendNotice(), tracker(f"zalo-{uuid.uuid4().hex}", [unknown]), domain)[0])
    assert "<b>" not in said and "chưa có thời gian dự kiến" in said
    back = notice("outage_restored", ticket="MD-20261201-0001", outage_area="phường Bến Nghé, Quận 1",
                  incident_cause="tree", estimated_at="13:10 01/12/2026", restored_at="12:40 01/12/2026")
    said = texts(run(ActionSendNotice(), tracker(f"zalo-{uuid.uuid4().hex}", [back]), domain)[0])
    assert "khôi phục lúc 12:40 01/12/2026" in said and "vẫn mất điện" in said


def test_a_report_joining_an_incident_is_told_its_cause_and_estimate(actions_env, domain):
    from actions.outages import ActionReportOutage

    first, opened = report(actions_env)
    estimate = actions_env.clock() + timedelta(hours=2)
    actions_env.incidents.set_estimate(opened.request.ticket, "agent", Cause.TRANSFORMER, estimate)
    chat = f"facebook-{uuid.uuid4().int % 10**15}"
    messages, _ = run(ActionReportOutage(), tracker(chat, [user("mất điện", "report_outage")],
                                                    slots={"outage_place": "55 le loi p ben nghe q1"}), domain)
    said = texts(messages)
    assert responses(messages) == ["utter_outage_merged", "utter_ask_satisfaction"] and opened.request.ticket in said
    assert "trạm biến áp" in said and "Dự kiến có điện lại lúc 12:00 01/12/2026" in said
    actions_env.incidents.restore(opened.request.ticket, "agent")  # the shared database keeps no open incident


def test_a_customer_still_dark_after_the_restoration_is_filed_at_the_top_priority(actions_env, domain):
    from actions.outages import ActionReportOutage

    _, opened = report(actions_env, "12 Pasteur, phường Bến Thành, quận 1")
    actions_env.incidents.restore(opened.request.ticket, "agent")
    chat = f"zalo-{uuid.uuid4().int % 10**15}"
    messages, _ = run(ActionReportOutage(), tracker(chat, [user("vẫn mất điện", "report_outage")],
                                                    slots={"outage_place": "14 Pasteur, phường Bến Thành, quận 1"}),
                      domain)
    said = texts(messages)
    assert responses(messages) == ["utter_outage_still_dark"] and opened.request.ticket in said  # not asked how it went
    (view,) = actions_env.requests.mine(chat, None)
    assert view.priority == "urgent" and view.ticket in said and view.details["follows"] == opened.request.ticket
    actions_env.incidents.restore(view.ticket, "agent")  # the shared database keeps no open incident of a test


def test_whether_the_power_is_back_is_answered_from_what_is_known(actions_env, domain):
    place = "8 Hàm Nghi, phường Nguyễn Thái Bình, quận 1"
    chat = f"zalo-{uuid.uuid4().int % 10**15}"
    messages, events = ask(domain, chat, "có điện lại chưa em")
    assert messages == [] and [(e["event"], e["name"]) for e in events] == [("followup", "outage_form")]
    messages, events = ask(domain, chat, f"ở {place} có điện lại chưa")
    assert responses(messages) == ["utter_restoration_unknown"] and "phường Nguyễn Thái Bình" in texts(messages)
    assert [(e["name"], e["value"]) for e in events] == [("outage_place", place)], "a report that follows is there"
    reporter, opened = report(actions_env, place)
    ticket = opened.request.ticket
    messages, _ = ask(domain, reporter, "bao giờ có điện vậy")
    assert responses(messages) == ["utter_restoration_awaiting"] and ticket in texts(messages)
    assert "11:00 01/12/2026" in texts(messages), "an estimate is expected within the hour"
    actions_env.incidents.set_estimate(ticket, "agent", Cause.GRID_FAULT, actions_env.clock() + timedelta(hours=3))
    messages, _ = ask(domain, chat, f"{place} có điện lại chưa")
    assert responses(messages) == ["utter_restoration_estimate"] and "13:00 01/12/2026" in texts(messages)
    assert "đường dây" in texts(messages)
    actions_env.incidents.restore(ticket, "agent")
    messages, _ = ask(domain, reporter, "có điện lại chưa")
    assert responses(messages) == ["utter_restoration_restored"] and "khôi phục lúc 10:0" in texts(messages)


def test_the_verified_customer_s_own_address_is_the_place_asked_about(actions_env, domain):
    _, opened = report(actions_env, "40 Lê Lợi, phường Bến Nghé, quận 1")
    chat = f"facebook-{uuid.uuid4().int % 10**15}"
    assert actions_env.identity.verify("PE01000000001", "0901234567", chat).status == "verified"
    messages, _ = ask(domain, chat, "nhà em có điện lại chưa", slots={"verified_code": "PE01000000001"})
    assert responses(messages) == ["utter_restoration_awaiting"] and opened.request.ticket in texts(messages)
    assert "Bến Nghé" in texts(messages)
    stranger, _ = ask(domain, f"facebook-{uuid.uuid4().int % 10**15}", "nhà em có điện lại chưa",
                      slots={"verified_code": "PE01000000001"})
    assert stranger == [], "a code this conversation did not verify tells nothing"
    actions_env.incidents.restore(opened.request.ticket, "agent")
