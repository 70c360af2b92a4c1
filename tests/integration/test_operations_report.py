"""The operations report on a small hand-made database, every figure checked against values worked out by hand.

The same rows on SQLite and PostgreSQL, with Rasa's own SQLTrackerStore writing the conversations
(its real `events` table). The range is 01/2026 – 03/2026: January has cash and cashless payers,
February only a payment made at 01:00 on 1 February in Vietnam (31 January in UTC), March no
payment at all; requests are done on time, late, still open (overdue or not yet due) and cancelled.
"""
from __future__ import annotations

import asyncio
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import insert

from evn.adapters import orm
from evn.adapters import report_queries as q
from evn.adapters.db import make_engine
from evn.adapters.migrate import upgrade
from evn.domain.operations_report import MonthRange
from evn.entrypoints.report import main as report_main
from evn.report.charts import charts
from evn.report.document import EMPTY_MONTH, document
from evn.report.writers import html_page, markdown
from evn.services.operations_report import build

RANGE = MonthRange.parse("2026-01", "2026-03")
JAN, FEB, MAR = 202601, 202602, 202603


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def epoch(text: str) -> float:
    return at(text).timestamp() - at("1970-01-01T00:00:00").timestamp()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def rasa_tracker_urls(request, tmp_path_factory):
    """(business database, tracker store) of one kind, both filled by hand."""
    if request.param == "sqlite":
        folder = tmp_path_factory.mktemp("report")
        business, tracker = f"sqlite:///{folder / 'evn.sqlite3'}", f"sqlite:///{folder / 'rasa.sqlite3'}"
    else:
        databases = request.getfixturevalue("postgres_databases")
        business, tracker = databases(), databases()
    upgrade(business)
    fill_business(business)
    fill_tracker(tracker)
    return business, tracker


def fill_business(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as c:
        c.execute(insert(orm.PowerCompany.__table__), [
            {"code": "EVNHCMC", "name": "Tổng công ty Điện lực TP.HCM", "prefix": "PE", "hotline": "19001909"}])
        c.execute(insert(orm.Customer.__table__), [
            {"id": n, "code": f"PE0100000000{n}", "name": f"Khách {n}", "phone": f"090000000{n}",
             "address": "1 Lê Lợi", "power_company": "EVNHCMC", "tariff_group": "residential"} for n in (1, 2, 3)])
        c.execute(insert(orm.Bill.__table__), [
            {"id": bill, "customer_id": customer, "period": period, "period_start": date(2025, 12, 1),
             "period_end": date(2025, 12, 31), "old_reading": 0, "new_reading": 100, "kwh": 100,
             "amount_before_vat": 0, "vat_percent": 8, "vat_amount": 0, "total": 0, "issued_on": date(2026, 1, 1),
             "due_date": date(2026, 1, 15), "status": "paid", "tier_breakdown": []}
            for bill, customer, period in ((1, 1, 202512), (2, 2, 202512), (3, 2, 202511), (4, 3, 202601))])
        # January's bill of customer 1: 200 kWh against December's 100: it rose 100 %, its notice says why.
        c.execute(insert(orm.Bill.__table__).values(
            id=5, customer_id=1, period=202601, period_start=date(2026, 1, 1), period_end=date(2026, 1, 31),
            old_reading=100, new_reading=300, kwh=200, amount_before_vat=0, vat_percent=8, vat_amount=0, total=0,
            issued_on=date(2026, 2, 1), due_date=date(2026, 2, 15), status="unpaid", tier_breakdown=[]))
        c.execute(insert(orm.UsageAlert.__table__), [
            {"customer_id": 1, "kind": "kwh", "level": 150, "conversation_id": "zalo-u1",
             "created_at": at("2026-01-05T03:00")},
            {"customer_id": 2, "kind": "amount", "level": 500_000, "conversation_id": "zalo-u2",
             "created_at": at("2026-02-10T03:00"), "cancelled_at": at("2026-02-11T03:00")}])
        c.execute(insert(orm.ScamCheck.__table__), [  # two scams and a real hotline in January, a picture in March
            {"checked_at": at("2026-01-03T03:00"), "conversation_id": "zalo-s1", "channel": "zalo", "kind": "text",
             "verdict": "not_companys", "pattern": "cut_within_hours", "shown": "", "picture_id": None},
            {"checked_at": at("2026-01-20T03:00"), "conversation_id": "web-s2", "channel": "socketio", "kind": "link",
             "verdict": "not_companys", "pattern": "lookalike_other_ending", "shown": "evnhcmc.com",
             "picture_id": None},
            {"checked_at": at("2026-01-21T03:00"), "conversation_id": "web-s2", "channel": "socketio", "kind": "phone",
             "verdict": "companys", "pattern": "official_hotline", "shown": "1900 545454", "picture_id": None},
            {"checked_at": at("2026-03-02T03:00"), "conversation_id": "facebook-s3", "channel": "facebook",
             "kind": "qr", "verdict": "not_companys", "pattern": "cut_within_hours", "shown": "", "picture_id": "p"},
            {"checked_at": at("2026-04-02T03:00"), "conversation_id": "facebook-s4", "channel": "facebook",
             "kind": "text", "verdict": "could_not_check", "pattern": "nothing_to_check", "shown": "",
             "picture_id": None}])
        c.execute(insert(orm.Payment.__table__), [
            {"bill_id": 1, "amount": 100_000, "channel": "momo", "paid_at": at("2026-01-10T03:00"), "reference": "P1"},
            {"bill_id": 2, "amount": 50_000, "channel": "counter_cash", "paid_at": at("2026-01-15T03:00"),
             "reference": "P2"},
            {"bill_id": 3, "amount": 20_000, "channel": "bank_transfer", "paid_at": at("2026-01-20T03:00"),
             "reference": "P3"},
            # 01:00 on 1 February in Vietnam: a February payment.
            {"bill_id": 4, "amount": 30_000, "channel": "vnpay", "paid_at": at("2026-01-31T18:00"), "reference": "P4"},
            # Outside the range on either side.
            {"bill_id": 4, "amount": 1, "channel": "counter_cash", "paid_at": at("2025-12-31T16:59"),
             "reference": "P5"},
            {"bill_id": 4, "amount": 1, "channel": "counter_cash", "paid_at": at("2026-03-31T17:00"),
             "reference": "P6"},
        ])
        c.execute(insert(orm.PaymentLink.__table__), [
            link(1, 1, "2026-01-09T03:00", "2026-01-09T03:10"), link(2, 2, "2026-01-12T03:00", "2026-01-12T04:00"),
            link(3, 3, "2026-01-20T03:00", None), link(4, 4, "2026-03-05T00:00", "2026-03-05T01:00")])
        c.execute(insert(orm.PaymentOrder.__table__), [
            order(1, 1, "paid", "2026-01-10T03:00"), order(2, 2, "pending", None),
            order(3, 4, "failed", None), order(4, 4, "paid", "2026-03-05T12:00")])
        requests = [
            (1, "meter_inspection", "counter", "2026-01-05T02:00", date(2026, 1, 12), [("done", "2026-01-09T02:00")]),
            (2, "meter_inspection", "socketio", "2026-01-06T02:00", date(2026, 1, 13),
             [("done", "2026-01-16T02:00")]),
            (3, "meter_inspection", "zalo", "2026-02-02T02:00", date(2026, 2, 9),
             [("in_progress", "2026-02-03T02:00")]),
            (4, "new_connection", "call_centre", "2026-03-30T02:00", date(2026, 4, 8), []),
            (5, "contract_info_change", "website", "2026-03-02T02:00", date(2026, 3, 5),
             [("cancelled", "2026-03-03T02:00")]),
            (6, "meter_inspection", "public_portal", "2026-03-10T02:00", date(2026, 3, 17),
             [("done", "2026-04-02T02:00")]),  # done after the range: open and overdue at its end
            (7, "meter_inspection", "counter", "2025-12-20T02:00", date(2025, 12, 26),
             [("done", "2026-01-02T02:00")]),
        ]
        for number, kind, channel, created, due, events in requests:
            c.execute(insert(orm.ServiceRequest.__table__).values(
                id=number, ticket=f"YC-20260101-000{number}", kind="service", service_type=kind, customer_code=None,
                status=(events[-1][0] if events else "received"), priority="normal", details={}, channel=channel,
                conversation_id=f"seed-{number}", created_at=at(created), due_date=due))
            for status, moment in [("received", created), *events]:
                c.execute(insert(orm.RequestEvent.__table__).values(request_id=number, status=status, at=at(moment),
                                                                    note=""))
        # Incidents: two trees in January (2 h and 6 h), one without a cause in February (1 h), one restored in
        # April (outside the range) and one still open.
        incidents = [(11, "tree", "2026-01-05T02:00", "2026-01-05T04:00"), (12, "tree", "2026-01-10T02:00",
                     "2026-01-10T08:00"), (13, None, "2026-02-01T02:00", "2026-02-01T03:00"),
                     (14, "weather", "2026-03-30T02:00", "2026-04-02T02:00"), (15, None, "2026-03-31T02:00", None)]
        for number, cause, opened, restored in incidents:
            c.execute(insert(orm.ServiceRequest.__table__).values(
                id=number, ticket=f"MD-20260101-00{number}", kind="outage", service_type="outage",
                customer_code=None, status="done" if restored else "received", priority="high", details={},
                channel="zalo", conversation_id=f"seed-{number}", created_at=at("2025-11-01T00:00"),  # not intake
                place_key=f"place {number}"))
            c.execute(insert(orm.Incident.__table__).values(
                request_id=number, place_key=f"place {number}", label=f"Nơi {number}", cause=cause,
                opened_at=at(opened), restored_at=at(restored) if restored else None))
        # How customers felt: a handoff's rating, a request rated an hour after its conversation asked for a person
        # (not contained) and one a day and more after (contained), a question left unanswered, one after the range.
        c.execute(insert(orm.SatisfactionRating.__table__), [
            rating("web-a", "handoff", "socketio", "2026-01-10T04:00", 5),
            rating("zalo-r2", "request", "zalo", "2026-01-12T03:00", 4),
            rating("web-b", "request", "socketio", "2026-01-11T05:00", 2, callback="YC-20260111-0001"),
            rating("fb-r4", "payment", "facebook", "2026-01-20T03:00", None),
            rating("fb-r5", "outage", "facebook", "2026-02-03T03:00", 1),
            rating("web-c", "request", "socketio", "2026-02-03T00:00", 3),
            rating("fb-r6", "payment", "facebook", "2026-04-01T00:00", 5)])
        c.execute(insert(orm.Handoff.__table__), [
            handoff("web-a", "2026-01-10T03:00", "2026-01-10T03:04"),
            handoff("web-b", "2026-01-11T03:00", "2026-01-11T03:10"),
            handoff("web-c", "2026-02-01T00:00", None)])
        c.execute(insert(orm.Notice.__table__), [
            notice("bill_issued", "1", "sent", "2026-01-09T00:00"),  # bill 1 paid on 10/01: led to the payment
            notice("bill_due", "3", "sent", "2026-01-25T00:00"),  # bill 3 paid on 20/01, before the notice
            notice("payment_received", "P1", "undeliverable", None, created="2026-01-10T04:00"),
            notice("request_status", "7", "sent", "2026-02-03T00:00"),
            notice("usage_alert", "PE01000000001:kwh:150:202601", "sent", "2026-01-20T01:00"),
            notice("usage_alert", "PE01000000001:kwh:150:202601", "undeliverable", None, created="2026-01-20T01:00",
                   user="u2"),
            notice("bill_issued", "5", "sent", "2026-02-01T01:00"),  # the bill that rose: explained as it came
        ])
    engine.dispose()


def link(number: int, bill: int, created: str, opened: str | None) -> dict:
    return {"id": number, "token_id": f"t{number}", "bill_id": bill, "amount": 1, "conversation_id": "web-a",
            "channel": "socketio", "method": None, "created_at": at(created), "expires_at": at("2026-12-31T00:00"),
            "opened_at": at(opened) if opened else None}


def order(number: int, link_id: int, status: str, completed: str | None) -> dict:
    return {"reference": f"O{number}", "link_id": link_id, "bill_id": 1, "gateway": "vnpay", "amount": 1,
            "status": status, "created_at": at("2026-01-01T00:00"),
            "completed_at": at(completed) if completed else None}


def handoff(conversation: str, created: str, taken: str | None) -> dict:
    return {"conversation_id": conversation, "channel": "socketio", "reason": "asked", "transcript": [],
            "status": "taken" if taken else "open", "created_at": at(created), "taken_at": at(taken) if taken else None}


def notice(kind: str, subject: str, status: str, sent: str | None, created: str | None = None,
           user: str = "u1") -> dict:
    created_at = at(created or sent or "2026-01-01T00:00")
    return {"kind": kind, "subject": subject, "channel": "zalo", "channel_user": user,
            "conversation_id": f"zalo-{user}",
            "customer_code": "PE01000000001", "status": status, "attempts": 1, "created_at": created_at,
            "next_attempt_at": created_at, "sent_at": at(sent) if sent else None}


def fill_tracker(url: str) -> None:
    """Three conversations written by Rasa's own SQLTrackerStore."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker
    from sqlalchemy.engine import make_url

    parts = make_url(url)
    if parts.get_backend_name() == "sqlite":
        store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=parts.database)
    else:
        store = SQLTrackerStore(Domain.empty(), dialect="postgresql", host=parts.host, port=parts.port,
                                db=parts.database, username=parts.username, password=parts.password)

    def user(intent: str, moment: str) -> UserUttered:
        return UserUttered("…", {"name": intent, "confidence": 1.0}, timestamp=epoch(moment))

    def action(name: str, moment: str) -> ActionExecuted:
        return ActionExecuted(name, timestamp=epoch(moment))

    conversations = {
        "web-a": [user("greet", "2026-01-10T02:00"), user("ask_bill", "2026-01-10T02:01"),
                  user("nlu_fallback", "2026-01-10T02:02"), action("action_misunderstood", "2026-01-10T02:02"),
                  user("human_handoff", "2026-01-10T02:03"), action("action_handoff", "2026-01-10T02:03")],
        "zalo-b": [user("ask_consumption", "2026-01-15T02:00"), action("action_answer_verified", "2026-01-15T02:00"),
                   user("EXTERNAL_notice", "2026-01-16T02:00")],
        # 00:30 on 1 February in Vietnam.
        "facebook-c": [user("request_service", "2026-01-31T17:30"), user("nlu_fallback", "2026-01-31T17:31"),
                       action("action_misunderstood", "2026-01-31T17:31")],
        "web-d": [user("greet", "2026-04-02T02:00")],  # after the range
    }
    for sender, events in conversations.items():
        asyncio.run(store.save(DialogueStateTracker.from_events(sender, events)))
    store.engine.dispose()


def rating(conversation: str, topic: str, channel: str, asked: str, score: int | None,
           callback: str | None = None) -> dict:
    return {"conversation_id": conversation, "channel": channel, "topic": topic, "subject": "", "asked_at": at(asked),
            "score": score, "answered_at": at(asked) if score else None, "callback_ticket": callback}


@pytest.fixture(scope="module")
def report(rasa_tracker_urls):
    business, tracker = rasa_tracker_urls
    engine, tracker_engine = make_engine(business), make_engine(tracker)
    built = build(engine, RANGE, tracker_engine, now=at("2026-04-05T00:00"))
    engine.dispose()
    tracker_engine.dispose()
    return built


def test_cashless_shares_per_month_and_over_the_range(report):
    jan, feb, mar, whole = (report.payments[k] for k in (JAN, FEB, MAR, q.ALL))
    assert (jan.payers, jan.cashless_payers, jan.amount, jan.cashless_amount) == (2, 1, 170_000, 120_000)
    assert jan.customer_share == 0.5 and jan.amount_share == pytest.approx(120 / 170)
    assert (feb.payers, feb.cashless_payers, feb.amount, feb.customer_share) == (1, 1, 30_000, 1.0)
    assert (mar.payers, mar.amount, mar.customer_share, mar.amount_share) == (0, 0, None, None)
    assert (whole.payers, whole.cashless_payers, whole.amount, whole.cashless_amount) == (3, 2, 200_000, 150_000)
    assert whole.customer_share == pytest.approx(2 / 3) and whole.amount_share == 0.75


def test_payments_by_channel(report):
    assert {channel: months[q.ALL] for channel, months in report.channels.items()} == {
        "momo": (1, 100_000), "counter_cash": (1, 50_000), "vnpay": (1, 30_000), "bank_transfer": (1, 20_000)}
    assert list(report.channels) == ["momo", "counter_cash", "vnpay", "bank_transfer"]  # by amount
    assert report.channels["vnpay"] == {FEB: (1, 30_000), q.ALL: (1, 30_000)}


def test_chatbot_links_sent_opened_paid_and_time_to_payment(report):
    jan, mar, whole = report.links[JAN], report.links[MAR], report.links[q.ALL]
    assert (jan.sent, jan.opened, jan.paid) == (3, 2, 1) and jan.to_payment_days.median == pytest.approx(1.0)
    assert (mar.sent, mar.opened, mar.paid) == (1, 1, 1) and mar.to_payment_days.median == pytest.approx(0.5)
    assert (report.links[FEB].sent, report.links[FEB].to_payment_days) == (0, None)
    assert (whole.sent, whole.opened, whole.paid) == (4, 3, 2)
    assert whole.to_payment_days.median == pytest.approx(0.5) and whole.to_payment_days.p90 == pytest.approx(1.0)


def test_requests_by_intake_channel_and_the_share_off_the_counter(report):
    counter, assistant = ("counter",), ("facebook", "zalo", "chatbot")
    jan, feb, mar, whole = (report.intake[k] for k in (JAN, FEB, MAR, q.ALL))
    assert jan.by_channel == {"counter": 1, "chatbot": 1}  # socketio is the assistant's widget
    assert (jan.off_counter(counter), jan.via_assistant(assistant)) == (1, 1)
    assert feb.by_channel == {"zalo": 1}
    assert mar.by_channel == {"call_centre": 1, "website": 1, "public_portal": 1}
    assert (whole.total, whole.off_counter(counter), whole.via_assistant(assistant)) == (6, 5, 2)
    off_counter = next(t for t in report.targets if t.key == "off_counter")
    assert off_counter.ours == pytest.approx(5 / 6) and off_counter.latest == 1.0 and off_counter.reached is True


def test_request_types_completion_times_and_promises_kept(report):
    types = {row.code: row for row in report.types}
    meter = types["meter_inspection"].figures
    assert (meter.received, meter.done, meter.on_time, meter.open_overdue, meter.open_not_due, meter.cancelled) == (
        4, 2, 1, 2, 0, 0)
    assert meter.days.median == pytest.approx(4.0) and meter.days.p90 == pytest.approx(10.0)
    assert types["meter_inspection"].on_time_share == 0.25  # 1 on time of 2 done + 2 open past their due date
    new = types["new_connection"]
    assert (new.figures.received, new.figures.open_not_due, new.on_time_share, new.figures.days) == (1, 1, None, None)
    cancelled = types["contract_info_change"]
    assert (cancelled.figures.cancelled, cancelled.on_time_share) == (1, None)


def test_the_assistants_conversations_handoffs_and_fallbacks(report):
    jan, feb, mar, whole = (report.assistant[k] for k in (JAN, FEB, MAR, q.ALL))
    assert jan.conversations == q.ConversationFigures(conversations=2, messages=5, fallbacks=1, handed_off=1)
    assert (jan.handoff_rate, jan.containment, jan.fallback_rate) == (0.5, 0.5, 0.2)
    assert feb.conversations == q.ConversationFigures(1, 2, 1, 0) and feb.fallback_rate == 0.5
    assert mar.conversations == q.ConversationFigures(0, 0, 0, 0)
    assert (mar.handoff_rate, mar.containment, mar.fallback_rate) == (None, None, None)
    assert whole.conversations == q.ConversationFigures(3, 7, 2, 1)
    assert (jan.handoffs.requested, jan.handoffs.taken) == (2, 2)
    assert jan.handoffs.wait_minutes.median == pytest.approx(4)
    assert (feb.handoffs.requested, feb.handoffs.taken, feb.handoffs.wait_minutes) == (1, 0, None)
    assert whole.handoffs.wait_minutes.p90 == pytest.approx(10)
    assert report.fallback_topics == [("ask_bill", 1), ("request_service", 1)]
    assert report.handoff_topics == [("ask_bill", 1)]


def test_alerts_set_and_sent_bills_explained_and_bill_questions_answered_without_a_person(report):
    jan, feb, mar, whole = (report.assistant[k] for k in (JAN, FEB, MAR, q.ALL))
    assert (jan.usage, feb.usage, mar.usage) == (q.UsageFigures(1, 1, 0), q.UsageFigures(1, 0, 1),
                                                 q.UsageFigures(0, 0, 0))
    assert whole.usage == q.UsageFigures(2, 1, 1)
    # January: web-a asked a bill and was handed over, zalo-b asked its consumption and was answered.
    assert jan.bill_questions == q.BillQuestionFigures(2, 1) and jan.bill_questions.share == 0.5
    assert feb.bill_questions == q.BillQuestionFigures(0, 0) and feb.bill_questions.share is None
    assert whole.bill_questions == q.BillQuestionFigures(2, 1)


def test_notices_sent_delivered_and_led_to_a_payment(report):
    # January: a bill's, a reminder's, a payment's and two usage alerts' (one undeliverable).
    assert report.assistant[JAN].notices == q.NoticeFigures(generated=5, delivered=3, not_delivered=2,
                                                            led_to_payment=1)
    assert report.assistant[FEB].notices == q.NoticeFigures(2, 2, 0, 0)
    assert report.assistant[q.ALL].notices == q.NoticeFigures(7, 5, 2, 1)


def test_scam_checks_by_verdict_and_by_pattern_per_month(report):
    assert report.scams[JAN] == q.ScamFigures(3, 2, 1, 0) and report.scams[FEB] == q.ScamFigures(0, 0, 0, 0)
    assert report.scams[MAR] == q.ScamFigures(1, 1, 0, 1) and report.scams[q.ALL].could_not_check == 0  # not April
    assert report.scam_patterns == {"cut_within_hours": {JAN: 1, MAR: 1, q.ALL: 2},
                                    "lookalike_other_ending": {JAN: 1, q.ALL: 1}}
    text = markdown(document(report), lambda name: f"{name}.png")
    assert "| Dọa cắt điện trong vài giờ | 1 | 0 | 1 | 2 |" in text and "Tên miền giả: khác đuôi" in text


def test_restoration_times_per_month_and_per_cause(report):
    assert report.restorations[JAN] == q.Spread(2, 2.0, 6.0) and report.restorations[FEB] == q.Spread(1, 1.0, 1.0)
    assert report.restorations[MAR].count == 0, "restored in April: not in the range"
    assert report.restorations[q.ALL] == q.Spread(3, 2.0, 6.0)
    assert report.restorations_by_cause == {"tree": q.Spread(2, 2.0, 6.0), "unknown": q.Spread(1, 1.0, 1.0)}
    text = markdown(document(report), lambda name: f"{name}.png")
    assert "Cây đổ, vật lạ vướng đường dây" in text and "Chưa ghi nguyên nhân" in text and "6,0 giờ" in text


def test_ratings_per_month_topic_and_channel_with_the_containment_of_rated_conversations(report):
    assert report.ratings[JAN] == q.RatingFigures(asked=4, rated=3, score_total=11, satisfied=2, low=1, callbacks=1,
                                                  rated_contained=1, contained_score_total=4)
    assert report.ratings[FEB] == q.RatingFigures(2, 2, 4, 0, 1, 0, 2, 4)
    assert report.ratings[MAR] == q.NO_RATINGS, "asked in April: not in the range"
    whole = report.ratings[q.ALL]
    assert (whole.asked, whole.rated, whole.average, whole.rated_contained) == (6, 5, 3.0, 3)
    assert report.ratings_by_topic["request"][q.ALL] == q.RatingFigures(3, 3, 9, 1, 1, 1, 2, 7)
    assert report.ratings_by_topic["handoff"][JAN].rated_contained == 0  # a person took part, by definition
    assert report.ratings_by_channel["socketio"][q.ALL].score_total == 10
    assert report.ratings_by_channel["facebook"][FEB].average == 1.0
    text = markdown(document(report), lambda name: f"{name}.png")
    assert "Mức độ hài lòng của khách hàng" in text and "Yêu cầu dịch vụ đã gửi" in text
    assert "Trợ lý ảo trên website" in text and "| 01/2026 | 4 | 3 | 75,00 % | 3,67 / 5 |" in text
    assert "| Trợ lý ảo trên website | 3,50 / 5 (2 lượt) | 3,00 / 5 (1 lượt) | — | 3,33 / 5 (3 lượt) |" in text


def test_the_documents_say_what_a_month_without_data_is(report):
    doc = document(report)
    text = markdown(doc, lambda name: f"{name}.png")
    assert "| 03/2026 | không có dữ liệu |" in text  # no payment in March
    assert "50,00 %" in text and "170.000 đ" in text and "Cả kỳ" in text
    page = html_page(doc, lambda name: f"{name}.png")
    assert page.count("<table>") >= 9 and "Định nghĩa" in page
    assert EMPTY_MONTH in page


def test_an_empty_range_renders_without_dividing_by_zero(rasa_tracker_urls, tmp_path: Path):
    business, tracker = rasa_tracker_urls
    engine, tracker_engine = make_engine(business), make_engine(tracker)
    empty = build(engine, MonthRange.parse("2031-01", "2031-02"), tracker_engine)
    engine.dispose()
    tracker_engine.dispose()
    assert empty.empty and all(m.customer_share is None for m in empty.payments.values())
    assert "Không có dữ liệu trong kỳ này." in markdown(document(empty), str)
    assert all(png.startswith(b"\x89PNG") for png in charts(empty).values())


def test_the_command_writes_markdown_html_and_charts(rasa_tracker_urls, tmp_path: Path, capsys):
    business, tracker = rasa_tracker_urls
    assert report_main(["--from", "2026-01", "--to", "2026-03", "--out", str(tmp_path), "--database-url", business,
                        "--tracker-store-url", tracker]) == 0
    names = sorted(path.name for path in tmp_path.iterdir())
    assert names == [f"van-hanh-2026-01-2026-03{suffix}" for suffix in (
        "-assistant.png", "-cashless.png", "-channels.png", "-intake.png", ".html", ".md")]
    assert "(van-hanh-2026-01-2026-03-cashless.png)" in (tmp_path / "van-hanh-2026-01-2026-03.md").read_text()
    with pytest.raises(SystemExit):
        report_main(["--from", "2026-13", "--to", "2026-03", "--out", str(tmp_path), "--database-url", business])
    assert "not a month like 2026-01" in capsys.readouterr().err


def test_an_unreadable_tracker_store_leaves_the_business_figures_and_says_so(rasa_tracker_urls, tmp_path):
    business, _ = rasa_tracker_urls
    engine, unreadable = make_engine(business), make_engine(f"sqlite:///{tmp_path / 'no-events.sqlite3'}")
    built = build(engine, RANGE, unreadable)
    assert built.tracker_unreadable and not built.tracker_store
    assert built.payments[JAN].payers == 2 and built.assistant[JAN].conversations is None
    assistant = next(section for section in document(built).sections if section.key == "assistant")
    assert assistant.note.startswith("Không đọc được kho hội thoại của Rasa")
