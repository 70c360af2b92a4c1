"""How often the console's passwords may be tried, without a lock that an outsider can hold.

An attempt is counted (as a failure) before its password is checked, under the lock of
the counters' rows, so racing attempts can never check more passwords than these numbers
allow; a right password then clears its pair and gives its source the count back. A
refused attempt is checked against nothing and counts nowhere: refusals cannot extend a
refusal. Three counters:

- Per (user name, source): PAIR_ALLOWANCE = 5 failed checks, then that pair is refused
  for PAIR_FIRST_WAIT = 15 minutes, the wait doubling with each further failure it makes
  once a wait is over (30 min, 1 h, 2 h … at most PAIR_LONGEST_WAIT = 24 h). A right
  password from the pair clears it; MEMORY = 24 h after its last failure it starts again
  from zero. This is the only counter that refuses for long, and only the attacker's own
  pair: the agent at another address is not affected.
- Per user name, across sources: NAME_BURST = 20 failed checks, then one check every
  NAME_SPACING = 30 s for the sources that have already failed on that name (a slowing
  ceiling, never a lock: each check owes 30 s, repaid as time passes). A source with no
  failure on the name (the agent's own desk) is checked at once, however many others
  fail; its checks still count, and never make the others wait more than 30 s. Within
  reason: many addresses that have failed share those slots, and an agent who mistyped
  may have to wait for one; an attacker with many addresses gets, beyond the slots, one
  check per address that has not failed on the name yet.
- Per source, across names (a spray of names, unknown names included): SOURCE_BURST = 30
  failed checks, then one every SOURCE_SPACING = 1 minute. It slows whoever shares the
  address (an office behind one NAT), so it is the highest: a right password gives back
  its count.

The source is the client's address as read through the trusted proxies
(evn.domain.sources.client_address), an IPv6 address by its /64.
"""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

NAME, SOURCE, PAIR = "name", "source", "pair"  # the kinds of counter (agent_login_limits.kind)

PAIR_ALLOWANCE = 5
PAIR_FIRST_WAIT = timedelta(minutes=15)
PAIR_LONGEST_WAIT = timedelta(hours=24)
MEMORY = timedelta(hours=24)  # a pair without failure this long starts from zero; older counters are purged
NAME_BURST, NAME_SPACING = 20, timedelta(seconds=30)
SOURCE_BURST, SOURCE_SPACING = 30, timedelta(minutes=1)


@dataclass(frozen=True)
class Counter:
    """One counter's state: a pair's failures since its last success, or a paced counter's debt."""

    failures: int = 0
    last_failure_at: datetime | None = None
    paced_until: datetime | None = None  # name, source: when every counted failure is repaid


@dataclass(frozen=True)
class Decision:
    """Refused until `retry_at` by the `limit` that is last to allow it; admitted when `retry_at` is None."""

    retry_at: datetime | None = None
    limit: str = ""

    @property
    def admitted(self) -> bool:
        return self.retry_at is None


def source_of(address: str | None) -> str:
    """The counters' key for a client address: itself, an IPv6 address by its /64 (one client holds one)."""
    try:
        parsed = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return (address or "").strip()[:64]
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def pair_failures(pair: Counter, now: datetime) -> int:
    """The pair's failures that still count (none MEMORY after the last)."""
    if pair.last_failure_at is None or now - pair.last_failure_at >= MEMORY:
        return 0
    return pair.failures


def pair_wait(failures: int) -> timedelta:
    """How long a pair with this many failures waits after its last one (nothing below the allowance)."""
    if failures < PAIR_ALLOWANCE:
        return timedelta(0)
    return min(PAIR_FIRST_WAIT * 2 ** min(failures - PAIR_ALLOWANCE, 16), PAIR_LONGEST_WAIT)


def _paced_retry(counter: Counter, burst: int, spacing: timedelta, now: datetime) -> datetime | None:
    """When a paced counter takes one more failure (None: now). GCRA: `burst` at once, then one per `spacing`."""
    if counter.paced_until is None:
        return None
    may_from = counter.paced_until - spacing * (burst - 1)
    return may_from if may_from > now else None


def decide(name: Counter, source: Counter, pair: Counter, now: datetime) -> Decision:
    """Whether this attempt's password may be checked now."""
    refusals: list[tuple[datetime, str]] = []
    failures = pair_failures(pair, now)
    if failures >= PAIR_ALLOWANCE and pair.last_failure_at is not None:
        waited = pair.last_failure_at + pair_wait(failures)
        if waited > now:
            refusals.append((waited, PAIR))
    if failures and (paced := _paced_retry(name, NAME_BURST, NAME_SPACING, now)) is not None:
        refusals.append((paced, NAME))  # a source without failures on the name is never slowed by it
    if (spaced := _paced_retry(source, SOURCE_BURST, SOURCE_SPACING, now)) is not None:
        refusals.append((spaced, SOURCE))
    if not refusals:
        return Decision()
    retry_at, limit = max(refusals)
    return Decision(retry_at, limit)


def _owe(counter: Counter, spacing: timedelta, burst: int, now: datetime) -> Counter:
    """One more failure on a paced counter; its debt never exceeds a full burst (others wait at most `spacing`)."""
    start = max(counter.paced_until or now, now)
    return replace(counter, paced_until=min(start + spacing, now + spacing * burst), last_failure_at=now)


def counted(name: Counter, source: Counter, pair: Counter, now: datetime) -> tuple[Counter, Counter, Counter]:
    """The counters once an admitted attempt is counted as a failure (before its password is checked)."""
    return (
        _owe(name, NAME_SPACING, NAME_BURST, now),
        _owe(source, SOURCE_SPACING, SOURCE_BURST, now),
        Counter(failures=pair_failures(pair, now) + 1, last_failure_at=now),
    )


def succeeded(name: Counter, source: Counter, now: datetime) -> tuple[Counter, Counter, Counter]:
    """The counters once the password proved right: the source's count given back (an office of agents
    behind one address logs in all morning), the pair cleared. The name's pace keeps it: it slows only
    sources that have failed, and giving back what a source without failures may not have added would
    open the name's next slot to them."""
    repaid = source if source.paced_until is None else replace(
        source, paced_until=max(source.paced_until - SOURCE_SPACING, now))
    return name, repaid, Counter()
