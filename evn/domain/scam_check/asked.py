"""Whether a message asks for a check: it forwards a link or a scam's words, asks whether something it names is
the company's ("số này có phải của điện lực không", "thông báo cắt điện này thật không"), tells of someone
claiming to be the company, or asks whether the company asks for an OTP.

"Lừa đảo" alone is no check: "điện lực lừa đảo à, tháng này tăng gấp đôi" is a complaint about a bill. There must
be something to check: a link, a number, an account, a call, a message, a notice, a QR code, an app.
"""
from __future__ import annotations

from evn import reference
from evn.domain import linear_regex
from evn.domain.identity import find_customer_code
from evn.domain.language import scam_words
from evn.domain.language.power_cut_words import speaks_of_a_power_cut
from evn.domain.periods import fold
from evn.domain.scam_check.links import has_link
from evn.domain.scam_check.numbers import account_spans

_SOMETHING = linear_regex.compile(
    r"\b(?:so (?:nay|do|kia|dt|dien thoai|tai khoan)|sdt|stk|tai khoan|tk|link|duong link|lien ket|trang (?:web|nay)"
    r"|web|website|qr|ma qr|tin nhan|sms|nhan tin|zalo|message|thong bao|giay bao|to roi|cuoc goi|goi|goi dien"
    r"|nguoi goi|nhan vien|nv|app|ung dung|phan mem|email|co nguoi|nguoi ta|ng ta|co ong|ong ay|ba ay|co ai|ai do"
    r"|mac ao|dong phuc|den nha|toi nha|ghe nha|qua nha)\b")
_DIGITS = linear_regex.compile(r"\d(?:[ .\-]?\d){7,}")


def asks_for_a_check(text: str) -> bool:
    if has_link(text) or scam_words.scam_signs(text) or scam_words.asks_about_secrets(text):
        return True
    if scam_words.claims_to_be_the_company(text) or scam_words.told_of_a_debt_and_asks(text):
        return True  # "gọi bảo là nv điện lực, đọc đúng mã KH PE…": the caller is checked, not the code verified
    if account_spans(text, reference.banks()) or scam_words.offers_a_secret(text):
        return True  # a bank account sent to the assistant: whose it is; an OTP offered: never needed
    if not scam_words.asks_if_real(text):
        return False
    if find_customer_code(text) is not None and not scam_words.tells_of_a_call(text):
        return scam_words.names_a_scam(text)  # a code given with "đúng không": the customer's own bill is asked
    if speaks_of_a_power_cut(text) and not scam_words.tells_of_a_notice(text):
        return False  # "nghe nói thứ 7 này cúp điện, thật không": the schedule answers
    folded = " ".join(fold(text or "").split())
    return _SOMETHING.search(folded) is not None or _DIGITS.search(folded) is not None
