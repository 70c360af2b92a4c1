"""Yes and no in a customer's words, for the questions the assistant asks ("hủy phiếu … không ạ?").

The classifier knows affirm and deny, but at a yes/no question "ok hủy luôn" or "phải
rồi, hủy giùm" is a yes whatever intent it looks like; a no that names the act ("không
hủy nữa") wins over the act's own word.
"""
from __future__ import annotations

from evn.domain import linear_regex
from evn.domain.periods import fold

_NO = linear_regex.compile(
    r"^(?:thoi|khoi|thoi khoi|thoi khong|khong|ko|k|hong|hok|chua|no)\b"
    r"|\b(?:khong|ko|k|chua)\s+(?:huy|can|muon|dong y|phai)\b|\bthoi khoi\b|\blam tiep\b|\bgiu lai\b"
)
_YES = linear_regex.compile(
    r"^(?:ok|oke|okay|uh|uhm|um|u|ua|da|vang|co|yes|y|duoc|dc|dong y|chac chan|chuan|dung|phai|xac nhan|gui"
    r"|chinh xac)\b"
    r"|\b(?:dung roi|phai roi|chac chan|dong y|xac nhan|huy luon|huy di|huy gium|huy giup|huy ho|gui di|gui luon"
    r"|duoc roi|ok roi|chuan roi)\b"
)


# "đừng" (don't) and "đúng" (right) fold alike: only the marked form is a no on its own.
_DONT = linear_regex.compile(r"(?<!\w)đừng(?!\w)")


def is_no(text: str) -> bool:
    return _NO.search(_words(text)) is not None or _DONT.search((text or "").lower()) is not None


# "cô" (a form of address) folds to "co" (yes): typed with marks, only "có" is a yes.
_CO_NOT_YES = linear_regex.compile(r"^\W*cô(?!\w)")


def is_yes(text: str) -> bool:
    """A yes, and not a no ("không hủy nữa" is a no though it says "hủy")."""
    if _CO_NOT_YES.search((text or "").lower()):
        return False
    return not is_no(text) and _YES.search(_words(text)) is not None


def _words(text: str) -> str:
    return " ".join(linear_regex.sub(r"[^\w\s]", " ", fold(text or "")).split())


# What a bare yes is made of: the yes, "gửi đi", particles and forms of address ("ok gửi đi em", "đồng ý nha").
_YES_ONLY_WORDS = frozenset({
    "ok", "oke", "okay", "okie", "uh", "uhm", "um", "u", "ua", "da", "vang", "co", "yes", "y", "duoc", "dc",
    "dong", "chac", "chan", "chuan", "dung", "phai", "xac", "nhan", "gui", "di", "luon", "roi", "r", "rui", "nha",
    "nhe", "ne", "a", "ak", "em", "anh", "chi", "ban", "ad", "bot", "minh", "toi", "tui", "lam", "vay", "the",
    "thi", "ha", "ho", "giup", "gium", "cho", "chinh",
})


def only_a_yes(text: str) -> bool:
    """A yes and nothing else ("đồng ý", "ok gửi đi em"): not an answer to a question that asked for words."""
    words = _words(text).split()
    return bool(words) and is_yes(text) and all(word in _YES_ONLY_WORDS for word in words)
