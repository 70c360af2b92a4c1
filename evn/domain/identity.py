"""Who the customer is: code and phone formats, and when to stop letting them guess."""
from __future__ import annotations

import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from evn.domain import linear_regex

# Two letters and 11 digits, as printed ("PE01000000001"), in any case; a power company's prefix (P + a
# letter) may stand apart from its digits, and its digits be typed in groups, as customers copy them from a
# bill: "pe 01000000001", "PE-01000000001", "PD 0100 0000 002".
CUSTOMER_CODE = linear_regex.compile(
    r"(?<![A-Za-z0-9])(?:([A-Za-z]{2})(\d{11})|([Pp][A-Za-z])[ .\-_]?(\d(?:[ .\-]?\d){10}))(?![A-Za-z0-9])"
)
# A Vietnamese phone number inside free text: 0 / 84 / +84, then 8-10 digits, spaces, dots or dashes
# allowed between digits ("+84 90 123 4567", "0901-234-567", "+84 0901234567"); not the digits of a code
# typed apart from its prefix. data/nlu/entities.yml uses the same.
PHONE = linear_regex.compile(r"(?<![\w+])(?<![Pp][A-Za-z][ .\-_])(\+84|84|0)((?:[ .\-]?\d){8,10})(?!\w)")


def _printed(match: linear_regex.Match) -> str | None:
    """A code found, as printed: upper case, no separator; None when its groups do not make 11 digits."""
    prefix, digits = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
    digits = linear_regex.sub(r"\D", "", digits)
    return (prefix + digits).upper() if len(digits) == 11 else None


def find_customer_code(text: str) -> str | None:
    """The first customer code in free text, as printed: upper case, no separator."""
    return next(iter(customer_codes(text)), None)


def customer_codes(text: str) -> list[str]:
    """Every customer code in free text, in order, as printed."""
    return [code for code in map(_printed, CUSTOMER_CODE.finditer(text or "")) if code]


def code_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, code as printed) of every customer code in free text."""
    return [(m.start(), m.end(), code) for m in CUSTOMER_CODE.finditer(text or "") if (code := _printed(m))]


def code_of_phone(text: str) -> str | None:
    """The customer code a phone in free text is given for: the last code before the first phone ("mã PE…
    sđt 09…, xem luôn mã PD…" gives PE's phone), or None."""
    phone = next((m for m in PHONE.finditer(text or "") if normalize_phone(m.group(0))), None)
    if phone is None:
        return None
    before = [code for _, end, code in code_spans(text) if end <= phone.start()]
    return before[-1] if before else None


# A digit said as a word, as older customers type a phone: "không chín không một hai ba bốn năm sáu bảy".
_DIGIT_WORDS = {
    "không": "0", "khong": "0", "một": "1", "mot": "1", "mốt": "1", "hai": "2", "ba": "3", "bốn": "4", "bon": "4",
    "tư": "4", "năm": "5", "nam": "5", "lăm": "5", "sáu": "6", "sau": "6", "bảy": "7", "bay": "7", "bẩy": "7",
    "tám": "8", "tam": "8", "chín": "9", "chin": "9",
}
_DIGIT_WORD = "(?:" + "|".join(sorted(_DIGIT_WORDS, key=len, reverse=True)) + ")"
# Ten or eleven digit words in a row (a phone's length): no other phrase of Vietnamese is that.
SPOKEN_PHONE = linear_regex.compile(
    rf"(?<!\w){_DIGIT_WORD}(?:[ ,.\-]+{_DIGIT_WORD}){{9,10}}(?!\w)", linear_regex.IGNORECASE
)


def spoken_phones(text: str) -> list[tuple[int, int, str]]:
    """(start, end, phone) of every phone said in digit words, as its digits."""
    found = []
    for match in SPOKEN_PHONE.finditer(text or ""):
        words = linear_regex.split(r"[ ,.\-]+", match.group(0).lower())
        phone = _valid_phone("".join(_DIGIT_WORDS[word] for word in words if word))
        if phone:
            found.append((match.start(), match.end(), phone))
    return found


def _valid_phone(digits: str) -> str | None:
    """`digits` when they are a Vietnamese number as dialled at home: mobile 10 digits, landline 11 (02x…)."""
    if len(digits) == 10 and digits[0] == "0" and digits[1] in "35789":
        return digits
    if len(digits) == 11 and digits[:2] == "02":
        return digits
    return None


def normalize_phone(text: str) -> str | None:
    """'+84 901.234.567' -> '0901234567': the first Vietnamese number in `text`; None without one.

    Mobile numbers have 10 digits, landlines 11 (02x + 8 digits); "+84 0901…" keeps one 0. A number said in
    digit words counts too, after any typed in digits.
    """
    for match in PHONE.finditer(text or ""):
        digits = linear_regex.sub(r"\D", "", match.group(2))
        if match.group(1) != "0" and digits.startswith("0"):  # "+84 0901…" keeps one 0
            digits = digits[1:]
        phone = _valid_phone("0" + digits)
        if phone:
            return phone
    return next((phone for _, _, phone in spoken_phones(text)), None)


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
