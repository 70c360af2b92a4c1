"""The TF-IDF linear SVM intent classifier: its arithmetic, its confidences, and its life inside Rasa."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import TfidfTransformer

from nlu_components.linear_intent_model import LinearIntentModel, idf_weights, weigh
from nlu_components.tfidf_intent_classifier import TfidfIntentClassifier
from nlu_components.vietnamese_tokenizer import VietnameseTokenizer

INTENTS = {
    "ask_bill": ["tiền điện tháng này bao nhiêu", "hóa đơn tháng trước hết bao nhiêu tiền", "xem hóa đơn tiền điện",
                 "tháng 9 nhà em đóng bao nhiêu tiền điện", "cho em xem tiền điện kỳ này"],
    "report_outage": ["nhà em mất điện từ sáng", "khu phố bị cúp điện rồi", "mất điện cả xóm", "cúp điện hoài vậy",
                      "nhà tôi không có điện"],
    "greet": ["chào em", "xin chào", "alo ad ơi", "chào bạn", "hello shop"],
}


def test_idf_is_sklearns_smoothed_idf():
    counts = scipy.sparse.csr_matrix(np.array([[2, 0, 1], [0, 0, 3], [1, 0, 0], [0, 1, 1]]))
    expected = TfidfTransformer(smooth_idf=True).fit(counts).idf_
    assert np.allclose(idf_weights(counts), expected)


def test_each_featurizer_block_is_normalised_on_its_own():
    words = scipy.sparse.csr_matrix(np.array([[1.0, 0.0], [0.0, 3.0]]))
    characters = scipy.sparse.csr_matrix(np.array([[5.0, 5.0, 5.0], [1.0, 0.0, 0.0]]))
    weighted = weigh({"words": words, "characters": characters}, ["characters", "words"],
                     [np.ones(3), np.ones(2)]).toarray()
    assert np.allclose(np.linalg.norm(weighted[:, :3], axis=1), 1.0)
    assert np.allclose(np.linalg.norm(weighted[:, 3:], axis=1), 1.0)


def _toy_blocks(n_per_class: int = 12, seed: int = 3):
    """Three classes, each with its own two informative features among noise."""
    rng = np.random.default_rng(seed)
    rows, labels = [], []
    for index, label in enumerate(["a", "b", "c"]):
        for _ in range(n_per_class):
            row = rng.integers(0, 2, size=9).astype(float) * 0.3
            row[index * 2] += 2.0
            row[index * 2 + 1] += 1.0
            rows.append(row)
            labels.append(label)
    return {"counts": scipy.sparse.csr_matrix(np.array(rows))}, labels


def test_learns_classes_and_gives_calibrated_confidences():
    blocks, labels = _toy_blocks()
    model = LinearIntentModel.fit(blocks, labels, groups=[str(i) for i in range(len(labels))])
    confidences = model.confidences(blocks)
    assert model.classes == ["a", "b", "c"]
    assert [model.classes[i] for i in confidences.argmax(axis=1)] == labels
    assert np.allclose(confidences.sum(axis=1), 1.0)
    # The softmax changes the scale, never the SVM's ranking.
    assert (confidences.argmax(axis=1) == model.margins(blocks).argmax(axis=1)).all()
    assert model.temperature != 1.0 and 0.01 <= model.temperature <= 10.0


def test_two_intents_work_like_many():
    blocks, labels = _toy_blocks()
    keep = [i for i, label in enumerate(labels) if label != "c"]
    two = {"counts": blocks["counts"][keep]}
    model = LinearIntentModel.fit(two, [labels[i] for i in keep], groups=[str(i) for i in keep])
    assert model.coef.shape[0] == 2
    assert [model.classes[i] for i in model.confidences(two).argmax(axis=1)] == [labels[i] for i in keep]


def test_saved_model_answers_exactly_like_the_trained_one(tmp_path):
    blocks, labels = _toy_blocks()
    model = LinearIntentModel.fit(blocks, labels, groups=[str(i) for i in range(len(labels))])
    model.save(tmp_path)
    again = LinearIntentModel.load(tmp_path)
    assert again.classes == model.classes and again.temperature == model.temperature
    assert np.allclose(again.confidences(blocks), model.confidences(blocks))


@pytest.fixture()
def rasa_parts(tmp_path):
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    tokenizer = VietnameseTokenizer(VietnameseTokenizer.get_default_config())
    words = CountVectorsFeaturizer.create({**CountVectorsFeaturizer.get_default_config(), "alias": "words"},
                                          storage, Resource("words"), context)
    characters = CountVectorsFeaturizer.create(
        {**CountVectorsFeaturizer.get_default_config(), "alias": "characters", "analyzer": "char_wb",
         "min_ngram": 1, "max_ngram": 4}, storage, Resource("characters"), context)

    def featurize(messages: list[Message]) -> None:
        tokenizer.process(messages)
        words.process(messages)
        characters.process(messages)

    examples = [Message(data={"text": text, "intent": intent}) for intent, texts in INTENTS.items() for text in texts]
    data = tokenizer.process_training_data(TrainingData(training_examples=examples))
    words.train(data)
    characters.train(data)
    words.process_training_data(data)
    characters.process_training_data(data)
    return storage, context, data, featurize


def test_rasa_component_trains_persists_and_classifies_unseen_messages(rasa_parts):
    storage, context, data, featurize = rasa_parts
    resource = Resource("intent_classifier")
    config = {**TfidfIntentClassifier.get_default_config(), "calibration_folds": 3}
    TfidfIntentClassifier.create(config, storage, resource, context).train(data)
    loaded = TfidfIntentClassifier.load(config, storage, resource, context)
    messages = [Message(data={"text": text})
                for text in ("tien dien thang 10 bao nhieu", "cup dien roi ad oi", "chao ad")]
    featurize(messages)
    loaded.process(messages)
    assert [m.get("intent")["name"] for m in messages] == ["ask_bill", "report_outage", "greet"]
    ranking = messages[0].get("intent_ranking")
    assert ranking[0] == messages[0].get("intent") and len(ranking) == 3
    assert sum(r["confidence"] for r in ranking) == pytest.approx(1.0)


def test_untrained_component_leaves_messages_alone(rasa_parts):
    storage, context, _, featurize = rasa_parts
    untrained = TfidfIntentClassifier.load(TfidfIntentClassifier.get_default_config(), storage,
                                           Resource("never_trained"), context)
    message = Message(data={"text": "chào"})
    featurize([message])
    untrained.process([message])
    assert message.get("intent") is None
