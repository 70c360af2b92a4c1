from datetime import date, datetime

import pytest

from evn.domain.agent_hours import agents_back_at


@pytest.mark.parametrize(("now", "back"), [
    (datetime(2026, 12, 1, 10, 0), None),  # Tuesday morning: at work
    (datetime(2026, 12, 1, 16, 59), None),
    (datetime(2026, 12, 1, 17, 0), datetime(2026, 12, 2, 7, 30)),  # Tuesday evening: Wednesday morning
    (datetime(2026, 12, 1, 20, 0), datetime(2026, 12, 2, 7, 30)),
    (datetime(2026, 12, 2, 6, 15), datetime(2026, 12, 2, 7, 30)),  # before opening: the same morning
    (datetime(2026, 12, 5, 18, 0), datetime(2026, 12, 7, 7, 30)),  # Saturday evening: Monday
    (datetime(2026, 12, 6, 11, 0), datetime(2026, 12, 7, 7, 30)),  # Sunday
])
def test_when_agents_are_back(now, back):
    assert agents_back_at(now) == back


def test_public_holidays_are_skipped():
    new_year = {date(2027, 1, 1)}
    assert agents_back_at(datetime(2026, 12, 31, 20, 0), new_year) == datetime(2027, 1, 2, 7, 30)
    assert agents_back_at(datetime(2027, 1, 1, 10, 0), new_year) == datetime(2027, 1, 2, 7, 30)
