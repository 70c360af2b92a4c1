"""Linked accounts: remembering a verified customer on a channel, with the consent recorded.

Linking needs a verification by phone in that very conversation, now; the row it writes
is the consent (time, channel, the channel's user id, the code). Several codes per user
(a landlord's meters) and several users per code (a family) are fine. Unlinking is
immediate and keeps the row, stamped. Every process reads links from the database, so
they survive restarts and are shared.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from evn.domain import account_links, conversations
from evn.services.clock import utcnow
from evn.services.errors import NotVerified
from evn.services.identity import IdentityService
from evn.services.unit_of_work import UnitOfWorkFactory


class NotLinkable(ValueError):
    """This channel's user ids are not the platform's own (REST): nothing is remembered."""


@dataclass(frozen=True)
class Linked:
    code: str
    linked_at: datetime
    already: bool = False


class AccountLinkService:
    def __init__(self, uow: UnitOfWorkFactory, identity: IdentityService,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.uow = uow
        self.identity = identity
        self.clock = clock

    def link(self, conversation_id: str, code: str) -> Linked:
        """Records the consent; NotVerified unless the phone was checked in this conversation."""
        if not account_links.can_link(conversation_id):
            raise NotLinkable(conversation_id)
        if not self.identity.is_verified(conversation_id, code):
            raise NotVerified(code)
        now = self.clock()
        with self.uow() as uow:
            added = uow.links.add(
                conversation_id=conversation_id, channel=conversations.channel_of(conversation_id),
                channel_user=conversations.local_id(conversation_id), customer_code=code, linked_at=now,
                active_key=account_links.active_key(conversation_id, code),
            )
            uow.commit()
        if not added:
            return Linked(code, next(link.linked_at for link in self.links(conversation_id) if link.code == code),
                          already=True)
        return Linked(code, now)

    def links(self, conversation_id: str) -> list[Linked]:
        with self.uow() as uow:
            return [Linked(link.customer_code, link.linked_at) for link in uow.links.active(conversation_id)]

    def codes(self, conversation_id: str) -> list[str]:
        return [link.code for link in self.links(conversation_id)]

    def unlink(self, conversation_id: str, code: str | None = None) -> list[str]:
        """Ends the link of `code`, or every link of the conversation when None; the codes unlinked."""
        now = self.clock()
        with self.uow() as uow:
            ended = [link for link in uow.links.active(conversation_id) if code is None or link.customer_code == code]
            for link in ended:
                uow.links.unlink(link, now)
            uow.commit()
            return [link.customer_code for link in ended]
