"""A customer who cannot give the registered phone (a new owner, an heir, a changed number).

Asking again for what someone said they do not have is a loop; they are told the other
road instead: changing the contract holder, with the papers it needs, or a person.
"""
from __future__ import annotations

from evn.domain import linear_regex
from evn.domain.periods import fold

_PHONE = r"(?:so dien thoai|so dt|sdt|dien thoai|so dang ky|so cua (?:chu|ong|ba|bo|me|nguoi)|sim)"
_PATTERNS = (
    linear_regex.compile(r"\b(?:khong|ko|k|hong|hok|chua)\s+(?:biet|nho|co|ro|giu)\s+" + _PHONE + r"\b"),
    linear_regex.compile(r"\b(?:quen|mat|doi|bo)\s+(?:mat\s+)?" + _PHONE + r"\b"),
    linear_regex.compile(r"\b" + _PHONE + r"\b.{0,30}\b(?:cua\s+)?(?:chu cu|nguoi cu|chu nha cu|nguoi ban"
                         r"|chu truoc)\b"),
    linear_regex.compile(r"\b(?:chu cu|nguoi cu|chu nha cu|nguoi ban nha|chu truoc)\b.{0,40}\b(?:khong|ko|k)\b"),
    linear_regex.compile(r"\b(?:nha moi mua|moi mua nha|mua lai nha|nha mua lai|moi nhan nha|thue lai nha)\b.{0,60}"
                         r"\b(?:khong|ko|k)\s+(?:biet|co|nho)\b"),
    linear_regex.compile(r"\b(?:khong|ko|k)\s+(?:biet|nho|co)\b.{0,20}\b(?:nha moi mua|moi mua nha|mua lai nha"
                         r"|nha mua lai)\b"),
    linear_regex.compile(r"\b(?:khong|ko|k)\s+(?:phai|la)\s+chu\s+(?:hop dong|nha|cong to)\b"),
    linear_regex.compile(r"\b(?:chu hop dong|ba|me|bo|ong|ba noi|ong noi)(?:\s+(?:em|toi|tui|minh|chau|con))?\s+"
                         r"(?:da\s+)?(?:mat roi|qua doi|da mat|mat nam)\b"),
    # "em ko biết mẹ đăng ký sđt nào": a few words between not knowing and the phone
    linear_regex.compile(r"\b(?:khong|ko|k|hong|hok|chua)\s+(?:biet|nho|ro)\b(?:\s+\w+){1,4}\s+" + _PHONE + r"\b"),
)


def lacks_registered_phone(text: str) -> bool:
    """'nhà mới mua, ko biết sđt chủ cũ', 'không nhớ số đăng ký', 'số cũ bỏ rồi'."""
    folded = " ".join(fold(text or "").split())
    return any(pattern.search(folded) for pattern in _PATTERNS)


_PAPERS = linear_regex.compile(r"\b(?:giay to|ho so|thu tuc|can gi|can nhung gi|mang gi|chuan bi gi)\b")


def asks_about_papers(text: str) -> bool:
    """'vậy cần giấy tờ gì', 'thủ tục sao': what the other road needs."""
    return _PAPERS.search(" ".join(fold(text or "").split())) is not None
