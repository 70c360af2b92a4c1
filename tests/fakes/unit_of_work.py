"""An in-memory unit of work for service tests that need no database (cosmicpython's FakeUnitOfWork).

Each unit of work works on a copy of the store and writes it back only on commit(),
so a test sees the same "rolled back unless committed" behaviour as the real one.
"""
from __future__ import annotations

import copy
import itertools
from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from evn.domain import events


@dataclass
class Store:
    customers: dict[str, Any] = field(default_factory=dict)  # code -> row
    companies: dict[str, Any] = field(default_factory=dict)  # prefix -> row
    attempts: list[dict] = field(default_factory=list)
    rate_events: list[tuple[str, str, datetime]] = field(default_factory=list)
    handoffs: list[Any] = field(default_factory=list)
    outbox: list[Any] = field(default_factory=list)
    ids: Any = field(default_factory=lambda: itertools.count(1))

    def __deepcopy__(self, memo: dict) -> Store:
        clone = Store(copy.deepcopy(self.customers, memo), copy.deepcopy(self.companies, memo),
                      copy.deepcopy(self.attempts, memo), list(self.rate_events), copy.deepcopy(self.handoffs, memo),
                      copy.deepcopy(self.outbox, memo))
        clone.ids = self.ids  # ids are never reused, as with a sequence
        return clone


class FakeUnitOfWork:
    def __init__(self, store: Store) -> None:
        self.shared = store
        self.committed = False

    def __enter__(self) -> FakeUnitOfWork:
        self.store = copy.deepcopy(self.shared)
        self.customers = _Customers(self.store)
        self.reference = _Reference(self.store)
        self.verifications = _Verifications(self.store)
        self.rate_limits = _RateLimits(self.store)
        self.handoffs = _Handoffs(self.store)
        self.outbox = _Outbox(self.store)
        self.links = _NoLinks()
        return self

    def __exit__(self, *exc: object) -> None:
        pass  # not committed: the copy is dropped

    def commit(self) -> None:
        for name in ("customers", "companies", "attempts", "rate_events", "handoffs", "outbox"):
            setattr(self.shared, name, getattr(self.store, name))
        self.committed = True

    def rollback(self) -> None:
        pass


class FakeFactory:
    def __init__(self, store: Store | None = None) -> None:
        self.store = store or Store()
        self.commits = 0

    def __call__(self) -> FakeUnitOfWork:
        factory = self

        class Counting(FakeUnitOfWork):
            def commit(self) -> None:
                super().commit()
                factory.commits += 1

        return Counting(self.store)


class _Customers:
    def __init__(self, store: Store) -> None:
        self.store = store

    def get_by_code(self, code: str) -> Any:
        return self.store.customers.get(code)


class _Reference:
    def __init__(self, store: Store) -> None:
        self.store = store

    def power_company_for_prefix(self, prefix: str) -> Any:
        return self.store.companies.get(prefix.upper())


class _Verifications:
    def __init__(self, store: Store) -> None:
        self.store = store

    def record(self, code: str, conversation_id: str, succeeded: bool, at: datetime, address_key: str | None = None):
        self.store.attempts.append({"code": code, "conversation": conversation_id, "address": address_key,
                                    "ok": succeeded, "at": at})

    def last_success(self, conversation_id: str, code: str | None = None) -> datetime | None:
        times = [a["at"] for a in self.store.attempts
                 if a["ok"] and a["conversation"] == conversation_id and (code is None or a["code"] == code)]
        return max(times) if times else None

    def failures(self, since, *, code=None, conversation_id=None, address_key=None, conversation_or_address=None):
        def keep(a: dict) -> bool:
            if a["ok"] or a["at"] <= since:
                return False
            if code is not None and a["code"] != code:
                return False
            if conversation_id is not None and a["conversation"] != conversation_id:
                return False
            if address_key is not None and a["address"] != address_key:
                return False
            if conversation_or_address is not None:
                conversation, address = conversation_or_address
                return a["conversation"] == conversation or (address is not None and a["address"] == address)
            return True

        return sorted(a["at"] for a in self.store.attempts if keep(a))


class _RateLimits:
    def __init__(self, store: Store) -> None:
        self.store = store

    def count(self, scope: str, source_key: str, since: datetime) -> list[datetime]:
        return sorted(at for s, k, at in self.store.rate_events if s == scope and k == source_key and at > since)

    def add(self, scope: str, source_key: str, at: datetime) -> None:
        self.store.rate_events.append((scope, source_key, at))


class _Handoffs:
    def __init__(self, store: Store) -> None:
        self.store = store

    def waiting_for(self, conversation_id: str) -> Any:
        return next((h for h in reversed(self.store.handoffs)
                     if h.conversation_id == conversation_id and h.status in ("open", "taken")), None)

    def add(self, **values: Any) -> Any:
        handoff = SimpleNamespace(id=next(self.store.ids), status="open", agent_id=None, outcome=None,
                                  unanswered_at=None, closed_at=None,
                                  **{"question": None, "verified_code": None, **values})
        self.store.handoffs.append(handoff)
        return handoff

    def waiting(self) -> list[Any]:
        return sorted((h for h in self.store.handoffs if h.status == "open"), key=lambda h: (h.created_at, h.id))

    def position(self, handoff: Any) -> int:
        return [h.id for h in self.waiting()].index(handoff.id) + 1


class _NoLinks:
    """No channel user has linked anything (linking is tested against the databases)."""

    def holds(self, conversation_id: str, code: str, now: datetime) -> bool:
        return False

    def use(self, conversation_id: str, code: str, now: datetime) -> bool:
        return False

    def active(self, conversation_id: str, now: datetime) -> list[Any]:
        return []


class _Outbox:
    def __init__(self, store: Store) -> None:
        self.store = store

    def add(self, event: events.Event, at: datetime) -> bool:
        kind, key, payload = events.stored(event)
        if self.by_key(key) is not None:
            return False
        self.store.outbox.append(SimpleNamespace(id=next(self.store.ids), kind=kind, key=key, payload=payload,
                                                 status="pending", attempts=0, next_attempt_at=at, last_error=None))
        return True

    def due(self, now: datetime, limit: int) -> list[Any]:
        return [m for m in self.store.outbox if m.status == "pending" and m.next_attempt_at <= now][:limit]

    def claim(self, message_id: int, attempt: int, until: datetime) -> bool:
        message = self._get(message_id)
        if message.attempts != attempt or message.status != "pending":
            return False
        message.attempts, message.next_attempt_at = attempt + 1, until
        return True

    def delivered(self, message_id: int, at: datetime) -> None:
        self._get(message_id).status = "delivered"

    def failed(self, message_id: int, error: str, next_attempt_at: datetime | None) -> None:
        message = self._get(message_id)
        message.last_error = error
        if next_attempt_at is None:
            message.status = "failed"
        else:
            message.next_attempt_at = next_attempt_at

    def by_key(self, key: str) -> Any:
        return next((m for m in self.store.outbox if m.key == key), None)

    def _get(self, message_id: int) -> Any:
        return next(m for m in self.store.outbox if m.id == message_id)
