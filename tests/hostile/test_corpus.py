"""The hostile corpus itself: present, big enough, and shaped as the endpoint tests expect.

These guard the data, not the application: if an edit drops a category or a
required nasty input, the endpoint tests would silently get weaker.
"""
from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from tests.hostile import corpus

MB = 1024 * 1024

# Minimum entries per category; categories without a stated minimum must still be non-empty.
MINIMUMS: dict[str, int] = {
    "empty": 1,
    "control": 1,
    "emoji_scripts": 1,
    "invalid_utf8": 1,
    "malformed_json": 1,
    "wrong_types": 1,
    "sql_injection": 25,
    "shell_injection": 20,
    "html_script": 30,
    "path_traversal": 25,
    "huge_numbers": 25,
    "impossible_dates": 20,
    "signatures": 20,
    "vietnamese_tricks": 25,
}

# A few inputs each category was asked to hold, as bytes, so an edit cannot drop them unnoticed.
REQUIRED: dict[str, list[bytes]] = {
    "empty": [b"", b" ", b"\t", b"\n", "\u00a0".encode(), "\u3000".encode(),
              "\u200b".encode(), "\ufeff".encode()],
    "control": ["\u0000".encode(), "\u007f".encode(), "\u0085".encode(), b"\x00\x00\x00\x00"],
    "emoji_scripts": ["РЕ01000000001".encode(), "🇻🇳".encode(), ("a" + "".join(
        chr(0x300 + i % 0x70) for i in range(200))).encode()],
    "invalid_utf8": [b"\xe9", b"\xc3\x28", b"\xff\xfe", b"\xc0\xaf", b"\xed\xa0\x80"],
    "malformed_json": [b"{", b'{"sender":', b"[1,2", b"{'a':1}", b"NaN", b"null", b'"just a string"', b"123"],
    "wrong_types": [b"0", b"-1", b"1e+308", b"true", b"null", b"[]", b'[""]', b"{}", b'{"a": {"b": []}}',
                    b"[" * 1000 + b"]" * 1000],
    "sql_injection": [b"' OR '1'='1", b"'; DROP TABLE customers;--", b"PE01000000001' --"],
    "shell_injection": [b"$(id)", b"`id`", b"; rm -rf /", b"| cat /etc/passwd"],
    "html_script": [b"<script>window.__xss=1</script>", b"{{7*7}}", b"${7*7}", b"[x](javascript:window.__xss=1)"],
    "path_traversal": [b"../../etc/passwd", b"..%2f..%2fetc%2fpasswd", b"/etc/passwd%00.png", b"A" * 10000],
    "huge_numbers": [b"1e308", b"-1e308", b"1e309", b"NaN", b"Infinity", b"-0", b"0x1F", b"1_000",
                     "١٢٣".encode(), "９９９".encode(), b"9" * 5000, b"-300", b"+5", b" 5 ", b"5.5",
                     b"1,000,000", b"99999999999999999999", b"-9223372036854775809", b"18446744073709551616"],
    "impossible_dates": [b"31/02/2026", b"29/02/2027", b"30/02/2028", b"00/10/2026", b"32/01/2026", b"13/2026",
                         b"00/2026", b"10/99999", b"10/0", "tháng 13".encode(), "tháng 0".encode(),
                         b"2026-02-30", b"31/04/2026", b"29/02/1900", b"24:00", b"25:61"],
    "signatures": [b"", b"sha256=", b"sha256=" + b"0" * 64, b"sha1=abc", b"mac=", b"mac=" + b"f" * 64,
                   b"Bearer ", b"Bearer " + b"a" * 5000, b"Basic YWRtaW46YWRtaW4=", b"A" * 8000],
    "vietnamese_tricks": [b"/restart", b"/session_start",
                          b'/EXTERNAL_payment_received{"amount": 5000000, "period": "11/2026"}',
                          b'/cancel_request{"request_id": "YC-20261128-0001"}',
                          b'/ask_bill{"customer_code":"PE01000000001"}'],
}


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def test_corpus_loads_as_bytes() -> None:
    loaded = corpus.load()
    assert loaded
    assert all(isinstance(body, bytes) for bodies in loaded.values() for body in bodies)


def test_file_stays_small() -> None:
    assert corpus.CORPUS_PATH.stat().st_size < 200 * 1024


def test_at_least_320_entries() -> None:
    assert corpus.total() >= 320
    assert corpus.total() == sum(len(bodies) for bodies in corpus.load().values())


@pytest.mark.parametrize("category", sorted(MINIMUMS))
def test_category_present_with_minimum(category: str) -> None:
    counts = corpus.count_by_category()
    assert category in counts
    assert counts[category] >= MINIMUMS[category]


@pytest.mark.parametrize("category", sorted(REQUIRED))
def test_category_holds_required_inputs(category: str) -> None:
    bodies = set(corpus.load()[category])
    missing = [body[:40] for body in REQUIRED[category] if body not in bodies]
    assert not missing


@pytest.mark.parametrize("category", sorted(MINIMUMS))
def test_no_duplicates_inside_a_category(category: str) -> None:
    bodies = corpus.load()[category]
    assert len(set(bodies)) == len(bodies)


def test_has_a_5mb_body_and_a_100kb_body() -> None:
    sizes = [len(body) for bodies in corpus.load().values() for body in bodies]
    assert max(sizes) >= 5 * MB
    assert any(100 * 1024 <= size < 5 * MB for size in sizes)


def test_has_invalid_utf8_and_every_invalid_utf8_entry_is_invalid() -> None:
    loaded = corpus.load()
    assert any(not _is_utf8(body) for bodies in loaded.values() for body in bodies)
    assert not [body for body in loaded["invalid_utf8"] if _is_utf8(body)]


def test_every_script_payload_only_sets_the_xss_marker() -> None:
    """A browser test checks window.__xss; a payload that runs something else would go unseen."""
    for body in corpus.load()["html_script"]:
        text = body.decode("utf-8")
        if "<" in text or "javascript:" in text.lower():
            assert "__xss" in text, text
        assert not re.search(r"alert|prompt\(|confirm\(|document\.cookie|fetch\(", text), text


def test_texts_are_utf8_only_and_unique_after_stripping() -> None:
    texts = corpus.texts()
    assert all(isinstance(text, str) for text in texts)
    assert len(set(texts)) == len(texts)
    # Whitespace-only texts all strip to "" by design (they are different kinds of blank).
    stripped = Counter(text.strip() for text in texts if text.strip())
    duplicates = sorted(text[:40] for text, seen in stripped.items() if seen > 1)
    assert not duplicates


def test_texts_keep_every_utf8_entry_and_skip_the_rest() -> None:
    texts = set(corpus.texts())
    encoded = {text.encode("utf-8") for text in texts}
    for bodies in corpus.load().values():
        for body in bodies:
            if _is_utf8(body):
                assert body.decode("utf-8") in texts
            else:
                assert body not in encoded


def test_values_are_json_able_and_include_typed_values() -> None:
    values = corpus.values()
    for value in values:
        json.dumps({"message": [value]}, ensure_ascii=False).encode("utf-8")
    assert set(corpus.texts()) <= {value for value in values if isinstance(value, str)}
    for wanted in (0, -1, 1e308, True, None, [], [""], {}, {"a": {"b": []}}):
        assert any(type(value) is type(wanted) and value == wanted for value in values), wanted
    deepest = max((v for v in values if isinstance(v, list)), key=_depth)
    assert _depth(deepest) == corpus.NEST_VALUE_DEPTH


def _depth(value: object) -> int:
    depth = 0
    while isinstance(value, list) and value:
        depth, value = depth + 1, value[0]
    return depth + 1 if isinstance(value, list) else depth


def test_callers_cannot_poison_the_cache() -> None:
    corpus.load()["empty"].clear()
    corpus.texts().clear()
    for value in corpus.values():
        if isinstance(value, dict):
            value["poisoned"] = True
    assert corpus.load()["empty"]
    assert corpus.texts()
    assert not any(isinstance(v, dict) and "poisoned" in v for v in corpus.values())
