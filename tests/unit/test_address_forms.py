import pytest

from evn.domain.language.address_forms import self_reference, title


@pytest.mark.parametrize(("text", "form"), [
    ("bác muốn xem hóa đơn tháng này", "bác"),
    ("Cho cô hỏi tiền điện tháng 10", "cô"),
    ("chú còn nợ tiền điện không cháu", "chú"),
    ("dạ bác gửi mã khách hàng", "bác"),
    ("chị muốn lấy link thanh toán", "chị"),
    ("anh cần tra hóa đơn", "anh"),
    ("bac muon xem hoa don", "bác"),
    ("cho co hoi gia dien", "cô"),
    ("chu con no khong", "chú"),
    ("ông muốn hỏi giá điện", "ông"),
])
def test_the_customers_own_form_is_found(text, form):
    assert self_reference(text) == form


@pytest.mark.parametrize("text", [
    "có mùi khét", "co muon xem hoa don", "chỉ số công tơ tháng này", "chi so cong to", "tôi muốn xem hóa đơn",
    "em muốn hỏi", "mình còn nợ không", "chủ cũ không đưa số", "ba tháng gần đây", "", "anh/chị ơi cho hỏi",
    "chị ơi cho em hỏi", "anh ơi", "chú ơi cho cháu hỏi", "giúp anh ấy với", "nhà bà ngoại mất điện", "của chị tôi",
])
def test_other_words_are_not_forms_of_address(text):
    assert self_reference(text) is None


def test_a_form_at_the_start_of_a_sentence():
    assert title("bác") == "Bác" and title("anh/chị") == "Anh/chị"


@pytest.mark.parametrize(("text", "form"), [
    ("nhà bà ngoại mất điện, cho bác hỏi", "bác"),
    ("của chị tôi, cho chị hỏi", "chị"),
    ("nha ba ngoai mat dien, giup bac voi", "bác"),
])
def test_someone_elses_form_before_the_customers_own_is_passed_over(text, form):
    assert self_reference(text) == form


@pytest.mark.parametrize("text", ["cho anh/chị hỏi", "cho anh / chị xem", "giup anh ay voi", "cua anh toi"])
def test_a_form_followed_by_a_slash_or_by_someone_else_is_none(text):
    assert self_reference(text) is None


def test_the_form_at_the_start_of_a_clause_not_only_of_the_message():
    assert self_reference("cúp điện hoài, tuần trước cúp mấy lần rồi, chú bực lắm nghen") == "chú"
    assert self_reference("nhà tôi mất điện, anh hàng xóm cũng vậy") is None
