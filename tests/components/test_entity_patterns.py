"""The NLU regexes (data/nlu/entities.yml) and the core's parsers must agree on what a code or phone is.

The NLU runs them on RE2 (nlu_components/linear_patterns.py): each must compile there and match what `re` does.
"""
import re
from pathlib import Path

import pytest
import yaml

from evn.domain.identity import CUSTOMER_CODE, PHONE
from evn.domain.language.quantities import KWH
from evn.domain.periods import PERIOD
from nlu_components.linear_patterns import compiled

ENTITIES = Path(__file__).resolve().parents[2] / "data" / "nlu" / "entities.yml"
SAMPLES = [
    "ma kh PE01000000001 nhe", "pe01000000001", "XPE01000000001", "PE0100000000", "sdt 0901 234 567",
    "+84912345678", "84903123456", "024 3825 1234", "0901234567890", "mã PE01000000001, sđt 090.123.4567",
    "mã pe 01000000001 sđt +84 90 123 4567", "PE-01000000001 84901234567", "pd_01000000002", "là 01000000001",
    "+84 0912345678", "la 02812345678", "0901-234-567",
]
# The other entities' shapes, and their edges: a word, a digit or a slash next to them.
MORE_SAMPLES = [
    "mã yêu cầu YC-20261128-0001 nhé", "md202611280001", "XYC-20261128-0001", "YC-20261128-00012",
    "tháng này dùng 245 kWh, tháng trước 1.234,5 số", "-300 kwh", "2,5kw", "12 chữ", "a12 số",
    "tháng 9/2026", "Tháng 10 năm ngoái", "t.3", "th 12-25", "9/2026", "09 / 2026", "19/2026", "1/2026/",
    "hai tháng trước", "3 tháng trước", "13 tháng trước", "kỳ này", "KỲ TRƯỚC NỮA", "xem tháng gần nhất",
    "tháng 3 tháng trước", "tháng 13", "thang 2 nam 2025", "th2/24", "kì rồi và tháng hiện tại",
]


def nlu_patterns() -> list[tuple[str, str]]:
    """(name, pattern) of every regex line: each `- ` line is one pattern of its name."""
    entries = yaml.safe_load(ENTITIES.read_text(encoding="utf-8"))["nlu"]
    return [(entry["regex"], line[2:]) for entry in entries if "regex" in entry
            for line in entry["examples"].splitlines() if line.startswith("- ")]


def nlu_pattern(name: str) -> re.Pattern:
    entries = yaml.safe_load(ENTITIES.read_text(encoding="utf-8"))["nlu"]
    (entry,) = [e for e in entries if e.get("regex") == name]
    (pattern,) = [line[2:] for line in entry["examples"].splitlines() if line.startswith("- ")]
    return re.compile(pattern, re.IGNORECASE)


@pytest.mark.parametrize("name, core", [("customer_code", CUSTOMER_CODE), ("phone", PHONE), ("period", PERIOD),
                                        ("kwh", KWH)])
def test_nlu_regex_matches_what_the_core_parses(name, core):
    nlu = nlu_pattern(name)
    linear = compiled(nlu.pattern, case_sensitive=False)
    for text in SAMPLES + MORE_SAMPLES:
        assert [m.span() for m in nlu.finditer(text)] == [m.span() for m in core.finditer(text)], text
        assert [m.span() for m in linear.finditer(text)] == [m.span() for m in nlu.finditer(text)], text


@pytest.mark.parametrize("name, pattern", nlu_patterns())
def test_nlu_regex_runs_on_re2_with_the_matches_of_re(name, pattern):
    linear = compiled(pattern, case_sensitive=False)  # as the NLU compiles it: UnsupportedPattern fails here
    python = re.compile(pattern, re.IGNORECASE)
    for text in SAMPLES + MORE_SAMPLES:
        assert [m.span() for m in linear.finditer(text)] == [m.span() for m in python.finditer(text)], text
