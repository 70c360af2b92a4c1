"""Several requests in one message: where a message may divide, and which parts are requests of their own.

"coi hóa đơn kỳ rồi xong gửi mã QR luôn", "lịch cúp điện quận 1 tuần này sao, cho coi luôn tiền điện tháng 10":
each part asks its own thing, and the customer wants both, in that order. The message is cut at every place it
may divide (a punctuation mark, a joining word: "rồi", "xong", "sau đó", "với", "và", "tiện thể"…); the NLU
classifies every part, and `requests` puts the parts back together: a part that is no request of its own ("rồi",
"mã KH PE…, sđt 09…", "và tháng 10") joins the request before it (or after it, at the start), and neighbours
asking the same thing are one request ("tiền tháng 8 với tháng 9"). A message is several requests only when two
different requests remain, each classified surely, and the whole message was taken for one of them or for
nothing sure: a joining word alone never divides a request ("so với kỳ trước", "đã đóng rồi mà sao còn nợ").
"""
from __future__ import annotations

from dataclasses import dataclass

from evn.domain import linear_regex
from evn.domain.language import form_fields
from evn.domain.periods import fold

# Where a message may divide: before a joining word, or after a mark that ends a clause.
_JOINER = linear_regex.compile(
    r"(?<!\w)(?:rồi|roi|xong|sau đó|sau do|với lại|voi lai|với|voi|vs|và|va|kèm|kem|tiện thể|tien the|"
    r"nhân tiện|nhan tien|tiện|ngoài ra|ngoai ra|đồng thời|dong thoi|thêm|them|còn|con)(?!\w)",
    linear_regex.IGNORECASE)
# "so với": the "với" of a comparison joins what is compared, it divides nothing.
_COMPARED = linear_regex.compile(r"(?<!\w)(?:so|sánh)\s+$", linear_regex.IGNORECASE)
_MARK = linear_regex.compile(r"[,;.?!]+(?:\s+|$)|\n\s*")  # "1.200 kWh", "10,5" do not divide
# "rồi" that closes what was done ("chuyển tiền rồi mà sao…", "đóng rồi nha") joins nothing.
_DONE = linear_regex.compile(r"^(?:rồi|roi)\s*(?:mà|ma|nhưng|nhung|mới|moi|thì|thi|ạ|nha|nhé|nhe|đó|do|á|hả|ha|"
                             r"chưa|chua|sao|vậy|vay|nè|ne|[,.?!]|$)(?!\w)", linear_regex.IGNORECASE)
# What was already done ("em đã báo mất điện từ sáng", "nộp đơn rồi") is the story of a request, not a new one.
_ALREADY = linear_regex.compile(r"(?<!\w)(?:đã|rồi|roi)(?!\w)", linear_regex.IGNORECASE)
# Nor is a question's part that tells what happened or was done without asking anything ("bị cắt điện do nợ, xin
# đóng điện lại", "chưa đóng tiền điện, tui đóng ở bưu điện rồi mà"): the story of the request beside it. "đóng rồi
# hả", "đã trả chưa" ask; "kỳ rồi" is a period. What acts (a report of an outage) is told by nature: not this rule.
_TOLD = linear_regex.compile(r"(?<!\w)(?:đã|bị|bi|rồi|roi|rùi|rui)(?!\w)", linear_regex.IGNORECASE)
_PERIOD_DONE = linear_regex.compile(r"(?<!\w)(?:tháng|thang|kỳ|ky|kì|ki|năm|nam|tuần|tuan)\s+(?:rồi|roi|rùi|rui)(?!\w)",
                                    linear_regex.IGNORECASE)
_ASKS = linear_regex.compile(
    r"\?|(?<!\w)(?:không|khong|hông|hong|ko|k|kg|chưa|chua|sao|vì sao|vi sao|bao nhiêu|bao nhieu|bn|nhiêu|nhieu|nhiu"
    r"|mấy|gì|j|nào|nao|đâu|hả|hở|hem|xem|coi|kiểm tra|kiem tra|check|tra|hỏi|hoi|gửi|gui|xin|giúp|giup|giùm|gium"
    r"|muốn|muon|cần|can|cho|làm sao|lam sao|được|duoc|dc|đc)(?!\w)", linear_regex.IGNORECASE)
# A request is asked in words: a part of one or two words ("rồi", "nha em") is never one on its own.
MIN_WORDS = 2
SURE = 0.6  # a part classified less surely than this is no request of its own
# What files, cancels or links something asks more certainty of a part than a question: a part read wrongly
# ("em quên mất" as a report of an outage) would file it (eval/eval_several_requests.py).
SURE_TO_ACT = 0.9
ACTS = frozenset({"request_service", "cancel_request", "report_outage", "link_account", "stop_notices",
                  "resume_notices"})
# The requests a message may ask together: questions and what starts or stops something. Not a value, a yes, a
# greeting; not a danger (served first and alone); not an edit of a filed request or the list of linked codes,
# which a few words outside their sense would start ("nhà tui sửa lại, muốn dời điện kế" asks to move the meter);
# not a person, who reads the whole message ("nhờ nhân viên gọi lại" is a callback request, not a handoff).
TOGETHER = frozenset({"ask_bill", "ask_consumption", "ask_bill_increase", "ask_payment_status", "ask_tariff",
                      "estimate_bill", "request_payment_link", "ask_payment_methods", "request_service",
                      "check_request_status", "cancel_request", "report_outage", "ask_outage_schedule",
                      "link_account", "stop_notices", "resume_notices", "ask_hotline"})
# What the whole message is taken for when its words are several requests: one of them, or nothing sure (its
# values, or "em chưa hiểu": "lịch cúp điện Cầu Giấy tuần này, với lại tháng 10 hết bao nhiêu. Mã PD…").
UNPLACED = frozenset({"inform", "nlu_fallback"})


@dataclass(frozen=True)
class Part:
    """A span of the message and what the classifier took it for."""
    start: int
    end: int
    intent: str | None
    confidence: float


@dataclass(frozen=True)
class Request:
    start: int
    end: int
    intent: str
    confidence: float


def parts(text: str) -> list[tuple[int, int]]:
    """The spans a message may divide into, in order, covering it; one span when it cannot divide."""
    cuts = {match.start() for match in _JOINER.finditer(text)
            if not _DONE.search(text[match.start():]) and not _COMPARED.search(text[:match.start()])}
    cuts |= {match.end() for match in _MARK.finditer(text)}
    edges = sorted({0, len(text)} | {cut for cut in cuts if 0 < cut < len(text)})
    spans = [(start, end) for start, end in zip(edges, edges[1:], strict=False) if text[start:end].strip()]
    return spans if len(spans) > 1 else []


def requests(text: str, classified: list[Part], whole_intent: str | None) -> list[Request]:
    """The requests of a message in the order asked, from its parts as classified; [] when it asks one thing."""
    grouped: list[Request] = []
    waiting_start: int | None = None  # parts before the first request join it
    for part in classified:
        if _is_request(text, part):
            start = part.start if waiting_start is None else waiting_start
            waiting_start = None
            if grouped and grouped[-1].intent == part.intent:
                last = grouped[-1]
                grouped[-1] = Request(last.start, part.end, last.intent, max(last.confidence, part.confidence))
            else:
                grouped.append(Request(start, part.end, str(part.intent), part.confidence))
        elif grouped:
            last = grouped[-1]
            grouped[-1] = Request(last.start, part.end, last.intent, last.confidence)
        elif waiting_start is None:
            waiting_start = part.start
    if len(grouped) < 2 or (whole_intent not in UNPLACED and whole_intent not in {r.intent for r in grouped}):
        return []
    return [Request(*_trimmed(text, r.start, r.end), r.intent, r.confidence) for r in grouped]


def _is_request(text: str, part: Part) -> bool:
    words = text[part.start:part.end]
    if part.intent in ACTS and (part.confidence < SURE_TO_ACT or _ALREADY.search(words)):
        return False
    if part.intent not in ACTS and _tells_without_asking(words):
        return False
    if form_fields.starts_with_a_label(words):
        return False  # "lý do: muốn hỏi giá điện kinh doanh": a field of the request, not a question of its own
    return part.intent in TOGETHER and part.confidence >= SURE and len(words.split()) >= MIN_WORDS


# A question as a sentence asks it: a question mark, a word that asks ("bao nhiêu", "khi nào", "sao") or a closing
# particle ("… không", "… chưa", "… hả"). Not "muốn", "cho", "được": a reason says them too ("muốn được tư vấn").
_QUESTION = linear_regex.compile(
    r"\?|(?<!\w)(?:bao nhiêu|bao nhieu|bn|bao giờ|bao gio|bao lâu|bao lau|khi nào|khi nao|thế nào|the nao|làm sao"
    r"|lam sao|vì sao|vi sao|tại sao|tai sao|mấy|gì|đâu|nhiêu|nhiu|là sao|la sao|sao vậy|sao vay|phải không"
    r"|phai khong|đúng không|dung khong|có phải|co phai)(?!\w)|(?<!\w)(?:không|khong|ko|k|hông|hong|chưa"
    r"|chua|hả|ha|hở|ho|nào|nao|sao|vậy|vay|z|ạ|a)(?:\s+(?:em|anh|chị|chi|ad|admin|ạ|a|nha|nhé|nhe|vậy|vay|z|v|bạn"
    r"|ban|ơi|oi))*\W*$", linear_regex.IGNORECASE)


def is_a_question(words: str) -> bool:
    """Words asked as a question ("tiền điện tháng 10 bao nhiêu vậy"), not a statement or a wish."""
    return _QUESTION.search(" ".join((words or "").split())) is not None


def before_the_question(text: str) -> str:
    """What a message says before the clause that asks ("Trần Văn Nam. mà lắp điện mới có tốn phí ko" -> "Trần Văn
    Nam"); "" when it asks from its first words."""
    spans = parts(text) or [(0, len(text))]
    kept = [text[start:end] for start, end in spans]
    while kept and is_a_question(kept[-1]):
        kept.pop()
    return "".join(kept).strip(" ,.;:-?!")


# A request already filed, spoken of: "đơn … nộp từ tháng 10 mà giờ vẫn im re", "đã đăng ký rồi mà chưa thấy ai".
_FILED_ALREADY = linear_regex.compile(
    r"(?<!\w)(?:(?:da|nop|gui|dang ky|lam)\s+(?:tu|roi|lau|hom|tuan|thang)|im re|van chua|chua thay|chua ai|toi dau"
    r"|den dau)(?!\w)")


def tells_of_a_filed_request(text: str) -> bool:
    return _FILED_ALREADY.search(" ".join(fold(text or "").split())) is not None


def asks(words: str) -> bool:
    """Words that ask something: a question word, a question mark, a verb of asking or wanting."""
    return _ASKS.search(words) is not None


def _tells_without_asking(words: str) -> bool:
    return _TOLD.search(_PERIOD_DONE.sub(" ", words)) is not None and not asks(words)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without the spaces and marks at its edges."""
    while start < end and (text[start].isspace() or text[start] in ",;.?!"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;"):
        end -= 1
    return start, end
