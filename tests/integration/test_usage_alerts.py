"""Usage alerts on a freshly seeded database, SQLite and PostgreSQL (evn.services.usage_alerts): set, listed,
cancelled by a verified customer; the scan after a daily load crosses each level once and only once, and the
notice says the period as read when it is delivered."""
from __future__ import annotations

import uuid
from datetime import date, datetime

import pytest
from sqlalchemy import select

from evn.adapters import orm
from evn.adapters.unit_of_work import Factory
from evn.domain.notices import NoticeKind
from evn.domain.usage_alerts import AlertKind, AlertLevel
from evn.services.billing import BillingService
from evn.services.errors import NotVerified
from evn.services.identity import IdentityService
from evn.services.notices.content import PendingNotice, notice_content
from evn.services.usage import ChartSigning, UsageService
from evn.services.usage_alerts import UsageAlertService

AN = ("PE01000000001", "0901234567")
TODAY = date(2026, 11, 21)
NOW = datetime(2026, 11, 21, 3)  # 10:00 in Vietnam


def kwh(value: int) -> AlertLevel:
    return AlertLevel(AlertKind.KWH, value)


def amount(value: int) -> AlertLevel:
    return AlertLevel(AlertKind.AMOUNT, value)


@pytest.fixture
def alerts(fresh_sessions):
    uow = Factory(fresh_sessions)
    identity = IdentityService(uow)
    billing = BillingService(uow, identity, today=lambda: TODAY)
    usage = UsageService(uow, billing, ChartSigning("s", "http://x"), today=lambda: TODAY, clock=lambda: NOW)
    service = UsageAlertService(uow, billing, usage, clock=lambda: NOW)
    chat = f"facebook-{uuid.uuid4().int % 10**15}"
    assert identity.verify(*AN, chat).status == "verified"
    return service, chat, fresh_sessions


def notices(sessions) -> list[orm.Notice]:
    with sessions() as session:
        return list(session.execute(select(orm.Notice).where(orm.Notice.kind == NoticeKind.USAGE_ALERT.value)
                                    .order_by(orm.Notice.subject)).scalars())


def test_set_list_and_cancel_with_where_the_period_stands(alerts):
    service, chat, _ = alerts
    added = service.set(chat, AN[0], kwh(300))
    assert added.outcome == "added" and added.reaches_this_chat
    standing = added.standing
    assert standing is not None and standing.threshold_kwh == 300
    view = standing.view
    assert view.forecast is not None and view.so_far.read_to == date(2026, 11, 20)
    assert standing.heading_over == (view.forecast.kwh > 300) and standing.over_now == (view.so_far.kwh > 300)
    assert service.set(chat, AN[0], kwh(300)).outcome == "already"
    service.set(chat, AN[0], amount(1_000_000))
    assert service.alerts(chat, AN[0]) == [kwh(300), amount(1_000_000)]
    assert service.cancel(chat, AN[0], kwh(300)) == [kwh(300)]
    assert service.cancel(chat, AN[0], kwh(300)) == []
    assert service.alerts(chat, AN[0]) == [amount(1_000_000)]
    assert service.cancel(chat, AN[0]) == [amount(1_000_000)] and service.alerts(chat, AN[0]) == []


def test_levels_that_make_no_sense_too_many_and_an_unverified_chat_are_refused(alerts):
    service, chat, _ = alerts
    with pytest.raises(ValueError):
        service.set(chat, AN[0], kwh(0))
    for value in range(100, 1100, 100):
        assert service.set(chat, AN[0], kwh(value)).outcome == "added"
    assert service.set(chat, AN[0], kwh(1100)).outcome == "too_many"
    with pytest.raises(NotVerified):
        service.set("facebook-999", AN[0], kwh(300))


def test_the_scan_crosses_each_level_once_and_only_once(alerts):
    service, chat, sessions = alerts
    forecast = service.set(chat, AN[0], kwh(100)).standing.view.forecast
    assert forecast is not None and forecast.kwh > 250  # the seed's 11/2026 heads for its bill, 332 kWh
    service.set(chat, AN[0], kwh(forecast.kwh + 50))  # not reached
    service.set(chat, AN[0], amount(forecast.bill.total - 1_000))  # reached: the forecast's bill is above it
    service.set(chat, AN[0], AlertLevel(AlertKind.PERCENT, 200))  # three times the 350 kWh of 10/2026: not reached
    first = service.scan(TODAY)
    assert (first.checked, first.crossed, first.notices) == (4, 2, 2)
    sent = notices(sessions)
    assert [n.subject for n in sent] == [f"{AN[0]}:amount:{forecast.bill.total - 1_000}:202611",
                                        f"{AN[0]}:kwh:100:202611"]
    assert {(n.channel, n.conversation_id, n.customer_code) for n in sent} == {("facebook", chat, AN[0])}
    again = service.scan(TODAY)
    assert (again.crossed, again.notices) == (2, 0) and len(notices(sessions)) == 2
    service.cancel(chat, AN[0], kwh(100))
    service.set(chat, AN[0], kwh(100))  # set again in the same period: told already
    assert service.scan(TODAY).notices == 0


def test_the_notice_says_the_period_as_read_and_is_overtaken_once_the_alert_is_cancelled(alerts):
    service, chat, sessions = alerts
    view = service.set(chat, AN[0], kwh(100)).standing.view
    service.scan(TODAY)
    (row,) = notices(sessions)
    pending = PendingNotice(row.id, NoticeKind.USAGE_ALERT, row.subject, row.channel, row.channel_user,
                            row.conversation_id, row.customer_code, 0)
    with Factory(sessions)() as uow:
        content = notice_content(uow, pending, [], NOW)
    assert content is not None and content.phone == AN[1]
    assert content.facts == {
        "customer_code": AN[0], "period": "11/2026", "level_kind": "kwh", "level_value": "100",
        "kwh_so_far": f"{view.so_far.kwh} kWh", "read_to": "20/11/2026", "forecast_kwh": f"{view.forecast.kwh} kWh",
        "forecast_total": f"{view.forecast.bill.total:,} đ".replace(",", "."), "period_end": "30/11/2026"}
    service.cancel(chat, AN[0])
    with Factory(sessions)() as uow:
        assert notice_content(uow, pending, [], NOW) is None


def test_a_rest_chat_sets_an_alert_that_goes_to_linked_chats_only(alerts):
    service, _, sessions = alerts
    rest = f"rest-{uuid.uuid4().hex[:8]}"
    IdentityService(Factory(sessions)).verify(*AN, rest)
    assert not service.set(rest, AN[0], kwh(100)).reaches_this_chat
    report = service.scan(TODAY)
    assert (report.crossed, report.notices) == (1, 0)  # nobody linked, and a REST chat cannot be written to
