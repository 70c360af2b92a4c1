"""Several requests in one message, classified part by part by the same pipeline (evn/domain/request_clauses.py).

Rasa's NLU components each process a list of messages. `RequestParts`, first in the pipeline, adds to that list
every part a message may divide into, so the tokenizer, featurizers, classifier and rules read each part as they
read a message; `SeveralRequests`, last, takes the parts out again and, when they are several requests, keeps them
on the message in the order asked (`requests`: each request's text, intent and entities) and gives the message
the first request's intent and values. The dialogue serves the first at once and the others after it
(dialogue_policies/queued_requests_policy.py, actions/queued_requests.py). A message that cannot divide costs
nothing more; one that can costs one classification per part.
"""
from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from evn.domain.language import request_clauses
from evn.domain.language.message_values import CODE, PHONE_NUMBER
from nlu_components.stateless import StatelessComponent

PART_OF = "request_part_of"  # on a part: the index of its message in the list
SPAN = "request_part_span"
REQUESTS = "requests"  # on a message of several requests: each, in order
IDENTITY = (CODE, PHONE_NUMBER)  # values that go with every request: who the customer is
MAX_PARTS = 8  # a message cut in more places is a story, not a list of requests: read whole


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class RequestParts(StatelessComponent):
    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data  # training examples are one request each

    def process(self, messages: list[Message]) -> list[Message]:
        added = []
        for index, message in enumerate(messages):
            text = message.get(TEXT) or ""
            spans = request_clauses.parts(text)
            if len(spans) > MAX_PARTS:
                continue
            added += [Message(data={TEXT: text[start:end], PART_OF: index, SPAN: (start, end)})
                      for start, end in spans]
        return messages + added


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class SeveralRequests(StatelessComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        whole = [message for message in messages if message.get(PART_OF) is None]
        parts: dict[int, list[Message]] = {}
        for message in messages:
            if message.get(PART_OF) is not None:
                parts.setdefault(int(message.get(PART_OF)), []).append(message)
        for index, message in enumerate(whole):
            if index in parts:
                _divide(message, parts[index])
        return whole


def _divide(message: Message, parts: list[Message]) -> None:
    text = message.get(TEXT) or ""
    classified = [request_clauses.Part(*part.get(SPAN), (part.get(INTENT) or {}).get("name"),
                                       float((part.get(INTENT) or {}).get("confidence") or 0)) for part in parts]
    found = request_clauses.requests(text, classified, (message.get(INTENT) or {}).get("name"))
    if not found:
        return
    entities = message.get(ENTITIES) or []
    identity = [entity for entity in entities if entity.get("entity") in IDENTITY]
    asked = [_request(text, request, entities, identity) for request in found]
    first = found[0]
    chosen = {"name": first.intent, "confidence": first.confidence}
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != first.intent]
    message.set(INTENT, chosen, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [chosen, *ranking][:10], add_to_output=True)
    message.set(ENTITIES, _within(entities, first.start, first.end, identity, shift=0), add_to_output=True)
    message.set(REQUESTS, asked, add_to_output=True)


def _request(text: str, request: request_clauses.Request, entities: list[dict[str, Any]],
             identity: list[dict[str, Any]]) -> dict[str, Any]:
    """One request as a message of its own: its words, its intent, its values and who the customer is.

    The customer's code and phone, wherever in the message, are added after the request's words, so that each
    request carries them with offsets that point at them.
    """
    own = text[request.start:request.end]
    values = _within(entities, request.start, request.end, [], shift=request.start)
    for entity in identity:
        if request.start <= entity["start"] and entity["end"] <= request.end:
            continue
        typed = text[entity["start"]:entity["end"]]
        start = len(own) + 1
        own = f"{own} {typed}"
        values.append({**entity, "start": start, "end": start + len(typed)})
    return {"text": own, "intent": {"name": request.intent, "confidence": request.confidence},
            "entities": sorted(values, key=lambda entity: entity["start"])}


def _within(entities: list[dict[str, Any]], start: int, end: int, also: list[dict[str, Any]],
            shift: int) -> list[dict[str, Any]]:
    """The entities inside [start, end) (offsets moved by `shift`), and those of `also` wherever they are."""
    inside = [{**entity, "start": entity["start"] - shift, "end": entity["end"] - shift}
              for entity in entities if start <= entity.get("start", -1) and entity.get("end", 0) <= end]
    outside = [entity for entity in also if not (start <= entity["start"] and entity["end"] <= end)]
    return sorted(inside + outside, key=lambda entity: entity["start"])
