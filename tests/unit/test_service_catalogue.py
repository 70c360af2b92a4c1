from datetime import date
from pathlib import Path

import pytest
import yaml

from evn.domain.periods import fold
from evn.domain.service_catalogue import (
    DEFAULT_PATH,
    KINDS,
    ServiceType,
    correction,
    load_catalogue,
    validate,
)

LOOKUPS = Path(__file__).resolve().parents[2] / "data" / "nlu" / "lookups.yml"
TODAY = date(2026, 11, 28)
REQUIRED = {
    "new_connection",
    "meter_inspection",
    "meter_relocation",
    "capacity_change",
    "contract_holder_change",
    "contract_info_change",
    "purpose_change",
    "quota_change",
    "suspension",
    "reconnection",
    "contract_termination",
}
CATALOGUE = load_catalogue()


def _nlu_service_synonyms() -> dict[str, list[str]]:
    blocks = yaml.safe_load(LOOKUPS.read_text(encoding="utf-8"))["nlu"]
    return {
        block["synonym"]: [line[2:].strip() for line in block["examples"].splitlines() if line.strip()]
        for block in blocks
        if block.get("synonym") in REQUIRED
    }


# ---------------------------------------------------------------- the data


def test_required_types_exist():
    assert {service.code for service in CATALOGUE.all()} >= REQUIRED


@pytest.mark.parametrize("service", CATALOGUE.all(), ids=lambda s: s.code)
def test_every_type_is_complete(service: ServiceType):
    assert service.name and service.name != service.code
    assert len(service.synonyms) >= 3
    assert any(fold(s) != s for s in service.synonyms), "forms with diacritics"
    assert any(fold(s) == s for s in service.synonyms), "forms without diacritics"
    assert service.fields, "a form collects at least one field"
    assert all(field.code in load_catalogue().field_codes and field.kind in KINDS for field in service.fields)
    assert len({field.code for field in service.fields}) == len(service.fields)
    assert all(field.question.startswith("Dạ, anh/chị vui lòng cho em xin") for field in service.fields)
    assert service.working_days > 0
    assert service.fee and service.next_steps


def test_verification_rules_and_times():
    # A new connection has no contract yet; a new owner cannot know the old owner's phone (staff check papers).
    # A callback is offered to anyone the chat's agents could not answer.
    unverified = {"new_connection", "contract_holder_change", "callback"}
    assert all(CATALOGUE.get(code).needs_verified_customer is False for code in unverified)
    assert all(s.needs_verified_customer for s in CATALOGUE.all() if s.code not in unverified)
    assert CATALOGUE.get("new_connection").working_days == 7
    for code in ("contract_holder_change", "contract_info_change", "purpose_change", "quota_change",
                 "contract_termination"):
        assert CATALOGUE.get(code).is_free and CATALOGUE.get(code).working_days <= 3
    for code in ("meter_relocation", "capacity_change", "reconnection", "meter_inspection"):
        assert not CATALOGUE.get(code).is_free


def test_forms_ask_what_the_service_needs():
    fields = lambda code: [f.code for f in CATALOGUE.get(code).fields]  # noqa: E731
    assert "address" in fields("new_connection")
    assert {"new_holder_name", "new_holder_id_number"} <= set(fields("contract_holder_change"))
    assert "requested_capacity_kw" in fields("capacity_change")
    assert "household_members" in fields("quota_change")
    assert "new_purpose" in fields("purpose_change")


def test_get_unknown_code():
    assert CATALOGUE.get("nope") is None


def test_codes_and_surface_forms_agree_with_nlu_lookups():
    """Whatever the NLU normalises to a service_type, find() resolves the same way."""
    nlu = _nlu_service_synonyms()
    assert set(nlu) == REQUIRED
    for code, forms in nlu.items():
        for form in forms:
            found = CATALOGUE.find(form)
            assert found is not None and found.code == code, form


# ---------------------------------------------------------------- find


@pytest.mark.parametrize(
    "text, code",
    [
        ("em muốn sang tên hợp đồng điện", "contract_holder_change"),
        ("Cho em đổi tên chủ hợp đồng với", "contract_holder_change"),
        ("chuyen chu dong ho dien", "contract_holder_change"),
        ("kiem dinh dong ho dien", "meter_inspection"),
        ("Công tơ nhà em chạy nhanh, muốn KIỂM TRA CÔNG TƠ", "meter_inspection"),
        ("lắp điện mới cho nhà", "new_connection"),
        ("xin câu điện về nhà mới ở quê", "new_connection"),
        ("xin tăng định mức", "quota_change"),
        ("di doi dien ke ra ngoai hang rao", "meter_relocation"),
        ("muốn nâng lên 3 pha", "capacity_change"),
        ("tam ngung cap dien 2 thang", "suspension"),
        ("nhà em muốn cấp điện trở lại", "reconnection"),
        ("thanh lý hợp đồng mua bán điện", "contract_termination"),
        ("chuyển sang giá kinh doanh", "purpose_change"),
        ("cập nhật số điện thoại", "contract_info_change"),
        ("Cấp điện mới", "new_connection"),  # the name itself
    ],
)
def test_find_matches_customer_words(text, code):
    found = CATALOGUE.find(text)
    assert found is not None and found.code == code


@pytest.mark.parametrize("text", ["tiền điện tháng này bao nhiêu", "", "xin chào", "cấp điện"])
def test_find_nothing(text):
    assert CATALOGUE.find(text) is None


def test_find_needs_whole_words():
    assert CATALOGUE.find("lap dienmoi") is None


# ---------------------------------------------------------------- validation


@pytest.mark.parametrize(
    "kind, text, expected",
    [
        ("name", "  nguyễn   văn AN ", "Nguyễn Văn An"),
        ("name", "TRẦN THỊ BÍCH NGỌC", "Trần Thị Bích Ngọc"),
        ("name", "le van tam", "Le Van Tam"),
        ("phone", "0901 234 567", "0901234567"),
        ("phone", "+84 912.345.678", "0912345678"),
        ("address", "12 Lê Lợi, phường Bến Nghé, Quận 1", "12 Lê Lợi, phường Bến Nghé, Quận 1"),
        ("address", "thôn Đông, xã Yên Phong", "thôn Đông, xã Yên Phong"),
        ("address", "hem  Ba Ty, Binh Chanh", "hem Ba Ty, Binh Chanh"),
        ("address", "kiệt Hoàng Diệu, Đà Nẵng", "kiệt Hoàng Diệu, Đà Nẵng"),
        ("id_number", "079095001234", "079095001234"),
        ("id_number", "0790 9500 1234", "079095001234"),
        ("kw", "10", 10),
        ("kw", "15 kW", 15),
        ("kw", "nâng lên 3 pha 20kw", 20),
        ("kw", "5,5 kw", 6),
        ("kw", "lên 3 pha 15", 15),
        ("kw", "1.500 kW", 1500),
        ("kw", "2000", 2000),
        ("count", "4", 4),
        ("count", "nhà em có 6 người", 6),
        ("count", "50", 50),
        ("date", "05/12", date(2026, 12, 5)),
        ("date", "ngày 5-12 ạ", date(2026, 12, 5)),
        ("date", "28/11", TODAY),
        ("date", "05/01", date(2027, 1, 5)),  # no year, already past this year: next one
        ("date", "05/01/2027", date(2027, 1, 5)),
        ("date", "1/12/26", date(2026, 12, 1)),
        ("date", "ngày mai", date(2026, 11, 29)),
        ("date", "mai nha em", date(2026, 11, 29)),
        ("date", "hôm nay", TODAY),
        ("date", "thứ 2 tuần sau", date(2026, 11, 30)),
        ("date", "cuối tuần này", date(2026, 11, 28)),  # Saturday 28/11: today
        ("date", "đầu tháng sau", date(2026, 12, 1)),
        ("date", "tuần sau", date(2026, 11, 30)),
        ("text", "  dây điện cũ, muốn kiểm tra  ", "dây điện cũ, muốn kiểm tra"),
        ("text", "abc", "abc"),
    ],
)
def test_good_values_are_normalised(kind, text, expected):
    assert validate(kind, text, TODAY) == (expected, None)


def test_a_day_just_passed_across_new_year_is_pointed_out():
    value, problem = validate("date", "28/12", date(2027, 1, 5))
    assert value is None and problem.code == "date_in_the_past" and problem.values["date"] == "28/12/2026"


def test_every_kind_has_a_validator():
    for kind in KINDS:
        validate(kind, "x", TODAY)  # must not raise
    with pytest.raises(ValueError):
        validate("colour", "red", TODAY)


# ---------------------------------------------------------------- data-only extension


def test_a_new_type_is_a_data_change_only(tmp_path):
    data = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    data["service_types"].append(
        {
            "code": "meter_replacement",
            "name": "Thay công tơ",
            "synonyms": ["thay công tơ", "thay cong to", "thay đồng hồ điện", "thay dong ho dien"],
            "needs_verified_customer": True,
            "fields": ["applicant_name", "contact_phone", "reason"],
            "fee": "free",
            "working_days": 2,
            "next_steps": "Điện lực sẽ hẹn ngày thay công tơ.",
        }
    )
    path = tmp_path / "catalogue.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    catalogue = load_catalogue(path)

    assert len(catalogue.all()) == len(CATALOGUE.all()) + 1
    new = catalogue.get("meter_replacement")
    assert [f.label for f in new.fields] == ["Họ tên người yêu cầu", "Số điện thoại liên hệ", "Lý do"]
    assert catalogue.find("em muon thay dong ho dien").code == "meter_replacement"
    assert CATALOGUE.get("meter_replacement") is None  # the shipped catalogue is untouched


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d["service_types"][0]["fields"].append("favourite_colour"), "without a definition"),
        (lambda d: d["service_types"][1]["synonyms"].append("lap dien moi"), "belongs to both"),
        (lambda d: d["fields"]["notes"].update(kind="colour"), "unknown validation kind"),
        (lambda d: d["service_types"][0].update(working_days=0), "working_days"),
    ],
)
def test_inconsistent_data_is_refused_on_load(tmp_path, change, message):
    data = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "bad.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_catalogue(path)


def test_loading_is_cached():
    assert load_catalogue() is load_catalogue()


@pytest.mark.parametrize(("text", "code", "value"), [
    ("sửa ngày thành 8/12", "preferred_date", "8/12"),
    ("đổi địa chỉ thành 12 Lê Lợi, Quận 1, TP.HCM", "address", "12 Lê Lợi, Quận 1, TP.HCM"),
    ("sua sdt thanh 0912345678", "contact_phone", "0912345678"),
    ("sửa tên là Nguyễn Văn Hưng", "applicant_name", "Nguyễn Văn Hưng"),
    ("sửa lại số CCCD", "id_number", None),
    ("muốn sửa", None, None),
])
def test_a_correction_names_its_field_and_value(text, code, value):
    fields = CATALOGUE.get("new_connection").fields
    field, new_value = correction(text, tuple(fields))
    assert (field.code if field else None, new_value) == (code, value)


@pytest.mark.parametrize(
    "kind, text, expected",
    [
        ("date", "hẹn ngày 15/12.", date(2026, 12, 15)),
        ("date", "15/12/2026...", date(2026, 12, 15)),
        ("address", "thành phố Hà Nội, phố Huế", "thành phố Hà Nội, phố Huế"),
        ("count", "nhà 4 người.", 4),
    ],
)
def test_what_follows_a_value_may_be_punctuation(kind, text, expected):
    assert validate(kind, text, TODAY) == (expected, None)


@pytest.mark.parametrize(
    "kind, text, code",
    [
        ("date", "5/12/20267", "date"),  # more digits after the year: no date
        ("count", "2.5 người", "count"),  # decimals: no count
        ("count", "2,5", "count"),
        ("address", "xthanh pho abc", "address"),
    ],
)
def test_what_follows_or_precedes_a_value_may_refuse_it(kind, text, code):
    value, problem = validate(kind, text, TODAY)
    assert value is None and problem is not None and problem.code == code


def test_the_service_named_first_is_the_one_asked_for():
    catalogue = load_catalogue()
    assert catalogue.find("muốn được gọi lại tư vấn về lắp điện 3 pha cho xưởng").code == "callback"
    assert catalogue.find("lắp điện mới, rồi nhờ người gọi lại tư vấn").code == "new_connection"
