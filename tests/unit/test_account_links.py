"""The rules of linked accounts: when a link has expired unused, when a recognition is recorded, and how a
chat user's id is shown to the customer whose code it is linked to."""
from datetime import datetime, timedelta

from evn.domain import account_links
from evn.domain.masking import mask_identifier

LINKED = datetime(2026, 6, 1, 3, 0)


def test_a_link_expires_after_180_days_without_a_use_counted_from_its_last_use():
    assert account_links.UNUSED_FOR.days == 180
    assert not account_links.has_expired(LINKED, None, LINKED + timedelta(days=180))
    assert account_links.has_expired(LINKED, None, LINKED + timedelta(days=180, seconds=1))
    used = LINKED + timedelta(days=170)
    assert not account_links.has_expired(LINKED, used, LINKED + timedelta(days=300)), "a use starts it again"
    assert account_links.has_expired(LINKED, used, used + timedelta(days=181))
    assert account_links.fresh_since(LINKED + timedelta(days=180)) == LINKED


def test_the_last_use_is_the_linking_until_a_recognition_and_is_recorded_once_a_minute():
    assert account_links.last_use(LINKED, None) == LINKED
    assert account_links.last_use(LINKED, LINKED + timedelta(days=3)) == LINKED + timedelta(days=3)
    assert not account_links.worth_recording(LINKED, None, LINKED + timedelta(seconds=59))
    assert account_links.worth_recording(LINKED, None, LINKED + timedelta(minutes=1))
    later = LINKED + timedelta(days=1)
    assert not account_links.worth_recording(LINKED, later, later + timedelta(seconds=30))


def test_who_ended_a_link_is_one_of_four_and_fits_its_column():
    assert {end.value for end in account_links.LinkEnd} == {"user", "owner", "expired", "session"}
    assert all(len(end.value) <= 16 for end in account_links.LinkEnd)


def test_a_chat_users_id_shows_only_its_last_four_characters():
    assert mask_identifier("8419769822599219") == "****9219"
    assert mask_identifier("3145279436158743210") == "****3210"
    assert mask_identifier("0123456789abcdef0123456789abcdef") == "****cdef"
    assert mask_identifier("short12") == "****", "a short id shows nothing at all"
