"""The console's login limits as pure rules (evn.domain.login_limits); the service's use of them is in
tests/integration/test_agents.py and tests/integration/test_agent_login_http.py."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from evn.adapters.passwords import Argon2Passwords
from evn.domain import login_limits as limits
from evn.domain.login_limits import Counter

T0 = datetime(2026, 11, 28, 3, 0)


class Counters:
    """The three counters of one (name, source) and the name's and source's shared ones, as the service keeps them."""

    def __init__(self) -> None:
        self.names: dict[str, Counter] = {}
        self.sources: dict[str, Counter] = {}
        self.pairs: dict[tuple[str, str], Counter] = {}

    def attempt(self, name: str, source: str, now: datetime, right: bool = False) -> limits.Decision:
        counters = (self.names.get(name, Counter()), self.sources.get(source, Counter()),
                    self.pairs.get((name, source), Counter()))
        decision = limits.decide(*counters, now)
        if decision.admitted:
            counted = limits.counted(*counters, now)
            if right:
                counted = limits.succeeded(counted[0], counted[1], now)
            self.names[name], self.sources[source], self.pairs[(name, source)] = counted
        return decision


def test_a_pair_gets_five_checks_then_waits_longer_after_each_further_failure():
    counters = Counters()
    assert all(counters.attempt("lan", "a", T0).admitted for _ in range(limits.PAIR_ALLOWANCE))
    refused = counters.attempt("lan", "a", T0 + timedelta(minutes=3))
    assert (refused.retry_at, refused.limit) == (T0 + timedelta(minutes=15), limits.PAIR)
    assert counters.attempt("lan", "b", T0, right=True).admitted, "another source is not concerned"
    assert counters.attempt("lan", "a", T0 + timedelta(minutes=15)).admitted
    assert counters.attempt("lan", "a", T0 + timedelta(minutes=44)).retry_at == T0 + timedelta(minutes=45)
    assert counters.attempt("lan", "a", T0 + timedelta(minutes=45)).admitted
    assert counters.attempt("lan", "a", T0 + timedelta(minutes=46)).retry_at == T0 + timedelta(minutes=105)


def test_a_pair_never_waits_more_than_a_day_and_is_forgotten_a_day_after_its_last_failure():
    assert limits.pair_wait(4) == timedelta(0)
    assert [limits.pair_wait(n) for n in (5, 6, 7)] == [timedelta(minutes=m) for m in (15, 30, 60)]
    assert limits.pair_wait(12) == limits.pair_wait(500) == limits.PAIR_LONGEST_WAIT
    pair = Counter(failures=40, last_failure_at=T0)
    assert limits.pair_failures(pair, T0 + limits.MEMORY - timedelta(seconds=1)) == 40
    assert limits.pair_failures(pair, T0 + limits.MEMORY) == 0
    assert limits.decide(Counter(), Counter(), pair, T0 + limits.MEMORY).admitted


def test_a_right_password_clears_its_pair_and_gives_its_source_back_its_count():
    counters = Counters()
    for _ in range(4):
        counters.attempt("lan", "office", T0)
    counters.attempt("lan", "office", T0, right=True)
    assert counters.pairs[("lan", "office")] == Counter()
    assert counters.sources["office"].paced_until == T0 + 4 * limits.SOURCE_SPACING
    assert all(counters.attempt("lan", "office", T0).admitted for _ in range(limits.PAIR_ALLOWANCE))


def test_the_name_ceiling_slows_sources_that_failed_and_never_one_that_did_not():
    counters = Counters()
    for source in range(limits.NAME_BURST // 4):
        for _ in range(4):
            assert counters.attempt("lan", f"bot-{source}", T0).admitted
    slowed = counters.attempt("lan", "bot-0", T0)
    assert (slowed.retry_at, slowed.limit) == (T0 + limits.NAME_SPACING, limits.NAME)
    assert counters.attempt("lan", "desk", T0, right=True).admitted, "the agent's own desk: checked at once"
    for fresh in range(50):  # however many sources without failures fail too
        assert counters.attempt("lan", f"fresh-{fresh}", T0).admitted
    assert counters.attempt("lan", "bot-1", T0).retry_at == T0 + limits.NAME_SPACING, "a slot away, never more"
    assert counters.attempt("lan", "bot-1", T0 + limits.NAME_SPACING).admitted
    assert counters.attempt("lan", "bot-2", T0 + limits.NAME_SPACING).retry_at == T0 + 2 * limits.NAME_SPACING


def test_a_source_trying_many_names_is_slowed_to_one_a_minute():
    counters = Counters()
    assert all(counters.attempt(f"name-{n}", "spray", T0).admitted for n in range(limits.SOURCE_BURST))
    refused = counters.attempt("another", "spray", T0)
    assert (refused.retry_at, refused.limit) == (T0 + limits.SOURCE_SPACING, limits.SOURCE)
    assert counters.attempt("another", "spray", T0 + limits.SOURCE_SPACING).admitted
    assert not counters.attempt("third", "spray", T0 + limits.SOURCE_SPACING).admitted
    assert counters.attempt("third", "elsewhere", T0).admitted


@pytest.mark.parametrize("address, source", [
    ("203.0.113.7", "203.0.113.7"),
    ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
    ("2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"),
    ("::ffff:203.0.113.7", "203.0.113.7"),
    ("", ""),
])
def test_a_source_is_the_address_and_an_ipv6_one_its_64(address, source):
    assert limits.source_of(address) == source


def test_an_unknown_name_costs_a_full_check_against_a_dummy_hash():
    checked: list[str] = []

    class Counting(Argon2Passwords):
        def __init__(self) -> None:
            super().__init__()
            real = self.hasher.verify

            def verify(stored: str, password: str) -> bool:
                checked.append(stored)
                return real(stored, password)

            self.hasher = type("Hasher", (), {"verify": staticmethod(verify)})()

    passwords = Counting()
    assert passwords.verify(None, "not-a-password-of-anyone") is False, "even the dummy's own password"
    assert checked == [passwords.dummy] and checked[0].startswith("$argon2id$")
