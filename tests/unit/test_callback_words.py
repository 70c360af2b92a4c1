"""A callback asked in a customer's words, and what only speaks of one (evn/domain/language/callback_words.py)."""
import pytest

from evn.domain.language.callback_words import asks_callback, names_a_call


@pytest.mark.parametrize("text", [
    "em cần nhân viên gọi lại", "cho mình xin nhân viên gọi lại tư vấn với", "vậy cho e xin nv gọi lại",
    "bác muốn có người gọi điện tư vấn", "con muốn có người gọi lại tư vấn giùm con",
    "cho em xin cuộc gọi tư vấn của nhân viên", "à tôi cũng muốn có nhân viên gọi lại tư vấn luôn",
])
def test_asking_to_be_called_back(text):
    assert asks_callback(text) and names_a_call(text)


@pytest.mark.parametrize("text", [
    "em đang chờ nhân viên gọi lại", "em dang doi nhan vien goi lai", "không cần gọi lại đâu", "chưa cần gọi lại",
    "đừng gọi lại cho tôi", "thôi hủy cái yêu cầu gọi lại đó",
    "có người gọi bảo nhà em nợ tiền điện, hẹn gọi lại để hướng dẫn chuyển khoản",
    "vừa có người gọi cho em xưng điện lực", "em gọi lại tổng đài mấy lần không ai nghe", "cho gặp nhân viên",
])
def test_refusing_waiting_or_telling_of_a_call_is_not_asking_for_one(text):
    assert not asks_callback(text) and not names_a_call(text)
