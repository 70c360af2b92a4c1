"""Linked accounts through the Zalo fake: the offer after a verification, the consent, recognition without
the code and phone once the verification has expired, the list, and unlinking at once."""
from __future__ import annotations

from sqlalchemy import create_engine, text

from tests.e2e.zalo_webhook import new_user, turn


def test_a_zalo_user_links_is_recognised_later_lists_and_unlinks(stack, fake_zalo, sqlite_url):
    user = new_user()
    turn(stack, fake_zalo, user, "tiền điện tháng 10/2026 bao nhiêu", "mã khách hàng")
    turn(stack, fake_zalo, user, "PE01000000001", "số điện thoại")
    verified = turn(stack, fake_zalo, user, "0901234567", "ghi nhớ mã khách hàng")
    assert "10/2026" in verified
    assert "đã liên kết mã PE01000000001" in turn(stack, fake_zalo, user, "liên kết tài khoản", "đã liên kết")
    engine = create_engine(sqlite_url)
    with engine.begin() as connection:  # the phone check expires (it lasts a while; a link does not)
        connection.execute(text("DELETE FROM verification_attempts WHERE conversation_id = :c"),
                           {"c": f"zalo-{user}"})
        consent = connection.execute(text("SELECT channel, channel_user, customer_code FROM account_links "
                                          "WHERE conversation_id = :c"), {"c": f"zalo-{user}"}).one()
    engine.dispose()
    assert tuple(consent) == ("zalo", user, "PE01000000001")
    again = turn(stack, fake_zalo, user, "cho hỏi tiền điện tháng 9/2026", "09/2026")
    assert "PE01000000001" in again and "số điện thoại" not in again, "answered through the link, nothing asked"
    assert "PE01000000001" in turn(stack, fake_zalo, user, "danh sách tài khoản", "đang liên kết")
    assert "đã hủy liên kết mã PE01000000001" in turn(stack, fake_zalo, user, "hủy liên kết", "hủy liên kết")
    assert "đang liên kết" not in turn(stack, fake_zalo, user, "danh sách tài khoản", "chưa liên kết")
