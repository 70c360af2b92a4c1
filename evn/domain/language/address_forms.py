"""How the customer refers to themself ("bác muốn xem hóa đơn", "cho cô hỏi"), so the reply says the same.

Vietnamese has no neutral "you": an assistant that answers "anh/chị" to someone who calls
themself "bác" sounds like a form letter. Only unambiguous uses count: "cô", "chị", "bà",
"ông" without diacritics are also "có", "chỉ", "ba", "ống", so typed without diacritics they
count only in "cho ... hỏi/xem". "tôi", "mình", "em" change nothing.
"""
from __future__ import annotations

from evn.domain import linear_regex
from evn.domain.periods import fold

FORMS = ("bác", "cô", "chú", "anh", "chị", "ông", "bà", "dì")
DEFAULT = "anh/chị"
_MARKED = "|".join(FORMS)
_VERBS = (r"muốn|cần|hỏi|xem|tra|đang|bị|có|không|ko|chưa|còn|đã|mới|ở|tên|đóng|gửi|định|nhờ|thấy|dùng|xài"
          r"|nợ|vừa|sẽ|nghe|quên|thì|đây|hông|hok|k|làm|vẫn|đi|về|nhận|trả|mất|mua|gọi|nhắn|chờ|đợi|hỏi|thắc|bực")
# The start of the message or of one of its clauses ("cúp điện hoài, chú bực lắm nghen").
_OPENING = r"(?:^|[,.!?;]\s*)(?:(?:dạ|da|vâng|ừ|ờ|uh|ok|à|alo|chào em|em ơi|ad ơi|cháu ơi)[\s,.!]+)*"
# What may not follow "cho anh", "nhà bà"...: "anh/chị" (no one's form), or "giúp anh ấy", "nhà bà ngoại",
# "của chị tôi" (someone else, not the customer). Checked after the match: RE2 has no such look-ahead.
_SOMEONE_ELSE = r"\s*/|\s+(?:ấy|ngoại|nội|tôi|em|kia|nó)(?!\w)"
# Each pattern with what must not follow its match (None: anything may).
_MARKED_PATTERNS = (
    (linear_regex.compile(_OPENING + r"(" + _MARKED + r")\s+(?:" + _VERBS + r")(?!\w)"), None),
    (linear_regex.compile(r"(?<!\w)(?:cho|giúp|giùm|hộ|với|nhà|của)\s+(" + _MARKED + r")(?!\w)"),
     linear_regex.compile(_SOMEONE_ELSE)),
    (linear_regex.compile(r"(?<!\w)(" + _MARKED + r")\s+(?:là chủ|là khách|tên là|năm nay)(?!\w)"), None),
)
# Without diacritics: only the forms no other word folds to ...
_FOLDED_SAFE = {"bac": "bác", "chu": "chú", "anh": "anh"}
_FOLDED_VERBS = (r"muon|can|hoi|xem|tra|dang|bi|khong|ko|chua|con|da|moi|o|ten|dong|gui|dinh|nho|thay|dung|xai"
                 r"|no|vua|se|nghe|quen|hong|hok|k|lam|van|mat|mua|goi|nhan|doi")
_FOLDED_PATTERNS = (
    (linear_regex.compile(
        _OPENING.replace("dạ|", "").replace("vâng|ừ|ờ|", "").replace("à|", "").replace("chào em", "chao em")
        .replace("em ơi", "em oi").replace("ad ơi", "ad oi").replace("cháu ơi", "chau oi")
        + r"(bac|chu|anh)\s+(?:" + _FOLDED_VERBS + r")\b"), None),
    (linear_regex.compile(r"\b(?:cho|giup|gium|nha|cua)\s+(bac|chu|anh)\b"), linear_regex.compile(fold(_SOMEONE_ELSE))),
)
# ... and every form in "cho ... hỏi / xem / tra / biết".
_FOLDED_ASKING = linear_regex.compile(r"\b(?:cho|giup|gium)\s+(bac|co|chu|anh|chi|ong|ba|di)\s+(?:hoi|xem|tra|biet)\b")
_FROM_FOLDED = {"bac": "bác", "co": "cô", "chu": "chú", "anh": "anh", "chi": "chị", "ong": "ông", "ba": "bà",
                "di": "dì"}


def self_reference(text: str) -> str | None:
    """The form the customer calls themself in `text` ("bác", "cô", ...), or None."""
    lowered = " ".join((text or "").lower().split())
    if not lowered:
        return None
    for pattern, not_followed_by in _MARKED_PATTERNS:
        match = _first(pattern, lowered, not_followed_by)
        if match:
            return match.group(1)
    folded = fold(lowered)
    if folded == lowered or not _has_marks(lowered):  # typed without diacritics
        match = _FOLDED_ASKING.search(folded)
        if match:
            return _FROM_FOLDED[match.group(1)]
        for pattern, not_followed_by in _FOLDED_PATTERNS:
            match = _first(pattern, folded, not_followed_by)
            if match:
                return _FOLDED_SAFE[match.group(1)]
    return None


def _first(
    pattern: linear_regex.Pattern, text: str, not_followed_by: linear_regex.Pattern | None
) -> linear_regex.Match | None:
    """The first match of `pattern` in `text` that `not_followed_by` does not match right after."""
    for match in pattern.finditer(text):
        if not_followed_by is None or not not_followed_by.match(text, match.end()):
            return match
    return None


def _has_marks(text: str) -> bool:
    return fold(text) != text.replace("đ", "d")


def title(form: str) -> str:
    """'bác' -> 'Bác', 'anh/chị' -> 'Anh/chị': the form at the start of a sentence."""
    return form[:1].upper() + form[1:]
