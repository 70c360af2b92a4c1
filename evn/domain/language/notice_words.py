"""Which kinds of notice a customer names in "ngừng nhận thông báo cúp điện" (none named: every kind).

Folded text (no diacritics, lower case), so "cup dien", "cúp điện" and "mất điện" agree;
Northern and Southern words for the same thing are both listed.
"""
from __future__ import annotations

from evn.domain import linear_regex
from evn.domain.notices import NoticeKind
from evn.domain.periods import fold

_WORDS: tuple[tuple[str, tuple[NoticeKind, ...]], ...] = (
    (r"cup dien|cat dien|mat dien|ngung cung cap|lich (cup|cat|ngung)|bao tri", (NoticeKind.OUTAGE_PLANNED,)),
    (r"cup dien|mat dien|su co|co dien lai|khoi phuc", (NoticeKind.OUTAGE_UPDATE, NoticeKind.OUTAGE_RESTORED)),
    (r"nhac (no|nho|han|thanh toan|dong tien)|qua han|den han|han (thanh toan|dong)|tien no|\bno\b",
     (NoticeKind.BILL_DUE, NoticeKind.BILL_OVERDUE)),
    (r"hoa don|tien dien|phat hanh", (NoticeKind.BILL_ISSUED,)),
    (r"yeu cau|ho so|trang thai|tien do|\bphieu\b", (NoticeKind.REQUEST_STATUS,)),
    (r"da (thanh toan|dong tien)|xac nhan thanh toan|nhan tien|thanh toan thanh cong", (NoticeKind.PAYMENT_RECEIVED,)),
    (r"canh bao|vuot muc|vuot nguong", (NoticeKind.USAGE_ALERT,)),
)


def kinds_named(text: str) -> tuple[NoticeKind, ...]:
    folded = fold(text or "")
    found: list[NoticeKind] = []
    for pattern, kinds in _WORDS:
        if linear_regex.search(pattern, folded):
            found.extend(kind for kind in kinds if kind not in found)
    return tuple(found)
