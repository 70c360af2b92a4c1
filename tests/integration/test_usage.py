"""Use as it happens (evn.services.usage) on the seeded database, SQLite and PostgreSQL: the figures are read
back from the daily registers the seed wrote, so they are checked against the rows, not against themselves."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from evn.adapters import orm
from evn.adapters.unit_of_work import Factory
from evn.demo.billing_run import consumption
from evn.domain.periods import Period
from evn.domain.signing.chart_links import ChartKind
from evn.services.billing import BillingService
from evn.services.errors import NotVerified
from evn.services.identity import IdentityService
from evn.services.usage import CHART_HOURS, ChartSigning, DaysChart, PeriodsChart, UsageService

AN = ("PE01000000001", "0901234567")


def usage(sessions, today: date) -> tuple[UsageService, str]:
    identity = IdentityService(Factory(sessions))
    chat = f"rest-usage-{uuid.uuid4().hex[:8]}"
    identity.verify(AN[0], AN[1], chat)
    billing = BillingService(Factory(sessions), identity)
    return UsageService(Factory(sessions), billing, ChartSigning("s", "http://x"), today=lambda: today), chat


def register(sessions, day: date, customer: str = AN[0]) -> int:
    with sessions() as session:
        return session.execute(
            select(orm.DailyReading.register).join(orm.Meter, orm.Meter.id == orm.DailyReading.meter_id)
            .join(orm.Customer, orm.Customer.id == orm.Meter.customer_id)
            .where(orm.Customer.code == customer, orm.DailyReading.read_on == day)).scalar_one()


def test_mid_period_the_days_read_to_yesterday_their_forecast_and_the_same_days_of_the_period_before(sessions):
    service, chat = usage(sessions, date(2026, 11, 21))
    view = service.so_far(chat, AN[0])
    assert view is not None and view.period == Period(2026, 11) and not view.billed
    so_far = view.so_far
    assert (so_far.read_to, so_far.days, so_far.days_left) == (date(2026, 11, 20), 20, 10)
    assert so_far.kwh == register(sessions, date(2026, 11, 20)) - register(sessions, date(2026, 10, 31))
    assert view.previous_same_days == register(sessions, date(2026, 10, 20)) - register(sessions, date(2026, 9, 30))
    assert so_far.top and all(day.day <= date(2026, 11, 20) for day in so_far.top)
    forecast = view.forecast
    assert forecast is not None and forecast.low_kwh <= forecast.kwh <= forecast.high_kwh
    assert forecast.kwh > so_far.kwh and forecast.bill.total > 0


def test_on_a_periods_first_day_the_period_before_is_shown_read_in_full_as_the_billing_run_will_bill_it(sessions):
    service, chat = usage(sessions, date(2026, 12, 1))
    view = service.so_far(chat, AN[0])
    assert view is not None and view.period == Period(2026, 11) and not view.billed
    assert (view.so_far.read_to, view.so_far.days_left) == (date(2026, 11, 30), 0)
    assert view.so_far.kwh == consumption(AN[0], Period(2026, 11), 350, 10)
    assert view.forecast is not None and view.forecast.kwh == view.so_far.kwh


def test_a_customer_whose_meter_is_not_read_every_day_has_no_daily_view_and_an_unverified_chat_none_at_all(sessions):
    with sessions() as session:
        code = session.execute(
            select(orm.Customer.code).where(~select(orm.DailyReading.meter_id).join(
                orm.Meter, orm.Meter.id == orm.DailyReading.meter_id)
                .where(orm.Meter.customer_id == orm.Customer.id).exists()).order_by(orm.Customer.id)).scalars().first()
        phone = session.execute(select(orm.Customer.phone).where(orm.Customer.code == code)).scalar_one()
    service, _ = usage(sessions, date(2026, 11, 21))
    chat = f"rest-usage-{uuid.uuid4().hex[:8]}"
    IdentityService(Factory(sessions)).verify(code, phone, chat)
    assert service.so_far(chat, code) is None
    with pytest.raises(NotVerified):
        service.so_far("rest-someone-else", AN[0])


SECRET = "usage-chart-test-secret"


def charts(sessions, now: datetime) -> tuple[UsageService, str]:
    identity = IdentityService(Factory(sessions))
    chat = f"rest-usage-{uuid.uuid4().hex[:8]}"
    identity.verify(AN[0], AN[1], chat)
    service = UsageService(Factory(sessions), BillingService(Factory(sessions), identity),
                           ChartSigning(SECRET, "https://cskh.example"), today=lambda: now.date(), clock=lambda: now)
    return service, chat


def test_a_days_chart_link_shows_the_days_read_and_the_same_days_of_the_period_before(sessions):
    now = datetime(2026, 11, 21, 3, tzinfo=timezone.utc)
    service, chat = charts(sessions, now)
    url = service.chart_link(chat, AN[0], ChartKind.DAYS, Period(2026, 11))
    assert url.startswith("https://cskh.example/charts/") and url.endswith(".png") and AN[0] not in url
    chart = service.chart(url.rsplit("/", 1)[1].removesuffix(".png"))
    assert isinstance(chart, DaysChart) and chart.period == Period(2026, 11)
    assert [use.day for use in chart.uses] == [date(2026, 11, day) for day in range(1, 21)]
    known = [use.kwh for use in chart.uses if use.kwh is not None]
    assert sum(known) <= register(sessions, date(2026, 11, 20)) - register(sessions, date(2026, 10, 31))
    assert len(chart.previous) == 20
    if all(kwh is not None for kwh in chart.previous):
        assert sum(chart.previous) == register(sessions, date(2026, 10, 20)) - register(sessions, date(2026, 9, 30))


def test_a_periods_chart_has_the_bills_and_the_running_periods_forecast(sessions):
    now = datetime(2026, 11, 21, 3, tzinfo=timezone.utc)
    service, chat = charts(sessions, now)
    token = service.chart_link(chat, AN[0], ChartKind.PERIODS, Period(2026, 11)).rsplit("/", 1)[1][:-4]
    chart = service.chart(token)
    assert isinstance(chart, PeriodsChart)
    assert len(chart.kwh) == 11 and chart.kwh[-1][0] == Period(2026, 10)
    with sessions() as session:
        billed = session.execute(select(orm.Bill.kwh).join(orm.Customer).where(
            orm.Customer.code == AN[0], orm.Bill.period == 202610)).scalar_one()
    assert chart.kwh[-1][1] == billed
    view = service.so_far(chat, AN[0])
    assert view is not None and view.forecast is not None and chart.forecast == (Period(2026, 11), view.forecast.kwh)


def test_a_chart_link_is_refused_altered_expired_or_for_an_unverified_chat(sessions):
    now = datetime(2026, 11, 21, 3, tzinfo=timezone.utc)
    service, chat = charts(sessions, now)
    token = service.chart_link(chat, AN[0], ChartKind.DAYS, Period(2026, 11)).rsplit("/", 1)[1][:-4]
    value, mac = token.split(".")
    kind, customer, period, expires = value.split("-")
    assert service.chart(f"{kind}-{int(customer) + 1}-{period}-{expires}.{mac}") == "forged"
    assert service.chart(f"{kind}-{customer}-{period}-{int(expires) + 3600}.{mac}") == "forged"
    assert service.chart(token + "x") == "forged" and service.chart("") == "forged"
    later, _ = charts(sessions, now + timedelta(hours=CHART_HOURS))
    assert later.chart(token) == "expired"
    with pytest.raises(NotVerified):
        service.chart_link("rest-someone-else", AN[0], ChartKind.DAYS, Period(2026, 11))


def test_a_rise_is_explained_by_the_weeks_of_the_daily_readings(sessions):
    service, chat = usage(sessions, date(2026, 11, 21))
    found = service.billing.explain_increase(chat, AN[0], "tháng 10/2026")
    assert found is not None and found.previous is not None and found.previous.period == Period(2026, 9)
    weeks = {week.first: week for week in found.weeks}
    assert weeks and all(week.last <= date(2026, 10, 31) for week in found.weeks)
    first = weeks[date(2026, 10, 1)]
    assert first.last == date(2026, 10, 7)
    assert first.kwh == register(sessions, date(2026, 10, 7)) - register(sessions, date(2026, 9, 30))
    assert first.before == register(sessions, date(2026, 9, 7)) - register(sessions, date(2026, 8, 31))
    assert found.last_year is None  # the demo's bills begin at 11/2025


def test_a_new_bill_30_percent_above_the_period_before_carries_why_in_its_notice(sessions):
    from evn.domain.notices import NoticeKind
    from evn.services.notices.content import PendingNotice, notice_content

    with sessions() as session:
        bill_id = session.execute(select(orm.Bill.id).join(orm.Customer).where(
            orm.Customer.code == AN[0], orm.Bill.period == 202610)).scalar_one()
    pending = PendingNotice(1, NoticeKind.BILL_ISSUED, str(bill_id), "zalo", "u", "zalo-u", AN[0], 0)
    with Factory(sessions)() as uow:
        content = notice_content(uow, pending, [], datetime(2026, 11, 1, 3))
    assert content is not None
    # 10/2026: 350 kWh against 180 kWh in 09/2026: +94 %.
    assert {k: v for k, v in content.facts.items() if k.startswith("rise_")} == {
        "rise_percent": "94", "rise_kwh": "350 kWh", "rise_period": "09/2026", "rise_against_kwh": "180 kWh",
        "rise_days": "31", "rise_against_days": "30"}
