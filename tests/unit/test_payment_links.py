from evn.domain.signing import payment_links

SECRET = "test-secret"


def test_a_signed_token_verifies_to_its_id():
    token_id = payment_links.new_token_id()
    assert payment_links.verify(payment_links.sign(token_id, SECRET), SECRET) == token_id


def test_tokens_are_opaque_and_unique():
    ids = {payment_links.new_token_id() for _ in range(1000)}
    assert len(ids) == 1000
    token = payment_links.sign(ids.pop(), SECRET)
    assert "PE01" not in token and "979" not in token


def _last_character_changed(text: str) -> str:
    """Always a different string (a fixed replacement would equal the original 1 time in 64)."""
    return text[:-1] + ("A" if text[-1] != "A" else "B")


def test_forged_or_damaged_tokens_are_refused():
    token = payment_links.sign(payment_links.new_token_id(), SECRET)
    token_id, mac = token.split(".")
    assert payment_links.verify(token, "another-secret") is None
    assert payment_links.verify(f"{token_id}.{_last_character_changed(mac)}", SECRET) is None
    assert payment_links.verify(f"{_last_character_changed(token_id)}.{mac}", SECRET) is None
    for junk in ("", ".", "abc", "../../etc/passwd", token_id, f"{token_id}.", "a" * 500):
        assert payment_links.verify(junk, SECRET) is None
