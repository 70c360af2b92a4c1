"""Danger to people, recognised in a customer's own words before anything else is asked.

Smoke, a burning smell, sparks, someone shocked, a fallen pole or wire, water near the
meter: the assistant answers with safety advice at once and files a top-priority report,
whatever form or verification the conversation is in. The words are matched with and
without diacritics; a folded word that also means something harmless ("chay" is both
cháy, burning, and chạy, running) counts only in phrases where it cannot.
"""
from __future__ import annotations

from evn.domain import linear_regex
from evn.domain.periods import fold

FIRE, SHOCK, FALLEN_LINE, SPARKS, WATER = "fire", "shock", "fallen_line", "sparks", "water"
KINDS = (SHOCK, FIRE, SPARKS, FALLEN_LINE, WATER)  # the most urgent first, when several are named

_DEVICE = r"(?:cong to|dong ho(?: dien)?|o cam|o dien|cau dao|aptomat|ap to mat|cb|tu dien|day dien|bang dien)"
# A match whose group `excluded` took part is a harmless phrase ("điện giật mình", "nước ngoài", "cháy túi").
_PATTERNS: dict[str, tuple[linear_regex.Pattern, ...]] = {
    SHOCK: (
        linear_regex.compile(r"\b(?:bi|dinh|vua bi)?\s*(?:dien giat|giat dien)\b(?P<excluded>\s+minh)?"),
        linear_regex.compile(r"\bdien\s+(?:no\s+)?giat\b(?P<excluded>\s+minh)?"),
        linear_regex.compile(r"\bchich dien\b"),
    ),
    FIRE: (
        linear_regex.compile(r"\b(?:boc|bok|ra|xi|toa|nghi ngut)\s+khoi\b"),
        linear_regex.compile(r"\bkhoi\s+(?:bay|boc|ra|den|trang)\b"),
        linear_regex.compile(r"\bmui\s+(?:khet|chay)\b"),
        linear_regex.compile(r"\bkhet\s+(?:let|qua|lam)\b"),
        linear_regex.compile(r"\b(?:boc|bi)\s+chay\b"),
        linear_regex.compile(r"\bboc chay\b"),
        linear_regex.compile(r"\bchay\s+(?:no|day dien|cong to|o cam|tu dien|dong ho)\b"),
        linear_regex.compile(r"\b(?:chap|chap chay)\s+dien\b|\b(?:dien\s+)?bi\s+chap\b(?P<excluded>\s+chon)?"),
        linear_regex.compile(r"\btieng\s+no\b|\bphat\s+no\b|\bno\s+(?:tung|lon|bup|cai bup)\b"),
        linear_regex.compile(r"\b(?:tram|may)\s+bien\s+ap\s+(?:bi\s+)?no\b"),
        linear_regex.compile(r"\bnong\s+(?:chay|ran|bong)\b"),
    ),
    SPARKS: (
        linear_regex.compile(r"\b(?:tia|toe|xet|ne|ban|phat|danh)\s+lua\b"),
        linear_regex.compile(r"\blua\s+(?:xet|toe|ban)\b"),
    ),
    FALLEN_LINE: (
        linear_regex.compile(r"\b(?:cot|tru)\s+dien\b.{0,60}\b(?:bi\s+nga|nga ra|nga xuong|nga roi|do xuong|bi do"
                             r"|gay|nghieng|sap)\b"),
        linear_regex.compile(r"\b(?:nga|do|gay|sap)\s+(?:cot|tru)\s+dien\b"),
        linear_regex.compile(r"\bday\s+dien\b.{0,30}\b(?:dut|roi xuong|roi ra|rot|vang|sa xuong|sa thap|chung|bung|tuot"
                             r"|nam duoi|vong thap|vong xuong|treo thap|sat mat dat|sat dau|ngang dau)\b"),
        linear_regex.compile(r"\b(?:dut|rot|roi)\s+day\s+(?:dien|trung the|ha the)\b"),
    ),
    WATER: (
        linear_regex.compile(r"\b(?P<excluded>nuoc ngoai)|\b(?:ngap|nuoc)\b.{0,40}\b" + _DEVICE + r"\b"),
        linear_regex.compile(r"\b" + _DEVICE + r"\b.{0,30}\b(?:ngap|bi uot|dinh nuoc|vao nuoc|ngam nuoc)\b"),
    ),
}
# Words with the diacritics that make them unambiguous ("cháy" is never "chạy").
_MARKED: dict[str, linear_regex.Pattern] = {
    FIRE: linear_regex.compile(r"(?<!\w)(?P<excluded>cháy (?:túi|ví))"
                               r"|(?<!\w)(?:cháy|khét|tiếng nổ|phát nổ|nổ tung|bị nổ|nổ lớn|bốc khói)(?!\w)"),
}
# "ngập nước"/"mưa" are dangers only near something electric; a question about the water bill is not.
_WATER_EXCLUDED = linear_regex.compile(r"\b(?:tien nuoc|hoa don nuoc|cap nuoc|nuoc sach)\b")


def hazard_in(text: str) -> str | None:
    """The kind of danger `text` describes (the most urgent when several), or None."""
    if not text:
        return None
    lowered = text.lower()
    folded = " ".join(fold(text).split())
    found = {kind for kind, patterns in _PATTERNS.items() if any(_said(p, folded) for p in patterns)}
    found |= {kind for kind, pattern in _MARKED.items() if _said(pattern, lowered)}
    if WATER in found and _WATER_EXCLUDED.search(folded):
        found.discard(WATER)
    return next((kind for kind in KINDS if kind in found), None)


def _said(pattern: linear_regex.Pattern, text: str) -> bool:
    """`pattern` matches `text` somewhere other than in a phrase its group `excluded` marks as harmless."""
    return any(found.groupdict().get("excluded") is None for found in pattern.finditer(text))
