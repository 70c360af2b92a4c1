"""Keys struck at random ("asdfgh qwerty", "zxcvbnm") are not a question about something else: they are not
understood, while "tiền nước bao nhiêu" or "kể chuyện cười" are understood and out of scope. Told apart by the
shape of Vietnamese syllables: words of four letters or more that no syllable can be, and no loanword customers use.
"""
from __future__ import annotations

from evn.domain import linear_regex
from evn.domain.periods import fold

_SYLLABLE = linear_regex.compile(
    r"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?$")
_LOANWORDS = frozenset({"wifi", "internet", "online", "facebook", "zalo", "momo", "vnpay", "zalopay", "banking",
                        "hotline", "link", "email", "gmail", "okay", "bill", "check", "admin", "shopee", "tiktok",
                        "youtube", "google", "iphone", "android", "smartphone", "camera", "mobile", "viettel",
                        "vinaphone", "mobifone", "fpt", "vnpt"})
_WORD = linear_regex.compile(r"[a-z]+")


def is_gibberish(text: str) -> bool:
    """More than half of the message's longer words cannot be Vietnamese syllables or known loanwords."""
    words = [word for word in _WORD.findall(fold(text or "").lower()) if len(word) >= 4]
    if not words:
        return False
    strange = [word for word in words if word not in _LOANWORDS and not _SYLLABLE.match(word)]
    return len(strange) * 2 > len(words)
