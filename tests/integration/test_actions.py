"""Custom actions called as the action server calls them, against a real seeded SQLite database."""
from __future__ import annotations

import asyncio
import uuid

import pytest
from rasa_sdk.executor import CollectingDispatcher

from evn.bootstrap import bootstrap
from evn.settings import Settings
from tests.integration.action_calls import responses, run, slots_set, texts, tracker, user


def test_verification_then_bill_of_the_period(actions_env, domain):
    from actions.identity import ActionAnswerVerified, ValidateVerifyForm

    sender = f"t-{uuid.uuid4().hex}"
    ask = user("tiền điện tháng 10/2026 bao nhiêu", "ask_bill", [{"entity": "period", "value": "tháng 10/2026"}])
    form = ValidateVerifyForm()
    # The code, given at the form's request.
    history = [ask, user("pe01000000001", "inform")]
    _, events = run(form, tracker(sender, history, {"requested_slot": "customer_code"}, "verify_form"), domain)
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots["customer_code"] == "PE01000000001"
    # The phone, written with spaces and +84.
    history.append(user("+84 901 234 567", "inform"))
    messages, events = run(
        form, tracker(sender, history, {"requested_slot": "phone", "customer_code": "PE01000000001"}, "verify_form"),
        domain,
    )
    assert responses(messages) == ["utter_verified"]
    assert {"event": "slot", "name": "verified", "value": True, "timestamp": None} in events
    slots.update({e["name"]: e["value"] for e in events if e["event"] == "slot"})
    assert slots["verified_code"] == "PE01000000001"
    assert slots["phone"] == "090****567"  # the form keeps only the masked number
    assert "Nguyễn Văn An" in texts(messages) and "0901234567" not in texts(messages)
    messages, events = run(ActionAnswerVerified(), tracker(sender, history, slots), domain)
    assert responses(messages) == ["utter_bill"]
    reply = texts(messages)
    assert "979.560 đ" in reply and "10/2026" in reply and "350 kWh" in reply
    assert "CHƯA THANH TOÁN" in reply
    assert {"event": "slot", "name": "phone", "value": None, "timestamp": None} in events


def test_wrong_phone_three_times_locks_and_reveals_nothing(actions_env, domain):
    from actions.identity import ActionAnswerVerified, ValidateVerifyForm

    sender = f"t-{uuid.uuid4().hex}"
    history = [user("hóa đơn tháng này", "ask_bill")]
    replies = []
    for wrong in ("0900000001", "0900000002", "0900000003"):
        history.append(user(wrong, "inform"))
        messages, events = run(
            ValidateVerifyForm(),
            tracker(sender, history, {"requested_slot": "phone", "customer_code": "PE01000000001"}, "verify_form"),
            domain,
        )
        replies.append(texts(messages))
        assert not any(e.get("name") == "verified_code" for e in events)
    assert "còn 2 lần" in replies[0] and "còn 1 lần" in replies[1]
    assert responses(messages) == ["utter_verification_locked"]
    assert "tạm khóa" in replies[2] and "1900 545454" in replies[2]
    everything = "\n".join(replies)
    assert "979.560" not in everything and "Nguyễn" not in everything and "Lê Lợi" not in everything
    # Asking again in the same conversation: the form asks for nothing and the lock is repeated.
    slots = {"customer_code": "PE01000000001"}
    required = asyncio.run(
        ValidateVerifyForm().required_slots(
            ["customer_code", "phone"], CollectingDispatcher(), tracker(sender, history, slots), domain
        )
    )
    assert required == []
    messages, _ = run(ActionAnswerVerified(), tracker(sender, history, slots), domain)
    assert "tạm khóa" in texts(messages) and "979.560" not in texts(messages)


def test_a_forged_verified_slot_is_not_trusted(actions_env, domain):
    from actions.identity import ActionAnswerVerified

    sender = f"t-{uuid.uuid4().hex}"
    messages, events = run(
        ActionAnswerVerified(),
        tracker(sender, [user("hóa đơn", "ask_bill")], {"verified_code": "PE01000000001"}),
        domain,
    )
    assert responses(messages) == ["utter_anything_else"] and "979.560" not in texts(messages)
    assert slots_set(events) == {"phone": None, "verified_code": None, "verified": False}


def verified_sender(actions_env) -> str:
    sender = f"t-{uuid.uuid4().hex}"
    assert actions_env.identity.verify("PE01000000001", "0901234567", sender).status == "verified"
    return sender


@pytest.mark.parametrize(
    "question, intent, entities, names, expected",
    [
        ("hóa đơn tháng 9", "ask_bill", [{"entity": "period", "value": "tháng 9"}], ["utter_bill"],
         ["09/2026", "423.468 đ", "ví MoMo"]),
        ("hóa đơn tháng trước", "ask_bill", [{"entity": "period", "value": "tháng trước"}],
         ["utter_bill_not_issued", "utter_bill"],
         ["kỳ 11/2026 của mã PE01000000001 chưa phát hành", "đầu tháng 12/2026",
          "kỳ 10/2026 — CHƯA THANH TOÁN, đã quá hạn từ 15/11/2026", "979.560 đ"]),
        ("hóa đơn tháng này", "ask_bill", [{"entity": "period", "value": "tháng này"}],
         ["utter_bill_not_over", "utter_bill"], ["kỳ 12/2026 chưa kết thúc", "đầu tháng 01/2027", "979.560 đ"]),
        ("hóa đơn hai tháng trước", "ask_bill", [{"entity": "period", "value": "hai tháng trước"}], ["utter_bill"],
         ["10/2026", "979.560 đ"]),
        ("tháng 11 năm ngoái", "ask_bill", [{"entity": "period", "value": "tháng 11 năm ngoái"}], ["utter_bill"],
         ["kỳ 11/2025"]),
        ("tháng 10 năm ngoái", "ask_bill", [{"entity": "period", "value": "tháng 10 năm ngoái"}],
         ["utter_bill_not_found"], ["kỳ 10/2025", "từ kỳ 11/2025 đến kỳ 10/2026"]),
        ("hóa đơn tháng 3/2024", "ask_bill", [{"entity": "period", "value": "tháng 3/2024"}],
         ["utter_bill_not_found"], ["chưa có hóa đơn kỳ 03/2024", "11/2025"]),
        ("chỉ số 3 tháng gần đây", "ask_consumption", [], ["utter_consumption", None],  # then the chart
         ["Kỳ 10/2026: 350 kWh", "Kỳ 08/2026: 236 kWh", "Trung bình 255 kWh"]),
        ("sao tiền điện tăng", "ask_bill_increase", [],
         ["utter_increase_more", "utter_increase_above_average", "utter_increase_tiers", "utter_increase_days",
          "utter_increase_weeks", "utter_increase_advice"],  # the weeks: the daily readings of 10/2026 and 09/2026
         ["tăng 170 kWh", "Bậc 4: 100 kWh × 2.998 đ", "556.092 đ", "cùng tuần kỳ 09/2026"]),
        ("còn nợ bao nhiêu", "ask_payment_status", [], ["utter_payment_status_debt", "utter_last_payment"],
         ["Kỳ 10/2026: 979.560 đ", "Tổng cộng: 979.560 đ", "ví MoMo"]),
    ],
)
def test_verified_questions(actions_env, domain, question, intent, entities, names, expected):
    from actions.identity import ActionAnswerVerified

    sender = verified_sender(actions_env)
    messages, _ = run(
        ActionAnswerVerified(),
        tracker(sender, [user(question, intent, entities)], {"verified_code": "PE01000000001"}),
        domain,
    )
    assert responses(messages) == names
    reply = texts(messages)
    for fragment in expected:
        assert fragment in reply


@pytest.mark.parametrize(
    "question, intent, expected",
    [
        ("hóa đơn ngày 31/02/2026", "ask_bill", "không có trên lịch"),
        ("tiền điện 13/2026 bao nhiêu", "ask_bill", "tháng chỉ từ 1 đến 12"),
        ("hóa đơn kỳ 10/99999", "ask_bill", "năm có 4 chữ số"),
        ("sao tháng 13 tiền điện tăng", "ask_bill_increase", "tháng chỉ từ 1 đến 12"),
        ("gửi link thanh toán kỳ 29/02/2027", "request_payment_link", "không có trên lịch"),
    ],
)
def test_an_impossible_period_is_named_not_answered_with_another_bill(actions_env, domain, question, intent, expected):
    from actions.identity import ActionAnswerVerified

    sender = verified_sender(actions_env)
    messages, _ = run(
        ActionAnswerVerified(), tracker(sender, [user(question, intent)], {"verified_code": "PE01000000001"}), domain
    )
    reply = texts(messages)
    assert expected in reply and "979.560" not in reply and "http" not in reply


@pytest.mark.parametrize("answer, expected", [("1e308 kWh", "1e308"), ("-300", "số âm"), ("dùng -300 số", "số âm"),
                                              ("9" * 40, "vượt quá")])
def test_an_impossible_kwh_is_named(actions_env, domain, answer, expected):
    from actions.billing import ValidateEstimateForm

    messages, events = run(
        ValidateEstimateForm(),
        tracker("t", [user(answer, "estimate_bill")], {"requested_slot": None}, "estimate_form"),
        domain,
    )
    assert expected in texts(messages)
    assert {"event": "slot", "name": "kwh", "value": None, "timestamp": None} in events


def test_tariff_and_estimate_need_no_verification(actions_env, domain):
    from actions.billing import ActionEstimateBill, ActionShowTariff, ValidateEstimateForm

    sender = f"t-{uuid.uuid4().hex}"
    messages, _ = run(ActionShowTariff(), tracker(sender, [user("giá điện", "ask_tariff")]), domain)
    assert responses(messages) == ["utter_tariff"]
    assert "1.984 đ/kWh" in texts(messages) and "3.460 đ/kWh" in texts(messages) and "8%" in texts(messages)
    messages, events = run(
        ValidateEstimateForm(),
        tracker(sender, [user("350", "inform")], {"requested_slot": "kwh"}, "estimate_form"),
        domain,
    )
    assert {"event": "slot", "name": "kwh", "value": "350", "timestamp": None} in events
    messages, events = run(ActionEstimateBill(), tracker(sender, [], {"kwh": "350"}), domain)
    assert responses(messages) == ["utter_estimate"] and slots_set(events) == {"kwh": None, "last_kwh": "350"}
    assert "979.560 đ" in texts(messages) and "Bậc 5: 50 kWh × 3.350 đ" in texts(messages)
    # "nếu xài gấp ba thì sao": three times the last estimate.
    _, events = run(ValidateEstimateForm(), tracker(sender, [user("nếu xài gấp ba thì sao", "estimate_bill")],
                                                    {"requested_slot": "kwh", "last_kwh": "350"}, "estimate_form"),
                    domain)
    assert {"event": "slot", "name": "kwh", "value": "1050", "timestamp": None} in events


@pytest.mark.parametrize("answer", ["nhiều lắm", "-5", "1000000"])
def test_estimate_refuses_what_is_not_a_kwh_number(actions_env, domain, answer):
    from actions.billing import ValidateEstimateForm

    messages, events = run(
        ValidateEstimateForm(),
        tracker(
            "t",
            [
                user(answer, "inform", [{"entity": "kwh", "value": answer}]),
                {"event": "slot", "name": "kwh", "value": answer},
            ],
            {"requested_slot": "kwh", "kwh": answer},
            "estimate_form",
        ),
        domain,
    )
    assert {"event": "slot", "name": "kwh", "value": None, "timestamp": None} in events


def test_payment_link_for_a_verified_customer(actions_env, domain, sqlite_url, tmp_path):
    from actions import runtime
    from actions.identity import ActionAnswerVerified

    runtime.use(bootstrap(Settings.from_env({
        "DATABASE_URL": sqlite_url, "PAYMENT_LINK_SECRET": "actions-test-secret",
        "PUBLIC_BASE_URL": "https://pay.example.vn"}, root=tmp_path)))
    sender = verified_sender(runtime.services())
    messages, _ = run(
        ActionAnswerVerified(),
        tracker(sender, [user("gửi em mã QR thanh toán", "request_payment_link")], {"verified_code": "PE01000000001"}),
        domain,
    )
    reply = texts(messages)
    assert "979.560 đ" in reply and "kỳ 10/2026" in reply and "https://pay.example.vn/pay/" in reply
    (button,) = messages[0]["buttons"]
    assert button["url"].startswith("https://pay.example.vn/pay/") and button["type"] == "web_url"
    assert messages[1]["image"] == button["url"] + "/qr.png"  # "mã QR" asks for the VietQR image too


def test_payment_methods_are_listed_from_data(actions_env, domain):
    from actions.payments import ActionShowPaymentMethods

    messages, _ = run(
        ActionShowPaymentMethods(), tracker("t", [user("cách thanh toán", "ask_payment_methods")]), domain
    )
    reply = texts(messages)
    for name in ("VietQR", "Trích nợ tự động", "Internet Banking", "Tiền mặt", "bưu điện"):
        assert name in reply
    # No gateway is configured here: what goes through one is not offered.
    for name in ("VNPay", "MoMo", "ZaloPay", "Visa"):
        assert name not in reply


def test_payment_methods_offer_the_gateways_that_are_on(actions_env, domain):
    from dataclasses import replace

    from actions import runtime
    from actions.payments import ActionShowPaymentMethods

    with_vnpay = replace(actions_env, payments=replace_gateways(actions_env.payments, {"vnpay": object()}))
    runtime.use(with_vnpay)
    try:
        messages, _ = run(ActionShowPaymentMethods(), tracker("t", [user("cách thanh toán", "ask_payment_methods")]),
                          domain)
    finally:
        runtime.use(actions_env)
    reply = texts(messages)
    assert "VNPay" in reply and "Visa" in reply and "MoMo" not in reply and "ZaloPay" not in reply


def replace_gateways(payments, gateways):
    import copy

    changed = copy.copy(payments)
    changed.gateways = dict(gateways)
    return changed


def test_payment_received_is_announced(actions_env, domain):
    from actions.payments import ActionAnnouncePayment

    event = user("", "EXTERNAL_payment_received", [
        {"entity": "amount", "value": 979560}, {"entity": "period", "value": "10/2026"},
        {"entity": "payment_method", "value": "vnpay"},
    ])
    messages, events = run(ActionAnnouncePayment(), tracker(f"t-{uuid.uuid4().hex}", [event]), domain)
    assert responses(messages) == ["utter_payment_received", "utter_ask_satisfaction"]  # and how it went
    assert "đã nhận thanh toán 979.560 đ cho hóa đơn 10/2026 qua VNPay" in texts(messages)
    assert events[-1] == {"event": "rewind", "timestamp": None}  # the dialogue goes on from where it was


def test_a_payment_delivered_twice_is_announced_once(actions_env, domain):
    from actions.payments import ActionAnnouncePayment

    entities = [{"entity": "amount", "value": 979560}, {"entity": "period", "value": "10/2026"},
                {"entity": "payment_method", "value": "vnpay"}, {"entity": "payment_reference", "value": "EVN1"}]
    first = user("", "EXTERNAL_payment_received", entities)
    again = user("", "EXTERNAL_payment_received", entities)
    chat = f"t-{uuid.uuid4().hex}"
    messages, _ = run(ActionAnnouncePayment(), tracker(chat, [first]), domain)
    assert responses(messages)[0] == "utter_payment_received"
    messages, _ = run(ActionAnnouncePayment(), tracker(chat, [first, again]), domain)
    assert messages == []


def bot(response: str) -> dict:
    return {"event": "bot", "text": "…", "metadata": {"utter_action": response}}


def test_a_second_misunderstanding_in_a_row_hands_over_the_first_shows_the_menu(actions_env, domain):
    from actions.misunderstood import ActionMisunderstood

    first, _ = run(ActionMisunderstood(), tracker(f"t-{uuid.uuid4().hex}", [user("asdf qwer", "nlu_fallback")]), domain)
    assert responses(first) == ["utter_default"] and "yêu cầu dịch vụ" in texts(first)
    events = [user("asdf qwer", "nlu_fallback"), bot("utter_default"), user("zxcv", "nlu_fallback")]
    second, slots = run(ActionMisunderstood(), tracker(f"t-{uuid.uuid4().hex}", events), domain)
    assert responses(second)[0].startswith("utter_handoff") and slots_set(slots) == {"handoff_waiting": True}


def test_other_utilities_in_a_row_are_answered_in_scope_never_queued(actions_env, domain):
    from actions.misunderstood import ActionMisunderstood

    events = [user("tiền nước tháng này bao nhiêu", "out_of_scope"), bot("utter_out_of_scope"),
              user("còn wifi nhà bị chậm thì sao", "out_of_scope")]
    messages, events = run(ActionMisunderstood(), tracker(f"t-{uuid.uuid4().hex}", events), domain)
    assert responses(messages) == ["utter_out_of_scope"] and not slots_set(events)


def test_a_message_a_form_understood_is_not_a_misunderstanding(actions_env, domain):
    from actions.misunderstood import ActionMisunderstood

    events = [user("nhà mới mua, ko biết sđt chủ cũ", "out_of_scope"), bot("utter_other_road"),
              user("hjkl", "nlu_fallback")]
    messages, _ = run(ActionMisunderstood(), tracker(f"t-{uuid.uuid4().hex}", events), domain)
    assert responses(messages) == ["utter_default"]


@pytest.mark.parametrize(("question", "names", "expected", "absent"), [
    ("giá bậc 5 nhiêu", ["utter_tariff_tier"], ["bậc 5", "3.350 đ/kWh", "3.618 đ/kWh", "1279/QĐ-BCT"], ["1.984"]),
    ("giá này gồm thuế chưa", ["utter_tariff_vat"], ["chưa gồm thuế GTGT", "8% (từ 01/01/2027 là 10%)",
                                                     "2.143 đ/kWh"], []),
    ("tăng bao nhiêu so với trước", ["utter_tariff_change"], ["Bậc 1: 1.893 đ → 1.984 đ/kWh (tăng 4,8%)",
                                                              "2699/QĐ-BCT"], []),
    ("giá điện kinh doanh bao nhiêu", ["utter_tariff_not_covered"], ["kinh doanh", "không báo con số"], ["Bậc 1"]),
    ("giá điện bậc thang", ["utter_tariff"], ["Bậc 1 (0–50 kWh): 1.984 đ/kWh"], []),
])
def test_the_tariff_question_as_asked(actions_env, domain, question, names, expected, absent):
    from actions.billing import ActionShowTariff

    messages, _ = run(ActionShowTariff(), tracker("t", [user(question, "ask_tariff")]), domain)
    said = texts(messages)
    assert responses(messages) == names
    assert all(text in said for text in expected) and not any(text in said for text in absent), said


def test_a_follow_up_keeps_the_subject_of_the_answer_before(actions_env, domain):
    from actions.misunderstood import ActionMisunderstood

    asked = user("lịch cắt điện ngày mai ở Hoàn Kiếm", "ask_outage_schedule",
                 [{"entity": "location", "value": "Hoàn Kiếm"}])
    events = [asked, {"event": "action", "name": "action_show_outage_schedule"}, bot("utter_no_outage_scheduled"),
              {"event": "action", "name": "action_listen"}, user("ngày kia thì sao", "nlu_fallback")]
    messages, _ = run(ActionMisunderstood(), tracker(f"t-{uuid.uuid4().hex}", events), domain)
    assert responses(messages)[0] in ("utter_outage_schedule", "utter_no_outage_scheduled")
    assert "Hoàn Kiếm" in texts(messages) and "03/12/2026" in texts(messages)  # today is 01/12 (DEMO_NOW)
    tariff = [user("giá điện bậc thang", "ask_tariff"), {"event": "action", "name": "action_show_tariff"},
              bot("utter_tariff"), user("còn bậc 6", "nlu_fallback")]
    messages, _ = run(ActionMisunderstood(), tracker(f"t-{uuid.uuid4().hex}", tariff), domain)
    assert responses(messages) == ["utter_tariff_tier"] and "3.460 đ/kWh" in texts(messages)


def test_no_registered_phone_is_not_asked_again_until_a_code_or_phone_is_given(actions_env, domain):
    from actions.identity import ValidateVerifyForm

    sender = f"t-{uuid.uuid4().hex}"
    said = [user("tiền điện tháng 10", "ask_bill"), user("PE01000000001", "inform")]
    messages, events = run(ValidateVerifyForm(), tracker(sender, [*said, user("nhà mới mua, ko biết sđt chủ cũ",
                                                                                 "out_of_scope")],
                                                         {"customer_code": "PE01000000001", "requested_slot": "phone"},
                                                         "verify_form"), domain)
    assert responses(messages) == ["utter_other_road"] and slots_set(events)["no_registered_phone"] is True
    slots = {"customer_code": "PE01000000001", "no_registered_phone": True}
    messages, events = run(ValidateVerifyForm(), tracker(sender, [*said, user("0901234567", "inform")], slots,
                                                         "verify_form"), domain)
    assert responses(messages) == ["utter_verified"]  # a phone given after all is tried, and matches


@pytest.mark.parametrize(
    "question, intent, entities, names, expected",
    [
        ("cả năm nay", "ask_bill", [], ["utter_bills_summary"],
         ["Kỳ 10/2026: 350 kWh, 979.560 đ (chưa thanh toán)", "Kỳ 01/2026", "Cộng lại: 2.483 kWh, 6.388.072 đ"]),
        ("tiền điện 3 tháng gần nhất", "ask_bill", [], ["utter_bills_summary"],
         ["3 hóa đơn", "Cộng lại: 766 kWh, 1.994.466 đ"]),
        ("tháng 8 và 9", "ask_bill",
         [{"entity": "period", "value": "tháng 8"}, {"entity": "period", "value": "tháng 9"}],
         ["utter_bill", "utter_bill"], ["kỳ 08/2026", "591.438 đ", "kỳ 09/2026", "423.468 đ"]),
        ("tháng 8 xài bao nhiêu ký", "ask_consumption", [{"entity": "period", "value": "tháng 8"}], ["utter_bill"],
         ["236 kWh"]),
        ("tháng 9 trả rồi đúng không", "ask_payment_status", [{"entity": "period", "value": "tháng 9"}],
         ["utter_period_payment_status"], ["kỳ 09/2026", "423.468 đ", "đã thanh toán", "ví MoMo"]),
        ("sao tháng 8 ít hơn tháng 7", "ask_bill_increase",
         [{"entity": "period", "value": "tháng 8"}, {"entity": "period", "value": "tháng 7"}],
         ["utter_increase_less", "utter_increase_within_average"], ["kỳ 08/2026", "So với kỳ 07/2026", "giảm 48 kWh"]),
    ],
)
def test_several_bills_periods_and_comparisons_of_named_months(actions_env, domain, question, intent, entities, names,
                                                              expected):
    from actions.identity import ActionAnswerVerified

    sender = verified_sender(actions_env)
    messages, _ = run(ActionAnswerVerified(), tracker(sender, [user(question, intent, entities)],
                                                      {"verified_code": "PE01000000001"}), domain)
    assert responses(messages) == names
    reply = texts(messages)
    for fragment in expected:
        assert fragment in reply


def test_another_customers_code_starts_its_own_verification_and_shows_nothing_of_it(actions_env, domain):
    from actions.identity import ActionAnswerVerified

    sender = verified_sender(actions_env)
    question = user("nhà bên cạnh mã PD01000000002 tháng 10 bao nhiêu", "ask_bill",
                    [{"entity": "customer_code", "value": "PD01000000002"}, {"entity": "period", "value": "tháng 10"}])
    messages, events = run(ActionAnswerVerified(), tracker(sender, [question], {"verified_code": "PE01000000001"}),
                           domain)
    assert responses(messages) == ["utter_other_code_needs_phone"]
    assert "PD01000000002" in texts(messages) and "269.244" not in texts(messages) and "979.560" not in texts(messages)
    assert slots_set(events)["customer_code"] == "PD01000000002"
    assert {"event": "followup", "name": "verify_form"} in [{k: e.get(k) for k in ("event", "name")} for e in events]
    both = user("mã nhà tôi PE01000000001, xem luôn mã PD01000000002 của bà ngoại, tháng 10", "ask_bill",
                [{"entity": "customer_code", "value": "PE01000000001"},
                 {"entity": "customer_code", "value": "PD01000000002"}, {"entity": "period", "value": "tháng 10"}])
    messages, _ = run(ActionAnswerVerified(), tracker(sender, [both], {"verified_code": "PE01000000001"}), domain)
    assert responses(messages) == ["utter_bill", "utter_other_code_needs_phone"]
    assert "979.560 đ" in texts(messages) and "269.244" not in texts(messages)


def test_an_unsure_message_offers_the_two_likeliest_requests_with_its_values(actions_env, domain):
    from actions.misunderstood import ActionMisunderstood

    unsure = user("tháng 9 nhà em sao vậy", "nlu_fallback", [{"entity": "period", "value": "tháng 9"}])
    unsure["parse_data"]["intent_ranking"] = [{"name": "nlu_fallback", "confidence": 0.6},
                                              {"name": "ask_bill", "confidence": 0.38},
                                              {"name": "ask_bill_increase", "confidence": 0.31}]
    messages, _ = run(ActionMisunderstood(), tracker(f"t-{uuid.uuid4().hex}", [unsure]), domain)
    assert responses(messages) == ["utter_did_you_mean"]
    assert [b["payload"] for b in messages[0]["buttons"]] == ['/ask_bill{"period": "tháng 9"}',
                                                              '/ask_bill_increase{"period": "tháng 9"}']
    lost = user("abc xyz", "nlu_fallback")
    lost["parse_data"]["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 0.6}, {"name": "greet", "confidence": 0.1},
        {"name": "ask_bill", "confidence": 0.1}]
    messages, _ = run(ActionMisunderstood(), tracker(f"t-{uuid.uuid4().hex}", [lost]), domain)
    assert responses(messages) == ["utter_default"]


def test_how_long_and_what_it_costs_right_after_filing(actions_env, domain):
    from actions.service_requests import ActionFiledRequestTerms

    sender = verified_sender(actions_env)
    fields = {"applicant_name": "Nguyễn Văn An", "contact_phone": "0901234567", "reason": "công tơ chạy nhanh",
              "preferred_date": "10/12/2026"}
    filed = actions_env.requests.file(sender, "rest", "meter_inspection", fields, "PE01000000001", uuid.uuid4().hex)
    asked = user("bao lâu thì xong, có mất phí không", "check_request_status")
    messages, _ = run(ActionFiledRequestTerms(), tracker(
        sender, [asked], {"verified_code": "PE01000000001", "last_ticket": filed.request.ticket}), domain)
    assert responses(messages) == ["utter_filed_request_terms"]
    reply = texts(messages)
    assert filed.request.ticket in reply and "5 ngày làm việc" in reply and "Phí:" in reply
    stranger = f"t-{uuid.uuid4().hex}"  # a ticket of another conversation is not told
    messages, _ = run(ActionFiledRequestTerms(), tracker(stranger, [asked], {"last_ticket": filed.request.ticket}),
                      domain)
    assert filed.request.ticket not in texts(messages)


@pytest.mark.parametrize("question, slots, expected, absent", [
    ("tổng đài điện lực miền nam số mấy", {}, "1900 1006", "1900 545454"),
    ("hotline evn", {"verified_code": "PD01000000002"}, "1900 1288", "1900 545454"),
    ("hotline evn", {}, "Hà Nội: 1900 1288", None),  # no area, no code: every company's line
])
def test_the_hotline_of_the_area_named_else_the_customers_else_all(actions_env, domain, question, slots, expected,
                                                                    absent):
    from actions.hotlines import ActionTellHotline

    messages, _ = run(ActionTellHotline(), tracker(f"t-{uuid.uuid4().hex}", [user(question, "ask_hotline")], slots),
                      domain)
    reply = texts(messages)
    assert expected in reply and (absent is None or absent not in reply), reply


@pytest.mark.parametrize("question, location, present, absent", [
    # the ward the words name, not the city the NLU tagged; its own cut after the district's week
    ("lich cup dien p. ben nghe q1 tp hcm", "TP.HCM", ["phường Bến Nghé, Quận 1", "12/12/2026"], "Bình Thạnh"),
    # a district: its week, then its next cut
    ("quan hoan kiem co lich cup dien ko", "Hoàn Kiếm", ["04/12/2026", "11/12/2026"], "Bến Nghé"),
])
def test_a_place_asked_with_no_day_gets_its_week_then_its_next_cut(actions_env, domain, question, location, present,
                                                                    absent):
    from actions.outages import ActionShowOutageSchedule

    asked = user(question, "ask_outage_schedule", [{"entity": "location", "value": location}])
    messages, _ = run(ActionShowOutageSchedule(), tracker(f"t-{uuid.uuid4().hex}", [asked]), domain)
    reply = texts(messages)
    assert responses(messages) == ["utter_outage_schedule", "utter_next_outage_later"], reply
    assert all(fragment in reply for fragment in present) and absent not in reply, reply


def test_a_yes_after_a_report_is_heard_and_the_number_asked_is_told(actions_env, domain):
    from actions.misunderstood import ActionMisunderstood

    sender = f"t-{uuid.uuid4().hex}"
    filed = actions_env.requests.report_outage(sender, "rest", "45 Hàng Bài, phường Tràng Tiền, Hoàn Kiếm", "")
    ticket = filed.request.ticket
    reported = [user("nhà tôi ở 45 Hàng Bài hoàn kiếm mất điện từ 7h tối", "report_outage"),
                {"event": "action", "name": "action_report_outage"}, bot("utter_outage_filed"),
                {"event": "action", "name": "action_listen"}]
    messages, _ = run(ActionMisunderstood(), tracker(sender, [*reported, user("vâng đúng", "affirm")],
                                                     {"last_ticket": ticket}), domain)
    assert responses(messages) == ["utter_filed_already_noted", "utter_anything_else"] and ticket in texts(messages)
    messages, events = run(ActionMisunderstood(), tracker(sender, [*reported, user("mã phản ánh đâu em", "deny")],
                                                          {"last_ticket": ticket}), domain)
    assert responses(messages) == ["utter_request_status"] and ticket in texts(messages)
    assert slots_set(events)["follow_up_frame"] == "action_submit_service_request"


def test_a_code_and_phone_given_unprompted_show_the_latest_bill(actions_env, domain):
    from actions.identity import ActionAnswerVerified

    sender = verified_sender(actions_env)
    said = [user("PE01000000001 0901234567", "inform"), bot("utter_verified")]
    messages, events = run(ActionAnswerVerified(), tracker(sender, said, {"verified_code": "PE01000000001"}), domain)
    assert responses(messages) == ["utter_bill", "utter_anything_else"] and "979.560" in texts(messages)
    assert slots_set(events)["last_question"] == "ask_bill"
    # a question answered later: nothing is shown unasked when the customer was verified before this message
    later = tracker(sender, [user("ok", "affirm")], {"verified_code": "PE01000000001"})
    messages, _ = run(ActionAnswerVerified(), later, domain)
    assert responses(messages) == ["utter_anything_else"]


def test_a_danger_form_cleared_by_its_advice_is_no_short_address(actions_env, domain):
    from actions.safety import ValidateHazardForm

    messages, events = run(ValidateHazardForm(), tracker(
        f"t-{uuid.uuid4().hex}", [user("dây điện đứt rớt xuống hẻm nhà em rồi", "report_hazard"),
                                  {"event": "slot", "name": "hazard_place", "value": None}],
        {"hazard_place": None}, "hazard_form"), domain)
    assert "utter_outage_place_too_short" not in responses(messages)


def test_a_danger_told_with_its_place_takes_the_place_at_once(actions_env, domain):
    from actions.safety import ValidateHazardForm

    told = user("dây điện trước nhà đứt rớt xuống đường đang xẹt lửa!!! ở 30 Ung Văn Khiêm phường 25 Bình Thạnh, "
                "sđt 0909 888 777", "report_hazard")
    _, events = run(ValidateHazardForm(), tracker(f"t-{uuid.uuid4().hex}", [told], {}, "hazard_form"), domain)
    assert slots_set(events)["hazard_place"] == "30 Ung Văn Khiêm phường 25 Bình Thạnh"


def test_a_phone_right_after_a_report_is_kept_on_its_ticket_not_a_verification(actions_env, domain):
    from actions.misunderstood import ActionFollowUp

    sender = f"t-{uuid.uuid4().hex}"
    filed = actions_env.requests.report_outage(sender, "rest", "30 Ung Văn Khiêm, phường 25, Bình Thạnh, TP.HCM", "")
    events = [user("dây điện đứt ở 30 Ung Văn Khiêm phường 25 Bình Thạnh", "report_hazard"),
              {"event": "action", "name": "action_report_hazard"}, bot("utter_hazard_filed"),
              {"event": "action", "name": "action_listen"}, user("sđt 0908123123", "inform")]
    messages, _ = run(ActionFollowUp(), tracker(sender, events, {"last_ticket": filed.request.ticket}), domain)
    assert responses(messages) == ["utter_report_contact_added"]
    assert filed.request.ticket in texts(messages) and "090****123" in texts(messages)
    assert "0908123123" not in texts(messages)


def test_a_month_named_after_so_voi_is_what_the_bill_shown_is_compared_with(actions_env, domain):
    from actions.identity import ActionAnswerVerified

    sender = verified_sender(actions_env)
    asked = user("so với tháng 9 thì sao", "ask_bill_increase", [{"entity": "period", "value": "tháng 9"}])
    messages, _ = run(ActionAnswerVerified(), tracker(
        sender, [asked], {"verified_code": "PE01000000001", "last_period": "10/2026"}), domain)
    reply = texts(messages)
    assert "10/2026" in reply and "979.560" in reply and "09/2026" in reply and "423.468" in reply, reply
    assert "08/2026" not in reply


def test_a_month_named_after_so_voi_follows_the_comparison_asked_before(actions_env, domain):
    from actions.identity import ActionAnswerVerified

    sender = verified_sender(actions_env)
    before = user("sao tiền điện tháng 10 cao quá vậy", "ask_bill_increase",
                  [{"entity": "period", "value": "tháng 10"}])
    asked = user("so với tháng 9 thì sao", "ask_bill_increase", [{"entity": "period", "value": "tháng 9"}])
    messages, _ = run(ActionAnswerVerified(), tracker(sender, [before, asked], {"verified_code": "PE01000000001"}),
                      domain)
    reply = texts(messages)
    assert "979.560" in reply and "423.468" in reply and "08/2026" not in reply, reply


def test_how_much_apart_asks_again_of_the_two_months_compared_before(actions_env, domain):
    from actions.identity import ActionAnswerVerified

    sender = verified_sender(actions_env)
    before = user("Tháng 12 năm ngoái với tháng 1 năm nay tháng nào tốn hơn?", "ask_bill_increase",
                  [{"entity": "period", "value": "Tháng 12 năm ngoái"},
                   {"entity": "period", "value": "tháng 1 năm nay"}])
    messages, _ = run(ActionAnswerVerified(asked="ask_bill_increase"), tracker(
        sender, [before, user("chênh nhau nhiêu", "ask_consumption")], {"verified_code": "PE01000000001"}), domain)
    reply = texts(messages)
    assert "449.172" in reply and "413.186" in reply and "35.986" in reply, reply


def test_when_the_power_is_back_follows_the_schedule_asked_before(actions_env, domain):
    from actions.outages import ActionShowOutageSchedule

    asked = user("ngày 12/12 phường Bến Nghé quận 1 có lịch cúp điện ko ad", "ask_outage_schedule",
                 [{"entity": "location", "value": "phường Bến Nghé"}])
    events = [asked, {"event": "action", "name": "action_show_outage_schedule"}, bot("utter_outage_schedule"),
              user("vậy mấy giờ có điện lại", "ask_outage_schedule")]
    messages, _ = run(ActionShowOutageSchedule(), tracker(f"t-{uuid.uuid4().hex}", events), domain)
    reply = texts(messages)
    assert "12/12/2026 07:00–13:00" in reply and "Đa Kao" not in reply, reply


def test_a_place_named_in_a_follow_up_stays_asked_for_the_next(actions_env, domain):
    from actions.outages import ActionShowOutageSchedule

    asked = user("lịch cắt điện quận Hoàn Kiếm tháng 12 này", "ask_outage_schedule",
                 [{"entity": "location", "value": "Hoàn Kiếm"}, {"entity": "period", "value": "tháng 12 này"}])
    events = [asked, {"event": "action", "name": "action_show_outage_schedule"}, bot("utter_outage_schedule"),
              user("còn Ba Đình thì sao", "nlu_fallback", [{"entity": "location", "value": "Ba Đình"}]),
              {"event": "action", "name": "action_follow_up"}, bot("utter_outage_schedule"),
              user("ngày đó cắt từ mấy giờ tới mấy giờ", "nlu_fallback")]
    messages, _ = run(ActionShowOutageSchedule(), tracker(f"t-{uuid.uuid4().hex}", events), domain)
    reply = texts(messages)
    assert "13:00–17:00" in reply and "Hàng Bạc" not in reply, reply
