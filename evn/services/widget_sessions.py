"""Ending a widget session: the widget's ↺ (a new conversation) revokes the token it held.

The token is signed (evn.domain.signing.widget_sessions) and cannot be taken back from the browser
or a copy of it, so its end is a row in the database that every Rasa process reads before
it lets a socket into a conversation. Ending the session also ends the account links of its
conversation in the same transaction: nobody is recognised there any more. A revocation is
kept while a token of that session could still be unexpired (MAX_IDLE after the revocation:
a revoked session is never renewed) and forgotten afterwards, by the revocations that follow.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from evn.domain.account_links import LinkEnd
from evn.domain.signing import widget_sessions
from evn.services.clock import utcnow
from evn.services.unit_of_work import UnitOfWorkFactory

KEPT = timedelta(seconds=widget_sessions.MAX_IDLE) + timedelta(days=1)


class WidgetSessions:
    def __init__(self, uow: UnitOfWorkFactory, clock: Callable[[], datetime] = utcnow) -> None:
        self.uow = uow
        self.clock = clock

    def revoke(self, conversation_id: str) -> int:
        """The session of this widget conversation is over: its token opens nothing, its links end.
        How many links ended."""
        now = self.clock()
        with self.uow() as uow:
            uow.widget_sessions.revoke(conversation_id, now)
            ended = uow.links.end_conversation(conversation_id, now, LinkEnd.SESSION.value)
            uow.widget_sessions.forget_before(now - KEPT)
            uow.commit()
            return ended

    def is_revoked(self, conversation_id: str) -> bool:
        with self.uow() as uow:
            return uow.widget_sessions.is_revoked(conversation_id)
