"""The NLU regexes (data/nlu/entities.yml) and the core's parsers must agree on what a code or phone is."""
import re
from pathlib import Path

import pytest
import yaml

from evn.domain.identity import CUSTOMER_CODE, PHONE

ENTITIES = Path(__file__).resolve().parents[2] / "data" / "nlu" / "entities.yml"
SAMPLES = [
    "ma kh PE01000000001 nhe", "pe01000000001", "XPE01000000001", "PE0100000000", "sdt 0901 234 567",
    "+84912345678", "84903123456", "024 3825 1234", "0901234567890", "mã PE01000000001, sđt 090.123.4567",
]


def nlu_pattern(name: str) -> re.Pattern:
    entries = yaml.safe_load(ENTITIES.read_text(encoding="utf-8"))["nlu"]
    (entry,) = [e for e in entries if e.get("regex") == name]
    (pattern,) = [line[2:] for line in entry["examples"].splitlines() if line.startswith("- ")]
    return re.compile(pattern, re.IGNORECASE)


@pytest.mark.parametrize("name, core", [("customer_code", CUSTOMER_CODE), ("phone", PHONE)])
def test_nlu_regex_matches_what_the_core_parses(name, core):
    nlu = nlu_pattern(name)
    for text in SAMPLES:
        assert [m.span() for m in nlu.finditer(text)] == [m.span() for m in core.finditer(text)], text
