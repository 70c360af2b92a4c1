"""The agent's side of a handoff: accounts, the queue, taking, replying, closing, and the audit of it all.

Every decision is one transaction: the handoff's new state, the audit row and the
outbox row that carries it to the customer's chat (the dispatcher delivers it through
Rasa's HTTP API: evn.adapters.rasa_notifier). An agent sees and answers only the
conversations they hold; two agents taking the same one cannot both get it.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from evn.adapters import orm, passwords
from evn.domain import linear_regex, reply_windows
from evn.domain.agent_sessions import AgentSession
from evn.domain.conversations import channel_of
from evn.domain.masking import mask_name
from evn.domain.statuses import AGENT_OUTCOMES, AgentAction, HandoffStatus
from evn.services.billing import BillingService, BillView, PaymentView
from evn.services.clock import utcnow
from evn.services.errors import NotVerified
from evn.services.handoffs import AGENT_JOINED, AGENT_MESSAGE, HANDOFF_CLOSED, HandoffView, handoff_view
from evn.services.requests import RequestService, RequestView
from evn.services.unit_of_work import UnitOfWork, UnitOfWorkFactory

USERNAME = linear_regex.compile(r"[a-z0-9][a-z0-9._-]{1,63}")
MIN_PASSWORD = 8
MAX_REPLY_CHARS = 2000
MAX_FAILED_LOGINS, LOGIN_WINDOW = 5, timedelta(minutes=15)  # per username
CONTEXT_BILLS, CONTEXT_REQUESTS, CONTEXT_PAYMENTS = 3, 5, 5


class AgentError(ValueError):
    """A request the console must refuse; `reason` names it for the page."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


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


class AgentService:
    def __init__(self, uow: UnitOfWorkFactory, billing: BillingService, requests: RequestService,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.uow = uow
        self.billing = billing
        self.requests = requests
        self.clock = clock

    # --- accounts --------------------------------------------------------------------------

    def add_or_update(self, username: str, password: str, display_name: str = "") -> tuple[AgentView, bool]:
        """Creates the agent, or sets a new password (and name) for an existing one; (agent, created)."""
        username = username.strip().lower()
        if not USERNAME.fullmatch(username):
            raise AgentError("username: 2-64 of a-z 0-9 . _ - starting with a letter or digit")
        if len(password) < MIN_PASSWORD:
            raise AgentError(f"password: at least {MIN_PASSWORD} characters")
        hashed = passwords.hash_password(password)
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

    def login(self, username: str, password: str, source: str = "") -> AgentView | None:
        """The agent when the password is right; every attempt is audited."""
        username = (username or "").strip().lower()[:64]
        with self.uow() as uow:
            if uow.audit.failed_logins(username, self.clock() - LOGIN_WINDOW) >= MAX_FAILED_LOGINS:
                self._audit(uow, None, AgentAction.LOGIN_LOCKED, detail={"source": source}, username=username)
                uow.commit()  # refused before the (costly) password check: guessing stops here
                return None
            agent = uow.agents.by_username(username)
            good = passwords.verify_password(agent.password_hash if agent and agent.active else None, password or "")
            self._audit(uow, agent if good else None, AgentAction.LOGIN if good else AgentAction.LOGIN_FAILED,
                        detail={"source": source}, username=username)
            if good and agent is not None and passwords.needs_rehash(agent.password_hash):
                agent.password_hash = passwords.hash_password(password)
            uow.commit()
            return _agent_view(agent) if good and agent is not None else None

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
            uow.outbox.add(AGENT_JOINED, f"{AGENT_JOINED}:{handoff.id}", {
                "conversation_id": handoff.conversation_id, "handoff_id": handoff.id,
                "agent_name": agent.display_name}, now)
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
            uow.outbox.add(AGENT_MESSAGE, f"{AGENT_MESSAGE}:{message_id}", {
                "conversation_id": handoff.conversation_id, "handoff_id": handoff.id, "text": text,
                "agent_name": agent.display_name, "messenger_tag": window.messenger_tag}, now)
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
            uow.outbox.add(HANDOFF_CLOSED, f"{HANDOFF_CLOSED}:{handoff.id}", {
                "conversation_id": handoff.conversation_id, "handoff_id": handoff.id, "outcome": outcome}, now)
            uow.commit()
        return self.open(agent, handoff_id, audit=False)

    def context(self, agent: AgentView, handoff_id: int) -> CustomerContext | None:
        """The customer verified in the handoff's own conversation (still verified there), else None:
        an agent never sees any other customer's data."""
        handoff = self.open(agent, handoff_id, audit=False)
        code = handoff.verified_code
        if not code:
            return None
        try:
            customer, bills = self.billing.consumption(handoff.conversation_id, code, CONTEXT_BILLS)
            requests = self.requests.mine(handoff.conversation_id, code, limit=CONTEXT_REQUESTS)
        except (NotVerified, LookupError):
            return None
        payments = sorted((p for bill in bills for p in bill.payments), key=lambda p: p.paid_at, reverse=True)
        return CustomerContext(
            code=customer.code, name=mask_name(customer.name), phone=customer.masked_phone,
            address=customer.masked_address, power_company=customer.power_company, bills=tuple(bills),
            requests=tuple(r for r in requests if r.status.is_open), payments=tuple(payments[:CONTEXT_PAYMENTS]),
        )

    def audit_of(self, handoff_id: int) -> list[dict[str, Any]]:
        with self.uow() as uow:
            return [{"username": row.username, "action": row.action, "at": row.at, "detail": dict(row.detail)}
                    for row in uow.audit.for_handoff(handoff_id)]

    # --- helpers -----------------------------------------------------------------------------

    @staticmethod
    def _mine(uow: UnitOfWork, agent: AgentView, handoff_id: int, allow_closed: bool = False) -> orm.Handoff:
        handoff = uow.handoffs.get(handoff_id)
        statuses = {HandoffStatus.TAKEN.value, HandoffStatus.CLOSED.value} if allow_closed else {
            HandoffStatus.TAKEN.value}
        if handoff is None or handoff.agent_id != agent.id or handoff.status not in statuses:
            raise AgentError("not_yours")
        return handoff

    def _audit(self, uow: UnitOfWork, agent: Any, action: AgentAction, handoff: orm.Handoff | None = None,
               detail: dict[str, Any] | None = None, username: str = "") -> None:
        uow.audit.add(
            agent_id=getattr(agent, "id", None), username=getattr(agent, "username", None) or username,
            action=action.value, handoff_id=getattr(handoff, "id", None),
            conversation_id=getattr(handoff, "conversation_id", None), detail=detail or {}, at=self.clock(),
        )


def _agent_view(agent: orm.Agent) -> AgentView:
    return AgentView(agent.id, agent.username, agent.display_name, agent.session_version)
