"""Who the customer is: code and phone formats, and when to stop letting them guess."""
from __future__ import annotations

import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from evn.domain import linear_regex

# Two letters and 11 digits, as printed ("PE01000000001"), in any case; a power company's prefix (P + a
# letter) may stand apart from its digits as customers type it: "pe 01000000001", "PE-01000000001".
CUSTOMER_CODE = linear_regex.compile(r"(?<![A-Za-z0-9])([A-Za-z]{2}|[Pp][A-Za-z][ .\-_])(\d{11})(?![A-Za-z0-9])")
# A Vietnamese phone number inside free text: 0 / 84 / +84, then 8-10 digits, spaces, dots or dashes
# allowed between digits ("+84 90 123 4567", "0901-234-567", "+84 0901234567"); not the digits of a code
# typed apart from its prefix. data/nlu/entities.yml uses the same.
PHONE = linear_regex.compile(r"(?<![\w+])(?<![Pp][A-Za-z][ .\-_])(\+84|84|0)((?:[ .\-]?\d){8,10})(?!\w)")


def find_customer_code(text: str) -> str | None:
    """The first customer code in free text, as printed: upper case, no separator."""
    match = CUSTOMER_CODE.search(text or "")
    return (match.group(1)[:2] + match.group(2)).upper() if match else None


def customer_codes(text: str) -> list[str]:
    """Every customer code in free text, in order, as printed."""
    return [(m.group(1)[:2] + m.group(2)).upper() for m in CUSTOMER_CODE.finditer(text or "")]


def code_of_phone(text: str) -> str | None:
    """The customer code a phone in free text is given for: the last code before the first phone ("mã PE…
    sđt 09…, xem luôn mã PD…" gives PE's phone), or None."""
    phone = next((m for m in PHONE.finditer(text or "") if normalize_phone(m.group(0))), None)
    if phone is None:
        return None
    before = [m for m in CUSTOMER_CODE.finditer(text) if m.end() <= phone.start()]
    return (before[-1].group(1)[:2] + before[-1].group(2)).upper() if before else None


def normalize_phone(text: str) -> str | None:
    """'+84 901.234.567' -> '0901234567': the first Vietnamese number in `text`; None without one.

    Mobile numbers have 10 digits, landlines 11 (02x + 8 digits); "+84 0901…" keeps one 0.
    """
    for match in PHONE.finditer(text or ""):
        digits = linear_regex.sub(r"\D", "", match.group(2))
        if match.group(1) != "0" and digits.startswith("0"):
            digits = digits[1:]
        digits = "0" + digits
        if len(digits) == 10 and digits[1] in "35789":
            return digits
        if len(digits) == 11 and digits[1] == "2":
            return digits
    return None


def phones_match(given: str, registered: str) -> bool:
    """Constant-time comparison so response time does not leak digits."""
    return hmac.compare_digest(given.encode(), registered.encode())


@dataclass(frozen=True)
class AttemptHistory:
    """The misses a lockout decision weighs, as UTC times.

    conversation:   this conversation's misses (any code) since its last success
    address:        misses from this client address (widget, REST), any code
    code:           misses on this customer code, from anywhere
    source_on_code: misses on this code from this conversation or this address
    """

    conversation: Sequence[datetime] = ()
    address: Sequence[datetime] = ()
    code: Sequence[datetime] = ()
    source_on_code: Sequence[datetime] = ()


@dataclass(frozen=True)
class Lock:
    until: datetime
    reason: str  # conversation | address | code


@dataclass(frozen=True)
class LockoutPolicy:
    """Brute force stays infeasible, and nobody can use the lockout to shut an owner out.

    - A source (a conversation, a client address) that misses too often waits.
    - Under attack (many misses on one code), the code is throttled: only sources that
      have not missed on it may try, so its owner, from their own chat, still gets in.
    - A hard ceiling on misses per code and hour bounds even an attacker with unlimited
      fresh sources; reaching it takes dozens of fresh addresses every hour.
    The arithmetic against the phone number space is in docs/privacy-security.md.
    """

    conversation_failures: int = 3
    conversation_lock: timedelta = timedelta(minutes=15)
    address_failures: int = 20
    address_window: timedelta = timedelta(hours=1)
    code_failures: int = 10
    code_window: timedelta = timedelta(hours=1)
    code_ceiling: int = 60

    def lock(self, history: AttemptHistory, now: datetime) -> Lock | None:
        """The longest lock that applies to this source and code now, or None."""
        found = [
            lock
            for lock in (
                self._conversation_lock(sorted(history.conversation)),
                self._window_lock(sorted(history.address), now, self.address_failures, self.address_window, "address"),
                self._code_lock(sorted(history.code), sorted(history.source_on_code), now),
            )
            if lock is not None and lock.until > now
        ]
        return max(found, key=lambda lock: lock.until) if found else None

    def locked_until(self, history: AttemptHistory, now: datetime) -> datetime | None:
        lock = self.lock(history, now)
        return lock.until if lock else None

    def remaining_attempts(self, conversation_failures: Sequence[datetime], now: datetime) -> int:
        recent = [t for t in conversation_failures if now - t < self.conversation_lock]
        return max(self.conversation_failures - len(recent), 0)

    def _conversation_lock(self, failures: list[datetime]) -> Lock | None:
        if len(failures) < self.conversation_failures:
            return None
        last = failures[-1]
        in_window = [t for t in failures if last - t < self.conversation_lock]
        if len(in_window) < self.conversation_failures:
            return None
        return Lock(last + self.conversation_lock, "conversation")

    @staticmethod
    def _window_lock(
        failures: list[datetime], now: datetime, limit: int, window: timedelta, reason: str
    ) -> Lock | None:
        recent = [t for t in failures if now - t < window]
        if len(recent) < limit:
            return None
        # Free again when the oldest miss that keeps the count at the limit leaves the window.
        return Lock(recent[-limit] + window, reason)

    def _code_lock(self, code: list[datetime], source: list[datetime], now: datetime) -> Lock | None:
        ceiling = self._window_lock(code, now, self.code_ceiling, self.code_window, "code")
        if ceiling is not None:
            return ceiling
        throttled = self._window_lock(code, now, self.code_failures, self.code_window, "code")
        mine = [t for t in source if now - t < self.code_window]
        if throttled is None or not mine:
            return None
        return Lock(min(throttled.until, mine[-1] + self.code_window), "code")
