"""The agent's side of a handoff: accounts, the queue, taking, replying, closing, and the audit of it all.

Every decision is one transaction: the handoff's new state, the audit row and the
outbox row that carries it to the customer's chat (the dispatcher delivers it through
Rasa's HTTP API: evn.adapters.rasa_notifier). An agent sees and answers only the
conversations they hold; two agents taking the same one cannot both get it.
"""
from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar

from evn.adapters import passwords as password_hashing
from evn.adapters.passwords import Passwords
from evn.domain import events, linear_regex, login_limits, reply_windows
from evn.domain.conversations import channel_of
from evn.domain.masking import mask_name
from evn.domain.signing.agent_sessions import AgentSession
from evn.domain.statuses import AGENT_OUTCOMES, AgentAction, HandoffStatus
from evn.services.billing import BillingService, BillView, PaymentView
from evn.services.clock import utcnow
from evn.services.errors import NotVerified, StoreBusy
from evn.services.handoffs import HandoffView, handoff_view
from evn.services.identity import IdentityService
from evn.services.requests import RequestService, RequestView
from evn.services.unit_of_work import Stored, UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)

USERNAME = linear_regex.compile(r"[a-z0-9][a-z0-9._-]{1,63}")
MIN_PASSWORD = 8
MAX_REPLY_CHARS = 2000
CONTEXT_BILLS, CONTEXT_REQUESTS, CONTEXT_PAYMENTS = 3, 5, 5
# Logins past the limits at a time: each checks one argon2id hash (64 MiB, about 0,1 s of two cores); one
# that finds no free slot within HASHING_WAIT seconds is answered busy, having touched nothing.
HASHING_SLOTS, HASHING_WAIT = 2, 1.0
PURGE_EVERY = timedelta(minutes=10)  # how often a process forgets login counters older than login_limits.MEMORY


class AgentError(ValueError):
    """A request the console must refuse; `reason` names it for the page."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class LoginRefused(AgentError):
    """A login limit refused the attempt before its password was checked; it may try again at `retry_at`."""

    def __init__(self, retry_at: datetime, limit: str, now: datetime) -> None:
        super().__init__("login_limited")
        self.retry_at, self.limit = retry_at, limit
        self.retry_seconds = max(1, int((retry_at - now).total_seconds() + 0.999))


class LoginBusy(AgentError):
    """No password can be checked right now (every hashing slot taken, the database overloaded): try again."""

    def __init__(self) -> None:
        super().__init__("login_busy")


@dataclass(frozen=True)
class AgentView:
    id: int
    username: str
    display_name: str
    session_version: int


@dataclass(frozen=True)
class QueueItem:
    id: int
    channel: str
    waited_seconds: int
    question: str
    verified: bool
    created_at: datetime


@dataclass(frozen=True)
class CustomerContext:
    """What the agent may see of the conversation's verified customer, masked as in replies."""

    code: str
    name: str
    phone: str
    address: str
    power_company: str
    bills: tuple[BillView, ...]
    requests: tuple[RequestView, ...]
    payments: tuple[PaymentView, ...]


class Timed(Protocol):
    """A turn of a conversation as the console reads it (evn.adapters.rasa_tracker.Turn): its time in UTC."""

    @property
    def at_utc(self) -> datetime: ...


T = TypeVar("T", bound=Timed)


def history_of(turns: Sequence[T], handoff: HandoffView) -> tuple[T, ...]:
    """What the agent may read of the handoff's conversation: every turn while they hold it; once it is
    closed, read-only history: the turns at or before its closing (none when the closing time is unknown)."""
    if handoff.status != HandoffStatus.CLOSED.value:
        return tuple(turns)
    closed_at = handoff.closed_at
    return () if closed_at is None else tuple(turn for turn in turns if turn.at_utc <= closed_at)


class AgentService:
    def __init__(self, uow: UnitOfWorkFactory, billing: BillingService, requests: RequestService,
                 identity: IdentityService, clock: Callable[[], datetime] = utcnow, passwords: Passwords | None = None,
                 hashing_slots: int = HASHING_SLOTS, hashing_wait: float = HASHING_WAIT) -> None:
        self.uow = uow
        self.billing = billing
        self.requests = requests
        self.identity = identity
        self.clock = clock
        self.passwords = passwords or password_hashing.DEFAULT
        self.hashing = threading.BoundedSemaphore(hashing_slots)
        self.hashing_wait = hashing_wait
        self._purged_at: datetime | None = None

    # --- accounts --------------------------------------------------------------------------

    def add_or_update(self, username: str, password: str, display_name: str = "") -> tuple[AgentView, bool]:
        """Creates the agent, or sets a new password (and name) for an existing one; (agent, created)."""
        username = username.strip().lower()
        if not USERNAME.fullmatch(username):
            raise AgentError("username: 2-64 of a-z 0-9 . _ - starting with a letter or digit")
        if len(password) < MIN_PASSWORD:
            raise AgentError(f"password: at least {MIN_PASSWORD} characters")
        hashed = self.passwords.hash(password)
        with self.uow() as uow:
            agent = uow.agents.by_username(username)
            created = agent is None
            if agent is None:
                agent = uow.agents.add(username=username, display_name=display_name.strip() or username,
                                       password_hash=hashed, session_version=0, active=True, created_at=self.clock())
            else:
                agent.password_hash, agent.active = hashed, True
                agent.session_version += 1  # a new password ends the sessions of the old one
                if display_name.strip():
                    agent.display_name = display_name.strip()
            view = _agent_view(agent)
            uow.commit()
            return view, created

    def login(self, username: str, password: str, address: str = "") -> AgentView | None:
        """The agent when the password is right, else None; every attempt is audited with its address.

        The limits of evn.domain.login_limits decide first, counting the attempt in its own short
        transaction (LoginRefused: the password is not checked). The password is then checked outside
        any transaction, in one of the service's hashing slots (LoginBusy when none is free within
        `hashing_wait` seconds: nothing counted, nothing written), and the outcome recorded in a second
        short transaction. An unknown name is checked against a dummy hash, as costly as a real one,
        and counts against its source like any other.
        """
        username = (username or "").strip().lower()[:64]
        address = (address or "").strip()[:64]
        if not self.hashing.acquire(timeout=self.hashing_wait):
            raise LoginBusy()
        try:
            return self._login(username, password or "", address, login_limits.source_of(address))
        except StoreBusy as error:  # the database too busy to count the attempt (SQLite's lock)
            log.warning("agent.login.busy: %s", error.__class__.__name__)
            raise LoginBusy() from None
        finally:
            self.hashing.release()
            self._forget_old_counters()

    def unlock(self, username: str, address: str = "") -> int:
        """Lifts the login limits of a user name (python -m evn.agents unlock): every (name, source) pair and
        the name's pace; with `address`, that source's own pace too. Audited; the pairs that had failed."""
        username = (username or "").strip().lower()[:64]
        now = self.clock()
        with self.uow() as uow:
            rows = [uow.login_limits.locked(login_limits.NAME, username, "", now)]
            if address:
                rows.append(uow.login_limits.locked(login_limits.SOURCE, "", login_limits.source_of(address), now))
            pairs = uow.login_limits.pairs_of(username)
            failed = sum(1 for pair in pairs if login_limits.pair_failures(_counter(pair), now))
            uow.login_limits.remove(rows + pairs)
            self._audit(uow, None, AgentAction.LOGIN_UNLOCKED, detail={"address": address, "pairs": failed},
                        username=username)
            uow.commit()
        return failed

    def _login(self, username: str, password: str, address: str, source: str) -> AgentView | None:
        stored, agent_id = self._admit(username, address, source)
        good = self.passwords.verify(stored, password)
        rehashed = self.passwords.hash(password) if good and stored and self.passwords.needs_rehash(stored) else None
        with self.uow() as uow:
            now = self.clock()
            agent = uow.agents.get(agent_id) if agent_id is not None else None
            if not (good and agent is not None and agent.active and agent.password_hash == stored):
                # (a password changed meanwhile: the old one no longer logs in)
                self._audit(uow, None, AgentAction.LOGIN_FAILED, detail={"address": address}, username=username)
                uow.commit()
                return None
            rows = self._counters(uow, username, source, now)
            cleared = login_limits.succeeded(_counter(rows[0]), _counter(rows[1]), now)
            for row, counter in zip(rows, cleared, strict=True):
                _store(row, counter, now)
            self._audit(uow, agent, AgentAction.LOGIN, detail={"address": address})
            if rehashed:
                agent.password_hash = rehashed
            view = _agent_view(agent)
            uow.commit()
            return view

    def _admit(self, username: str, address: str, source: str) -> tuple[str | None, int | None]:
        """Counts the attempt as failed, or refuses it (LoginRefused): the stored hash to check and its agent."""
        with self.uow() as uow:
            now = self.clock()
            rows = self._counters(uow, username, source, now)
            name, own, pair = (_counter(row) for row in rows)
            decision = login_limits.decide(name, own, pair, now)
            if decision.retry_at is not None:
                self._audit(uow, None, AgentAction.LOGIN_LOCKED, username=username, detail={
                    "address": address, "limit": decision.limit, "until": decision.retry_at.isoformat()})
                uow.commit()
                raise LoginRefused(decision.retry_at, decision.limit, now)
            for row, counter in zip(rows, login_limits.counted(name, own, pair, now), strict=True):
                _store(row, counter, now)
            agent = uow.agents.by_username(username)
            stored, agent_id = (agent.password_hash, agent.id) if agent is not None and agent.active else (None, None)
            uow.commit()
            return stored, agent_id

    @staticmethod
    def _counters(uow: UnitOfWork, username: str, source: str,
                  now: datetime) -> tuple[Stored, Stored, Stored]:
        """The name's, the source's and the pair's counters, locked in that order (the repository's)."""
        return (uow.login_limits.locked(login_limits.NAME, username, "", now),
                uow.login_limits.locked(login_limits.SOURCE, "", source, now),
                uow.login_limits.locked(login_limits.PAIR, username, source, now))

    def _forget_old_counters(self) -> None:
        """Now and then (PURGE_EVERY), counters nobody touched for login_limits.MEMORY are deleted."""
        now = self.clock()
        if self._purged_at is not None and now - self._purged_at < PURGE_EVERY:
            return
        self._purged_at = now
        try:
            with self.uow() as uow:
                uow.login_limits.purge(now - login_limits.MEMORY)
                uow.commit()
        except StoreBusy as error:  # next time, then
            log.warning("agent.login.purge_failed: %s", error.__class__.__name__)

    def logout(self, agent: AgentView) -> None:
        with self.uow() as uow:
            row = uow.agents.get(agent.id)
            if row is not None:
                row.session_version += 1
                self._audit(uow, row, AgentAction.LOGOUT)
            uow.commit()

    def current(self, session: AgentSession | None) -> AgentView | None:
        """The agent of a genuine cookie, while their account is active and the session not ended."""
        if session is None:
            return None
        with self.uow() as uow:
            row = uow.agents.get(session.agent_id)
            if row is None or not row.active or row.session_version != session.version:
                return None
            return _agent_view(row)

    # --- the queue ---------------------------------------------------------------------------

    def queue(self) -> list[QueueItem]:
        """Waiting conversations, oldest first."""
        now = self.clock()
        with self.uow() as uow:
            return [
                QueueItem(h.id, h.channel, max(0, int((now - h.created_at).total_seconds())), h.question or "",
                          bool(h.verified_code), h.created_at)
                for h in uow.handoffs.waiting()
            ]

    def held(self, agent: AgentView) -> list[HandoffView]:
        with self.uow() as uow:
            return [handoff_view(h, uow) for h in uow.handoffs.held_by(agent.id)]

    def take(self, agent: AgentView, handoff_id: int) -> HandoffView:
        """The conversation is the agent's; AgentError("taken") when someone else was first."""
        now = self.clock()
        with self.uow() as uow:
            if not uow.handoffs.take(handoff_id, agent.id, now):
                raise AgentError("taken")
            handoff = self._mine(uow, agent, handoff_id)
            self._audit(uow, agent, AgentAction.TAKE, handoff)
            uow.outbox.add(events.AgentJoined(handoff.conversation_id, handoff.id, agent.display_name), now)
            view = handoff_view(handoff, uow)
            uow.commit()
            return view

    def open(self, agent: AgentView, handoff_id: int, audit: bool = True) -> HandoffView:
        """A handoff the agent holds or closed; AgentError("not_yours") for any other."""
        with self.uow() as uow:
            handoff = self._mine(uow, agent, handoff_id, allow_closed=True)
            if audit:
                self._audit(uow, agent, AgentAction.VIEW, handoff)
                uow.commit()
            return handoff_view(handoff, uow)

    def history(self, agent: AgentView, handoff_id: int, turns: Sequence[T],
                seen: int | None = None) -> tuple[HandoffView, tuple[T, ...]]:
        """The handoff as it is now and the turns the agent may read of `turns`, the conversation as read from
        the tracker just before (history_of: all while held, up to the closing once closed; the state is read
        after the turns, so a turn after the closing never shows as held). Showing other than the `seen` turns
        the agent's page has (more; or fewer, which no page of the console claims) is audited (VIEW_TURNS), an
        unchanged poll is not; seen=None audits nothing (the page's own VIEW did).
        AgentError("not_yours") for a handoff the agent neither holds nor closed."""
        with self.uow() as uow:
            handoff = self._mine(uow, agent, handoff_id, allow_closed=True)
            view = handoff_view(handoff, uow)
            shown = history_of(turns, view)
            if seen is not None and len(shown) != seen:
                self._audit(uow, agent, AgentAction.VIEW_TURNS, handoff, {"seen": seen, "count": len(shown)})
                uow.commit()
            return view, shown

    def reply(self, agent: AgentView, handoff_id: int, text: str,
              last_customer_message_at: datetime | None) -> reply_windows.ReplyWindow:
        """Queues the agent's words for the customer's own chat, audited; AgentError when it cannot go."""
        text = (text or "").strip()
        if not text:
            raise AgentError("empty")
        if len(text) > MAX_REPLY_CHARS:
            raise AgentError("too_long")
        now = self.clock()
        with self.uow() as uow:
            handoff = self._mine(uow, agent, handoff_id)
            window = reply_windows.agent_reply_window(channel_of(handoff.conversation_id), last_customer_message_at,
                                                      now)
            if not window.allowed:
                raise AgentError("window_closed")
            message_id = uuid.uuid4().hex
            self._audit(uow, agent, AgentAction.REPLY, handoff, {"text": text, "message_id": message_id,
                                                                 "messenger_tag": window.messenger_tag})
            uow.outbox.add(events.AgentMessage(handoff.conversation_id, handoff.id, agent.display_name, text,
                                               window.messenger_tag, message_id), now)
            uow.commit()
            return window

    def close(self, agent: AgentView, handoff_id: int, outcome: str, note: str = "") -> HandoffView:
        """Ends the agent's hold: the bot is resumed and the customer told, the outcome recorded."""
        if outcome not in {o.value for o in AGENT_OUTCOMES}:
            raise AgentError("outcome")
        now = self.clock()
        with self.uow() as uow:
            handoff = self._mine(uow, agent, handoff_id)
            if not uow.handoffs.close(handoff.id, HandoffStatus.TAKEN.value, now, outcome, note.strip()[:200] or None,
                                      agent_id=agent.id):
                raise AgentError("not_yours")
            self._audit(uow, agent, AgentAction.CLOSE, handoff, {"outcome": outcome, "note": note.strip()[:200]})
            uow.outbox.add(events.HandoffClosed(handoff.conversation_id, handoff.id, outcome), now)
            uow.commit()
        return self.open(agent, handoff_id, audit=False)

    def context(self, agent: AgentView, handoff_id: int) -> CustomerContext | None:
        """The customer verified in the handoff's own conversation, else None: an agent never sees any other
        customer's data. Shown only while the customer's own phone verification there holds (identity's
        window; never through an account link, and the agent's view is no use of one); for a closed handoff
        only a verification made by its closing. Every panel shown is audited (VIEW_CUSTOMER, no detail)."""
        handoff = self.open(agent, handoff_id, audit=False)
        code = handoff.verified_code
        verified_at = self.identity.verified_at(handoff.conversation_id, code)
        if not code or verified_at is None:
            return None
        if handoff.status == HandoffStatus.CLOSED.value and (handoff.closed_at is None
                                                              or verified_at > handoff.closed_at):
            return None
        try:
            customer, bills = self.billing.consumption(handoff.conversation_id, code, CONTEXT_BILLS, phone_only=True)
            requests = self.requests.mine(handoff.conversation_id, code, limit=CONTEXT_REQUESTS)
        except (NotVerified, LookupError):
            return None
        payments = sorted((p for bill in bills for p in bill.payments), key=lambda p: p.paid_at, reverse=True)
        context = CustomerContext(
            code=customer.code, name=mask_name(customer.name), phone=customer.masked_phone,
            address=customer.masked_address, power_company=customer.power_company, bills=tuple(bills),
            requests=tuple(r for r in requests if r.status.is_open), payments=tuple(payments[:CONTEXT_PAYMENTS]),
        )
        with self.uow() as uow:  # no panel without its audit row
            self._audit(uow, agent, AgentAction.VIEW_CUSTOMER, self._mine(uow, agent, handoff_id, allow_closed=True))
            uow.commit()
        return context

    def audit_of(self, handoff_id: int) -> list[dict[str, Any]]:
        with self.uow() as uow:
            return [{"username": row.username, "action": row.action, "at": row.at, "detail": dict(row.detail)}
                    for row in uow.audit.for_handoff(handoff_id)]

    # --- helpers -----------------------------------------------------------------------------

    @staticmethod
    def _mine(uow: UnitOfWork, agent: AgentView, handoff_id: int, allow_closed: bool = False) -> Stored:
        handoff = uow.handoffs.get(handoff_id)
        statuses = {HandoffStatus.TAKEN.value, HandoffStatus.CLOSED.value} if allow_closed else {
            HandoffStatus.TAKEN.value}
        if handoff is None or handoff.agent_id != agent.id or handoff.status not in statuses:
            raise AgentError("not_yours")
        return handoff

    def _audit(self, uow: UnitOfWork, agent: Any, action: AgentAction, handoff: Stored | None = None,
               detail: dict[str, Any] | None = None, username: str = "") -> None:
        uow.audit.add(
            agent_id=getattr(agent, "id", None), username=getattr(agent, "username", None) or username,
            action=action.value, handoff_id=getattr(handoff, "id", None),
            conversation_id=getattr(handoff, "conversation_id", None), detail=detail or {}, at=self.clock(),
        )


def _agent_view(agent: Stored) -> AgentView:
    return AgentView(agent.id, agent.username, agent.display_name, agent.session_version)


def _counter(row: Stored) -> login_limits.Counter:
    return login_limits.Counter(row.failures or 0, row.last_failure_at, row.paced_until)


def _store(row: Stored, counter: login_limits.Counter, now: datetime) -> None:
    row.failures, row.last_failure_at, row.paced_until = counter.failures, counter.last_failure_at, counter.paced_until
    row.updated_at = now
