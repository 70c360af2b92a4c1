from datetime import date
from decimal import Decimal

import pytest

from evn.domain.formats import format_date, format_kwh, format_percent, format_vnd
from evn.domain.language.quantities import parse_kwh
from evn.domain.masking import mask_address, mask_name, mask_phone, mask_phones_in_text


def test_phone_is_masked_keeping_three_digits_each_side():
    assert mask_phone("0901234567") == "090****567"
    assert mask_phone("02438251234") == "024*****234"


def test_address_keeps_only_district_and_city():
    assert mask_address("12 Lê Lợi, Phường Bến Nghé, Quận 1, TP.HCM") == "***, Quận 1, TP.HCM"
    assert "12" not in mask_address("12 Lê Lợi, Quận 1")


def test_name_masked_for_logs():
    assert mask_name("Nguyễn Văn An") == "Nguyễn V** A*"


def test_phones_masked_inside_free_text():
    assert mask_phones_in_text("sdt cua e: 0901 234 567, ma PE01000000001") == "sdt cua e: 090****567, ma PE01000000001"


def test_vietnamese_formats():
    assert format_vnd(979560) == "979.560 đ"
    assert format_vnd(1234567) == "1.234.567 đ"
    assert format_vnd(0) == "0 đ"
    assert format_kwh(1200) == "1.200 kWh"
    assert format_date(date(2026, 11, 5)) == "05/11/2026"
    assert format_percent(Decimal("8.00")) == "8%"
    assert format_percent(Decimal("7.5")) == "7,5%"


@pytest.mark.parametrize(
    "text, kwh",
    [("350 kWh", 350), ("450kwh", 450), ("1.200 số", 1200), ("2,000 kw", 2000), ("275,5 kwh", 276),
     ("300", 300), ("dùng 3,4 ký", 3), ("-5", None), ("nhiều lắm", None), ("", None)],
)
def test_kwh_as_customers_type_it(text, kwh):
    assert parse_kwh(text) == kwh


@pytest.mark.parametrize("text, hidden, kept", [
    ("SĐT 0901234567 và CCCD 079095001234", ["0901234567", "079095001234"], ["090****567", "079******234"]),
    ("cccd 079 095 001 234, sdt +84 901 234 567", ["079 095 001 234", "901 234 567"], []),
    ("123 Lê Lợi, Phường Bến Nghé, Quận 1, TP.HCM", ["123 Lê Lợi"], ["Phường Bến Nghé, Quận 1, TP.HCM"]),
    ("nhà em ở ngõ 34 Hàng Bạc, Hoàn Kiếm", ["34 Hàng Bạc"], ["Hoàn Kiếm"]),
    ("kỳ 10/2026 Dạ, 350 kWh, 979.560 đ, còn 3 lần thử", [], ["10/2026 Dạ", "350 kWh", "979.560 đ", "3 lần"]),
    ("PE01000000001 phiếu YC-20261128-0001", [], ["PE01000000001", "YC-20261128-0001"]),
    ("2026-12-01 22:15:00 DEBUG rasa.core - x", [], ["22:15:00 DEBUG"]),
    ("12:30 Hôm nay, 1,5 Triệu", [], ["12:30 Hôm", "1,5 Triệu"]),
])
def test_personal_data_in_free_text_is_masked_for_logs(text, hidden, kept):
    from evn.domain.masking import mask_personal_data

    masked = mask_personal_data(text)
    assert all(secret not in masked for secret in hidden), masked
    assert all(part in masked for part in kept), masked


@pytest.mark.parametrize("text, masked", [
    ("kỳ 10/2026 Lê Văn A", "kỳ 10/2026 Lê Văn A"),  # a month/year is no house number
    ("số 10/2026 Lê Lợi", "số 10/2026 Lê Lợi"),
    ("số 10/2026A Lê Lợi", "***"),
    ("hẹn 12 _Lê", "hẹn 12 _Lê"),  # a street name starts with a letter
    ("nhà ở ngõ 5 Lê", "nhà ở ngõ *** Lê"),
    ("nhà ở ngõ 5ạ", "nhà ở ngõ 5ạ"),  # a lane number ends where a word does, letters with diacritics included
])
def test_house_and_lane_numbers_by_what_surrounds_them(text, masked):
    from evn.domain.masking import mask_personal_data

    assert mask_personal_data(text) == masked


@pytest.mark.parametrize("text, masked", [
    ("url?access_token=abc&x=1", "url?access_token=***&x=1"),
    ("Authorization: Bearer abc.def", "Authorization: Bearer ***"),
    ("x-signature=zzz", "x-signature=***"),
])
def test_credentials_are_masked_for_logs(text, masked):
    from evn.domain.masking import mask_for_logs

    assert mask_for_logs(text) == masked
