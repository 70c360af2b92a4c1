"""A picture the customer sent (Messenger, Zalo, the widget's upload): taken from where the channel says it is
(evn.services.pictures: the platform's own hosts, or this conversation's upload), its QR codes read, and the whole
checked like a forwarded message (actions/scam_check.py), the caption with it. A refused picture is answered with
why, and nothing of it is kept."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import user_events
from actions.limits import tell_rate_limited
from actions.runtime import services
from actions.scam_check import answer
from evn.domain import conversations, pictures, rate_limits
from evn.domain.pictures import PictureRefused
from evn.services.errors import RateLimited


def picture_of(tracker: Tracker) -> dict[str, str]:
    """What the channel put in the latest message's metadata about its picture (empty: none)."""
    for event in reversed(user_events(tracker)):
        found = (event.get("metadata") or {}).get(pictures.METADATA_KEY)
        return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}
    return {}


class ActionCheckPicture(Action):
    def name(self) -> str:
        return "action_check_picture"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        core, conversation = services(), tracker.sender_id
        sent = picture_of(tracker)
        if "refused" in sent:  # the web app refused the widget's upload: nothing was kept
            return self._refused(dispatcher, sent["refused"], conversation)
        try:
            if sent.get("source") == pictures.UPLOAD:
                picture = core.pictures.owned(sent.get("id", ""), conversation)
            else:
                picture = core.pictures.from_platform(conversation, sent.get("source", ""), sent.get("url", ""))
            codes = core.pictures.codes(picture)
        except PictureRefused as refused:
            dispatcher.utter_message(response=f"utter_picture_refused_{refused.reason.value}")
            return []
        except RateLimited as limited:
            tell_rate_limited(dispatcher, limited)
            return []
        caption = sent.get("caption", "")
        result = core.scam_checks.check(conversation, conversations.channel_of(conversation) or "", caption,
                                        qr_texts=codes, picture_id=picture.id)
        answer(dispatcher, tracker, domain, result, caption)
        return []

    @staticmethod
    def _refused(dispatcher: CollectingDispatcher, reason: str, conversation: str) -> list[dict[str, Any]]:
        until = services().pictures.limited_until(conversation) if reason == pictures.RATE_LIMITED else None
        if until is not None:
            tell_rate_limited(dispatcher, RateLimited(rate_limits.PICTURE, until))
        elif pictures.upload_refusal(reason) not in (None, pictures.RATE_LIMITED):
            dispatcher.utter_message(response=f"utter_picture_refused_{reason}")
        else:
            dispatcher.utter_message(response="utter_picture_refused_unknown")
        return []
