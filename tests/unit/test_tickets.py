import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from evn.domain.tickets import OUTAGE_REPORT, SERVICE_REQUEST, parse_ticket_number, ticket_number

NLU = Path(__file__).resolve().parents[2] / "data" / "nlu"


def test_ticket_number_format():
    assert ticket_number(SERVICE_REQUEST, date(2026, 11, 28), 1) == "YC-20261128-0001"
    assert ticket_number(OUTAGE_REPORT, date(2026, 1, 5), 9999) == "MD-20260105-9999"
    assert ticket_number("yc", date(2026, 11, 28), 42) == "YC-20261128-0042"
    assert ticket_number("YC", date(2026, 11, 28), 0)[:-4] == "YC-20261128-"  # the day's stem


@pytest.mark.parametrize("prefix, sequence", [("XX", 1), ("YC", -1), ("YC", 10000)])
def test_ticket_number_refuses_bad_parts(prefix, sequence):
    with pytest.raises(ValueError):
        ticket_number(prefix, date(2026, 11, 28), sequence)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("YC-20261128-0001", "YC-20261128-0001"),
        ("yc 20261128 0001", "YC-20261128-0001"),
        ("YC202611280001", "YC-20261128-0001"),
        ("YC20261128-0001", "YC-20261128-0001"),
        ("yeu cau yc-20261120-0007 xu ly chua", "YC-20261120-0007"),
        ("mã YC - 20261128 - 0015 ạ", "YC-20261128-0015"),
        ("báo mất điện md-20261128-0003 sao chưa có điện", "MD-20261128-0003"),
        ("MD202611280003", "MD-20261128-0003"),
        ("(YC-20261128-0001)", "YC-20261128-0001"),
    ],
)
def test_parse_is_tolerant_and_canonical(text, expected):
    assert parse_ticket_number(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "20261128-0001", "YC-2026112-0001", "YC-20261128-001", "YC2026112800011", "ABYC202611280001", "PE01000000001"],
)
def test_parse_finds_nothing(text):
    assert parse_ticket_number(text) is None


def test_round_trip():
    number = ticket_number("MD", date(2027, 2, 6), 12)
    assert parse_ticket_number(number) == number
    assert parse_ticket_number(number.lower().replace("-", " ")) == number


def _request_id_regex() -> re.Pattern:
    blocks = yaml.safe_load((NLU / "entities.yml").read_text(encoding="utf-8"))["nlu"]
    (block,) = [b for b in blocks if b.get("regex") == "request_id"]
    (pattern,) = [line[2:].strip() for line in block["examples"].splitlines() if line.strip()]
    return re.compile(pattern, re.IGNORECASE)  # RegexEntityExtractor is case-insensitive


def _annotated_request_ids() -> list[str]:
    values = []
    for path in NLU.glob("*.yml"):
        values += re.findall(r"\[([^\]]+)\]\(request_id\)", path.read_text(encoding="utf-8"))
    return values


def test_everything_the_nlu_extracts_parses():
    regex = _request_id_regex()
    values = _annotated_request_ids()
    assert values, "the NLU data annotates request ids"
    for value in values:
        extracted = regex.search(f"ma yeu cau {value} a").group(0)
        canonical = parse_ticket_number(extracted)
        digits = re.sub(r"\D", "", extracted)
        assert canonical == f"{extracted[:2].upper()}-{digits[:8]}-{digits[8:]}", extracted
