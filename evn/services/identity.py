"""Verifying a customer by code + registered phone, with lockout."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from evn.domain.identity import (
    AttemptHistory,
    Lock,
    LockoutPolicy,
    find_customer_code,
    normalize_phone,
    phones_match,
)
from evn.services.clock import utcnow
from evn.services.unit_of_work import UnitOfWork, UnitOfWorkFactory

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
        uow: UnitOfWorkFactory,
        policy: LockoutPolicy = LockoutPolicy(),
        clock: Callable[[], datetime] = utcnow,
        verified_for: timedelta = timedelta(minutes=30),
    ) -> None:
        self.uow = uow
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
        with self.uow() as uow:
            hotline = _hotline(uow, code)
            locked = self._lock(uow, code, conversation_id, address_key, now)
            if locked:
                return _locked(code, locked, hotline)
            customer = uow.customers.get_by_code(code)
            ok = customer is not None and phones_match(phone, customer.phone)
            uow.verifications.record(code, conversation_id, ok, now, address_key)
            if ok:
                uow.commit()
                return VerificationResult(VERIFIED, code, hotline=hotline)
            locked = self._lock(uow, code, conversation_id, address_key, now)
            failures = self._conversation_failures(uow, conversation_id, now)
            uow.commit()
            if locked:
                return _locked(code, locked, hotline)
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
        with self.uow() as uow:
            locked = self._lock(uow, code, conversation_id, address_key, now)
            if locked:
                return _locked(code, locked, _hotline(uow, code))
        return None

    def is_verified(self, conversation_id: str, code: str | None) -> bool:
        """The database, not the chat slot, is the proof of verification."""
        if not code:
            return False
        with self.uow() as uow:
            return self._verified(uow, conversation_id, code)

    def verified_at(self, conversation_id: str, code: str | None) -> datetime | None:
        """When the phone verification that makes `code` verified in this conversation now was made (UTC),
        None when none holds: is_verified's proof and window, never an account link, and reading it uses
        nothing (the agent console's customer panel asks it)."""
        if not code:
            return None
        with self.uow() as uow:
            last = uow.verifications.last_success(conversation_id, code)
        return last if last is not None and self.clock() - last < self.verified_for else None

    def _verified(self, uow: UnitOfWork, conversation_id: str, code: str) -> bool:
        last = uow.verifications.last_success(conversation_id, code)
        return last is not None and self.clock() - last < self.verified_for

    def recognises(self, conversation_id: str, code: str | None) -> bool:
        """Verified by phone, or a code this channel user linked (for lookups and payment links only:
        a change to a contract asks is_verified). A recognition through the link is its last use
        (a link unused for evn.domain.account_links.UNUSED_FOR has expired and recognises nobody)."""
        if not code:
            return False
        with self.uow() as uow:  # one transaction on every lookup
            if self._verified(uow, conversation_id, code):
                return True
            if not uow.links.use(conversation_id, code, self.clock()):
                return False
            uow.commit()
            return True

    def _conversation_failures(self, uow: UnitOfWork, conversation_id: str, now: datetime) -> Sequence[datetime]:
        since = max(
            uow.verifications.last_success(conversation_id) or datetime.min,
            now - self.policy.conversation_lock * 2,
        )
        return uow.verifications.failures(since, conversation_id=conversation_id)

    def _lock(
        self, uow: UnitOfWork, code: str, conversation_id: str, address_key: str | None, now: datetime
    ) -> Lock | None:
        window = max(self.policy.code_window, self.policy.address_window)
        history = AttemptHistory(
            conversation=self._conversation_failures(uow, conversation_id, now),
            address=uow.verifications.failures(now - self.policy.address_window, address_key=address_key)
            if address_key else (),
            code=uow.verifications.failures(now - self.policy.code_window, code=code),
            source_on_code=uow.verifications.failures(
                now - window, code=code, conversation_or_address=(conversation_id, address_key)
            ),
        )
        return self.policy.lock(history, now)


def _locked(code: str, lock: Lock, hotline: str | None) -> VerificationResult:
    return VerificationResult(LOCKED, code, locked_until=lock.until, hotline=hotline, lock_reason=lock.reason)


def _hotline(uow: UnitOfWork, code: str) -> str | None:
    company = uow.reference.power_company_for_prefix(code[:2])
    return company.hotline if company else None
