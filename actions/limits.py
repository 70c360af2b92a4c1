"""Telling a source it acted too often: when it may again, and the hotline for what cannot wait."""
from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from evn import reference
from evn.domain.formats import format_datetime
from evn.domain.time import to_vietnam
from evn.services.errors import RateLimited


def tell_rate_limited(dispatcher: CollectingDispatcher, limited: RateLimited) -> None:
    dispatcher.utter_message(
        response=f"utter_too_many_{limited.scope}", until=format_datetime(to_vietnam(limited.until)),
        hotline=reference.general_hotlines(),
    )
