"""The platforms' rules for notices, and quiet hours in Vietnam time (evn.domain.notices)."""
from datetime import datetime, timedelta

import pytest

from evn.domain.notices import NoticeKind, QuietHours, Route, parse_templates, route_for

NOW = datetime(2026, 12, 1, 3, 0)  # 10:00 in Vietnam
ZNS = {"bill_issued": "401"}
UTILITY = {"bill_issued": "evn_bill_issued"}


@pytest.mark.parametrize(("channel", "hours_ago", "kind", "route", "template"), [
    ("zalo", 47.9, NoticeKind.BILL_ISSUED, Route.CHAT, ""),
    ("zalo", 48.1, NoticeKind.BILL_ISSUED, Route.ZNS, "401"),
    ("zalo", None, NoticeKind.BILL_ISSUED, Route.ZNS, "401"),  # no known message: long ago
    ("zalo", 49, NoticeKind.BILL_DUE, None, ""),  # no template for the kind
    ("facebook", 23.9, NoticeKind.BILL_DUE, Route.CHAT, ""),
    ("facebook", 24.1, NoticeKind.BILL_ISSUED, Route.UTILITY, "evn_bill_issued"),
    ("facebook", 24.1, NoticeKind.OUTAGE_PLANNED, None, ""),  # never a tag outside its purpose
    ("socketio", None, NoticeKind.BILL_ISSUED, Route.CHAT, ""),
    ("rest", 1, NoticeKind.BILL_ISSUED, None, ""),
])
def test_routes_by_platform_and_window(channel, hours_ago, kind, route, template):
    last = None if hours_ago is None else NOW - timedelta(hours=hours_ago)
    decision = route_for(channel, kind, last, NOW, ZNS, UTILITY)
    assert (decision.route, decision.template) == (route, template)
    assert bool(decision.reason) == (route is None)


@pytest.mark.parametrize(("local", "held_until_local"), [
    ("2026-12-01T20:59", None),
    ("2026-12-01T21:00", "2026-12-02T07:00"),
    ("2026-12-01T23:30", "2026-12-02T07:00"),
    ("2026-12-02T00:10", "2026-12-02T07:00"),
    ("2026-12-02T06:59", "2026-12-02T07:00"),
    ("2026-12-02T07:00", None),
])
def test_quiet_hours_cross_midnight_in_vietnam_time(local, held_until_local):
    quiet = QuietHours.parse("21:00-07:00")
    now = datetime.fromisoformat(local) - timedelta(hours=7)
    expected = None if held_until_local is None else datetime.fromisoformat(held_until_local) - timedelta(hours=7)
    assert quiet.held_until(NoticeKind.BILL_ISSUED, now) == expected
    assert quiet.held_until(NoticeKind.OUTAGE_PLANNED, now) is None, "outage warnings are never held"


def test_quiet_hours_settings():
    assert QuietHours.parse("").held_until(NoticeKind.BILL_DUE, NOW + timedelta(hours=13)) is None
    daytime = QuietHours.parse("12:00-13:30")
    assert daytime.held_until(NoticeKind.BILL_DUE, datetime(2026, 12, 1, 5, 15)) == datetime(2026, 12, 1, 6, 30)
    for bad in ("21-07", "25:00-07:00", "07:00-07:00", "abc"):
        with pytest.raises(ValueError):
            QuietHours.parse(bad)


def test_templates_per_kind():
    assert parse_templates(" bill_issued=401, outage_planned = 402 ") == {"bill_issued": "401",
                                                                          "outage_planned": "402"}
    assert parse_templates("") == {}
    for bad in ("bill=1", "bill_issued=", "bill_issued"):
        with pytest.raises(ValueError):
            parse_templates(bad)


def test_errors_are_stored_without_the_tokens_of_their_urls():
    from evn.services.outbox import error_text

    error = ConnectionError("Max retries exceeded with url: /me/messages?access_token=SECRET123 (Caused by x)")
    assert "SECRET123" not in error_text(error) and error_text(error).startswith("ConnectionError: ")
    assert len(error_text(RuntimeError("x" * 1000))) == 300
