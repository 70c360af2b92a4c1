"""Who the customer is: code and phone formats, and when to stop letting them guess."""
from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Sequence

CUSTOMER_CODE = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{2}\d{11})(?![A-Za-z0-9])")
# A Vietnamese phone number inside free text: 0 / 84 / +84, then 8-10 digits,
# spaces, dots or dashes allowed between digits. data/nlu/entities.yml uses the same.
PHONE = re.compile(r"(?<![\w+])(\+84|84|0)((?:[ .\-]?\d){8,10})(?!\w)")


def find_customer_code(text: str) -> str | None:
    """The first customer code in free text, upper-cased (codes are printed upper-case)."""
    match = CUSTOMER_CODE.search(text or "")
    return match.group(1).upper() if match else None


def normalize_phone(text: str) -> str | None:
    """'+84 901.234.567' -> '0901234567'; None unless it is a Vietnamese number.

    Mobile numbers have 10 digits, landlines 11 (02x + 8 digits).
    """
    match = PHONE.search(text or "")
    if not match:
        return None
    digits = "0" + re.sub(r"\D", "", match.group(2))
    if len(digits) == 10 and digits[1] in "35789":
        return digits
    if len(digits) == 11 and digits[1] == "2":
        return digits
    return None


def phones_match(given: str, registered: str) -> bool:
    """Constant-time comparison so response time does not leak digits."""
    return hmac.compare_digest(given.encode(), registered.encode())


@dataclass(frozen=True)
class LockoutPolicy:
    """Three misses lock a code in one conversation; many misses lock it everywhere.

    The second limit stops someone guessing a phone number by opening new chats.
    """

    conversation_failures: int = 3
    conversation_lock: timedelta = timedelta(minutes=15)
    code_failures: int = 10
    code_window: timedelta = timedelta(hours=1)

    def locked_until(
        self,
        conversation_failures: Sequence[datetime],
        code_failures: Sequence[datetime],
        now: datetime,
    ) -> datetime | None:
        """When the lock on this code ends, or None if the customer may try now.

        `conversation_failures` are this conversation's misses since its last
        success; `code_failures` are all misses for the code in `code_window`.
        """
        ends = [
            until
            for until in (
                self._conversation_lock_end(sorted(conversation_failures)),
                self._code_lock_end(sorted(code_failures), now),
            )
            if until is not None and until > now
        ]
        return max(ends) if ends else None

    def remaining_attempts(self, conversation_failures: Sequence[datetime], now: datetime) -> int:
        recent = [t for t in conversation_failures if now - t < self.conversation_lock]
        return max(self.conversation_failures - len(recent), 0)

    def _conversation_lock_end(self, failures: list[datetime]) -> datetime | None:
        if len(failures) < self.conversation_failures:
            return None
        last = failures[-1]
        in_window = [t for t in failures if last - t < self.conversation_lock]
        return last + self.conversation_lock if len(in_window) >= self.conversation_failures else None

    def _code_lock_end(self, failures: list[datetime], now: datetime) -> datetime | None:
        recent = [t for t in failures if now - t < self.code_window]
        if len(recent) < self.code_failures:
            return None
        # Unlocks when the oldest miss that keeps the count at the limit leaves the window.
        return recent[-self.code_failures] + self.code_window
