"""Words that ask about the period running, day by day, without naming it ("từ đầu tháng tới giờ", "mỗi ngày xài
bao nhiêu", "ngày nào xài nhiều nhất", "tới nay hết mấy số"), or several periods side by side (folded text)."""
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


# "mấy ký" is "how many kWh" (ký: kWh): only "mấy tháng" counts periods.
_SEVERAL = linear_regex.compile(r"\b(?:cac|nhung|vai|mot so) (?:thang|ky)\b|\bmay thang\b|\bso sanh\b.*\b(?:thang|ky)\b"
                                r"|\b(?:thang|ky) nao\b.*\bnhat\b|\b(?:theo|tung) (?:thang|ky)\b")


def asks_several_periods(text: str) -> bool:
    """"so sánh điện các tháng", "biểu đồ mấy tháng nay", "tháng nào dùng nhiều nhất": the periods side by side,
    even with words that also name this month ("mấy tháng nay")."""
    return _SEVERAL.search(" ".join(fold(text or "").split())) is not None


def asks_the_period_so_far(text: str) -> bool:
    return _SO_FAR.search(" ".join(fold(text or "").split())) is not None
