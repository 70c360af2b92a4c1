"""Every field a message carries, in any order (evn/domain/form_fields.py), and what a name is not."""
from datetime import date

from evn.domain.language.form_fields import before_any, corrects, fields_in
from evn.domain.periods import fold
from evn.domain.service_catalogue import validate

NEW_CONNECTION = ("applicant_name", "id_number", "contact_phone", "address", "preferred_date")
CALLBACK = ("applicant_name", "contact_phone", "reason")


def carried(text: str, codes: tuple[str, ...]) -> dict[str, str]:
    return {found.code: found.value(text) for found in fields_in(text, fold(text), codes)}


def test_every_field_of_a_request_in_one_message_in_any_order():
    text = ("Tôi cần lắp điện mới cho nhà mới xây ở 25 Nguyễn Văn Linh, phường Tân Phong, Quận 7. Ngày mong muốn "
            "15/12/2026, CCCD 079088001234, tên Phạm Quốc Tuấn, sđt 0977123456")
    assert carried(text, NEW_CONNECTION) == {
        "address": "25 Nguyễn Văn Linh, phường Tân Phong, Quận 7", "preferred_date": "15/12/2026",
        "id_number": "079088001234", "applicant_name": "Phạm Quốc Tuấn", "contact_phone": "0977123456"}


def test_labels_in_reverse_order_and_a_reason_that_runs_to_the_next_label():
    text = "mình cần người gọi lại. lý do: muốn hỏi giá điện kinh doanh; sđt 0868123456; tên: Hoàng Anh Thư"
    assert carried(text, CALLBACK) == {"reason": "muốn hỏi giá điện kinh doanh", "contact_phone": "0868123456",
                                       "applicant_name": "Hoàng Anh Thư"}


def test_what_a_callback_is_about_told_without_a_label_is_its_reason():
    assert carried("tên Hoàng Văn Nam, sdt 0977123456, cần hỏi về hóa đơn tháng 10 tăng cao", CALLBACK) == {
        "applicant_name": "Hoàng Văn Nam", "contact_phone": "0977123456",
        "reason": "cần hỏi về hóa đơn tháng 10 tăng cao"}


def test_a_labelled_address_ends_where_the_place_does():
    text = "sdt 0938 456 789, địa chỉ 25 đường số 8 phường Linh Trung TP Thủ Đức, muốn làm ngày 15/12/2026"
    assert carried(text, NEW_CONNECTION) == {
        "contact_phone": "0938 456 789", "address": "25 đường số 8 phường Linh Trung TP Thủ Đức",
        "preferred_date": "15/12/2026"}


def test_the_opening_words_are_not_a_field_and_what_comes_first_answers_the_question():
    text = "Nguyễn Văn An, sđt 0901234567, lý do điện kế chạy nhanh bất thường, ngày 10/12/2026"
    found = fields_in(text, fold(text), ("applicant_name", "contact_phone", "reason", "preferred_date"))
    assert before_any(text, fold(text), found) == "Nguyễn Văn An"
    assert "applicant_name" not in {f.code for f in found}


def test_a_new_holder_and_the_name_of_sang_ten():
    text = ("Nhà tui mới mua lại căn 45 Hàng Bài, Hoàn Kiếm, muốn sang tên hợp đồng điện. Chủ mới Đỗ Minh Khang, "
            "CCCD 001090056789, đt 0983222333, lý do mua nhà")
    found = carried(text, ("address", "new_holder_name", "new_holder_id_number", "contact_phone", "reason"))
    assert found["new_holder_name"] == "Đỗ Minh Khang" and found["new_holder_id_number"] == "001090056789"
    assert found["address"] == "45 Hàng Bài, Hoàn Kiếm" and found["reason"] == "mua nhà"


def test_a_code_is_not_a_phone_and_mai_in_a_name_is_not_tomorrow():
    assert "contact_phone" not in carried("PE01000000001", CALLBACK)
    assert carried("Bùi Thị Mai", NEW_CONNECTION) == {}


def test_a_sentence_or_a_consent_is_not_a_name():
    today = date(2026, 12, 1)
    for text in ("em cần đăng ký kiểm định đồng hồ điện", "đồng ý", "ok gửi đi", "hợp đồng điện"):
        assert validate("name", text, today)[1] is not None, text
    for text in ("Nguyễn Văn Đồng", "ly quoc bao", "Lê Thị Hoa", "tran thi hoa"):
        assert validate("name", text, today)[1] is None, text


def test_the_reason_and_the_new_purpose_told_in_the_request_itself():
    text = "tui muon nang cong suat dang ky len 10 kw do moi lap them 2 may lanh"
    assert carried(text, ("applicant_name", "requested_capacity_kw", "reason"))["reason"] == "moi lap them 2 may lanh"
    text = ("chị muốn đổi mục đích sử dụng điện từ sinh hoạt sang kinh doanh vì mở quán cà phê, người yêu cầu "
            "Nguyễn Văn An, liên hệ 0901234567")
    assert carried(text, ("applicant_name", "contact_phone", "new_purpose", "reason")) == {
        "new_purpose": "kinh doanh", "reason": "mở quán cà phê", "applicant_name": "Nguyễn Văn An",
        "contact_phone": "0901234567"}
    # "vị trí", "đó": not a cause
    assert "reason" not in carried("dời công tơ ra vị trí cột trước cổng", ("new_meter_location", "reason"))
    assert "reason" not in carried("dời công tơ đó ra cổng", ("new_meter_location", "reason"))


def test_a_bare_yes_is_not_a_worded_answer():
    today = date(2026, 12, 1)
    assert validate("text", "dong y", today)[1].code == "consent"
    assert validate("text", "ok gửi đi em", today)[1].code == "consent"
    assert validate("text", "có cây chắn trước nhà", today)[1] is None
    assert validate("text", "không có", today)[1] is None


def test_words_that_correct_an_answer_given_before():
    assert corrects("à khoan, số đúng là 0977123465") and corrects("nhầm, ngày 15/12 mới đúng")
    assert not corrects("hỏi về việc chuyển sang giá kinh doanh") and not corrects("công suất lớn hơn")


def test_a_day_given_where_the_address_was_asked_is_no_address():
    from evn.domain.places import is_street_address

    assert not is_street_address("ngày 15/12/2026") and is_street_address("15/12 Lê Lợi, phường Bến Nghé")
    text = "tên Nguyễn Văn An, sdt liên hệ 0901234567, lý do nghi công tơ chạy nhanh, hẹn thứ 5 tuần sau 10/12/2026"
    assert carried(text, ("applicant_name", "contact_phone", "reason", "preferred_date"))["reason"] == \
        "nghi công tơ chạy nhanh"
