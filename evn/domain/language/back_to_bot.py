"""A customer who wants the assistant back ("quay lại trợ lý ảo", "thôi khỏi gặp nhân viên").

While a person holds the conversation the bot is paused and answers nothing, so the
channel recognises these words itself (besides the intent), with or without diacritics.
"""
from __future__ import annotations

from evn.domain import linear_regex
from evn.domain.periods import fold

_WORDS = linear_regex.compile(
    r"\b(?:(?:quay (?:lai|ve)|tro lai|ve lai|noi chuyen (?:voi|vs)|chat (?:voi|vs)) (?:tro ly(?: ao)?|bot|chatbot)"
    r"|(?:thoi |ko |khong )?(?:khoi|khong can|ko can|hong can|hok can) (?:gap )?(?:nhan vien|nv|tu van vien)"
    r"|huy (?:gap |cho )?(?:nhan vien|nv)|ket thuc (?:tu van|chat voi nhan vien))\b"
)


# The whole message, give or take a polite word: "thôi, quay lại trợ lý ảo nhé" hands back, while "đừng bắt
# tôi quay lại trợ lý ảo" or "tôi không muốn nói chuyện với bot nữa", said to the agent, does not.
# Each word of a tail is one alternative: "nhe em" read as one word or as two made the backtracking engine
# try every split of " nhe em nhe em …", 1,6 times longer per pair (a Rasa server froze on 27 pairs).
_POLITE = r"(?:thoi|oi|a|da|em|anh|chi|cho (?:toi|em|minh|tui)|toi muon|minh muon|em muon)"
_TAIL = r"(?:nhe|nha|a|di|nua|giup|voi|em|duoc khong|dc ko)"
_WHOLE = linear_regex.compile(rf"(?:{_POLITE} )*(?:{_WORDS.pattern})(?: {_TAIL})*")


def wants_the_assistant_back(text: str) -> bool:
    """Anywhere in the message (the bot listening: the NLU intent decides, this only helps)."""
    return bool(text) and _WORDS.search(_folded(text)) is not None


def only_asks_for_the_assistant(text: str) -> bool:
    """The message is that and nothing else (while an agent holds the conversation)."""
    return bool(text) and _WHOLE.fullmatch(_folded(text)) is not None


def _folded(text: str) -> str:
    return " ".join(_PUNCTUATION.sub(" ", fold(text)).split())


_PUNCTUATION = linear_regex.compile(r"[^\w\s]")
