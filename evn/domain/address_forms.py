"""How the customer refers to themself ("bác muốn xem hóa đơn", "cho cô hỏi"), so the reply says the same.

Vietnamese has no neutral "you": an assistant that answers "anh/chị" to someone who calls
themself "bác" sounds like a form letter. Only unambiguous uses count: "cô", "chị", "bà",
"ông" without diacritics are also "có", "chỉ", "ba", "ống", so typed without diacritics they
count only in "cho ... hỏi/xem". "tôi", "mình", "em" change nothing.
"""
from __future__ import annotations

import re

from evn.domain.periods import fold

FORMS = ("bác", "cô", "chú", "anh", "chị", "ông", "bà", "dì")
DEFAULT = "anh/chị"
_MARKED = "|".join(FORMS)
_VERBS = (r"muốn|cần|hỏi|xem|tra|đang|bị|có|không|ko|chưa|còn|đã|mới|ở|tên|đóng|gửi|định|nhờ|thấy|dùng|xài"
          r"|nợ|vừa|sẽ|nghe|quên|thì|đây|hông|hok|k|làm|vẫn|đi|về|nhận|trả")
_OPENING = r"^(?:(?:dạ|da|vâng|ừ|ờ|uh|ok|à|alo|chào em|em ơi|ad ơi|cháu ơi)[\s,.!]+)*"
# "giúp anh ấy", "nhà bà ngoại", "của chị tôi": someone else, not the customer.
_NOT_SOMEONE_ELSE = r"(?!\s+(?:ấy|ngoại|nội|tôi|em|kia|nó)(?!\w))"
_MARKED_PATTERNS = (
    re.compile(_OPENING + r"(" + _MARKED + r")\s+(?:" + _VERBS + r")(?!\w)"),
    re.compile(r"(?<!\w)(?:cho|giúp|giùm|hộ|với|nhà|của)\s+(" + _MARKED + r")(?!\w)(?!\s*/)" + _NOT_SOMEONE_ELSE),
    re.compile(r"(?<!\w)(" + _MARKED + r")\s+(?:là chủ|là khách|tên là|năm nay)(?!\w)"),
)
# Without diacritics: only the forms no other word folds to ...
_FOLDED_SAFE = {"bac": "bác", "chu": "chú", "anh": "anh"}
_FOLDED_VERBS = (r"muon|can|hoi|xem|tra|dang|bi|khong|ko|chua|con|da|moi|o|ten|dong|gui|dinh|nho|thay|dung|xai"
                 r"|no|vua|se|nghe|quen|hong|hok|k|lam|van")
_FOLDED_PATTERNS = (
    re.compile(_OPENING.replace("dạ|", "").replace("vâng|ừ|ờ|", "").replace("à|", "").replace("chào em", "chao em")
               .replace("em ơi", "em oi").replace("ad ơi", "ad oi").replace("cháu ơi", "chau oi")
               + r"(bac|chu|anh)\s+(?:" + _FOLDED_VERBS + r")\b"),
    re.compile(r"\b(?:cho|giup|gium|nha|cua)\s+(bac|chu|anh)\b(?!\s*/)" + fold(_NOT_SOMEONE_ELSE)),
)
# ... and every form in "cho ... hỏi / xem / tra / biết".
_FOLDED_ASKING = re.compile(r"\b(?:cho|giup|gium)\s+(bac|co|chu|anh|chi|ong|ba|di)\s+(?:hoi|xem|tra|biet)\b")
_FROM_FOLDED = {"bac": "bác", "co": "cô", "chu": "chú", "anh": "anh", "chi": "chị", "ong": "ông", "ba": "bà",
                "di": "dì"}


def self_reference(text: str) -> str | None:
    """The form the customer calls themself in `text` ("bác", "cô", ...), or None."""
    lowered = " ".join((text or "").lower().split())
    if not lowered:
        return None
    for pattern in _MARKED_PATTERNS:
        match = pattern.search(lowered)
        if match:
            return match.group(1)
    folded = fold(lowered)
    if folded == lowered or not _has_marks(lowered):  # typed without diacritics
        match = _FOLDED_ASKING.search(folded)
        if match:
            return _FROM_FOLDED[match.group(1)]
        for pattern in _FOLDED_PATTERNS:
            match = pattern.search(folded)
            if match:
                return _FOLDED_SAFE[match.group(1)]
    return None


def _has_marks(text: str) -> bool:
    return fold(text) != text.replace("đ", "d")


def title(form: str) -> str:
    """'bác' -> 'Bác', 'anh/chị' -> 'Anh/chị': the form at the start of a sentence."""
    return form[:1].upper() + form[1:]
