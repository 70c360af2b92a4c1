"""Whether a message speaks of power that is off, weak or unsafe to use: the words every report of an outage has.

A report files a ticket, so a message the classifier took for one must say so in some words: "mất điện", "cúp",
"cắt điện", "không có điện", "tắt hết", "tối thui", "chập chờn", "điện yếu", "mất pha", "nhảy CB", "sự cố". "ba con ở
Q1 nhờ con đóng tiền điện giùm mà ba hổng nhớ mã" (a bill) or "cô ở 12 Lê Lợi, hồi tháng 6 nóng quá…" (a story
before a bill question) name a place and no cut: they are not reports, whatever the classifier guessed.
"""
from __future__ import annotations

from evn.domain import linear_regex
from evn.domain.periods import fold

_CUT = linear_regex.compile(
    r"(?<!\w)(?:mat dien|mat\s+\w+\s+dien|cup|cat dien|cat\s+\w+\s+dien|ngat dien|ngung cap dien|ngung cung cap"
    r"|(?:khong|ko|k|hong|hok|kg|chua|het|chang)\s+co\s+dien|het dien|co dien lai|dien lai|co dien chua|mat dien"
    r"|tat het|tat sach|tat ngom|tat phut|tu tat|dien tat|tat dien|sap dien|sap nguon|toi thui|toi om|toi den|toi mit"
    r"|chap chon|nhap nhay|nhay lien|chop tat|dien yeu|yeu dien|dien chap|dien sut|sut ap|ap thap|mat pha|mat \d pha"
    r"|mat mot pha|lech pha|nhay (?:cb|aptomat|ap to mat|cau dao)|(?:cb|aptomat|cau dao) (?:nhay|sap)|su co|bup"
    r"|cup bup|mat nguon|no tram|tram (?:bien ap )?no|dut day|day dut|ko len|khong len|den khong sang|den ko sang"
    r"|khong sang|ko sang|outage|blackout|power cut|no power|dien (?:dang )?bi mat|mat het|dien ap (?:yeu|thap)"
    r"|no (?:cb|aptomat|cau dao)|(?:cb|aptomat|cau dao)(?: tong)?(?: \w+){0,3} no|dut|co dien ma)(?!\w)")
# What a bill, a payment or a contract is asked with: a "report" with these and no word of a cut is about them.
_BILL = linear_regex.compile(r"(?<!\w)(?:tien dien|hoa don|bill|dong tien|tra tien|nop tien|thanh toan|so tien"
                             r"|chuyen khoan|ma khach hang|ma kh|no tien|con no"
                             # the contract and its holder ("bố em mất rồi, hợp đồng vẫn đứng tên bố")
                             r"|dung ten|chu cu|chu moi|sang ten|hop dong|so dien thoai|sdt|so dt)(?!\w)")


def speaks_of_a_power_cut(text: str) -> bool:
    return _CUT.search(" ".join(fold(text or "").split())) is not None


def speaks_of_a_bill_not_a_cut(text: str) -> bool:
    """Words of a bill, a payment or a contract and no word of a cut: what a report of an outage cannot be."""
    folded = " ".join(fold(text or "").split())
    return _BILL.search(folded) is not None and _CUT.search(folded) is None


# A cut that is over, asked about: "tối qua cúp điện là do lịch hả", "sáng nay cúp từ 8h tới trưa là sao, giờ có điện
# rồi". Not one going on ("tới giờ", "vẫn chưa có điện", "đang"), which is a report.
_OVER = linear_regex.compile(r"(?<!\w)(?:(?:hom|bua)\s*qua|(?:sang|trua|chieu|toi|dem)\s+qua|(?:sang|trua) nay"
                             r"|hom truoc|bua truoc|luc nay|hoi nay|co dien (?:lai )?roi|dien co lai roi"
                             r"|co lai roi)(?!\w)")
_GOING_ON = linear_regex.compile(r"(?<!\w)(?:toi gio|den gio|tu nay gio|van chua|van mat|van cup|chua co dien|dang mat"
                                 r"|dang cup|bay gio van|gio van)(?!\w)")


def asks_about_a_cut_that_is_over(text: str) -> bool:
    """A question about a cut that has ended, which the schedule explains, not a report of one going on."""
    folded = " ".join(fold(text or "").split())
    return _OVER.search(folded) is not None and _GOING_ON.search(folded) is None


# A cut planned, asked about: "lịch cắt điện phường Tràng Tiền", "nghe nói thứ 7 này khu em cúp điện, thật không",
# "cat dien cau giay thang 12": the schedule's words, or a day or month to come beside a cut.
_PLANNED = linear_regex.compile(
    r"(?<!\w)(?:lich|ke hoach|thong bao (?:cat|cup|ngung|ngat|mat)|du kien|se (?:bi )?(?:cat|cup|mat|ngung)"
    r"|sap (?:bi )?(?:cat|cup|mat)|nghe noi|ngay mai|mai|tuan (?:nay|sau|toi)|cuoi tuan|thu [2-7]"
    r"|thu (?:hai|ba|tu|nam|sau|bay)|chu nhat|cn nay|thang \d{1,2}|thang (?:nay|sau|toi)|ngay \d{1,2}(?:/\d{1,2})?"
    r"|\d{1,2}/\d{1,2}|(?:bao gio|khi nao|hom nao|ngay nao|chung nao|luc nao) (?:\w+ )?(?:cup|cat|mat|ngung))(?!\w)")
# What a report of a cut going on says: now, still, since, at home.
_NOW = linear_regex.compile(r"(?<!\w)(?:dang (?:bi )?(?:mat|cup|cat)|(?:mat|cup|cat) dien (?:roi|r)|van"
                            r"|tu (?:sang|trua|chieu|toi|hom qua|qua|\d)"
                            r"|tu nhien|tat het|tat phut|phut|toi om|toi thui|hang xom"
                            r"|nay gio|bay gio|gio nay|hien (?:tai|gio)|luc nay|moi (?:bi )?(?:mat|cup)|nha (?:em|e|toi"
                            r"|tui|minh|chi|anh|co|chu|bac)(?: \w+){0,3} (?:mat|cup|khong co dien|ko co dien))(?!\w)")


def asks_of_a_planned_cut(text: str) -> bool:
    """Words of a cut with the schedule's words or a time to come, and none of a cut going on now."""
    folded = " ".join(fold(text or "").split())
    return (_CUT.search(folded) is not None and _PLANNED.search(folded) is not None
            and _NOW.search(folded) is None and _GOING_ON.search(folded) is None)
