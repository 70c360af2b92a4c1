"""The consumption question of a period not billed yet, answered from the daily readings (actions/billing.py) on
the seeded SQLite database: on the first day of December (November read in full) and in the middle of November."""
from __future__ import annotations

import uuid

import pytest

from evn.bootstrap import bootstrap
from evn.domain.periods import Period
from evn.domain.signing import chart_links
from evn.settings import Settings
from tests.integration.action_calls import responses, run, texts, tracker, user

CODE, PHONE = "PE01000000001", "0901234567"


@pytest.fixture
def core_at(sqlite_url, tmp_path):
    from actions import runtime

    def at(now: str):
        core = bootstrap(Settings.from_env({"DATABASE_URL": sqlite_url, "PAYMENT_LINK_SECRET": "usage-test-secret",
                                            "DEMO_NOW": now}, root=tmp_path))
        runtime.use(core)
        return core

    yield at
    runtime.use(None)


def ask(core, domain, question: str, period: str):
    from actions.identity import ActionAnswerVerified

    sender = f"t-{uuid.uuid4().hex}"
    assert core.identity.verify(CODE, PHONE, sender).status == "verified"
    entities = [{"entity": "period", "value": period}] if period else []
    messages, _ = run(ActionAnswerVerified(),
                      tracker(sender, [user(question, "ask_consumption", entities)], {"verified_code": CODE}), domain)
    return messages


def test_on_the_first_day_of_a_period_the_one_read_in_full_is_priced_as_its_bill_will_be(core_at, domain):
    core = core_at("2026-12-01T10:00")
    messages = ask(core, domain, "tháng này xài bao nhiêu số rồi", "tháng này")
    assert responses(messages) == ["utter_usage_read_in_full", None]
    assert charted(core, messages) == ("days", Period(2026, 11))
    # The billing run's 11/2026 for this customer: 332 kWh, 914.436 đ (evn.demo.billing_run.consumption).
    for fragment in ("kỳ 11/2026 (01/11/2026–30/11/2026)", "đã ghi đủ 30 ngày", "332 kWh", "914.436 đ", "bậc 5"):
        assert fragment in texts(messages)


def test_in_the_middle_of_a_period_the_days_so_far_and_the_bill_they_head_for(core_at, domain):
    core = core_at("2026-11-21T10:00")
    messages = ask(core, domain, "từ đầu tháng tới giờ xài nhiêu rồi", "tháng này")
    assert responses(messages) == ["utter_usage_so_far", "utter_usage_forecast", None]
    assert charted(core, messages) == ("days", Period(2026, 11))
    view = core.usage.so_far(_verified(core), CODE)
    reply = texts(messages)
    assert view is not None and view.forecast is not None
    for fragment in ("kỳ 11/2026", "đến hết ngày 20/11/2026 (20 ngày)", f"đã dùng {view.so_far.kwh} kWh",
                     "Nếu 10 ngày còn lại", f"khoảng {view.forecast.kwh} kWh", "30/11/2026"):
        assert fragment in reply
    assert "kỳ 10/2026" in reply  # the same 20 days of the period before


def test_a_period_already_billed_is_its_bill_as_before(core_at, domain):
    core = core_at("2026-12-01T10:00")
    messages = ask(core, domain, "tháng 10 xài bao nhiêu", "tháng 10")
    assert responses(messages) == ["utter_bill"] and "350 kWh" in texts(messages)


def test_the_history_of_several_periods_comes_with_the_chart_of_the_last_twelve(core_at, domain):
    core = core_at("2026-11-21T10:00")
    messages = ask(core, domain, "so sánh điện các tháng", "")
    assert responses(messages) == ["utter_consumption", None]
    assert charted(core, messages) == ("periods", Period(2026, 11))


def charted(core, messages) -> tuple[str, Period]:
    """The chart the last message shows, read back from its signed link."""
    url = messages[-1]["image"]
    assert url.startswith("http://localhost:") and "/charts/" in url and url.endswith(".png")
    token = url.rsplit("/", 1)[1].removesuffix(".png")
    ref = chart_links.verify(token, "usage-test-secret")
    assert ref is not None and not isinstance(core.usage.chart(token), str)
    return ref.kind.value, ref.period


def _verified(core) -> str:
    sender = f"t-{uuid.uuid4().hex}"
    assert core.identity.verify(CODE, PHONE, sender).status == "verified"
    return sender
