"""A customer who wants the assistant back ("quay lại trợ lý ảo", "thôi khỏi gặp nhân viên").

While a person holds the conversation the bot is paused and answers nothing, so the
channel recognises these words itself (besides the intent), with or without diacritics.
"""
from __future__ import annotations

import re

from evn.domain.periods import fold

_WORDS = re.compile(
    r"\b(?:(?:quay (?:lai|ve)|tro lai|ve lai|noi chuyen (?:voi|vs)|chat (?:voi|vs)) (?:tro ly(?: ao)?|bot|chatbot)"
    r"|(?:thoi |ko |khong )?(?:khoi|khong can|ko can|hong can|hok can) (?:gap )?(?:nhan vien|nv|tu van vien)"
    r"|huy (?:gap |cho )?(?:nhan vien|nv)|ket thuc (?:tu van|chat voi nhan vien))\b"
)


def wants_the_assistant_back(text: str) -> bool:
    return bool(text) and _WORDS.search(" ".join(fold(text).split())) is not None
