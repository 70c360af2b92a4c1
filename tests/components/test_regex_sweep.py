"""Every regular expression that reads text from outside runs on RE2, and each is swept with adversarial texts.

Two checks, so that a backtracking pattern cannot come back: no production module imports a backtracking engine
(`re`, `regex`), and every pattern compiled through evn.domain.linear_regex is run on texts up to the message
limit that are made of its own words, digits and separators (the shapes that make backtracking explode). The count
and the worst time go to results/regex_sweep.json; nothing here asserts a time.
"""
from __future__ import annotations

import ast
import importlib
import json
import random
import string
import time
from pathlib import Path

from evn.domain import linear_regex

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("evn", "connectors", "actions", "nlu_components", "webapp", "rasa_sdk_plugins")
BACKTRACKING = {"re", "regex", "sre_compile", "sre_parse"}
APPLICATION_ONLY = {"zxingcpp", "fpdf"}  # the action server reads QR codes (qr_reader.py), the web app draws PDFs
# (pdf_documents.py): never the Rasa server
MESSAGE_LIMIT = 2000  # connectors.guard.MAX_MESSAGE_CHARS: longer messages never reach a pattern
SAMPLE_MESSAGES = [
    "tiền điện tháng 9 nhà em bao nhiêu, mã KH PE01000012345, đt 0912 345 678",
    "cúp điện ở 12 Nguyễn Trãi, phường Bến Thành, quận 1 từ 8h sáng tới giờ",
    "quay lại trợ lý ảo nhé em",
    "khoảng 2 trăm 40 số, tầm 450kwh, 1.234.567 đ, thứ 7 này 15/12/2026",
    "đăng ký kiểm định đồng hồ điện, tên Nguyễn Văn A, CCCD 079123456789, YC-20261201-0001",
]


def _modules() -> list[str]:
    names = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def test_no_production_module_imports_a_backtracking_engine():
    offenders = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names = [alias.name.split(".")[0] for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module.split(".")[0]]
                else:
                    continue
                offenders += [f"{path.relative_to(ROOT)}:{node.lineno} imports {name}"
                              for name in names if name in BACKTRACKING]
    assert offenders == [], "use evn.domain.linear_regex (RE2, linear time):\n" + "\n".join(offenders)


def _patterns() -> list[linear_regex.Pattern]:
    """Every pattern the code compiles: at import, and those built from reference data on first use."""
    for name in _modules():
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as missing:  # a library of the application's environment alone, in a module
            if missing.name not in APPLICATION_ONLY:  # that compiles no pattern
                raise
    from evn.domain import outage_schedule, periods, service_catalogue

    for text in SAMPLE_MESSAGES:  # patterns built on first use (places, service words) register here
        for module in (outage_schedule, periods, service_catalogue):
            for attribute in vars(module).values():
                if callable(attribute) and getattr(attribute, "__module__", "") == module.__name__:
                    try:
                        attribute(text)
                    except Exception:  # noqa: BLE001 - only the patterns a call compiles matter here
                        pass
    return linear_regex.compiled()


def _adversarial_texts(pattern: str) -> list[str]:
    """Texts that make backtracking engines explode on patterns like this one, at the message limit."""
    words = [word for word in "".join(c if c.isalpha() else " " for c in pattern).split() if len(word) > 1][:40]
    words = words or ["a"]
    chooser = random.Random(pattern)

    def fill(piece: str, tail: str = "!") -> str:
        return (piece * (MESSAGE_LIMIT // max(1, len(piece)) + 1))[: MESSAGE_LIMIT - len(tail)] + tail

    texts = [fill(" ".join(words) + " "), fill(words[0] + " "), fill(" " + words[-1]), fill(words[0])]
    texts += [fill(piece) for piece in ("1", "1 ", "1.", "1,", "1-", "1/", " ", "\t ", "a", "a ", "đ", "ệ ", "+84 ")]
    texts += [fill("1", tail="x"), fill(" ", tail=""), fill("aA")]
    alphabet = words + list(string.digits) + [" ", ".", ",", "-", "/", ":", "+", "đ", "ơ"]
    texts += ["".join(chooser.choice(alphabet) for _ in range(MESSAGE_LIMIT))[:MESSAGE_LIMIT] for _ in range(3)]
    return texts


def test_every_pattern_runs_to_the_end_on_adversarial_texts_at_the_message_limit():
    patterns = _patterns()
    assert len(patterns) >= 50, "the sweep found too few patterns: are the modules compiling through linear_regex?"
    runs, worst, worst_pattern = 0, 0.0, ""
    for pattern in patterns:
        for text in _adversarial_texts(pattern.pattern):
            started = time.perf_counter()
            pattern.search(text)
            pattern.fullmatch(text)
            for _ in pattern.finditer(text):
                pass
            elapsed = time.perf_counter() - started
            runs += 1
            if elapsed > worst:
                worst, worst_pattern = elapsed, pattern.pattern
    results = ROOT / "results"
    results.mkdir(exist_ok=True)
    (results / "regex_sweep.json").write_text(json.dumps({
        "patterns": len(patterns), "texts_run": runs, "message_limit": MESSAGE_LIMIT,
        "worst_seconds": round(worst, 6), "worst_pattern": worst_pattern,
    }, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"regex sweep: {len(patterns)} patterns, {runs} texts, worst {worst * 1000:.2f} ms ({worst_pattern!r})")
