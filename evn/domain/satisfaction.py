"""How the customer felt: when the one question may be asked, what a rating is, and what of a comment is kept.

The question follows something finished (a filed request, a closed handoff, a confirmed payment). It is asked at
most once in ASK_GAP per conversation; a question the customer left unanswered keeps the conversation quiet for
IGNORED_QUIET (they did not want it, so it is not put to them again soon). A rating is 1 to 5; 1 and 2 are low
and offer a callback. A comment is kept only masked (phones, ID numbers, addresses, customer codes, e-mails).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from evn.domain import linear_regex
from evn.domain.identity import CUSTOMER_CODE
from evn.domain.masking import mask_identifier, mask_personal_data

ASK_GAP = timedelta(hours=24)
IGNORED_QUIET = timedelta(days=7)
ANSWER_WITHIN = timedelta(hours=24)  # a button pressed later than this rates nothing
LOWEST, HIGHEST = 1, 5
LOW = frozenset({1, 2})
SATISFIED = frozenset({4, 5})  # CSAT: the share of ratings that are 4 or 5
COMMENT_CHARS = 500

_EMAIL = linear_regex.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A comment is free text kept for months, so it is masked more than a log line: every run of 4 digits or more, glued
# to letters or not (phones, ID numbers, bank accounts, long house numbers), and an address however it is typed: a
# house number before words that are no quantity ("45 hang bai"), or a place's word and what follows it up to the
# next mark ("thôn 3, xã Mỹ Yên", "phòng 1203 tòa B2").
_DIGITS = linear_regex.compile(r"\d(?:[ .\-]?\d){3,}")
_QUANTITY = frozenset({
    "ngay", "ngày", "gio", "giờ", "h", "phut", "phút", "thang", "tháng", "nam", "năm", "lan", "lần", "sao", "diem",
    "điểm", "kwh", "kw", "so", "số", "d", "đ", "dong", "đồng", "k", "nghin", "nghìn", "ngan", "ngàn", "tr", "trieu",
    "triệu", "tuan", "tuần", "buoi", "buổi", "cuoc", "cuộc", "nguoi", "người", "tieng", "tiếng"})
# A house number and up to four words after it, up to the next mark ("45 hang bai hoan kiem").
_HOUSE_NUMBER = linear_regex.compile(r"(?<![\w/])\d{1,3}[A-Za-z]?(?:/\d{1,4}[A-Za-z]?)*((?:[ \t]+[\p{L}][\w]*){1,4})")
_PLACE_WORDS = linear_regex.compile(
    r"(?i)(?<!\w)(?:(?:số nhà|nhà số|địa chỉ|thôn|xóm|ấp|xã|phường|quận|huyện|ngõ|ngách|hẻm|kiệt|đường|phố|tổ|khu "
    r"phố|phòng|tòa|toà|căn hộ|chung cư|lô|block|so nha|dia chi|thon|xom|phuong|huyen|ngach|kiet|chung cu|can ho)"
    r"\s+[^,;.\n!?]{1,40}"
    # without marks, words that are also everyday words ("lo", "to", "quan", "xa"): only before a number
    r"|(?:ap|xa|quan|ngo|hem|duong|pho|to|phong|toa|lo|dc)\s+\d[^,;.\n!?]{0,40})")


class Topic(str, Enum):
    """What was rated: the report groups by it."""

    REQUEST = "request"  # a service request filed
    OUTAGE = "outage"  # an outage reported
    HANDOFF = "handoff"  # a conversation with an agent, closed
    PAYMENT = "payment"  # a payment confirmed in the chat


@dataclass(frozen=True)
class Asked:
    """A question put to a conversation before: when, and whether it was answered."""

    asked_at: datetime
    answered: bool


def may_ask(latest: Asked | None, now: datetime) -> bool:
    """Whether the question may be put now, given the latest one put to this conversation."""
    if latest is None:
        return True
    quiet = ASK_GAP if latest.answered else max(ASK_GAP, IGNORED_QUIET)
    return now - latest.asked_at >= quiet


def valid_score(value: object) -> int | None:
    """A rating as sent by a button or read from words: 1 to 5, else None."""
    try:
        score = int(str(value).strip())
    except ValueError:
        return None
    return score if LOWEST <= score <= HIGHEST else None


def is_low(score: int) -> bool:
    return score in LOW


def _house_or_quantity(found: linear_regex.Match) -> str:
    """A number before words is a house and its street, masked, unless the first word counts it ("2 ngày")."""
    words = (found.group(1) or "").split()
    return found.group(0) if not words or words[0].lower() in _QUANTITY else "***"


def masked_comment(text: str) -> str:
    """The comment as it may be kept: personal data masked, spaces tidied, at most COMMENT_CHARS."""
    text = unicodedata.normalize("NFKC", " ".join((text or "")[:4 * COMMENT_CHARS].split()))
    text = _EMAIL.sub("***@***", text)
    text = CUSTOMER_CODE.sub(lambda m: mask_identifier(m.group(0)), text)
    text = mask_personal_data(text)  # phones kept recognisable as such: 090****567
    text = _PLACE_WORDS.sub(lambda m: m.group(0).split()[0] + " ***", text)
    text = _HOUSE_NUMBER.sub(_house_or_quantity, text)
    return _DIGITS.sub("****", text)[:COMMENT_CHARS]


# The dialogue's side: the slot the asking action sets, read by dialogue_policies/satisfaction_policy.py on the
# customer's next message, and which question it was.
STEP_SLOT = "satisfaction_step"
STEP_RATING = "rating"  # the question: a rating is expected
STEP_COMMENT = "comment"  # thanked for 3 to 5: a comment is welcome
STEP_CALLBACK = "callback"  # sorry for 1 or 2: a callback is offered, and a comment welcome
STEP_CALLBACK_OFFERED = "callback_offered"  # a low rating's comment kept: the callback is offered once more
STEPS = (STEP_RATING, STEP_COMMENT, STEP_CALLBACK, STEP_CALLBACK_OFFERED)
