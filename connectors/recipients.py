"""Who a reply goes to on the platform: Rasa hands the output channels conversation ids (`facebook-<PSID>`,
`zalo-<user id>`, evn.domain.conversations), the platforms' send APIs want their own user ids."""
from __future__ import annotations

from typing import Any

from evn.domain import conversations


def platform_user_id(channel: str, recipient_id: Any) -> str:
    """`recipient_id` without `channel`'s conversation prefix; unchanged when it has none (already the user id)."""
    value = str(recipient_id)
    prefix = conversations.PREFIXES[channel]
    return value[len(prefix):] if value.startswith(prefix) else value
