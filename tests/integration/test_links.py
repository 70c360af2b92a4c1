"""Linked accounts against real databases (SQLite and PostgreSQL): consent records, recognition, unlinking."""
import uuid

import pytest
from sqlalchemy import select

from evn.adapters import orm
from evn.adapters.unit_of_work import Factory
from evn.services import identity as outcome
from evn.services.billing import BillingService
from evn.services.errors import NotVerified
from evn.services.identity import IdentityService
from evn.services.links import AccountLinkService, NotLinkable

AN = ("PE01000000001", "0901234567")
BINH = ("PD01000000002", "0912345678")


@pytest.fixture
def core(sessions, clock):
    uow = Factory(sessions)
    identity = IdentityService(uow, clock=clock)
    return identity, AccountLinkService(uow, identity, clock=clock), BillingService(
        uow, identity, today=lambda: clock().date())


def zalo_user() -> str:
    return f"zalo-{uuid.uuid4().hex[:16]}"


def test_linking_needs_the_phone_now_and_records_the_consent(core, sessions, clock):
    identity, links, _billing = core
    chat = zalo_user()
    with pytest.raises(NotVerified):
        links.link(chat, AN[0])
    assert identity.verify(*AN, chat).status == outcome.VERIFIED
    first = links.link(chat, AN[0])
    again = links.link(chat, AN[0])
    assert not first.already and again.already and again.linked_at == first.linked_at
    with sessions() as session:
        (row,) = session.execute(select(orm.AccountLink).where(orm.AccountLink.conversation_id == chat)).scalars()
    assert (row.channel, row.channel_user, row.customer_code, row.linked_at, row.unlinked_at) == (
        "zalo", chat.removeprefix("zalo-"), AN[0], clock(), None)
    with pytest.raises(NotLinkable):
        links.link(f"rest-{uuid.uuid4().hex[:8]}", AN[0])


def test_a_linked_user_is_recognised_for_lookups_after_the_verification_expired(core, clock):
    identity, links, billing = core
    chat = zalo_user()
    identity.verify(*AN, chat)
    links.link(chat, AN[0])
    clock.advance(days=40)
    assert not identity.is_verified(chat, AN[0]), "the phone check itself has expired"
    assert identity.recognises(chat, AN[0])
    assert billing.customer(chat, AN[0]).code == AN[0]
    with pytest.raises(NotVerified):
        billing.customer(chat, BINH[0])
    assert not identity.recognises(zalo_user(), AN[0]), "another user of the same code is not recognised"


def test_several_codes_per_user_and_several_users_per_code_and_unlinking_is_immediate(core, clock, sessions):
    identity, links, billing = core
    landlord, daughter = zalo_user(), f"facebook-{uuid.uuid4().hex[:16]}"
    for code, phone in (AN, BINH):
        identity.verify(code, phone, landlord)
        links.link(landlord, code)
    identity.verify(*AN, daughter)
    links.link(daughter, AN[0])
    assert links.codes(landlord) == [AN[0], BINH[0]] and links.codes(daughter) == [AN[0]]
    clock.advance(days=40)
    assert links.unlink(landlord, BINH[0]) == [BINH[0]]
    assert links.codes(landlord) == [AN[0]] and not identity.recognises(landlord, BINH[0])
    assert links.codes(daughter) == [AN[0]], "the family's own link stays"
    assert links.unlink(landlord) == [AN[0]] and links.codes(landlord) == []
    with sessions() as session:
        rows = session.execute(select(orm.AccountLink).where(orm.AccountLink.conversation_id == landlord)).scalars()
        assert all(row.unlinked_at is not None and row.active_key is None for row in rows), "the history stays"
    identity.verify(*AN, landlord)
    assert not links.link(landlord, AN[0]).already, "a new consent after unlinking"
