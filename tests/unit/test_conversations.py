"""Conversation ids are made by channels, with the channel's prefix and a URL-safe alphabet."""
from __future__ import annotations

import time

import pytest

from evn.domain import conversations, sources
from evn.domain.signing import credentials, payment_links, widget_sessions


@pytest.mark.parametrize("channel, local, expected", [
    ("socketio", "0123456789abcdef0123456789abcdef", "web-0123456789abcdef0123456789abcdef"),
    ("rest", "demo", "rest-demo"),
    ("rest", "facebook-123", "rest-facebook-123"),  # a REST sender never names a Messenger conversation
    ("facebook", "8419769822599219", "facebook-8419769822599219"),
    ("zalo", "3145279436158743210", "zalo-3145279436158743210"),
])
def test_each_channel_adds_its_own_prefix(channel, local, expected):
    made = conversations.conversation_id(channel, local)
    assert made == expected and conversations.channel_of(made) == channel
    assert conversations.local_id(made) == local


@pytest.mark.parametrize("local", ["", "khach@01", "a b", "x" * 65, "../etc", "tên", "a%40b", None, 12, ["a"]])
def test_local_ids_outside_the_alphabet_are_refused(local):
    assert not conversations.is_valid_local_id(local)
    with pytest.raises(conversations.InvalidConversationId):
        conversations.conversation_id("rest", local)  # type: ignore[arg-type]


@pytest.mark.parametrize("conversation", ["default", "demo", "web-", "sms-123", "rest-a b", "", None])
def test_ids_no_channel_makes_belong_to_no_channel(conversation):
    assert conversations.channel_of(conversation) is None  # type: ignore[arg-type]


def test_widget_sessions_are_signed_and_only_ours_are_accepted():
    local, token = widget_sessions.issue("secret-1")
    assert widget_sessions.verify(token, "secret-1") == local and len(local) == 32 and token.startswith(local + "_")
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")
    forged_id = "0" * 32 + token[32:]
    expired = widget_sessions.issue("secret-1", now=time.time() - widget_sessions.MAX_IDLE - 60)[1]
    foreign = widget_sessions.issue("secret-2")[1]
    link = payment_links.sign("0123456789abcdef0123456789abcdef", "secret-1")  # signed, but for payments
    for bad in (altered, forged_id, foreign, link, local, expired, "", None, ["a"], token + ".x", "a" * 5000):
        assert widget_sessions.verify(bad, "secret-1") is None, bad
    assert widget_sessions.verify(token, "") is None


def test_a_session_in_use_is_renewed_once_a_day_and_keeps_its_conversation():
    day = 24 * 3600
    local, token = widget_sessions.issue("s", now=1_000_000)
    same_day = widget_sessions.check(token, "s", now=1_000_000 + day - 1)
    assert same_day == widget_sessions.Session(local, token, renewed=False)
    later = widget_sessions.check(token, "s", now=1_000_000 + 2 * day)
    assert later.renewed and later.local_id == local and later.token != token
    assert widget_sessions.verify(later.token, "s", now=1_000_000 + 2 * day + widget_sessions.MAX_IDLE - 60) == local


def test_presented_secrets_are_compared_safely_whatever_the_bytes():
    assert credentials.matches(b"abc", "abc") and not credentials.matches(b"abd", "abc")
    assert not credentials.matches(b"", "") and not credentials.matches(None, "abc")
    assert credentials.bearer("Bearer abc") == b"abc" and credentials.bearer("bearer  abc ") == b"abc"
    assert credentials.bearer("Basic abc") == b"" and credentials.bearer(None) == b""
    undecodable = b"Bearer \xe9".decode("utf-8", "surrogateescape")  # what Sanic hands over
    assert credentials.bearer(undecodable) == b"\xe9" and not credentials.matches(credentials.bearer(undecodable), "x")
    assert not credentials.matches("\ud800", "x")  # a lone surrogate from a JSON escape


@pytest.mark.parametrize("peer, forwarded, expected", [
    ("203.0.113.9", None, "203.0.113.9"),
    ("203.0.113.9", "10.0.0.1", "203.0.113.9"),  # a client cannot choose its address
    ("127.0.0.1", "198.51.100.7", "198.51.100.7"),  # behind the local proxy: the hop it added
    ("127.0.0.1", "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # only the last hop is the proxy's
    ("127.0.0.1", "garbage", None),  # the proxy's own address is nobody's
    ("127.0.0.1", None, None),
    ("not-an-ip", None, None),
])
def test_client_address_believes_only_trusted_proxies(peer, forwarded, expected):
    assert sources.client_address(peer, forwarded, ("127.0.0.1", "::1")) == expected


def test_addresses_are_kept_as_keyed_hashes():
    key = sources.address_key("203.0.113.9", "secret")
    assert key and "203" not in key and key == sources.address_key("203.0.113.9", "secret")
    assert key != sources.address_key("203.0.113.9", "other") and sources.address_key(None, "secret") is None


def test_an_ipv6_client_is_one_source_for_its_whole_64():
    one = sources.address_key("2001:db8:1:2::1", "secret")
    assert one == sources.address_key("2001:db8:1:2:ffff::9", "secret") != sources.address_key(
        "2001:db8:1:3::1", "secret"
    )
