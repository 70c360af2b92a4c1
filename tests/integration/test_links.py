"""Linked accounts against real databases (SQLite and PostgreSQL): consent records, recognition, unlinking,
the customer's list of every chat user linked to their code and revoking one, links expiring unused, and
the widget's ↺ revoking its session (and the session's links) for every process."""
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from evn.adapters import orm
from evn.adapters.unit_of_work import Factory
from evn.domain import account_links
from evn.services import identity as outcome
from evn.services.billing import BillingService
from evn.services.errors import NotVerified
from evn.services.identity import IdentityService
from evn.services.links import AccountLinkService, NotLinkable
from evn.services.widget_sessions import KEPT, WidgetSessions

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


def rows_of(sessions, conversation: str) -> list:
    with sessions() as session:
        return list(session.execute(select(orm.AccountLink).where(orm.AccountLink.conversation_id == conversation)
                                    .order_by(orm.AccountLink.id)).scalars())


def linked(identity, links, conversation: str, customer=AN) -> None:
    assert identity.verify(*customer, conversation).status == outcome.VERIFIED
    links.link(conversation, customer[0])


@pytest.fixture
def fresh_core(fresh_sessions, clock):
    """As `core`, on a database of its own: the list of a code's users is exact."""
    uow = Factory(fresh_sessions)
    identity = IdentityService(uow, clock=clock)
    return identity, AccountLinkService(uow, identity, clock=clock)


def test_the_customer_verified_by_phone_lists_every_user_linked_to_the_code_and_revokes_one(
        fresh_core, fresh_sessions, clock):
    identity, links = fresh_core
    zalo, messenger, widget = zalo_user(), "facebook-8419769822599219", f"web-{uuid.uuid4().hex}"
    linked(identity, links, zalo)
    clock.advance(days=1)
    linked(identity, links, messenger)
    linked(identity, links, widget)
    binh_user = zalo_user()
    linked(identity, links, binh_user, BINH)  # another customer's user: not in AN's list
    clock.advance(days=40)  # every phone check has expired; the links hold
    assert identity.recognises(zalo, AN[0]), "a recognition through the link is its last use"
    owner = f"rest-{uuid.uuid4().hex[:12]}"  # REST cannot link, but its customer manages the links
    with pytest.raises(NotVerified):
        links.users_of(owner, AN[0])
    with pytest.raises(NotVerified):  # recognised through a link is not enough: nothing before the phone
        links.users_of(zalo, AN[0])
    assert identity.verify(*AN, owner).status == outcome.VERIFIED
    listed = links.users_of(owner, AN[0])
    assert [(u.channel, u.user, u.this_chat) for u in listed] == [
        ("zalo", "****" + zalo[-4:], False), ("facebook", "****9219", False), ("socketio", "****" + widget[-4:], False)]
    assert zalo.removeprefix("zalo-") not in str(listed), "the channel's user id is masked"
    start = clock() - timedelta(days=41)
    assert [(u.linked_at, u.last_used_at) for u in listed] == [
        (start, clock()), (start + timedelta(days=1), None), (start + timedelta(days=1), None)]

    revoked = links.revoke(owner, AN[0], listed[1].id)
    assert revoked is not None and (revoked.channel, revoked.user) == ("facebook", "****9219")
    assert not identity.recognises(messenger, AN[0]) and links.codes(messenger) == []
    assert [u.channel for u in links.users_of(owner, AN[0])] == ["zalo", "socketio"]
    (row,) = rows_of(fresh_sessions, messenger)
    assert (row.unlinked_at, row.ended_by, row.active_key) == (clock(), "owner", None), "the consent's history stays"
    assert links.revoke(owner, AN[0], listed[1].id) is None, "revoked already"
    other = links.users_of(owner, AN[0])[0].id
    with pytest.raises(NotVerified):
        links.revoke(owner, BINH[0], other)  # the code the customer was not verified for
    (binh_link,) = rows_of(fresh_sessions, binh_user)
    assert links.revoke(owner, AN[0], binh_link.id) is None, "a link to another code is not the customer's"
    assert identity.recognises(binh_link.conversation_id, BINH[0])
    with pytest.raises(NotVerified):
        links.revoke(zalo, AN[0], other)

    assert identity.verify(*AN, zalo).status == outcome.VERIFIED  # the user's own link, in the list as "this chat"
    mine = [u for u in links.users_of(zalo, AN[0]) if u.this_chat]
    assert [u.channel for u in mine] == ["zalo"]
    assert links.revoke(zalo, AN[0], mine[0].id) is not None and links.codes(zalo) == []
    assert rows_of(fresh_sessions, zalo)[0].ended_by == "user"


def test_a_link_unused_for_180_days_expires_and_its_user_is_told_once(core, sessions, clock):
    identity, links, billing = core
    chat = zalo_user()
    linked(identity, links, chat)
    period = account_links.UNUSED_FOR
    clock.advance(days=period.days - 1)
    assert identity.recognises(chat, AN[0]) and billing.customer(chat, AN[0]).code == AN[0]
    clock.advance(days=period.days - 1)
    assert identity.recognises(chat, AN[0]), "each recognition moves the last use: a link in use never expires"
    assert rows_of(sessions, chat)[0].last_used_at == clock()
    clock.advance(days=period.days, seconds=1)
    assert not identity.recognises(chat, AN[0]), "unused for 180 days: absent"
    with pytest.raises(NotVerified):
        billing.customer(chat, AN[0])
    assert links.codes(chat) == [] and links.unlink(chat) == []
    with Factory(sessions)() as uow:  # notices see it as absent too
        assert not uow.links.holds(chat, AN[0], clock())
        assert chat not in {link.conversation_id for link in uow.links.of_codes([AN[0]], clock())}
    assert links.end_expired(chat) == [AN[0]], "told when they come back"
    assert links.end_expired(chat) == [], "once"
    (row,) = rows_of(sessions, chat)
    assert (row.unlinked_at, row.ended_by, row.active_key) == (clock(), "expired", None)


def test_an_expired_link_does_not_stand_in_the_way_of_a_new_consent(core, sessions, clock):
    identity, links, _billing = core
    chat = zalo_user()
    linked(identity, links, chat)
    clock.advance(days=account_links.UNUSED_FOR.days + 1)
    assert identity.verify(*AN, chat).status == outcome.VERIFIED
    again = links.link(chat, AN[0])
    assert not again.already and links.codes(chat) == [AN[0]], "expired, not told yet: a new consent all the same"
    assert [row.ended_by for row in rows_of(sessions, chat)] == ["expired", None]


def test_the_widgets_new_conversation_revokes_its_session_and_its_links_in_every_process(core, sessions, clock):
    identity, links, _billing = core
    widget = f"web-{uuid.uuid4().hex}"
    linked(identity, links, widget)
    clock.advance(days=40)
    assert identity.recognises(widget, AN[0])
    first, second = WidgetSessions(Factory(sessions), clock=clock), WidgetSessions(Factory(sessions), clock=clock)
    assert not first.is_revoked(widget) and not second.is_revoked(widget)
    assert first.revoke(widget) == 1
    assert second.is_revoked(widget), "another process (another pool) sees it: it is in the database"
    assert not identity.recognises(widget, AN[0]) and links.codes(widget) == []
    (row,) = rows_of(sessions, widget)
    assert (row.unlinked_at, row.ended_by) == (clock(), "session")
    assert second.revoke(widget) == 0 and second.is_revoked(widget), "twice is once"
    assert not first.is_revoked(f"web-{uuid.uuid4().hex}")

    clock.advance(seconds=KEPT.total_seconds() + 1)  # every token of that session has expired by now
    later = f"web-{uuid.uuid4().hex}"
    first.revoke(later)
    assert not first.is_revoked(widget) and first.is_revoked(later), "old revocations are forgotten as new ones come"
