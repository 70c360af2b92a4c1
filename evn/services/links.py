"""Linked accounts: remembering a verified customer on a channel, with the consent recorded.

Linking needs a verification by phone in that very conversation, now; the row it writes
is the consent (time, channel, the channel's user id, the code). Several codes per user
(a landlord's meters) and several users per code (a family) are fine. Unlinking is
immediate and keeps the row, stamped with who ended it. Every process reads links from
the database, so they survive restarts and are shared.

The customer verified by phone sees every chat user linked to their code (channel, a
masked id, link date, last use) from any channel, REST included, and revokes any of them.
A link unused for evn.domain.account_links.UNUSED_FOR (180 days) has expired: it holds
for nothing (the repository's reads leave it out), and its user is told once, when they
come back (`end_expired`), that they must verify again.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from evn.domain import account_links, conversations
from evn.domain.account_links import LinkEnd
from evn.domain.masking import mask_identifier
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


@dataclass(frozen=True)
class LinkedUser:
    """A chat user linked to a customer's code, as that customer (verified by phone) sees it."""

    id: int
    channel: str  # socketio | facebook | zalo
    user: str  # the channel's user id, masked (evn.domain.masking.mask_identifier)
    linked_at: datetime  # UTC
    last_used_at: datetime | None  # the last recognition through it; None: never since linking
    this_chat: bool  # the conversation asking


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
            for stale in uow.links.expired(conversation_id, now):  # its key would refuse the new consent
                if stale.customer_code == code:
                    uow.links.unlink(stale, now, LinkEnd.EXPIRED.value)
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
            return [Linked(link.customer_code, link.linked_at)
                    for link in uow.links.active(conversation_id, self.clock())]

    def codes(self, conversation_id: str) -> list[str]:
        return [link.code for link in self.links(conversation_id)]

    def unlink(self, conversation_id: str, code: str | None = None) -> list[str]:
        """Ends the link of `code`, or every link of the conversation when None; the codes unlinked."""
        now = self.clock()
        with self.uow() as uow:
            ended = [link for link in uow.links.active(conversation_id, now)
                     if code is None or link.customer_code == code]
            for link in ended:
                uow.links.unlink(link, now, LinkEnd.USER.value)
            uow.commit()
            return [link.customer_code for link in ended]

    def end_expired(self, conversation_id: str) -> list[str]:
        """The codes whose links to this conversation expired unused, ended now (stamped `expired`),
        so the customer is told once: "liên kết đã hết hạn, xác minh lại"."""
        now = self.clock()
        with self.uow() as uow:
            expired = uow.links.expired(conversation_id, now)
            for link in expired:
                uow.links.unlink(link, now, LinkEnd.EXPIRED.value)
            uow.commit()
            return list(dict.fromkeys(link.customer_code for link in expired))

    def users_of(self, conversation_id: str, code: str) -> list[LinkedUser]:
        """Every chat user linked to `code`, oldest first; NotVerified unless the phone was checked in this
        conversation (a code recognised only through a link shows nothing of the others)."""
        if not self.identity.is_verified(conversation_id, code):
            raise NotVerified(code)
        with self.uow() as uow:
            return [_user(link, conversation_id) for link in uow.links.of_codes([code], self.clock())]

    def revoke(self, conversation_id: str, code: str, link_id: int) -> LinkedUser | None:
        """Ends one link to `code` (any chat user's) for the customer verified by phone in this conversation;
        the user it ended, or None when that link does not hold or is not to `code`. NotVerified as users_of."""
        if not self.identity.is_verified(conversation_id, code):
            raise NotVerified(code)
        now = self.clock()
        with self.uow() as uow:
            link = uow.links.get(link_id)
            if link is None or link.customer_code != code or link.unlinked_at is not None or \
                    account_links.has_expired(link.linked_at, link.last_used_at, now):
                return None
            user = _user(link, conversation_id)
            uow.links.unlink(link, now, (LinkEnd.USER if user.this_chat else LinkEnd.OWNER).value)
            uow.commit()
            return user


def _user(link: Any, conversation_id: str) -> LinkedUser:
    return LinkedUser(link.id, link.channel, mask_identifier(link.channel_user), link.linked_at, link.last_used_at,
                      link.conversation_id == conversation_id)
