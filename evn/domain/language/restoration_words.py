"""Whether a message asks when the power comes back ("có điện lại chưa", "bao giờ có điện", "mấy giờ có điện
lại", "sửa xong chưa", "bao lâu nữa mới có điện"), on folded text, with or without diacritics and in chat
shorthand ("bh", "khi nao", "chua"). Only the words: what is known of the place is the incidents' data."""
from __future__ import annotations

from evn.domain import linear_regex
from evn.domain.periods import fold

_WHEN = (r"(?:bao gio|bh|bgio|khi nao|luc nao|may gio|may h|bao lau(?: nua)?|bn lau(?: nua)?|bao nhieu lau(?: nua)?"
         r"|chung nao|den khi nao|bao gio thi)")
_ASKS = linear_regex.compile(
    r"\b(?:co dien lai chua|co dien chua|dien co lai chua|dien co chua|dien da co lai chua|da co dien (?:lai )?chua"
    rf"|{_WHEN}(?: thi| moi| se| duoc)*(?: co dien| dien co| co lai dien| dong dien| cap dien lai| khoi phuc)"
    r"|(?:co dien|dien co|co lai dien)(?: lai)? (?:luc|vao luc)? ?(?:may gio|khi nao|bao gio)"
    r"|(?:sua|khac phuc|xu ly)(?: \w+){0,2} xong chua|du kien (?:co dien|khoi phuc|dong dien)"
    r"|(?:khoi phuc|dong dien lai|cap dien lai)(?: \w+){0,2} chua"
    # "có điện không ad", "sao lâu quá", "không có giờ cụ thể hả" ("vẫn chưa có điện lại" tells a cut: a report)
    r"|co dien (?:lai )?(?:khong|ko|k|hong|hok|hem|chua)"
    # a follow-up that leaves "điện" out: "khoảng mấy giờ có hả ad", "còn bn lâu nữa mới có lại z"
    rf"|{_WHEN} (?:thi |moi |se )?co(?: lai)?(?: (?:ha|hong|ko|khong|vay|z|a|ad|chua|ne)|$)"
    r"|(?:moi|se|thi) co lai (?:ha|hong|ko|khong|vay|z|a|ad|chua|ne|$)"
    r"|(?:sao|doi|cho) (?:\w+ )?lau (?:qua|vay|the|z|the nay)|gio cu the|thoi gian cu the)\b")
# What asks the planned schedule rather than this outage: a day, a list, the words of a planned cut.
_SCHEDULE = linear_regex.compile(r"\b(?:lich|ke hoach|bao tri|cat dien|ngung cap|ngung cung cap|ngay|mai|ngay mai"
                                 r"|mot|tuan|thu [2-7]|thu (?:hai|ba|tu|nam|sau|bay)|chu nhat|cuoi tuan|thang)\b")


def asks_restoration(text: str) -> bool:
    """Whether the message asks when (or whether) the power is back."""
    return _ASKS.search(" ".join(fold(text or "").replace("?", " ").split())) is not None


def names_the_schedule(text: str) -> bool:
    """Whether the message asks the planned schedule (a day, a list, a planned cut's words), not this outage."""
    return _SCHEDULE.search(" ".join(fold(text or "").replace("?", " ").split())) is not None


_WAITING = linear_regex.compile(r"\b(?:sao|van|van con|gio van|sao van) chua co dien\b")


def waits_for_power(text: str) -> bool:
    """"sao chưa có điện nữa", "vẫn chưa có điện": waiting for the power told (waiting alone, "đợi nãy giờ rồi",
    may be for anything), which is asking when it comes back
    unless it reports the cut (the classifier's report stays one)."""
    return _WAITING.search(" ".join(fold(text or "").replace("?", " ").split())) is not None
