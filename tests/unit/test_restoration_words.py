"""Which messages ask when the power comes back, as customers type them."""
from __future__ import annotations

import pytest

from evn.domain.language.restoration_words import asks_restoration


@pytest.mark.parametrize("text", [
    "có điện lại chưa", "co dien lai chua em", "bao giờ có điện vậy", "bh có điện", "bgio thì có điện lại",
    "khi nào có điện lại ở 12 Lê Lợi", "điện có lại chưa ad", "sửa xong chưa em", "bao lâu nữa mới có điện",
    "chừng nào có điện dị", "đã khôi phục chưa", "dự kiến có điện lúc mấy giờ", "nhà em có điện lại chưa ạ",
    "điện đã có lại chưa", "mấy giờ thì có điện", "ok vậy khoảng mấy giờ có hả ad", "con bn lau nua moi co lai z ad",
    "vay thoi, con nha e thi bh co",
])
def test_asks_when_the_power_is_back(text):
    assert asks_restoration(text)


@pytest.mark.parametrize("text", [
    "tiền điện tháng này bao nhiêu", "khi nào đóng tiền điện", "mấy giờ cắt điện", "lịch cúp điện mai",
    "có điện rồi, cảm ơn em", "bao giờ có hóa đơn", "mất điện", "khi nào ghi chỉ số", "vẫn chưa có điện lại nè",
])
def test_other_questions_are_not(text):
    assert not asks_restoration(text)


def test_waiting_for_the_power_is_told_in_its_own_words():
    from evn.domain.language.restoration_words import waits_for_power

    assert waits_for_power("sao chưa có điện nữa vậy trời ơi, đợi mấy tiếng rồi đó")
    assert not waits_for_power("nhanh len gium cai, doi nay gio roi") and not waits_for_power("nhà em mất điện")
