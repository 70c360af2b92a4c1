"""The words of a scam, and of a customer asking whether something is one, on folded text.

The signs are those the power companies warn of (docs/scam-check.md): a cut within hours unless a debt is paid,
an app to install from a link, an OTP, password or card number asked for, a fine for "electricity theft", a
refund that needs a card, "banks no longer collect", a customer code to "update", a QR code valid for seconds.
Each has a name, recorded with the check and counted by the operations report.
"""
from __future__ import annotations

from evn.domain import linear_regex
from evn.domain.periods import fold

_CUT = (r"(?:(?:cat|cup|ngat|ngung|tam ngung|dinh chi)\s+(?:cung cap\s+|cap\s+)?dien"
        r"|dien\s+(?:(?:cua\s+)?(?:quy khach|ban|anh|chi|nha)\s+)?(?:se\s+)?(?:bi\s+)?(?:cat|cup|ngat|ngung))")
_SOON = (r"(?:trong vong|trong|sau|truoc|chi con|con)\s+(?:\d+|hai|ba|mot|nua)\s*(?:gio|tieng|h|phut|p)\b"
         r"|\b\d+\s*(?:gio|tieng|h|phut)\s+nua\b|\b(?:ngay\s+)?(?:toi nay|dem nay|chieu nay)\b"
         r"|\bngay (?:hom nay|lap tuc|trong hom nay)\b"
         r"|\btrong (?:hom nay|ngay hom nay|ngay)\b|\b24\s*h\b|\bngay hom nay\b|\bkhan cap\b|\bngay\s+lap\s+tuc\b")
_SIGNS: tuple[tuple[str, str], ...] = (
    ("cut_within_hours", rf"\b{_CUT}\b.{{0,80}}(?:{_SOON})|(?:{_SOON}).{{0,80}}\b{_CUT}\b"
                         rf"|(?:{_SOON}).{{0,20}}\b(?:cat|cup|ngat)\b"),
    ("install_app", r"\b(?:tai|cai|cai dat|download|tai ve|cap nhat|update|setup)\s+(?:ngay\s+)?(?:ve\s+)?"
                    r"(?:ung dung|app|apk|phan mem)\b|\.apk\b|\bfile apk\b"),
    ("asks_secret", r"\b(?:cung cap|gui|doc|nhap|cho|dien|xac nhan|dang nhap|doc lai|bao lai|kem|tra loi)\b.{0,40}"
                    r"\b(?:otp|ma xac thuc|ma xac nhan|mat khau|password|ma pin|so the|ma the|cvv|cvc"
                    r"|ma bao mat|sinh trac|khuon mat|van tay|so cccd va anh)\b"
                    r"|\b(?:otp|ma xac thuc|mat khau|ma pin|cvv)\b.{0,30}\b(?:cho (?:nhan vien|chung toi|ben)"
                    r"|de (?:xac minh|xac thuc|hoan|kich hoat|cap nhat|huy))\b"),
    ("theft_fine", r"\b(?:trom|an cap|an trom|cau trom|trom cap|gian lan|su dung trai phep)\s+(?:cap\s+)?dien\b"
                   r"|\bphat\b.{0,30}\bdien\b.{0,30}\b(?:chuyen khoan|nop|ck)\b"),
    ("refund_card", r"\bhoan\s+(?:tien|lai|phi|tra)\b.{0,120}\b(?:so the|the ngan hang|the atm|tai khoan|stk|otp"
                    r"|link|lien ket)\b|\b(?:thu|tinh)\s+(?:thua|du|nham)\b.{0,60}\bhoan\b"),
    ("banks_stopped", r"\bngan hang\b.{0,30}\b(?:khong|ko|k|ngung|dung|het)\s+(?:con\s+)?(?:thu ho|thu tien"
                      r"|nhan thanh toan)\b|\b(?:ngung|dung|khong con)\s+thu ho\b"),
    ("code_update", r"\b(?:doi|cap nhat|chuyen doi|thay doi|dang ky lai|xac thuc lai)\s+(?:lai\s+)?"
                    r"(?:ma khach hang|ma kh|thong tin khach hang|thong tin tai khoan|tai khoan dien)\b"),
    ("seconds_qr", r"\b(?:qr|ma)\b.{0,40}\b(?:hieu luc|het han|het hieu luc)\b.{0,20}\b\d+\s*(?:giay|s|phut)\b"),
    ("pay_person", r"\b(?:chuyen khoan|chuyen tien|ck|nop tien|thanh toan|dong tien)\b.{0,30}"
                   r"\b(?:cho|vao|qua)\s+(?:nhan vien|ca nhan|tai khoan ca nhan|nguoi thu|to truong|stk ca nhan)\b"),
)
_COMPILED = tuple((name, linear_regex.compile(pattern)) for name, pattern in _SIGNS)
# A threat of a cut is a scam's only with money asked: "tối nay có cúp điện không" asks the schedule.
_MONEY = linear_regex.compile(r"\b(?:no|no tien|no cuoc|thanh toan|chuyen khoan|ck|chuyen tien|dong tien|nop tien"
                              r"|tra tien|dong|nop|tra|cong no|tien dien|phi|stk|tai khoan)\b")
# "Câu trộm điện" is a worry about one's own meter unless a fine is asked for.
_FINE = linear_regex.compile(r"\b(?:phat|nop|chuyen khoan|ck|chuyen tien|boi thuong|khoi to|xu ly|den bu)\b")
_NEEDS = {"cut_within_hours": _MONEY, "theft_fine": _FINE}

# The customer asks whether something is real, a scam, the company's, safe.
_ASKS_IF_REAL = linear_regex.compile(
    r"\b(?:lua dao|lua|gia mao|mao danh|scam|fake|that hay gia|thiet hay gia|co that|co thiet"
    r"|(?:that|thiet) (?:khong|ko|k|hok|hong"
    r"|ha|a|hem|chu)|that ak|(?:phai|fai|dung)\s+(?:la\s+)?(?:cua\s+)?(?:ben\s+)?(?:dien luc|evn|dl|tong dai"
    r"|cong ty dien|nganh dien)\b.{0,20}\b(?:khong|ko|k|hok|hong|ha|a|chu)|co phai (?:la\s+)?(?:cua\s+)?"
    r"(?:dien luc|evn|dl|tong dai|nhan vien|nv|ben dien)|dang tin|tin duoc (?:khong|ko|k)|an toan (?:khong|ko|k)"
    r"|uy tin (?:khong|ko|k)"
    r"|bam vao (?:co sao|dc|duoc) (?:khong|ko|k)|co nen (?:bam|chuyen|tra|nop|tai|cai|goi|gui|dua|cung cap|tra loi)\b"
    r"|\b(?:so|sdt|so dt|so dien thoai|link|trang|web|website|stk|tai khoan|tk|tin nhan|thong bao)\s+(?:nay\s+|do\s+)?"
    r"(?:co\s+)?(?:phai\s+)?(?:la\s+)?(?:cua|ben)\s+(?:dien luc|evn|dl|nganh dien|tong dai)\b"
    r"|\bso nao (?:moi\s+)?(?:la\s+)?(?:dung|that|thiet|chinh thuc|cua)\b"
    r"|\b(?:stk|tai khoan|so tk|link|trang)\b.{0,40}\b(?:dung|chuan|phai) (?:khong|ko|k|hok|ha|chu)\b"
    r"|\b(?:co\s+)?dung (?:la\s+)?(?:cua\s+)?(?:ben\s+)?(?:dien luc|evn|dl|nhan vien|nv|nganh dien|tong dai)\b"
    r".{0,20}\b(?:khong|ko|k|hok|hong|ha|chu)\b)")
# A customer asking whether the company or the assistant asks for an OTP, a password, a card number.
_SECRET = r"(?:otp|ma xac thuc|ma xac nhan|mat khau|pass|password|ma pin|so the|cvv|ma bao mat)"
_ASKS_ABOUT_SECRETS = linear_regex.compile(
    rf"\b(?:co|hay|bao gio|cung|can|phai|yeu cau|doi|xin|hoi)\b.{{0,30}}\b{_SECRET}\b.{{0,25}}"
    r"\b(?:khong|ko|k|hok|hong|ha|chu|a|nao|ko ta|ak)\b"
    rf"|\b{_SECRET}\b.{{0,30}}\b(?:co|phai|nen)\s+(?:dua|cung cap|gui|doc|cho)\b"
    rf"|\b(?:dua|cung cap|gui|doc|cho)\b.{{0,20}}\b{_SECRET}\b.{{0,30}}\b(?:khong|ko|k|duoc khong|dc ko)\b")
# Someone claiming to be the company: "tự xưng điện lực", "giả danh nhân viên EVN", "bảo là bên điện lực".
_CLAIMS = linear_regex.compile(
    r"\b(?:tu xung|xung|xung la|mao danh|gia danh|gia lam|tu nhan (?:la)?|noi la|bao la|nhan la|tu gioi thieu)\s+"
    r"(?:minh\s+)?(?:la\s+)?(?:ben\s+|nhan vien\s+|nv\s+|can bo\s+)?(?:dien luc|evn|dl|cong ty dien|nganh dien"
    r"|tong dai)\b")
# Told by someone of a debt or a cut: "có đứa gọi bảo nhà tôi nợ tiền điện", "nhắn tin báo nợ cước".
_TOLD_OF_DEBT = linear_regex.compile(
    r"\b(?:co nguoi|co dua|co thang|co con|co ai|co so|nguoi ta|ng ta|ben kia|nhan vien|nv|so nay|sdt|tin nhan"
    r"|sms|zalo|tong dai|dien luc)\b.{0,30}\b(?:goi|nhan tin|nhan|bao|noi|doi|nhac|thong bao)\b.{0,60}"
    r"\b(?:no tien|no cuoc|no dien|chua dong|chua thanh toan|qua han|cat dien|cup dien|ngat dien|phat)\b")
_ASKED = linear_regex.compile(r"\b(?:khong|ko|k|hok|hong|ha|chu|a|vay|z)\s*\??\s*$|\?")
# A secret offered to the assistant itself ("mã otp 739214, gửi cho bên mình để xác minh").
_OFFERED = linear_regex.compile(
    rf"\b{_SECRET}\b.{{0,60}}\b(?:gui|cho|doc|dua)\s+(?:cho\s+)?(?:ben minh|ben ban|em|ban|ad|admin|shop|bot|tro ly)\b"
    rf"|\b(?:gui|cho|doc|dua)\s+(?:cho\s+)?(?:ben minh|em|ban|ad|admin|bot|tro ly)\b.{{0,40}}\b{_SECRET}\b")
# Told of a call: "có người gọi", "nhận được cuộc gọi", "nv điện lực gọi điện".
_CALL = linear_regex.compile(r"\b(?:goi|goi dien|cuoc goi|dien thoai toi|phone|call)\b")
# Told of an outage notice, asked whether it is real.
_NOTICE = linear_regex.compile(r"\b(?:thong bao|tin nhan|sms|nhan tin|giay bao|to roi|zalo|nhan duoc|goi)\b")


def _folded(text: str) -> str:
    return " ".join(fold(text or "").split())


def scam_signs(text: str) -> list[str]:
    """The names of the scam signs the words carry, in the order above."""
    folded = _folded(text)
    return [name for name, pattern in _COMPILED
            if pattern.search(folded) and (name not in _NEEDS or _NEEDS[name].search(folded))]


_SCAM_NAMED = linear_regex.compile(r"\b(?:lua dao|gia mao|mao danh|gia danh|scam|bi lua)\b")


def names_a_scam(text: str) -> bool:
    """"Lừa đảo", "giả mạo", "mạo danh": the customer names a scam."""
    return _SCAM_NAMED.search(_folded(text)) is not None


def asks_if_real(text: str) -> bool:
    return _ASKS_IF_REAL.search(_folded(text)) is not None


def asks_about_secrets(text: str) -> bool:
    """"EVN có hỏi mã OTP không", "bot có cần mật khẩu ko": the answer is never."""
    return _ASKS_ABOUT_SECRETS.search(_folded(text)) is not None


def offers_a_secret(text: str) -> bool:
    """The customer offers the assistant an OTP or a password: it never needs one."""
    return _OFFERED.search(_folded(text)) is not None


def claims_to_be_the_company(text: str) -> bool:
    return _CLAIMS.search(_folded(text)) is not None


def told_of_a_debt_and_asks(text: str) -> bool:
    """"Có đứa gọi bảo nhà tôi nợ tiền điện, 2 tiếng nữa cắt... có đúng không?": someone's claim, asked about."""
    folded = _folded(text)
    return _TOLD_OF_DEBT.search(folded) is not None and _ASKED.search(folded) is not None


def tells_of_a_call(text: str) -> bool:
    return _CALL.search(_folded(text)) is not None


def tells_of_a_notice(text: str) -> bool:
    return _NOTICE.search(_folded(text)) is not None
