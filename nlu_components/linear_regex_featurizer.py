"""Rasa's RegexFeaturizer, its patterns run by RE2 (evn.domain.linear_regex) instead of Python's `re`.

Rasa's featurizer runs `re.finditer` with every regex and lookup pattern on every customer message: one pattern
that backtracks and one crafted message would hold the server. This one finds the same matches in linear time
(the patterns as nlu_components/linear_patterns.py compiles them) and marks the same features: a token is 1 for
a pattern where a match overlaps it, the sentence 1 where any token is. Only the matching is overridden;
training, persistence and the features' layout are Rasa's.
"""
from __future__ import annotations

import numpy as np
import scipy.sparse
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.sparse_featurizer.regex_featurizer import RegexFeaturizer
from rasa.shared.nlu.constants import ACTION_TEXT, RESPONSE, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu_components.linear_patterns import check, compiled


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class LinearRegexFeaturizer(RegexFeaturizer):
    def train(self, training_data: TrainingData) -> Resource:
        """Rasa's training; a pattern RE2 cannot run in linear time fails it, as an invalid regex does."""
        resource = super().train(training_data)
        check(self.known_patterns, self.case_sensitive)
        return resource

    def _features_for_patterns(
        self, message: Message, attribute: str
    ) -> tuple[scipy.sparse.coo_matrix | None, scipy.sparse.coo_matrix | None]:
        """Rasa's method with linear_regex for `re`: which known patterns match, per token and for the sentence."""
        if not message.get(attribute):
            return None, None
        tokens = message.get(TOKENS_NAMES[attribute], [])
        if not tokens:
            return None, None
        sequence_features = np.zeros([len(tokens), len(self.known_patterns)])
        sentence_features = np.zeros([1, len(self.known_patterns)])
        for pattern_index, pattern in enumerate(self.known_patterns):
            matches = list(compiled(pattern["pattern"], self.case_sensitive).finditer(message.get(attribute)))
            for token_index, token in enumerate(tokens):
                patterns = token.get("pattern", default={})
                patterns[pattern["name"]] = False
                for match in matches:
                    if token.start < match.end() and token.end > match.start():
                        patterns[pattern["name"]] = True
                        sequence_features[token_index][pattern_index] = 1.0
                        if attribute in [RESPONSE, TEXT, ACTION_TEXT]:
                            sentence_features[0][pattern_index] = 1.0
                token.set("pattern", patterns)
        return scipy.sparse.coo_matrix(sequence_features), scipy.sparse.coo_matrix(sentence_features)

