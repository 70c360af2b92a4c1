"""Whether a message asks when the power comes back ("có điện lại chưa", "bao giờ có điện", "mấy giờ có điện
lại", "sửa xong chưa", "bao lâu nữa mới có điện"), on folded text, with or without diacritics and in chat
shorthand ("bh", "khi nao", "chua"). Only the words: what is known of the place is the incidents' data."""
from __future__ import annotations

from evn.domain import linear_regex
from evn.domain.periods import fold

_WHEN = r"(?:bao gio|bh|bgio|khi nao|luc nao|may gio|may h|bao lau(?: nua)?|chung nao|den khi nao|bao gio thi)"
_ASKS = linear_regex.compile(
    r"\b(?:co dien lai chua|co dien chua|dien co lai chua|dien co chua|dien da co lai chua|da co dien (?:lai )?chua"
    rf"|{_WHEN}(?: thi| moi| se| duoc)*(?: co dien| dien co| co lai dien| dong dien| cap dien lai| khoi phuc)"
    r"|(?:co dien|dien co|co lai dien)(?: lai)? (?:luc|vao luc)? ?(?:may gio|khi nao|bao gio)"
    r"|(?:sua|khac phuc|xu ly)(?: \w+){0,2} xong chua|du kien (?:co dien|khoi phuc|dong dien)"
    r"|(?:khoi phuc|dong dien lai|cap dien lai)(?: \w+){0,2} chua)\b")


def asks_restoration(text: str) -> bool:
    """Whether the message asks when (or whether) the power is back."""
    return _ASKS.search(" ".join(fold(text or "").replace("?", " ").split())) is not None
