"""Rasa's RegexEntityExtractor, its patterns run by RE2 (evn.domain.linear_regex) instead of Python's `re`.

Rasa's extractor runs `re.finditer` with every regex and lookup pattern on every customer message: one pattern
that backtracks and one crafted message would hold the server. This one finds the same entities (type, start,
end, value as Rasa reports them) in linear time, the patterns as nlu_components/linear_patterns.py compiles
them. Only the matching is overridden; training, persistence and the entities' order are Rasa's.
"""
from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.nlu.extractors.regex_entity_extractor import RegexEntityExtractor
from rasa.shared.nlu.constants import (
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu_components.linear_patterns import check, compiled


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class LinearRegexEntityExtractor(RegexEntityExtractor):
    def train(self, training_data: TrainingData) -> Resource:
        """Rasa's training; a pattern RE2 cannot run in linear time fails it, as an invalid regex does."""
        resource = super().train(training_data)
        check(self.patterns, self.case_sensitive)
        return resource

    def _extract_entities(self, message: Message) -> list[dict[str, Any]]:
        """Rasa's method with linear_regex for `re`: every match of every pattern, in the patterns' order."""
        text = message.get(TEXT)
        entities = []
        for pattern in self.patterns:
            for match in compiled(pattern["pattern"], self.case_sensitive).finditer(text):
                start, end = match.start(), match.end()
                entities.append({
                    ENTITY_ATTRIBUTE_TYPE: pattern["name"],
                    ENTITY_ATTRIBUTE_START: start,
                    ENTITY_ATTRIBUTE_END: end,
                    ENTITY_ATTRIBUTE_VALUE: text[start:end],
                })
        return entities
