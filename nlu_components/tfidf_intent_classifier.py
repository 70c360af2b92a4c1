"""Rasa adapter for LinearIntentModel: reads the featurizers' sentence counts, writes intent and ranking."""
from __future__ import annotations

import logging
from typing import Any

import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.featurizers.featurizer import Featurizer
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu_components.linear_intent_model import LinearIntentModel
from nlu_components.normalise import fold

logger = logging.getLogger(__name__)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class TfidfIntentClassifier(IntentClassifier, GraphComponent):
    @classmethod
    def required_components(cls) -> list[type]:
        return [Featurizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"C": 1.0, "calibration_folds": 5, "random_state": 7, "ranking_length": 10}

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 model: LinearIntentModel | None = None) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.model = model

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> TfidfIntentClassifier:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        if len({e.get(INTENT) for e in examples}) < 2:
            logger.debug("Fewer than two intents to learn: %s is not trained.", type(self).__name__)
            return self._resource
        blocks = _count_blocks(examples, widths=None)
        # An example and its accent-free copy (VietnameseTokenizer) share a fold when calibrating.
        groups = [" ".join(fold(e.get(TEXT)).lower().split()) for e in examples]
        self.model = LinearIntentModel.fit(
            blocks, [e.get(INTENT) for e in examples], groups, c=self.config["C"],
            folds=self.config["calibration_folds"], random_state=self.config["random_state"])
        logger.debug("Intent confidences use temperature %.3f.", self.model.temperature)
        with self._model_storage.write_to(self._resource) as directory:
            self.model.save(directory)
        return self._resource

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> TfidfIntentClassifier:
        try:
            with model_storage.read_from(resource) as directory:
                return cls(config, model_storage, resource, LinearIntentModel.load(directory))
        except (ValueError, FileNotFoundError):
            logger.debug("No trained %s in the model: intents will not be classified.", cls.__name__)
            return cls(config, model_storage, resource)

    def process(self, messages: list[Message]) -> list[Message]:
        if self.model is None or not messages:
            return messages
        widths = {name: len(weights) for name, weights in zip(self.model.order, self.model.idf, strict=True)}
        confidences = self.model.confidences(_count_blocks(messages, widths))
        for message, row in zip(messages, confidences, strict=True):
            ranking = sorted(({"name": name, "confidence": float(value)}
                              for name, value in zip(self.model.classes, row, strict=True)),
                             key=lambda r: -r["confidence"])
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking[: self.config["ranking_length"]], add_to_output=True)
        return messages


def _count_blocks(messages: list[Message], widths: dict[str, int] | None) -> dict[str, scipy.sparse.csr_matrix]:
    """Sentence-level sparse text features per featurizer, one row per message (zeros where absent)."""
    rows: dict[str, dict[int, scipy.sparse.spmatrix]] = {}
    found_widths: dict[str, int] = dict(widths or {})
    for index, message in enumerate(messages):
        for features in message.features:
            if features.attribute != TEXT or features.type != FEATURE_TYPE_SENTENCE or not features.is_sparse():
                continue
            if widths is not None and features.origin not in widths:
                continue
            rows.setdefault(features.origin, {})[index] = features.features
            found_widths.setdefault(features.origin, features.features.shape[1])
    blocks = {}
    for origin, width in found_widths.items():
        present = rows.get(origin, {})
        empty = scipy.sparse.csr_matrix((1, width), dtype=np.float64)
        blocks[origin] = scipy.sparse.vstack(
            [scipy.sparse.csr_matrix(present.get(i, empty), dtype=np.float64) for i in range(len(messages))]).tocsr()
    return blocks
