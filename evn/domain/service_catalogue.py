"""The EVN service requests the assistant takes, and how each form field is checked.

The catalogue is data (evn/reference/service_catalogue.yml) so that adding a
request type or rewording a question needs no code change; this module only
reads it, checks it is consistent, matches customers' words against it and
validates what they type into the form.
"""
from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from evn.domain import linear_regex
from evn.domain.identity import normalize_phone
from evn.domain.language.confirmations import only_a_yes
from evn.domain.language.relative_days import parse_day_range
from evn.domain.periods import fold
from evn.domain.places import is_street_address
from evn.reference import HERE as REFERENCE_DIR

DEFAULT_PATH = REFERENCE_DIR / "service_catalogue.yml"
CALLBACK = "callback"  # the callback service: offered out of the desk's hours, after a low rating, asked in words

KINDS = ("name", "phone", "address", "id_number", "kw", "count", "date", "text", "register")


@dataclass(frozen=True)
class Problem:
    """Why a typed value is refused: the action answers with response utter_invalid_field_<code>."""

    code: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class FieldSpec:
    code: str
    question: str
    label: str
    kind: str


@dataclass(frozen=True)
class ServiceType:
    code: str
    name: str
    synonyms: tuple[str, ...]
    needs_verified_customer: bool
    fields: tuple[FieldSpec, ...]
    fee: str
    working_days: int
    next_steps: str
    papers: str = ""  # the documents to bring, said as soon as the type is understood
    photo: bool = False  # the ticket keeps a place for a photo link (the meter's face), filled by the pictures work
    # Its text fields hold what the customer wants to ask (a callback: "muốn biết chi phí lắp điện mới bao nhiêu"):
    # a question there is the answer, not a new question for the rules.
    asks_a_question: bool = False

    @property
    def is_free(self) -> bool:
        return self.fee == "free"


class Catalogue:
    """Service types by code, plus a folded phrase index for free-text matching."""

    def __init__(self, types: list[ServiceType], fields: dict[str, FieldSpec] | None = None) -> None:
        self._types = {service.code: service for service in types}
        self._fields = dict(fields or {f.code: f for service in types for f in service.fields})
        self._field_codes = tuple(self._fields)
        phrases: dict[str, ServiceType] = {}
        for service in types:
            for phrase in (service.name, *service.synonyms):
                key = _squash(fold(phrase))
                owner = phrases.setdefault(key, service)
                if owner.code != service.code:
                    raise ValueError(f"'{phrase}' belongs to both {owner.code} and {service.code}")
        # Longest first, so "sang tên hợp đồng" wins over "sang tên" and
        # "tạm ngừng cấp điện" over anything shorter inside it.
        self._phrases = [
            (linear_regex.compile(rf"(?<!\w){linear_regex.escape(key)}(?!\w)"), service)
            for key, service in sorted(phrases.items(), key=lambda item: -len(item[0]))
        ]

    @property
    def field_codes(self) -> tuple[str, ...]:
        """Every field any type may ask for: the form's slots (domain.yml declares each, a test checks)."""
        return self._field_codes

    def field(self, code: str) -> FieldSpec | None:
        return self._fields.get(code)

    def get(self, code: str) -> ServiceType | None:
        return self._types.get(code)

    def all(self) -> list[ServiceType]:
        return list(self._types.values())

    def find(self, text: str) -> ServiceType | None:
        """The service a customer's sentence names, ignoring case, diacritics and a classifier word ("dời cái
        điện kế" names "dời điện kế")."""
        folded = linear_regex.sub(r"(?<!\w)(?:cai|chiec)\s+", "", _squash(fold(text or "")))
        # The one named first ("muốn được gọi lại tư vấn về lắp điện 3 pha": a callback); of phrases named at the
        # same place, the longest (the list's order).
        named = [(found.start(), order, service) for order, (pattern, service) in enumerate(self._phrases)
                 if (found := pattern.search(folded))]
        return min(named, key=lambda item: item[:2])[2] if named else None


def load_catalogue(path: Path | str | None = None) -> Catalogue:
    """The catalogue from `path` (default: the shipped YAML), parsed once per path."""
    return _load(Path(path) if path is not None else DEFAULT_PATH)


@cache
def _load(path: Path) -> Catalogue:
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    fields = {code: _field(code, spec) for code, spec in data["fields"].items()}
    return Catalogue([_service(entry, fields) for entry in data["service_types"]], fields)


def _field(code: str, spec: dict[str, Any]) -> FieldSpec:
    if not linear_regex.fullmatch(r"[a-z][a-z0-9_]{1,40}", code):
        raise ValueError(f"a field code must be a slot name: {code}")
    if spec["kind"] not in KINDS:
        raise ValueError(f"unknown validation kind for {code}: {spec['kind']}")
    return FieldSpec(code, str(spec["question"]), str(spec["label"]), spec["kind"])


def _service(entry: dict[str, Any], fields: dict[str, FieldSpec]) -> ServiceType:
    missing = [code for code in entry["fields"] if code not in fields]
    if missing:
        raise ValueError(f"{entry['code']}: fields without a definition: {missing}")
    if int(entry["working_days"]) <= 0:
        raise ValueError(f"{entry['code']}: working_days must be positive")
    return ServiceType(
        code=entry["code"],
        name=str(entry["name"]),
        synonyms=tuple(str(s) for s in entry.get("synonyms") or ()),
        needs_verified_customer=bool(entry["needs_verified_customer"]),
        fields=tuple(fields[code] for code in entry["fields"]),
        fee=str(entry["fee"]),
        working_days=int(entry["working_days"]),
        next_steps=str(entry["next_steps"]),
        papers=str(entry.get("papers") or ""),
        photo=bool(entry.get("photo")),
        asks_a_question=bool(entry.get("asks_a_question")),
    )


def _squash(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------- validation

NUMBER = linear_regex.compile(r"(?<![\d.,])(\d{1,3}(?:\.\d{3})+|\d+(?:[.,]\d+)?)(?![\d])")
KW_SUFFIX = linear_regex.compile(r"\s*(?:kw|kilowatt|ki lo oat)(?!\w)")
PHASES = linear_regex.compile(r"\s*pha(?!\w)")  # "3 pha" is the supply type, not 3 kW
# Not followed by more digits, even after separators ("5/12/20267"): the separators that follow are part of the
# match, then no digit may come (RE2 has no look-ahead of several characters); only the groups are used.
DATE = linear_regex.compile(
    r"(?<!\d)(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?:\s*[/.\-]\s*(\d{4}|\d{2}))?[/.\-]*(?![\d/.\-])"
)
MAX_KW = 2000


def validate(kind: str, text: str, today: date) -> tuple[Any, Problem | None]:
    """(normalised value, None) or (None, what is wrong: the action says it with a response).

    `today` is passed in (not read from the clock) so dates are checked in the
    customer's time zone and tests are deterministic.
    """
    check = _VALIDATORS.get(kind)
    if check is None:
        raise ValueError(f"unknown validation kind: {kind}")
    return check(unicodedata.normalize("NFC", _squash(text or "")), today)


# Words no Vietnamese name holds: a sentence ("em cần đăng ký kiểm định"), a consent ("đồng ý") or a request is
# not a person's name.
_NOT_NAME_WORDS = frozenset((
    "em", "tôi", "tui", "mình", "cần", "muốn", "đăng", "ký", "điện", "ok", "oke", "ý", "không", "ko", "có", "thôi",
    "rồi", "nha", "nhé", "dạ", "vâng", "gửi", "đi", "xin", "cho", "giúp", "yêu", "cầu", "kiểm", "đổi", "hủy",
    "huỷ", "sửa", "là", "và", "với", "của", "này", "đó", "mà", "thì", "sẽ", "được", "đc", "làm", "hỏi", "nhiêu",
    "gì", "nào", "tiền", "đơn", "số", "sđt", "cccd", "địa", "chỉ", "ngày", "tháng", "vì",
    "khong", "muon", "dang", "dien", "gui", "giup", "kiem", "duoc", "nhe",
))  # not "công", "đồng", "hồ", "hợp", "định", "lý", "bảo", "hóa", "sao": names too


def _name(text: str, today: date) -> tuple[Any, Problem | None]:
    words = text.split()
    if any(word.lower() in _NOT_NAME_WORDS for word in words) and not all(word[:1].isupper() for word in words):
        return None, Problem("name")
    if only_a_yes(text):  # a yes in two words ("chính xác", "đúng rồi") has a name's shape: never one
        return None, Problem("name")
    if 2 <= len(words) <= 10 and all(word.isalpha() for word in words):
        return " ".join(word[:1].upper() + word[1:].lower() for word in words), None
    return None, Problem("name")


def _phone(text: str, today: date) -> tuple[Any, Problem | None]:
    phone = normalize_phone(text)
    if phone:
        return phone, None
    return None, Problem("phone")


def _address(text: str, today: date) -> tuple[Any, Problem | None]:
    if is_street_address(text):
        return text, None
    return None, Problem("address")


def _id_number(text: str, today: date) -> tuple[Any, Problem | None]:
    digits = linear_regex.sub(r"[\s.\-]", "", text)
    if len(digits) == 12 and digits.isascii() and digits.isdigit():
        return digits, None
    return None, Problem("id_number")


def _kw(text: str, today: date) -> tuple[Any, Problem | None]:
    """Whole kW, rounded up: a registered capacity below what was asked would trip."""
    folded = fold(text)
    numbers = [m for m in NUMBER.finditer(folded) if not PHASES.match(folded, m.end())]
    with_unit = [m for m in numbers if KW_SUFFIX.match(folded, m.end())]
    chosen = with_unit[0] if len(with_unit) == 1 else numbers[0] if len(numbers) == 1 else None
    if chosen is not None:
        value = _to_number(chosen.group(1))
        if 0 < value <= MAX_KW:
            return math.ceil(value), None
    return None, Problem("kw", {"max_kw": MAX_KW})


def _to_number(token: str) -> float:
    if linear_regex.fullmatch(r"\d{1,3}(?:\.\d{3})+", token):  # 1.500 = one thousand five hundred
        return float(token.replace(".", ""))
    return float(token.replace(",", "."))


_DIGITS = linear_regex.compile(r"(?<![\d.,])\d+")
_DECIMALS = linear_regex.compile(r"[.,]\d")


def _whole_numbers(text: str) -> list[str]:
    r"""What re.findall(r"(?<![\d.,])\d+(?![\d.,]\d)") found (RE2 has no look-ahead of two characters): no number
    followed by decimals ("2.5"), though re's backtracking kept such a number's digits but its last ("12.5": "1")."""
    numbers = []
    for found in _DIGITS.finditer(text):
        digits = found.group()
        if _DECIMALS.match(text[found.end():found.end() + 2]):
            digits = digits[:-1]
        if digits:
            numbers.append(digits)
    return numbers


MAX_REGISTER = 9_999_999  # a meter's register has at most seven digits


def _register(text: str, today: date) -> tuple[Any, Problem | None]:
    """The register read on the meter, whole kWh: "15390", "15.390", "15390 số"."""
    numbers = [_to_number(m.group(1)) for m in NUMBER.finditer(fold(text))]
    if len(numbers) == 1 and numbers[0] == int(numbers[0]) and 0 <= numbers[0] <= MAX_REGISTER:
        return int(numbers[0]), None
    return None, Problem("register")


def _count(text: str, today: date) -> tuple[Any, Problem | None]:
    numbers = _whole_numbers(text)
    if len(numbers) == 1 and 1 <= int(numbers[0]) <= 50:
        return int(numbers[0]), None
    return None, Problem("count")


# How customers name a field when they correct it ("sửa ngày thành 8/12"), by its kind; folded words.
_KIND_WORDS: dict[str, tuple[str, ...]] = {
    "date": ("ngay", "lich hen", "hen"),
    "phone": ("so dien thoai", "dien thoai", "so lien he", "so dt", "sdt"),
    "address": ("dia chi",),
    "id_number": ("cccd", "can cuoc", "cmnd", "chung minh"),
    "name": ("ho ten", "ho va ten", "ten"),
    "kw": ("cong suat",),
    "count": ("nhan khau", "so nguoi"),
    "register": ("chi so",),
}
_NEW_VALUE = linear_regex.compile(r"(?<!\w)(?:thành|thanh|lại là|lai la|là|la|sang|qua)\s+(.+)$|[:=]\s*(.+)$")


def correction(text: str, fields: tuple[FieldSpec, ...]) -> tuple[FieldSpec | None, str | None]:
    """Which field a correction names and its new value: 'sửa ngày thành 8/12' -> (preferred_date, '8/12').

    The field is the first of the type's fields whose kind or label the words name; the
    value is what follows 'thành' / 'là' / ':' (None when only the field is named)."""
    folded = " ".join(fold(text or "").split())
    named = None
    for spec in fields:
        words = (*_KIND_WORDS.get(spec.kind, ()), fold(spec.label.lower()))
        if any(linear_regex.search(rf"(?<!\w){linear_regex.escape(word)}(?!\w)", folded) for word in words):
            named = spec
            break
    match = _NEW_VALUE.search(" ".join((text or "").split()))
    value = (match.group(1) or match.group(2)).strip(" .!") if match else None
    return named, value or None


# Kinds whose answers cannot be mistaken for one another (a name or free text could be anything):
# a phone typed where the CCCD was asked belongs to the phone field.
UNMISTAKABLE_KINDS = frozenset({"phone", "id_number", "address", "date"})

# A day and month without a year that passed this recently is a mistake to point out, not next year's date.
RECENT_PAST = timedelta(days=60)


def _date(text: str, today: date) -> tuple[Any, Problem | None]:
    expected = Problem("date")
    folded = fold(text)
    match = DATE.search(folded)
    if match is None:
        relative = _relative_day(text.lower(), today)
        if relative is None:
            return None, expected
        value = relative
    else:
        day, month, year = int(match.group(1)), int(match.group(2)), match.group(3)
        try:
            value = date(_full_year(year) if year else today.year, month, day)
            if not year and value < today - RECENT_PAST:
                value = date(today.year + 1, month, day)  # "05/01" in late November: next January
            elif not year and value > today and _recently_passed(day, month, today):
                value = date(today.year - 1, month, day)  # "28/12" on 05/01: last December, passed
        except ValueError:
            return None, expected
    if value < today:
        return None, Problem("date_in_the_past", {"date": f"{value:%d/%m/%Y}", "today": f"{today:%d/%m/%Y}"})
    return value, None


def _recently_passed(day: int, month: int, today: date) -> bool:
    try:
        last_year = date(today.year - 1, month, day)
    except ValueError:
        return False
    return today - RECENT_PAST <= last_year < today


def _full_year(year: str) -> int:
    return 2000 + int(year) if len(year) == 2 else int(year)


_PAST_DAYS = ((linear_regex.compile(r"(?<!\w)h[oô]m\s+qua(?!\w)|(?<!\w)hom\s+qua(?!\w)"), 1),
              (linear_regex.compile(r"(?<!\w)h[oô]m\s+kia(?!\w)"), 2))


def _relative_day(typed: str, today: date) -> date | None:
    """'mai', 'thứ 2 tuần sau', 'cuối tuần này', 'đầu tháng sau' (its first day), and 'hôm qua' to refuse.

    Typed text, not folded, for "mãi" (forever), which folding would read "mai" (tomorrow)."""
    for pattern, days_ago in _PAST_DAYS:
        if pattern.search(typed):
            return today - timedelta(days=days_ago)
    if linear_regex.search(r"(?<!\w)mãi(?!\w)", typed):
        return None
    found = parse_day_range(typed, today)
    return found[0] if found else None


def _text(text: str, today: date) -> tuple[Any, Problem | None]:
    if only_a_yes(text):
        return None, Problem("consent")  # "đồng ý", "ok gửi đi": a yes to something, not a reason or a place
    if 3 <= len(text) <= 500:
        return text, None
    return None, Problem("text")


_VALIDATORS = {
    "name": _name,
    "phone": _phone,
    "address": _address,
    "id_number": _id_number,
    "kw": _kw,
    "count": _count,
    "register": _register,
    "date": _date,
    "text": _text,
}
