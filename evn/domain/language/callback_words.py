"""Whether a message asks to be called back ("em cần nhân viên gọi lại", "cho e xin nv gọi lại", "bác muốn có
người gọi điện tư vấn", "cho em xin cuộc gọi tư vấn"), on folded text. The classifier reads most of them as asking
for a person in the chat; a call is the catalogue's callback service (nlu_components/named_service.py). Telling of
a call ("em gọi lại tổng đài mấy lần") is not asking for one: a verb of asking comes first."""
from __future__ import annotations

from evn.domain import linear_regex
from evn.domain.periods import fold

CALL = (r"(?:goi lai|goi dien lai|goi (?:dien )?tu van|cuoc goi(?: tu van| lai)?|goi (?:dien )?cho (?:toi|tui|em|e"
        r"|minh|chau|con|anh|chi|co|chu|bac|ba|ong)|lien he lai|lien lac lai|call lai)")
_ASKS = linear_regex.compile(
    rf"\b(?:muon|can|xin|cho|nho|de nghi|yeu cau|dang ky|hen|dat lich|mong)\b(?:\W+\w+){{0,5}}?\W+{CALL}\b")


# Not asking: refusing one ("không cần gọi lại đâu", "chưa cần gọi lại"), waiting for one ("em đang chờ nhân viên gọi
# lại"), or someone else who called ("có người gọi bảo nhà em nợ tiền, hẹn gọi lại": a scam's words to check).
_REFUSED = linear_regex.compile(rf"\b(?:khong|ko|k|chua|khoi|thoi|hong|hok|dung)\b(?:\W+\w+){{0,3}}?\W+{CALL}\b")
_WAITING = linear_regex.compile(r"\b(?:dang|van|con|ngoi|ngoi|de) doi\b|\bdoi\b(?:\W+\w+){0,4}?\W+goi")
_SOMEONE_ELSE = linear_regex.compile(
    r"\b(?:co nguoi|nguoi ta|ho|ben do|so la|ai do)\W+(?:da\W+|vua\W+|moi\W+)?goi(?:\W+\w+){0,3}?\W+(?:bao|noi|doi"
    r"|yeu cau|thong bao|xung|hen)\b|\b(?:vua|da|moi|hom qua|sang nay) co nguoi goi\b")


# The customer calling, not called: "em gọi lại tổng đài mấy lần", "tôi đã gọi rồi".
_SELF_CALLS = linear_regex.compile(r"\b(?:em|e|toi|tui|minh|con|chau)\W+(?:da\W+|vua\W+|cung\W+|co\W+)?goi\b")


def _folded(text: str) -> str:
    """Folded, "chờ" (wait) told apart from "cho" (give) while its mark is there; "đừng" (don't) from "đúng"."""
    text = (text or "").lower().replace("chờ", "đợi").replace("đừng", "khong")
    return " ".join(linear_regex.sub(r"[^\w\s]", " ", fold(text)).split())


def _not_asking(folded: str) -> bool:
    return any(p.search(folded) is not None for p in (_REFUSED, _WAITING, _SOMEONE_ELSE, _OF_ONE_ASKED, _SELF_CALLS))


# Cancelling or following a callback already asked for speaks of it too: "thôi hủy cái yêu cầu gọi lại đó".
_OF_ONE_ASKED = linear_regex.compile(r"\b(?:huy|huy bo|bo|dung|tra cuu|kiem tra|toi dau|den dau|sao chua|van chua"
                                     r"|chua thay|da dang ky|da yeu cau|da xin)\b")


def asks_callback(text: str) -> bool:
    """The message asks that someone call the customer back."""
    folded = _folded(text)
    return _ASKS.search(folded) is not None and not _not_asking(folded)


def names_a_call(text: str) -> bool:
    """The message asks for the call offered ("gọi lại giúp em", "ok gọi cho tôi"), not refusing it ("không cần
    gọi lại đâu")."""
    folded = _folded(text)
    return linear_regex.search(rf"\b{CALL}\b", folded) is not None and not _not_asking(folded)
