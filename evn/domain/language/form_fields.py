"""Every field of a request a message carries, in any order: "tên Lê Thị Hoa, sđt 0938111222, lý do …".

A form asks one question at a time, but customers answer several at once, or all of them in the request
itself ("Tôi cần lắp điện mới ở 25 Nguyễn Văn Linh, phường Tân Phong, Quận 7. Ngày 15/12/2026, CCCD …, tên …,
sđt …"). A value is taken for a field when a label names it ("tên", "sđt", "lý do", "ngày") or when its shape
cannot be anything else (a 12-digit CCCD, a phone, a date, a street address); a label's value runs to the next
label or the end of its clause. Each value is still checked by its field's kind (evn.domain.service_catalogue).
What is left of the message before any label is the answer to the question the form asked, if it fits it.
"""
from __future__ import annotations

from dataclasses import dataclass

from evn.domain import linear_regex
from evn.domain.identity import CUSTOMER_CODE, PHONE
from evn.domain.language.outage_report_words import address_in, end_of_address
from evn.domain.periods import fold

# Labels by the field codes of evn/reference/service_catalogue.yml (folded words, longest first).
LABELS: dict[str, tuple[str, ...]] = {
    "new_holder_name": ("chu hop dong moi", "chu moi", "nguoi dung ten moi", "ten chu moi"),
    "new_holder_id_number": ("cccd chu moi", "cccd cua chu moi"),
    "applicant_name": ("ho va ten", "ho ten", "ten nguoi yeu cau", "nguoi yeu cau", "ten", "toi la", "em la",
                       "minh la", "tui la", "chau la"),
    "contact_phone": ("so dien thoai lien he", "sdt lien he", "dt lien he", "so lien he", "lien he", "sdt", "so dt",
                      "dien thoai", "dt", "so dien thoai"),
    "id_number": ("can cuoc cong dan", "can cuoc", "cccd", "cmnd", "cmt"),
    "address": ("dia chi",),
    "preferred_date": ("ngay mong muon", "ngay hen", "hen ngay", "hen", "ngay"),
    "reason": ("ly do", "vi ly do", "nguyen nhan"),
    "notes": ("ghi chu", "noi dung", "chi tiet"),
    "new_meter_location": ("vi tri moi", "cho moi", "doi den", "doi ra"),
    "requested_capacity_kw": ("cong suat",),
    "household_members": ("so nhan khau", "nhan khau", "so nguoi"),
    "new_purpose": ("muc dich moi", "muc dich", "sang muc dich"),
}
_BY_LABEL = {label: code for code, labels in LABELS.items() for label in labels}
# Not the "tên" of "sang tên" / "đổi tên" / "đứng tên" (a request, not a label).
_LABEL = linear_regex.compile(
    r"(?<!\w)(?<!sang )(?<!doi )(?<!dung )(" + "|".join(sorted(_BY_LABEL, key=len, reverse=True)) + r")(?!\w)")
_AFTER_LABEL = linear_regex.compile(r"^\s*(?:(?:la|:|=|-)(?:\s+|$))?\s*")
_CLAUSE_END = linear_regex.compile(r"[,;\n]|\.(?:\s|$)")
# Shapes that are one field only, wherever they stand.
_ID_NUMBER = linear_regex.compile(r"(?<![\d.\-])\d{12}(?![\d.\-])|(?<![\d.\-])\d{3}[ .]\d{3}[ .]\d{3}[ .]\d{3}(?!\d)")
_DATE = linear_regex.compile(r"(?<![\d/])\d{1,2}\s*[/.\-]\s*\d{1,2}(?:\s*[/.\-]\s*(?:\d{4}|\d{2}))?(?![\d/])"
                             r"|(?<!\w)(?:ngay mai|ngay kia|thu (?:2|3|4|5|6|7|hai|ba|tu|nam|sau|bay)"
                             r"(?: tuan (?:nay|sau|toi))?|chu nhat(?: tuan (?:nay|sau|toi))?|cuoi tuan(?: nay| sau)?"
                             r"|dau thang sau|tuan sau|tuan toi)(?!\w)")
_KW = linear_regex.compile(r"(?<![\d.,])\d+(?:[.,]\d+)?\s*kw(?!\w)")
_COUNT = linear_regex.compile(r"(?<![\d.,])\d{1,2}\s*(?:nhan khau|nguoi|khau)(?!\w)")
# The reason told with "vì"/"do" in the request itself ("nâng công suất lên 10 kW do mới lắp thêm 2 máy lạnh"); "do"
# only before what a cause starts with ("đó", "đỏ" and "đo" fold to it too), "vì" not before "trí" (vị trí).
_BECAUSE = linear_regex.compile(
    r"(?<!\w)(?:boi vi|tai vi|vi|do)\s+(?:moi|co|nha|minh|em|toi|tui|chi|anh|bi|phai|can|muon|dang|sap|da|bo|me"
    r"|ba|chong|vo|con|gia dinh|cong to|dong ho|dien ke|mo|lap|xay|sua|ban|mua|chuyen|di|khong|ko|chay|hu|hong"
    r"|cu|qua|it|nhieu)(?!\w)")


# What a callback is about, told without a label: "cần hỏi về hóa đơn tháng 10", "muon hoi ve lap dien mat troi".
_TOPIC = linear_regex.compile(r"(?<!\w)(?:can hoi|muon hoi|de hoi|hoi ve|hoi lai ve|can tu van|muon tu van|tu van ve"
                              r"|nho tu van|ve viec|muon biet|can biet)(?!\w)")


# A value given again to correct one already answered ("à khoan, số đúng là 0977…", "nhầm, ngày 15/12 mới đúng").
_CORRECTION = linear_regex.compile(r"(?<!\w)(?:a khoan|khoan da|khoan|nham|sua lai|dung ra la|dung la|moi dung"
                                   r"|ghi lai|doi lai|doi thanh)(?!\w)")


def corrects(text: str) -> bool:
    """Words that correct an answer given before: its value, given again, replaces the old one."""
    return _CORRECTION.search(fold(text or "")) is not None


@dataclass(frozen=True)
class Found:
    code: str
    start: int
    end: int
    labelled: bool

    def value(self, text: str) -> str:
        return text[self.start:self.end].strip(" ,.;:-")


def fields_in(text: str, folded: str, codes: tuple[str, ...]) -> list[Found]:
    """The values of the fields `codes` that `text` carries (`folded`: the same text without marks, same length).

    One value per field, the first found; a labelled value before a shape-only one.
    """
    spans: list[Found] = []
    labels = [found for found in _LABEL.finditer(folded) if _BY_LABEL[found.group(1)] in codes
              or _BY_LABEL[found.group(1)] in ("contact_phone", "id_number", "applicant_name")]
    for index, label in enumerate(labels):
        code = _field_of(_BY_LABEL[label.group(1)], codes)
        if code is None:
            continue
        start = label.end() + _value_offset(folded[label.end():])
        stop = labels[index + 1].start() if index + 1 < len(labels) else len(text)
        if code not in ("reason", "notes", "new_meter_location", "address"):
            clause = _CLAUSE_END.search(folded, start, stop)
            stop = clause.start() if clause else stop
        elif code == "address":
            stop = _address_end(text, folded, start, stop)
        if text[start:stop].strip(" ,.;:-"):
            spans.append(Found(code, start, stop, labelled=True))
    taken = {found.code for found in spans}
    for code, pattern in (("contact_phone", PHONE), ("id_number", _ID_NUMBER), ("preferred_date", _DATE),
                          ("requested_capacity_kw", _KW), ("household_members", _COUNT)):
        target = _field_of(code, codes)
        if target is None or target in taken:
            continue
        for match in pattern.finditer(folded):
            if not _inside(match.start(), spans) and not _inside_code(text, match.start()):
                spans.append(Found(target, match.start(), match.end(), labelled=False))
                taken.add(target)
                break
    if "reason" in codes and "reason" not in taken:
        because = _BECAUSE.search(folded)
        if because and not _inside(because.start(), [f for f in spans if f.code in _WORDED]):
            start = because.start() + _cause_start(because.group(0))
            stop = min([label.start() for label in _LABEL.finditer(folded, start)] + [len(text)])
            spans.append(Found("reason", start, stop, labelled=False))
    if "reason" in codes and "reason" not in {found.code for found in spans}:
        topic = _TOPIC.search(folded)
        if topic and not _inside(topic.start(), spans):
            stop = min([label.start() for label in _LABEL.finditer(folded, topic.start())] + [len(text)])
            spans.append(Found("reason", topic.start(), stop, labelled=False))
    if "new_purpose" in codes and "new_purpose" not in taken:
        purpose = _NEW_PURPOSE.search(folded)
        if purpose and not _inside(purpose.start(), spans):
            spans.append(Found("new_purpose", purpose.start(1), purpose.end(1), labelled=False))
    if "address" in codes and "address" not in taken:
        address = address_in(text)
        if address:
            start = text.find(address)
            if not _inside(start, spans):
                spans.append(Found("address", start, start + len(address), labelled=False))
    return sorted(spans, key=lambda found: found.start)


# Labels that begin a field's value wherever they stand; others ("ngày", "tên") do only before ":" or "là".
_ALWAYS_LABELS = frozenset({"ly do", "vi ly do", "nguyen nhan", "ghi chu"})


def starts_with_a_label(text: str) -> bool:
    """"lý do: …", "tên: Hoàng Anh Thư", "sđt là 09…": a part of a message that gives a field of a request."""
    folded = " ".join(fold(text or "").split())
    label = _LABEL.match(folded)
    if label is None:
        return False
    return label.group(1) in _ALWAYS_LABELS or linear_regex.match(r"\s*(?::|=|la\s)", folded[label.end():]) is not None


def has_labelled_fields(text: str) -> bool:
    """Two labelled fields or more ("lý do: …; sđt …; tên: …"): a request's form filled in one message."""
    folded = " ".join(fold(text or "").split())
    return sum(1 for _ in _LABEL.finditer(folded)) >= 2


def before_any(text: str, folded: str, found: list[Found]) -> str:
    """What the message says before its first labelled value: the answer to the question asked, perhaps."""
    labels = [label.start() for label in _LABEL.finditer(folded)]
    starts = [f.start for f in found if not f.labelled] + labels
    end = min(starts) if starts else len(text)
    return text[:end].strip(" ,.;:-")


# The purpose changed to, in the request itself: "đổi mục đích từ sinh hoạt sang kinh doanh".
_NEW_PURPOSE = linear_regex.compile(r"(?<!\w)sang\s+(?:muc dich\s+)?(sinh hoat|kinh doanh|san xuat|dich vu|hanh chinh"
                                    r"(?: su nghiep)?|buon ban|ban hang)(?!\w)")
# Fields whose value is words, which a "vì" inside belongs to ("lý do: vì …", "vị trí mới: …").
_WORDED = frozenset({"reason", "notes", "new_meter_location", "address", "applicant_name", "new_holder_name",
                     "new_purpose"})


def _cause_start(because: str) -> int:
    """Where the cause starts in a "vì …"/"bởi vì …" match: after the word(s) that say because."""
    words = because.split()
    return len(" ".join(words[:2 if words[0] in ("boi", "tai") else 1])) + 1


def _value_offset(after: str) -> int:
    """Where a label's value starts: past "là", ":" and spaces."""
    found = _AFTER_LABEL.search(after)
    return found.end() if found else 0


def _field_of(code: str, codes: tuple[str, ...]) -> str | None:
    """The field a label or a shape fills in this form: a new holder's CCCD where only that is asked, etc."""
    if code in codes:
        return code
    alternatives = {"id_number": "new_holder_id_number", "applicant_name": "new_holder_name"}
    alternative = alternatives.get(code)
    return alternative if alternative in codes else None


def _address_end(text: str, folded: str, start: int, stop: int) -> int:
    """A labelled address runs over its comma-separated parts that are parts of a place ("…, phường Linh Trung, TP
    Thủ Đức"), to the next label, the end of the sentence or a clause that is not a place ("…, muốn làm ngày …")."""
    sentence = linear_regex.search(r"\.(?:\s|$)", folded[start:stop])
    stop = start + sentence.start() if sentence else stop
    return min(stop, end_of_address(text, start))


def _inside(position: int, spans: list[Found]) -> bool:
    return any(found.start <= position < found.end for found in spans)


def _inside_code(text: str, position: int) -> bool:
    return any(code.start() <= position < code.end() for code in CUSTOMER_CODE.finditer(text))
