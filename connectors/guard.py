"""What every channel checks before a message reaches NLU.

Empty messages crash Rasa 3.6's LogisticRegressionClassifier (no features), and a
10.000-character paste is not a question; both get a polite answer at the door.
Text is normalised to NFC so that accents typed as combining marks match the
regexes and lookup tables.
"""
from __future__ import annotations

import unicodedata
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import UserMessage

MAX_MESSAGE_CHARS = 2000
EMPTY_REPLY = "Dạ, em chưa nhận được nội dung tin nhắn. Anh/chị vui lòng nhập câu hỏi ạ."
TOO_LONG_REPLY = (
    "Dạ, tin nhắn dài quá {limit} ký tự nên em chưa xử lý được. "
    "Anh/chị vui lòng gửi câu hỏi ngắn gọn hơn ạ."
).format(limit=f"{MAX_MESSAGE_CHARS:,}".replace(",", "."))


def problem_with(text: Any) -> str | None:
    """The reply to send instead of processing `text`, or None when it is fine."""
    if not isinstance(text, str) or not text.strip():
        return EMPTY_REPLY
    if len(text) > MAX_MESSAGE_CHARS:
        return TOO_LONG_REPLY
    return None


def guarded(on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Callable[[UserMessage], Awaitable[Any]]:
    """Wrap a channel's message handler with the checks above."""

    async def handle(message: UserMessage) -> Any:
        reply = problem_with(message.text)
        if reply is not None:
            await message.output_channel.send_text_message(message.sender_id, reply)
            return None
        message.text = unicodedata.normalize("NFC", message.text)
        return await on_new_message(message)

    return handle
