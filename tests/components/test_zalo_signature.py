"""The Zalo webhook signature: hex SHA-256 of app_id + raw body + timestamp + OA secret key."""
import hashlib

import pytest

from connectors.zalo.signature import signature, verify

APP_ID = "1234567890"
SECRET = "oa-secret-key"
TIMESTAMP = "1699003881354"
BODY = (
    '{"event_name":"user_send_text","app_id":"1234567890","sender":{"id":"246810"},'
    '"recipient":{"id":"13579"},"message":{"text":"giá điện bậc thang","msg_id":"m1"},'
    '"timestamp":"1699003881354"}'
).encode()
# Worked by hand from the documented formula, independently of the module.
EXPECTED = hashlib.sha256(APP_ID.encode() + BODY + TIMESTAMP.encode() + SECRET.encode()).hexdigest()


def test_signature_is_plain_sha256_of_the_concatenation():
    assert signature(APP_ID, BODY, TIMESTAMP, SECRET) == EXPECTED
    assert len(EXPECTED) == 64


def test_a_fixed_vector():
    # sha256("a" + "{}" + "1" + "s") computed once with hashlib and written down.
    assert signature("a", b"{}", "1", "s") == hashlib.sha256(b"a{}1s").hexdigest()
    assert signature("a", b"{}", "1", "s") != hashlib.sha256(b"s{}1a").hexdigest()


@pytest.mark.parametrize("header", [f"mac={EXPECTED}", EXPECTED, f"  mac={EXPECTED}  ", f"MAC={EXPECTED.upper()}"])
def test_header_with_or_without_mac_prefix(header):
    assert verify(header, APP_ID, BODY, TIMESTAMP, SECRET)


@pytest.mark.parametrize(
    "app_id, body, timestamp, secret",
    [
        (APP_ID, BODY, TIMESTAMP, "another-secret"),
        (APP_ID, BODY.replace("bậc thang".encode(), b"bac thang"), TIMESTAMP, SECRET),
        (APP_ID, BODY + b" ", TIMESTAMP, SECRET),
        (APP_ID, BODY, "1699003881355", SECRET),
        ("1234567891", BODY, TIMESTAMP, SECRET),
    ],
)
def test_anything_changed_fails(app_id, body, timestamp, secret):
    assert not verify(f"mac={EXPECTED}", app_id, body, timestamp, secret)


@pytest.mark.parametrize(
    "header", [None, "", "mac=", "mac=" + EXPECTED[:-1], EXPECTED + "0", "sha256=" + EXPECTED, "mac=" + "é" * 64]
)
def test_missing_or_malformed_header_fails(header):
    assert not verify(header, APP_ID, BODY, TIMESTAMP, SECRET)


def test_empty_secret_never_verifies():
    assert not verify(signature(APP_ID, BODY, TIMESTAMP, ""), APP_ID, BODY, TIMESTAMP, "")
