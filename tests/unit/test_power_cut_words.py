from evn.domain.language.power_cut_words import speaks_of_a_bill_not_a_cut, speaks_of_a_power_cut


def test_the_words_of_a_power_cut_as_customers_type_them():
    for text in ("nhà em mất điện từ sáng", "cup dien nua roi ad oi", "tự nhiên tắt hết", "điện chập chờn",
                 "mat 1 pha", "nhảy CB liên tục", "hàng xóm vẫn có điện mà nhà mình thì không", "khu em tối thui"):
        assert speaks_of_a_power_cut(text), text
    assert not speaks_of_a_power_cut("ba con o Q1 nho con dong tien dien gium")


def test_a_bill_asked_without_a_word_of_a_cut():
    assert speaks_of_a_bill_not_a_cut("cô ở 12 Lê Lợi quận 1, hổng nhớ tiền điện tháng 6 hết bao nhiêu")
    assert not speaks_of_a_bill_not_a_cut("mất điện mà tiền điện vẫn tăng")
    assert not speaks_of_a_bill_not_a_cut("cô ở 12 Lê Lợi quận 1")  # neither: left to the classifier


def test_a_contract_and_its_holder_are_not_a_cut():
    assert speaks_of_a_bill_not_a_cut("bố em mất rồi, hợp đồng điện vẫn đứng tên bố, em ko biết sđt bố đăng ký")
    assert not speaks_of_a_bill_not_a_cut("mất điện rồi, sđt em 0901234567")
