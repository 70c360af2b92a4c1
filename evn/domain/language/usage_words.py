"""Words that ask about the period running, day by day, without naming it: "từ đầu tháng tới giờ", "mỗi ngày xài
bao nhiêu", "ngày nào xài nhiều nhất", "tới nay hết mấy số" (folded text)."""
from __future__ import annotations

from evn.domain import linear_regex
from evn.domain.periods import fold

_SO_FAR = linear_regex.compile(
    r"\b(?:tu )?dau (?:thang|ky)\b.*\b(?:toi|den|cho) (?:gio|nay|hom nay|bay gio|hien tai)\b"
    r"|\b(?:tu dau thang|tu dau ky)\b"
    r"|\b(?:toi|den) (?:gio|nay|hom nay|bay gio|hien tai)\b.*\b(?:xai|dung|het|tieu thu)\b"
    r"|\b(?:moi ngay|1 ngay|mot ngay|hang ngay|tung ngay|theo ngay)\b.*\b(?:xai|dung|tieu thu|het)\b"
    r"|\b(?:xai|dung|tieu thu)\b.*\b(?:moi ngay|1 ngay|mot ngay|hang ngay|tung ngay|theo ngay)\b"
    r"|\bngay nao\b.*\b(?:xai|dung|tieu thu)\b.*\bnhieu nhat\b|\bhom qua\b.*\b(?:xai|dung|tieu thu)\b")


def asks_the_period_so_far(text: str) -> bool:
    return _SO_FAR.search(" ".join(fold(text or "").split())) is not None
