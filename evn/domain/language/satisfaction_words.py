"""A rating in a customer's words, typed instead of pressing a button ("5", "5 sao", "cho 4 điểm nha", "⭐⭐⭐",
"rất hài lòng", "tạm được", "chưa hài lòng lắm", "te qua"), and a comment declined ("không", "thôi khỏi", "bỏ
qua"). Read on folded text; only right after the question is a message read this way (dialogue_policies/
satisfaction_policy.py), so "5" elsewhere keeps its meaning.
"""
from __future__ import annotations

from evn.domain import linear_regex
from evn.domain.language.callback_words import names_a_call
from evn.domain.language.confirmations import is_no, only_a_yes
from evn.domain.periods import fold

# Words that may stand around a number given as a rating: "cho 5 sao nhé em", "mình chấm 4 điểm".
_AROUND = (r"(?:cho|cham|danh gia|dg|em|minh|toi|tui|anh|chi|ad|ban|thi|la|duoc|dc|nhe|nha|nhen|a|ak|ah|nhe em"
           r"|luon|roi|r|oi|do|nay|thoi|ha|nek|ne|di|muc|diem)")
_DIGITS = {"1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "mot": 1, "hai": 2, "ba": 3, "bon": 4, "nam": 5}
# A number rates only alone or as stars, points or "/5": "năm" or "hai" in a sentence is a year or a count.
_NUMBER = linear_regex.compile(
    rf"^(?:{_AROUND} )*(?P<n>[1-5])(?: ?(?:sao|\*|diem|d|/ ?5|tren 5))?(?: {_AROUND})*$"
    rf"|^(?:{_AROUND} )*(?P<w>mot|hai|ba|bon|nam) (?:sao|diem)(?: {_AROUND})*$"
    rf"|^(?:{_AROUND} )*(?P<ten>10) (?:diem|d|/ ?10)(?: {_AROUND})*$")
_STARS = linear_regex.compile(r"^[\s⭐★☆*]+$")
# Phrases, strongest first: the first that matches decides ("rất không hài lòng" before "hài lòng").
_PHRASES: tuple[tuple[int, linear_regex.Pattern], ...] = tuple(
    (score, linear_regex.compile(pattern)) for score, pattern in (
        (1, r"\b(?:rat|qua|cuc ky|cuc|that su|hoan toan) (?:khong|ko|k|chua) hai long\b"
            r"|\b(?:rat|qua|cuc ky|cuc|that su|that|qua la|do) te\b|\bte (?:qua|lam|hai|that|vl|that su)\b"
            r"|\bqua te\b|\btoi te\b|\bkem qua\b|\brat kem\b"),
        (2, r"\b(?:khong|ko|k|chua|hong|hok) (?:duoc )?hai long\b|\bchua on\b|\bkhong on\b|\bko on\b|\bkem\b"
            r"|^te$|\bhoi te\b|\bkhong tot\b|\bko tot\b|\bchua tot\b"),
        (5, r"\b(?:rat|qua|cuc ky|cuc|that su|hoan toan) hai long\b|\bhai long (?:lam|qua|lun|luon|100)\b"
            r"|\b(?:rat|qua|cuc|cuc ky|that su) tot\b|\btot (?:lam|qua|that|vl)\b|\btuyet voi\b|\bxuat sac\b"
            r"|\bqua tuyet\b|\btuyet\b|\bqua ok\b|\bqua on\b|\b10 diem\b"),
        (4, r"\bhai long\b|^tot$|\b(?:kha|cung|van) tot\b|\bon ap\b|^on$|\b(?:kha|cung|rat|van) on\b|\bon lam\b"),
        (3, r"\bbinh thuong\b|\btam (?:duoc|dc|on|tam|chap nhan duoc)\b|\bcung (?:duoc|dc)\b|\btrung binh\b"
            r"|\bthuong thoi\b|^tam$"),
    ))
_WORDS_AT_MOST = 12  # a longer message that says "hài lòng" somewhere is something else, told in passing
_RATING_WORDS = 5  # "rất không hài lòng lắm": a rating in words says no more than this
# Words that judge rather than ask: a comment ("nhân viên nhiệt tình lắm", "chờ lâu quá", "nên có thêm momo"),
# whatever the classifier makes of its nouns.
_JUDGES = linear_regex.compile(
    r"\b(?:nhiet tinh|than thien|chu dao|de thuong|lich su|tan tinh|chuyen nghiep|nhanh|cham|kho chiu|kho dung"
    # "lâu" judges as "chờ lâu", "lâu quá", not as "bao lâu" (how long: a question)
    r"|(?:qua|hoi|rat|cho|doi|the|kha|lau) lau|lau (?:qua|vay|the|lam|ghe|vl|roi|qua troi)"
    r"|kho hieu|kho khan|de dung|de hieu|tot|te|kem|tuyet|on ap|phien|rac roi|cai thien|gop y|y kien|mong la"
    r"|hy vong|hi vong|hai long|that vong|buc minh|buc|khen|che|ung ho|nen (?:co|them|lam|cai thien|cho phep|cho)"
    r"|lan sau|lan toi|sau nay|de nghi|kien nghi|goi y|neu co the|do te|hay (?:lam|qua)|rat ky|ky luong|ky cang"
    r"|tan tam|tan tuy|ro rang|chi tiet|nhiet tinh"
    r"|qua (?:cham|lau|te|kem|tot|nhanh|tuyet|hay|phien|kho|tien loi)|tien loi)\b"
    # "…quá", "…lắm", "…quá trời" closing a message: an intensifier, not "qua" (via) or "làm" (do)
    r"|\b(?:qua|lam|qua troi|ghe|vl)(?: (?:a|ak|ah|nha|nhe|luon|vay|z|di|ha|troi|oi))*$")
_DECLINE = linear_regex.compile(
    r"^(?:(?:thoi|da|vang|u|uh|ok|oke) )?"
    r"(?:khong|ko|k|hong|hok|thoi|khoi|bo qua|skip|thoi khoi|khong co gi|ko co gi|k co gi|khong can|ko can"
    r"|k can|het roi|vay thoi|the thoi|khong gop y|ko gop y|khong y kien|ko y kien|khong co|ko co|k co|hok co"
    r"|hong co|khong dau|ko dau)(?: (?:a|ak|nha|nhe|em|ad|dau|them|ca|gi|roi|r|oi|nua|y kien|gop y|them gi))*$")
_DECLINE_AT_MOST = 5



def _words(text: str) -> str:
    """Folded words; a letter held down is one ("5 saoo", "tốttt", "hài lòngggg")."""
    folded = linear_regex.sub(r"[^\w/*⭐★ ]", " ", fold(text or ""))
    return " ".join(_HELD.sub(lambda m: m.group(0)[0], folded).split())


_HELD = linear_regex.compile(r"a{2,}|e{2,}|g{2,}|i{2,}|o{2,}|t{2,}|u{2,}|y{2,}|h{2,}|c{2,}|n{3,}")


def score_in(text: str) -> int | None:
    """The rating a message gives (1 to 5), or None when it gives none."""
    stars = (text or "").strip()
    if stars and _STARS.search(stars):
        count = sum(stars.count(mark) for mark in "⭐★*")
        return count if 1 <= count <= 5 else None
    words = _words(text)
    number = _NUMBER.search(words) or _leading(text)
    if number is not None:
        if number.group("ten"):
            return 5
        return _DIGITS[number.group("n") or number.group("w")]
    if not words or len(words.split()) > _WORDS_AT_MOST:
        return None
    for score, pattern in _PHRASES:
        if pattern.search(words):
            return score
    return None


def beyond_the_rating(text: str) -> str:
    """What a typed rating says besides its score, kept as its comment: "bot trả lời hơi chậm" of "4 sao, bot trả lời
    hơi chậm"; a longer message that rates in words ("hài lòng, nhân viên nhiệt tình và gọi lại đúng hẹn") whole;
    nothing of "5 sao", "chưa hài lòng lắm", nor of a button's payload."""
    if (text or "").lstrip().startswith("/") or _NUMBER.search(_words(text)):
        return ""
    if _leading(text) is not None:
        rest = linear_regex.split(r"[,.;:!?\-–]| vì | vi | nhưng | nhung ", text, maxsplit=1)[1]
        return (rest or "").strip(" ,.;:-")
    return text.strip() if len(_words(text).split()) > _RATING_WORDS else ""


def _leading(text: str) -> linear_regex.Match | None:
    """A rating that opens a comment: "4 sao, bot trả lời hơi chậm" (a unit), "5 - nhân viên dễ thương" (a bare
    number before a judgement); not "2, 3 ngày nữa có người tới không" nor "5.000 đồng"."""
    parts = linear_regex.split(r"[,.;:!?\-–]| vì | vi | nhưng | nhung ", text or "", maxsplit=1)
    if len(parts) < 2:
        return None
    first, rest = _words(parts[0] or ""), parts[1] or ""
    number = _NUMBER.search(first)
    if number is None or not (linear_regex.search(r"sao|diem|\*|/", first) or sounds_like_feedback(rest)):
        return None
    return number


# Forms of address and particles, left out before a no is read ("thôi cháu, bác không có gì thêm").
_ADDRESSES = frozenset({"chau", "bac", "em", "e", "anh", "chi", "co", "chu", "con", "minh", "toi", "tui", "ad", "ban",
                        "a", "ak", "nha", "nhe", "oi", "ha", "day", "nhen"})


def declines(text: str) -> bool:
    """A comment declined ("không", "thôi khỏi em", "ko có gì đâu", "bỏ qua", "thôi cháu, bác không có gì thêm"):
    short, and a no."""
    words = _words(text)
    if not words or len(words.split()) > 2 * _DECLINE_AT_MOST:
        return False
    bare = " ".join(word for word in words.split() if word not in _ADDRESSES or word == "co") or words
    if len(bare.split()) > _DECLINE_AT_MOST:
        return False
    return _DECLINE.search(bare) is not None or (len(bare.split()) <= 2 and is_no(text))


def sounds_like_feedback(text: str) -> bool:
    """Whether a message judges (how it went, what should change) rather than asks for something."""
    return _JUDGES.search(_words(text)) is not None


def accepts_callback(text: str) -> bool:
    """A yes to the callback offered, or asking for it ("có", "ok gọi lại giúp em", "gọi cho tôi nhé")."""
    if declines(text) or is_no(text):
        return False
    return names_a_call(text) or only_a_yes(text)
