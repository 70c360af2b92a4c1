"""Reading what the customer asked from the tracker."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from evn import reference
from evn.domain import linear_regex, sources
from evn.domain.language.complaints import is_complaint
from evn.domain.periods import asks_this_year, fold, month_count, period_problem
from evn.domain.queued_requests import QUEUED


@dataclass(frozen=True)
class Request:
    intent: str
    text: str
    period_text: str | None
    entities: dict[str, str] = field(default_factory=dict)  # of the question itself
    said_since: tuple[str, ...] = ()  # the question's text and every later message, newest first
    periods: tuple[str, ...] = ()  # the periods of the newest message since the question that names any, in order
    codes: tuple[str, ...] = ()  # the codes of the newest message since the question that names any, in order


def user_events(tracker: Tracker) -> list[dict]:
    """What the customer said: news from outside (EXTERNAL_* intents, a notice's facts) is not their words."""
    return [event for event in tracker.events if event.get("event") == "user" and not str(
        (event.get("parse_data") or {}).get("intent", {}).get("name") or "").startswith("EXTERNAL_")]


def entity_value(event: dict, entity: str) -> str | None:
    values = [e.get("value") for e in event.get("parse_data", {}).get("entities", []) if e.get("entity") == entity]
    return str(values[-1]) if values else None


def find_request(tracker: Tracker, intents: Iterable[str], latest_only: bool = False) -> Request | None:
    """The newest question of one of `intents`, with the newest entities named since.

    A question may take several turns (verification, a missing place); this finds
    what the customer wanted and picks up details given later ("còn tháng 9 thì sao?").
    With `latest_only`, the latest message is that question, whatever the classifier
    thought of it (a follow-up placed by its words: "đóng rồi phải không").
    """
    wanted = set(intents)
    entities: dict[str, str] = {}
    said: list[str] = []
    periods: list[str] = []
    periods_of: dict | None = None
    codes: list[str] = []
    codes_of: dict | None = None
    for event in reversed(user_events(tracker)):
        said.append(event.get("text") or "")
        for entity in reversed(event.get("parse_data", {}).get("entities", [])):
            if entity.get("entity") == "period" and (not periods or periods_of is event) \
                    and str(entity.get("value")) not in periods:
                periods.insert(0, str(entity.get("value")))
                periods_of = event
            if entity.get("entity") == "customer_code" and (not codes or codes_of is event) \
                    and str(entity.get("value")) not in codes:
                codes.insert(0, str(entity.get("value")))
                codes_of = event
            if entity.get("entity") and entity["entity"] not in entities:
                entities[entity["entity"]] = str(entity.get("value"))
        intent = event.get("parse_data", {}).get("intent", {}).get("name")
        if latest_only:
            intent = next(iter(wanted), None)
        if intent in wanted:
            return Request(intent=intent, text=event.get("text") or "", period_text=entities.get("period"),
                           entities=entities, said_since=tuple(said), periods=tuple(periods),
                           codes=tuple(codes))
    return None


# Questions about one bill that, asked right after a bill was shown and naming no period, are about that bill.
CARRIES_PERIOD = frozenset({"ask_bill", "ask_consumption", "ask_bill_increase"})
LAST_PERIOD = "last_period"  # the slot an answer about one bill sets


def period_answered_last_turn(tracker: Tracker) -> str | None:
    """The period of the bill the answer to the message before the latest was about, if it was about one."""
    shown = periods_shown_lately(tracker, turns=1)
    return shown[-1] if shown else None


def with_the_period_just_answered(tracker: Tracker, request: Request) -> Request:
    """"vậy tiền hết nhiêu" just after July's kWh is July's bill, not the latest: a question of one bill asked in
    the message right after a bill was shown, naming no period (nor several months, nor the year), keeps its
    period. Said later, or naming one, it is answered as asked."""
    if (request.intent not in CARRIES_PERIOD or request.period_text or len(request.said_since) != 1
            or month_count(request.text) is not None or asks_this_year(request.text)):
        return request
    shown = period_answered_last_turn(tracker)
    return replace(request, period_text=shown, periods=(shown,)) if shown else request


def periods_shown_lately(tracker: Tracker, turns: int = 4) -> list[str]:
    """The periods of the bills shown in the answers to the customer's `turns` messages before the latest, oldest
    first (each once)."""
    shown: list[str] = []
    users = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users += 1
            if users > turns:
                break
        elif (users and event.get("event") == "slot" and event.get("name") == LAST_PERIOD and event.get("value")
              and str(event["value"]) not in shown):
            shown.insert(0, str(event["value"]))
    return shown


# "tháng trước đó", "kỳ sau đó": a month counted from the bill just shown, not from today.
_FROM_THE_SHOWN = linear_regex.compile(r"(?<!\w)(?:thang|ky|ki)\s+(truoc|sau)\s+(?:nua\s+)?do(?!\w)")


def with_the_period_counted_from_the_shown(tracker: Tracker, request: Request) -> Request:
    """"còn tháng trước đó" after July's bill is June's: the month before the bill last shown."""
    found = _FROM_THE_SHOWN.search(" ".join(fold(tracker.latest_message.get("text") or "").split()))
    shown = tracker.get_slot(LAST_PERIOD)
    if found is None or not shown or request.intent not in CARRIES_PERIOD:
        return request
    month, year = (int(part) for part in str(shown).split("/"))
    # "so với tháng trước đó" compares the bill shown with the one before it: the period stays the shown one.
    step = 0 if request.intent == "ask_bill_increase" else -1 if found.group(1) == "truoc" else 1
    index = year * 12 + month - 1 + step
    period = f"{index % 12 + 1:02d}/{index // 12}"
    return replace(request, period_text=period, periods=(period,))


# "so với tháng 9 thì sao" after October's bill: the month named is what the bill shown is compared with.
_AGAINST_NAMED = linear_regex.compile(r"(?<!\w)(?:so voi|so vs|so)\s+(?:thang|ky|ki|t)\s*\d")


def against_the_shown(tracker: Tracker, request: Request) -> tuple[str, str] | None:
    """(the bill shown, the period named) when a comparison names one period as what the bill just shown is
    compared with; None otherwise."""
    if len(request.periods) > 1 or not request.period_text:
        return None
    if _AGAINST_NAMED.search(" ".join(fold(tracker.latest_message.get("text") or "").split())) is None:
        return None
    shown = tracker.get_slot(LAST_PERIOD) or next(iter(compared_before(tracker)), None)
    if not shown or _month_number(str(shown)) == _month_number(request.period_text):
        return None  # the same month named again: the question as asked
    return str(shown), request.period_text


def _month_number(period: str) -> int | None:
    """The first number a period is written with ("10/2026", "tháng 10"), or None ("tháng này")."""
    found = linear_regex.search(r"\d+", period)
    return int(found.group(0)) if found else None


def compared_before(tracker: Tracker) -> list[str]:
    """The periods the comparison asked before the latest message named, in order ("tháng 12 năm ngoái với tháng 1
    năm nay"; "sao tháng 10 cao quá vậy"): what "chênh nhau nhiêu", "so với tháng 9" speak of."""
    before = [event for event in user_events(tracker)[:-1]
              if (event.get("parse_data") or {}).get("intent", {}).get("name") == "ask_bill_increase"]
    return [str(e.get("value")) for e in (before[-1].get("parse_data") or {}).get("entities", [])
            if e.get("entity") == "period"] if before else []



def last_entity(tracker: Tracker, entity: str) -> str | None:
    """The newest value of `entity` the customer gave anywhere in the conversation (context for follow-ups)."""
    for event in reversed(user_events(tracker)):
        value = entity_value(event, entity)
        if value:
            return value
    return None


def impossible_period(request: Request) -> str | None:
    """What is wrong with the period named in the question or after it (evn.domain.periods)."""
    for text in request.said_since or (request.text,):
        problem = period_problem(text)
        if problem:
            return problem
    return None


def source_address(tracker: Tracker) -> str | None:
    """The keyed hash of the client address the channel recorded for the latest message (widget, REST)."""
    for event in reversed(user_events(tracker)):
        source = (event.get("metadata") or {}).get(sources.METADATA_KEY)
        address = source.get("address") if isinstance(source, dict) else None
        return address if isinstance(address, str) and address else None
    return None


def latest_turns(tracker: Tracker, count: int) -> list[dict]:
    """The last user and bot messages, oldest first (for a human agent's context)."""
    turns = [
        {"from": "customer" if event["event"] == "user" else "bot", "text": event.get("text") or ""}
        for event in tracker.events
        if event.get("event") in ("user", "bot") and event.get("text")
        and not (event.get("parse_data") or {}).get(QUEUED)  # a request of the message before, served after it
    ]
    return turns[-count:]


def said_this_turn(tracker: Tracker, response: str) -> bool:
    """Whether the bot already sent `response` since the customer's latest message (say a thing once)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "bot" and (event.get("metadata") or {}).get("utter_action") == response:
            return True
    return False


def hear_complaint(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """A word of understanding before the answer when the customer is upset (once per message)."""
    if is_complaint(tracker.latest_message.get("text") or "") and not said_this_turn(tracker, "utter_complaint_heard"):
        dispatcher.utter_message(response="utter_complaint_heard")


def known_hotline(tracker: Tracker) -> str | None:
    """The hotline of the customer's power company when a code was given in this conversation (public by prefix)."""
    return reference.hotline_for_code(tracker.get_slot("verified_code") or tracker.get_slot("customer_code"))
