"""Verifying a customer by code + registered phone, with lockout."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy.orm import sessionmaker

from evn.domain.identity import AttemptHistory, LockoutPolicy, find_customer_code, normalize_phone, phones_match
from evn.services.clock import utcnow
from evn.services.unit_of_work import Repositories, unit_of_work

VERIFIED = "verified"
MISMATCH = "mismatch"
LOCKED = "locked"
INVALID_CODE = "invalid_code"
INVALID_PHONE = "invalid_phone"


@dataclass(frozen=True)
class VerificationResult:
    status: str
    customer_code: str | None = None
    attempts_left: int = 0
    locked_until: datetime | None = None  # UTC
    hotline: str | None = None
    lock_reason: str | None = None  # conversation | address | code


class IdentityService:
    def __init__(
        self,
        sessions: sessionmaker,
        policy: LockoutPolicy = LockoutPolicy(),
        clock: Callable[[], datetime] = utcnow,
        verified_for: timedelta = timedelta(minutes=30),
    ) -> None:
        self.sessions = sessions
        self.policy = policy
        self.clock = clock
        self.verified_for = verified_for

    def verify(
        self, code_text: str, phone_text: str, conversation_id: str, address_key: str | None = None
    ) -> VerificationResult:
        """Checks the pair; the answer never says which of the two was wrong.

        `address_key` is the keyed hash of the client's address (widget, REST), so that
        opening new conversations from one place does not reset the count.
        """
        code = find_customer_code(code_text)
        if code is None:
            return VerificationResult(INVALID_CODE)
        phone = normalize_phone(phone_text)
        if phone is None:
            return VerificationResult(INVALID_PHONE, customer_code=code)
        now = self.clock()
        with unit_of_work(self.sessions) as repos:
            hotline = _hotline(repos, code)
            locked = self._lock(repos, code, conversation_id, address_key, now)
            if locked:
                return _locked(code, locked, hotline)
            customer = repos.customers.get_by_code(code)
            ok = customer is not None and phones_match(phone, customer.phone)
            repos.verifications.record(code, conversation_id, ok, now, address_key)
            repos.session.flush()
            if ok:
                return VerificationResult(VERIFIED, code, hotline=hotline)
            locked = self._lock(repos, code, conversation_id, address_key, now)
            if locked:
                return _locked(code, locked, hotline)
            failures = self._conversation_failures(repos, conversation_id, now)
            return VerificationResult(
                MISMATCH, code, attempts_left=self.policy.remaining_attempts(failures, now), hotline=hotline
            )

    def locked_until(
        self, code_text: str, conversation_id: str, address_key: str | None = None
    ) -> VerificationResult | None:
        """Asked before requesting the phone, so a locked customer is told at once."""
        code = find_customer_code(code_text)
        if code is None:
            return None
        now = self.clock()
        with unit_of_work(self.sessions) as repos:
            locked = self._lock(repos, code, conversation_id, address_key, now)
            if locked:
                return _locked(code, locked, _hotline(repos, code))
        return None

    def is_verified(self, conversation_id: str, code: str | None) -> bool:
        """The database, not the chat slot, is the proof of verification."""
        if not code:
            return False
        with unit_of_work(self.sessions) as repos:
            last = repos.verifications.last_success(conversation_id, code)
        return last is not None and self.clock() - last < self.verified_for

    def _conversation_failures(self, repos: Repositories, conversation_id: str, now: datetime):
        since = max(
            repos.verifications.last_success(conversation_id) or datetime.min,
            now - self.policy.conversation_lock * 2,
        )
        return repos.verifications.failures(since, conversation_id=conversation_id)

    def _lock(self, repos: Repositories, code: str, conversation_id: str, address_key: str | None, now: datetime):
        window = max(self.policy.code_window, self.policy.address_window)
        history = AttemptHistory(
            conversation=self._conversation_failures(repos, conversation_id, now),
            address=repos.verifications.failures(now - self.policy.address_window, address_key=address_key)
            if address_key else (),
            code=repos.verifications.failures(now - self.policy.code_window, code=code),
            source_on_code=repos.verifications.failures(
                now - window, code=code, conversation_or_address=(conversation_id, address_key)
            ),
        )
        return self.policy.lock(history, now)


def _locked(code: str, lock, hotline: str | None) -> VerificationResult:
    return VerificationResult(LOCKED, code, locked_until=lock.until, hotline=hotline, lock_reason=lock.reason)


def _hotline(repos: Repositories, code: str) -> str | None:
    company = repos.reference.power_company_for_prefix(code[:2])
    return company.hotline if company else None
