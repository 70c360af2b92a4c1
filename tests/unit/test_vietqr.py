"""VietQR payloads: checked against the public NAPAS sample, byte for byte."""
from __future__ import annotations

import pytest

from evn.domain.vietqr import (
    ascii_fold,
    build_payload,
    crc16_ccitt_false,
    crc_is_valid,
    parse_payload,
    tlv,
)

SAMPLE = (
    "00020101021238560010A0000007270126000697041501121133666688880208QRIBFTTA"
    "53037045405790005802VN62220818Ung Ho Quy Vac Xin63043ACF"
)


def test_crc_check_value():
    assert crc16_ccitt_false(b"123456789") == 0x29B1


def test_public_sample_has_a_valid_crc_and_is_reproduced():
    assert crc_is_valid(SAMPLE)
    payload = build_payload("970415", "113366668888", 79000, None, "Ung Ho Quy Vac Xin")
    assert payload == SAMPLE


def test_public_sample_fields():
    fields = parse_payload(SAMPLE)
    assert fields["01"] == "12"  # an amount makes the code single-use (dynamic)
    assert fields["54"] == "79000"
    assert parse_payload(parse_payload(fields["38"])["01"]) == {"00": "970415", "01": "113366668888"}
    assert parse_payload(fields["62"]) == {"08": "Ung Ho Quy Vac Xin"}


def test_tampering_breaks_the_crc():
    assert not crc_is_valid(SAMPLE.replace("79000", "19000"))
    assert not crc_is_valid(SAMPLE[:-8])


def test_tlv_lengths():
    assert tlv("54", "79000") == "540579000"
    assert tlv("08", "x" * 99) == "0899" + "x" * 99
    with pytest.raises(ValueError):
        tlv("08", "x" * 100)
    with pytest.raises(ValueError):
        tlv("8", "x")


def test_diacritics_are_stripped_from_the_purpose():
    assert ascii_fold("Ủng Hộ Quỹ Vắc Xin Đà Nẵng") == "Ung Ho Quy Vac Xin Da Nang"
    payload = build_payload("970415", "113366668888", 79000, None, "Ủng Hộ Quỹ Vắc Xin")
    assert payload == SAMPLE


def test_long_purpose_is_cut_to_fit():
    payload = build_payload("970415", "113366668888", 1000, "HD0001", "Thanh toán tiền điện " * 10)
    additional = parse_payload(parse_payload(payload)["62"])
    assert additional["01"] == "HD0001"
    assert len(additional["08"]) <= 25 and additional["08"].startswith("Thanh toan tien dien")
    assert crc_is_valid(payload)


def test_amountless_code_is_static():
    payload = build_payload("970436", "0011004455667", None, None, "Tien dien")
    fields = parse_payload(payload)
    assert fields["01"] == "11"
    assert "54" not in fields
    assert crc_is_valid(payload)


@pytest.mark.parametrize(
    "bank_bin, account, amount, bill",
    [
        ("97041", "113366668888", 1000, None),
        ("97041X", "113366668888", 1000, None),
        ("970415", "", 1000, None),
        ("970415", "1" * 20, 1000, None),
        ("970415", "1133-6666", 1000, None),
        ("970415", "113366668888", 0, None),
        ("970415", "113366668888", -5, None),
        ("970415", "113366668888", True, None),
        ("970415", "113366668888", 1000, "HĐ01"),
        ("970415", "113366668888", 1000, "H" * 26),
    ],
)
def test_invalid_inputs_are_refused(bank_bin, account, amount, bill):
    with pytest.raises(ValueError):
        build_payload(bank_bin, account, amount, bill, "Tien dien")
