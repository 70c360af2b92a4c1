import pytest

from evn.domain.language import tariff_words as words


@pytest.mark.parametrize(("text", "group"), [
    ("giá điện kinh doanh bao nhiêu", words.BUSINESS), ("gia dien san xuat", words.PRODUCTION),
    ("giá điện hành chính sự nghiệp", words.ADMINISTRATIVE), ("giá giờ cao điểm", words.TIME_OF_USE),
    ("gio thap diem co re hon ko", words.TIME_OF_USE), ("giá điện bậc thang", None),
])
def test_customer_groups(text, group):
    assert words.asked_group(text) == group


@pytest.mark.parametrize(("text", "tier"), [
    ("giá bậc 5 nhiêu", 5), ("gia bac 3", 3), ("bậc cao nhất bao nhiêu", 6), ("còn bậc 6", 6), ("bậc hai", 2),
    ("giá điện bậc thang", None), ("bac 9", None),
])
def test_one_tier(text, tier):
    assert words.asked_tier(text) == tier


@pytest.mark.parametrize(("text", "tier"), [
    ("giá bậc ５ nhiêu", 5), ("bậc ５x", None), ("bac 5x", None), ("bậc 4,", 4),
])
def test_a_tier_number_is_a_whole_word_in_any_script(text, tier):
    assert words.asked_tier(text) == tier


def test_tax_and_change_questions():
    assert words.asks_vat("giá này gồm thuế chưa") and words.asks_vat("da co VAT chua")
    assert words.asks_change("tăng bao nhiêu so với trước") and words.asks_change("giá cũ là bao nhiêu")
    assert not words.asks_vat("giá bậc 5") and not words.asks_change("giá bậc 5")
