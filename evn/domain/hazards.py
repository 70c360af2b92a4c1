"""Danger to people, recognised in a customer's own words before anything else is asked.

Smoke, a burning smell, sparks, someone shocked, a fallen pole or wire, water near the
meter: the assistant answers with safety advice at once and files a top-priority report,
whatever form or verification the conversation is in. The words are matched with and
without diacritics; a folded word that also means something harmless ("chay" is both
cháy, burning, and chạy, running) counts only in phrases where it cannot.
"""
from __future__ import annotations

import re

from evn.domain.periods import fold

FIRE, SHOCK, FALLEN_LINE, SPARKS, WATER = "fire", "shock", "fallen_line", "sparks", "water"
KINDS = (SHOCK, FIRE, SPARKS, FALLEN_LINE, WATER)  # the most urgent first, when several are named

_DEVICE = r"(?:cong to|dong ho(?: dien)?|o cam|o dien|cau dao|aptomat|ap to mat|cb|tu dien|day dien|bang dien)"
_PATTERNS: dict[str, tuple[re.Pattern[str], ...]] = {
    SHOCK: (
        re.compile(r"\b(?:bi|dinh|vua bi)?\s*(?:dien giat|giat dien)\b(?!\s+minh)"),
        re.compile(r"\bdien\s+(?:no\s+)?giat\b(?!\s+minh)"),
        re.compile(r"\bchich dien\b"),
    ),
    FIRE: (
        re.compile(r"\b(?:boc|bok|ra|xi|toa|nghi ngut)\s+khoi\b"),
        re.compile(r"\bkhoi\s+(?:bay|boc|ra|den|trang)\b"),
        re.compile(r"\bmui\s+(?:khet|chay)\b"),
        re.compile(r"\bkhet\s+(?:let|qua|lam)\b"),
        re.compile(r"\b(?:boc|bi)\s+chay\b"),
        re.compile(r"\bboc chay\b"),
        re.compile(r"\bchay\s+(?:no|day dien|cong to|o cam|tu dien|dong ho)\b"),
        re.compile(r"\b(?:chap|chap chay)\s+dien\b|\bdien\s+bi\s+chap\b(?!\s+chon)|\bbi\s+chap\b(?!\s+chon)"),
        re.compile(r"\btieng\s+no\b|\bphat\s+no\b|\bno\s+(?:tung|lon|bup|cai bup)\b"),
        re.compile(r"\b(?:tram|may)\s+bien\s+ap\s+(?:bi\s+)?no\b"),
        re.compile(r"\bnong\s+(?:chay|ran|bong)\b"),
    ),
    SPARKS: (
        re.compile(r"\b(?:tia|toe|xet|ne|ban|phat|danh)\s+lua\b"),
        re.compile(r"\blua\s+(?:xet|toe|ban)\b"),
    ),
    FALLEN_LINE: (
        re.compile(r"\bcot\s+dien\b.{0,30}\b(?:bi\s+nga|nga ra|nga xuong|nga roi|do xuong|bi do|gay|nghieng|sap)\b"),
        re.compile(r"\b(?:nga|do|gay|sap)\s+cot\s+dien\b"),
        re.compile(r"\bday\s+dien\b.{0,30}\b(?:dut|roi xuong|roi ra|rot|vang|sa xuong|sa thap|chung|bung|tuot"
                   r"|nam duoi)\b"),
        re.compile(r"\b(?:dut|rot|roi)\s+day\s+(?:dien|trung the|ha the)\b"),
    ),
    WATER: (
        re.compile(r"\b(?:ngap|nuoc(?! ngoai))\b.{0,40}\b" + _DEVICE + r"\b"),
        re.compile(r"\b" + _DEVICE + r"\b.{0,30}\b(?:ngap|bi uot|dinh nuoc|vao nuoc|ngam nuoc)\b"),
    ),
}
# Words with the diacritics that make them unambiguous ("cháy" is never "chạy").
_MARKED: dict[str, re.Pattern[str]] = {
    FIRE: re.compile(r"(?<!\w)(?:cháy(?! túi)(?! ví)|khét|tiếng nổ|phát nổ|nổ tung|bị nổ|nổ lớn|bốc khói)(?!\w)"),
}
# "ngập nước"/"mưa" are dangers only near something electric; a question about the water bill is not.
_WATER_EXCLUDED = re.compile(r"\b(?:tien nuoc|hoa don nuoc|cap nuoc|nuoc sach)\b")


def hazard_in(text: str) -> str | None:
    """The kind of danger `text` describes (the most urgent when several), or None."""
    if not text:
        return None
    lowered = text.lower()
    folded = " ".join(fold(text).split())
    found = {kind for kind, patterns in _PATTERNS.items() if any(p.search(folded) for p in patterns)}
    found |= {kind for kind, pattern in _MARKED.items() if pattern.search(lowered)}
    if WATER in found and _WATER_EXCLUDED.search(folded):
        found.discard(WATER)
    return next((kind for kind in KINDS if kind in found), None)
