"""Follow-ups are one mechanism: a message that changes one value of the answer just given, or asks about it.

The answer just given is a frame: what was asked (the action that answered), for which code, period, kWh, place,
link. "còn tháng bảy", "cả năm nay", "so với kỳ trước", "cộng lại", "gửi lại link", "còn xài được không", "ra tiền
luôn", "còn thứ 7 thì sao", "chừng nào mới có người", a yes in any words to a request's summary ("ok gửi, cho e
mã yêu cầu"): each reruns or completes that frame. Which words fit which
frame is here; the dialogue takes them before its rules (dialogue_policies/follow_up_policy.py) and the action
server reruns the frame (actions/follow_ups.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from evn.domain import linear_regex
from evn.domain.language import alert_levels, hotline_words, payment_words, tariff_words
from evn.domain.language.comparisons import compares
from evn.domain.language.confirmations import is_yes
from evn.domain.language.message_values import CODE, PERIOD_NAMED, find_values
from evn.domain.language.quantities import multiplier, parse_kwh
from evn.domain.language.reading_dispute_words import register_read
from evn.domain.language.relative_days import parse_day_range
from evn.domain.language.request_clauses import is_a_question
from evn.domain.outage_schedule import load_schedule
from evn.domain.periods import asks_this_year, fold
from evn.domain.place_names import places_named
from evn.domain.scam_check.links import has_link

SCHEDULE, TARIFF, PAYMENT_METHODS = "action_show_outage_schedule", "action_show_tariff", "action_show_payment_methods"
ANSWER, ESTIMATE, HANDOFF = "action_answer_verified", "action_estimate_bill", "action_handoff"
FILED = "action_submit_service_request"
REPORTED = ("action_report_outage", "action_report_hazard")  # reports filed: their number asked as a request's
ALERTS = "usage_alert"  # the question an alert's answer answered: its follow-ups set, list or cancel again
DISPUTE = "dispute_reading"  # a disputed reading shown: the register the customer then reads follows it up
SUMMARY = "action_service_summary"  # "gửi đi nhé?": the request's summary, waiting for a yes
CONTACT = "action_add_report_contact"  # a phone given right after a report: kept on that ticket
HOTLINE = "action_tell_hotline"
SCAM, SCAM_STEPS = "action_check_scam", "action_scam_what_to_do"  # a check answered; what to do after one
SCAM_SITES, SCAM_VERIFY = "action_scam_official_sites", "action_scam_how_to_verify"
_AFTER_A_CHECK = (SCAM, SCAM_STEPS, SCAM_SITES, SCAM_VERIFY)
# After a check: the real site ("vậy web thật là gì", "trang chính thức là trang nào").
_REAL_SITE = linear_regex.compile(r"(?<!\w)(?:web|website|trang|trang web|dia chi|link|ten mien)\s+(?:\w+\s+)?"
                                  r"(?:that|thiet|chinh thuc|chuan|dung)(?!\w)")
# After a check: where to pay for real ("thế đóng tiền điện qua stk nào mới đúng"): the ways to pay.
_REAL_WAY_TO_PAY = linear_regex.compile(
    r"(?<!\w)(?:(?:stk|tai khoan|so tk|so tai khoan) nao|(?:dong|tra|nop|thanh toan)\s+(?:tien\s+)?(?:dien\s+)?"
    r"(?:o dau|qua dau|cho ai|bang gi|the nao|ra sao|cach nao|qua (?:stk|tai khoan|kenh) nao))(?!\w)")
# After a check: how the assistant verifies ("vậy xác minh bằng gì", "xác thực thế nào").
_HOW_VERIFIED = linear_regex.compile(r"(?<!\w)(?:xac minh|xac thuc|dang nhap)\b.{0,20}"
                                     r"\b(?:bang gi|bang cach nao|the nao|ra sao|sao|can gi|lam sao|cach nao)(?!\w)")
# After a check: what now ("giờ phải làm sao", "lỡ chuyển rồi", "báo công an ở đâu", "lỡ cài rồi").
_WHAT_NOW = linear_regex.compile(
    r"(?<!\w)(?:lam sao|lam gi|gio sao|the gio sao|bay gio sao|phai sao|xu ly|xu li|lam the nao|bao o dau|bao dau"
    r"|to cao|trinh bao|bao cong an|bao cong an|cong an|bi lua|mat tien|lay lai tien|doi lai tien"
    r"|lo (?:chuyen|ck|cai|bam|dua|gui|nhap|doc|dua|tai)|da (?:chuyen|ck|cai|bam|dua|gui|nhap|doc|tai)"
    r"|(?:chuyen|ck|cai|bam|dua|gui|nhap|doc|tai) (?:roi|mat roi|r)|so qua)(?!\w)")
# After a check: another number, link or account to check ("còn số 0777 888 123 thì sao").
# Digits glued to letters are a customer code, not a number; a bare phone may be the customer's own (verification).
_ANOTHER_NUMBER = linear_regex.compile(r"(?<![\w.])\d(?:[ .\-]?\d){7,}(?![\w])")
_ANOTHER_CUE = linear_regex.compile(r"(?<!\w)(?:con|thi sao|the sao|nua|them|so nay|so kia|so do|so|stk|tk|tai khoan"
                                    r"|sdt|goi|nhan tin|tin nhan)(?!\w)")
_WHO_TO_CALL = linear_regex.compile(r"(?<!\w)(?:goi ai|goi cho ai|bao ai|goi so nao|lien he ai|lien he dau|goi dau"
                                    r"|can lam gi|phai lam gi|lam gi nua|lam sao nua)(?!\w)")
# What to bring to pay in cash, after the ways to pay.
_BRING = linear_regex.compile(r"(?<!\w)(?:dem theo|mang theo|can mang|can dem|mang gi|dem gi)(?!\w)")
# The actions that answer a follow-up by running a frame again, and the slot they name that frame in: the frame is
# what the next message follows up ("300 thì sao", then "còn 320": the same estimate).
RERUNS = frozenset({"action_follow_up", "action_misunderstood"})
FRAME_SLOT = "follow_up_frame"

_HOW_COMPUTED = linear_regex.compile(r"(?<!\w)(?:sao tinh ra|tinh ra sao|tinh sao ra|tinh the nao|tinh kieu gi"
                                   r"|cach tinh|dua vao dau|dua vao gi|o dau ra|tu dau ra)(?!\w)")
_REGISTER_ASKED = linear_regex.compile(r"(?<!\w)(?:cong to|dong ho|dien ke)\b.*\b(?:phai|dang|se) (?:chi|hien|la)"
                                       r"|(?<!\w)(?:phai|dang) chi (?:bao nhieu|may|khoang)(?!\w)")
_WHICH_MOST = linear_regex.compile(r"(?<!\w)(?:thang|ky|ki) nao\b.*\b(?:nhat|cao nhat|it nhat)(?!\w)")
_SUM = linear_regex.compile(r"(?<!\w)(?:cong lai|cong het|tong cong|tong|tat ca bao nhieu|het bao nhieu)(?!\w)")
_TO_MONEY = linear_regex.compile(r"(?<!\w)(?:ra tien|tinh tien|thanh tien|quy ra tien|doi ra tien|bao nhieu tien"
                               r"|het may tien|may tien|bn tien|bnhieu tien|bnhiu tien|ton bao nhieu|ton bn|ton may"
                               r"|het bn tien|tien la bao nhieu)(?!\w)")
_LINK = linear_regex.compile(r"(?<!\w)(?:link|lien ket|gui lai|con xai|con dung|con han|het han|bam|mo khong)(?!\w)")
_WHERE_WHEN = linear_regex.compile(r"(?<!\w)(?:phuong nao|duong nao|khu nao|cho nao|o dau|may gio|luc nao|bao lau"
                                   r"|den may gio|toi may gio|may h|may g|den khi nao|toi khi nao|ca ngay"
                                   # why it is cut ("cắt để làm gì", "cúp de lam gi z", "lý do gì")
                                   r"|de lam gi|lam gi|ly do|tai sao|vi sao|sao cat|sao cup)(?!\w)")
# About the request just filed: how long, what it costs, its number.
# What a request costs and how long it takes; the number it was filed under.
_TERMS_WORDS = (r"bao lau|may ngay|bao nhieu ngay|khi nao xong|bao gio xong|bao gio co|bao lau co|phi|ton phi|mat phi"
                r"|ton tien|mat tien|chi phi|le phi|mien phi|co ket qua|khi nao goi|bao gio goi|co nguoi goi"
                r"|goi lai khi nao|chung nao goi|khi nao co nguoi")
_TICKET_WORDS = (r"ma yeu cau|ma phieu|so phieu|ma ho so|so ho so|so yeu cau|ma phan anh|so phan anh|ma bao"
                 r"|ma su co|so su co|ma don|so don|ma ticket|so ticket|ma tiep nhan|so tiep nhan"
                 r"|ma so (?:bao|phan anh|phieu|yeu cau|ho so|su co|don)")
# Right after filing, "mã số", "mã đâu" can only be the request's; later they may be a customer code's.
_ABOUT_FILED = linear_regex.compile(rf"(?<!\w)(?:{_TERMS_WORDS}|{_TICKET_WORDS}|ma so|ma dau)(?!\w)")
_WAITING = linear_regex.compile(r"(?<!\w)(?:chung nao|bao gio|khi nao|luc nao|bao lau|co ai|co nguoi|nguoi tra loi"
                                r"|nhan vien dau|co lam|lam viec|lam khong|lam ko|co truc|truc khong|may gio lam"
                                r"|thu may|mo cua)(?!\w)")
# The tax or the amount before it, of the bill or the estimate just given ("trong đó thuế bao nhiêu", "chưa VAT là
# nhiêu"): that answer again, which shows both.
_TAX_PART = linear_regex.compile(r"(?<!\w)(?:thue|vat|gtgt)(?!\w)")
# A bare question of when or how the bill just shown was paid ("ngày mấy", "qua kênh nào").
_PAID_DETAIL = linear_regex.compile(r"^(?:(?:vay|z|v|the|con|roi|ua)\s+)?(?:dong|tra|thanh toan)?\s*"
                                    r"(?:ngay may|ngay nao|hom nao|bua nao|qua kenh nao|kenh nao|bang gi|qua dau|qua gi"
                                    r"|hinh thuc nao"
                                    r"|bang cach nao|qua app nao)(?:\s+(?:vay|z|v|a|em|ad|the|nhi|ha))*\s*\??$")


@dataclass(frozen=True)
class FollowUp:
    """The frame to run again (`action`), and the question of it asked now if not the last one (`asked`)."""

    action: str
    asked: str | None = None


# The number of the request filed in this conversation, asked again later ("cho xin lại mã hồ sơ").
_TICKET_ASKED = linear_regex.compile(rf"(?<!\w)(?:{_TICKET_WORDS})(?!\w)")


def follow_up(previous: str | None, text: str, today: date, filed_earlier: bool = False,
              asked_before: str | None = None) -> FollowUp | None:
    """The follow-up `text` makes of the answer `previous` gave, or None when it is not one. With `filed_earlier`
    (a request was filed in this conversation), asking its number is a follow-up of that filing whenever asked.
    `asked_before`: the intent of the question that answer answered."""
    folded = " ".join(fold(text or "").split())
    if filed_earlier and previous not in (FILED, *REPORTED) and asks_ticket_number(text):
        return FollowUp(FILED)
    if previous in _AFTER_A_CHECK and (has_link(text) or (_ANOTHER_NUMBER.search(folded)
                                                           and _ANOTHER_CUE.search(folded))):
        return FollowUp(SCAM)  # "còn số 0777 888 123 thì sao": that one checked too
    if previous in _AFTER_A_CHECK and _REAL_SITE.search(folded):
        return FollowUp(SCAM_SITES)  # "vậy web thật là gì"
    if previous in _AFTER_A_CHECK and _REAL_WAY_TO_PAY.search(folded):
        return FollowUp(PAYMENT_METHODS)  # "đóng tiền điện qua stk nào mới đúng": the ways to pay
    if previous in _AFTER_A_CHECK and _HOW_VERIFIED.search(folded):
        return FollowUp(SCAM_VERIFY)  # "vậy muốn xem hóa đơn thì xác minh bằng gì"
    if previous in _AFTER_A_CHECK and _WHAT_NOW.search(folded):
        return FollowUp(SCAM_STEPS)  # "giờ phải làm sao", "lỡ chuyển tiền rồi"
    if previous in _AFTER_A_CHECK and _WHO_TO_CALL.search(folded):
        return FollowUp(HOTLINE)
    if previous == HOTLINE and hotline_words.area_named(text):
        return FollowUp(HOTLINE)  # "còn hà nội": that area's line
    if previous == SCHEDULE and (parse_day_range(text, today) or _WHERE_WHEN.search(folded)
                                 or places_named(text, load_schedule())):  # "con p. Da Kao thi sao"
        return FollowUp(SCHEDULE)  # "còn thứ 7 thì sao", "đường nào bị vậy"
    if previous == TARIFF and tariff_words.asks_tariff_detail(text):
        return FollowUp(TARIFF)
    if previous == PAYMENT_METHODS and (payment_words.names_a_way_to_pay(text) or _BRING.search(folded)):
        return FollowUp(PAYMENT_METHODS)  # "còn chuyển khoản thì sao", "có cần đem theo gì ko"
    if previous == ESTIMATE and (multiplier(text) or _a_bare_quantity(text) or asks_the_tax_part(text)):
        return FollowUp(ESTIMATE)  # "gấp ba thì sao", "còn 250 thì sao", "thuế trong đó bn"
    if previous == HANDOFF and _WAITING.search(folded):
        return FollowUp(HANDOFF)  # "chừng nào mới có người trả lời": where the customer stands in the queue
    if previous == SUMMARY and is_yes(text):
        return FollowUp(SUMMARY)  # "ok gửi, cho e mã yêu cầu": a yes with a question the filing answers
    if (previous in REPORTED or previous == CONTACT) and _WHO_TO_CALL.search(folded):
        return FollowUp(HOTLINE)  # "có cần gọi ai nữa không": the 24/7 line
    if previous in REPORTED and _gives_a_phone_only(text):
        return FollowUp(CONTACT)  # "sđt 0908123123", "e tên Hùng sdt 0933…": the crew's number to call
    if (previous == FILED or previous in REPORTED) and _ABOUT_FILED.search(folded):
        return FollowUp(FILED)  # "bao lâu thì xong", "có mất phí không", "mã yêu cầu là gì", "mã phản ánh đâu"
    if previous == ANSWER and asked_before == ALERTS and alert_levels.about_alerts(text):
        return FollowUp(ANSWER, ALERTS)  # "thôi hủy cái 175 số đi", "thêm 400 số nữa", "còn mấy cái"
    if previous == ANSWER and asked_before == DISPUTE and (register_read(text) is not None
                                                          or _REGISTER_ASKED.search(folded)):
        return FollowUp(ANSWER, DISPUTE)  # "đồng hồ nhà e giờ chỉ 15400 thôi", "giờ công tơ phải chỉ bao nhiêu"
    if previous == ANSWER:
        return _of_an_answer(text, folded)
    return None


def asks_ticket_number(text: str) -> bool:
    """Whether `text` asks the number a request or report was filed under ("cho xin mã phản ánh"), naming none."""
    folded = " ".join(fold(text or "").split())
    return (_TICKET_ASKED.search(folded) is not None and CODE not in {value.kind for value in find_values(text)}
            and not linear_regex.search(r"(?i)\b(?:yc|md)\b", folded))


VALUES = frozenset({"inform", "affirm"})  # a code, a phone, a yes: answers to the assistant's questions


def question_before(intents_before: list[str | None]) -> str | None:
    """The customer's last question before the latest message, from the intents of the messages before it (newest
    first): values given since (the code and phone a verification asked) are skipped."""
    return next((name for name in intents_before if name not in VALUES), None)


_DIFFERENCE = linear_regex.compile(r"(?<!\w)(?:chenh|khac nhau|so voi|hon (?:bao nhieu|bn|may|nhieu)|nhieu hon|it hon"
                                   r"|cao hon|thap hon)(?!\w)")


def asks_the_difference(text: str) -> bool:
    """"chênh nhau bao nhiêu", "so với tháng 9", "hơn bao nhiêu": the difference of a comparison, not "kỳ nào"."""
    return _DIFFERENCE.search(" ".join(fold(text or "").split())) is not None


def asks_the_tax_part(text: str) -> bool:
    """"trong đó thuế bao nhiêu", "chưa VAT là nhiêu": the tax of the answer just given, asked, no value named."""
    folded = " ".join(fold(text or "").split())
    return _TAX_PART.search(folded) is not None and is_a_question(text) and not find_values(text)


def _of_an_answer(text: str, folded: str) -> FollowUp | None:
    if payment_words.asks_if_a_bill_is_paid(text) or _PAID_DETAIL.search(folded):
        return FollowUp(ANSWER, "ask_payment_status")  # "đóng rồi phải không", "ngày mấy": the bill just shown
    if asks_the_tax_part(text):
        return FollowUp(ANSWER, "ask_bill")  # "trong đó thuế bao nhiêu": the bill again, its tax shown
    if _HOW_COMPUTED.search(folded):
        return FollowUp(ANSWER)  # "sao tính ra được con số đó": the answer again, with how it was computed
    if _WHICH_MOST.search(folded):
        return FollowUp(ANSWER, "ask_consumption")  # "tháng nào xài nhiều nhất": the periods side by side, no pair
    if compares(text):
        return FollowUp(ANSWER, "ask_bill_increase")  # "so với kỳ trước", "chênh bao nhiêu"
    if _TO_MONEY.search(folded) and not find_values(text):
        return FollowUp(ANSWER, "ask_bill")  # "tính ra tiền luôn" after a period's kWh: that period's bill
    kinds = {value.kind for value in find_values(text)}
    if asks_this_year(text) or PERIOD_NAMED in kinds or CODE in kinds or _SUM.search(folded) or _LINK.search(folded):
        return FollowUp(ANSWER)  # "còn tháng bảy", "cả năm nay", "cộng lại", "gửi lại link": the same question
    return None


# What a request costs and how long it takes, asked while it is being filled ("mà phí lắp hết bao nhiêu vậy",
# "bao lâu thì xong", "tạm ngừng có tốn phí gì không").
_TERMS = linear_regex.compile(rf"(?<!\w)(?:{_TERMS_WORDS})(?!\w)")


def asks_about_terms(text: str) -> bool:
    """A question about the fee or the time of the request being filled (asked: a question, not a reason)."""
    folded = " ".join(fold(text or "").split())
    return _TERMS.search(folded) is not None and is_a_question(text)


def asks_a_sum(text: str) -> bool:
    """"cộng lại", "tổng cộng hết bao nhiêu": what the bills just shown add up to."""
    return _SUM.search(" ".join(fold(text or "").split())) is not None


def _gives_a_phone_only(text: str) -> bool:
    """A phone and no code: a contact number given, not a verification."""
    kinds = {value.kind for value in find_values(text)}
    return "phone" in kinds and CODE not in kinds


def _a_bare_quantity(text: str) -> bool:
    """A number with no month and no code after an estimate: the kWh of the next one."""
    kinds = {value.kind for value in find_values(text)}
    return parse_kwh(text) is not None and not kinds & {PERIOD_NAMED, CODE, "phone"}
