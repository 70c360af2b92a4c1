"""The regex components of config.yml find on RE2 what Rasa's own find with `re`, message for message.

nlu_components/linear_regex_featurizer.py and linear_regex_entity_extractor.py replace Rasa's RegexFeaturizer and
RegexEntityExtractor. Both pairs are trained here on data/nlu with config.yml's options and run on every
training, held-out and development message and on texts made to test the edges of the patterns (a letter with
diacritics, a digit or punctuation next to a lookup phrase, capitals): entities and features must be equal.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

from rasa.engine.graph import ExecutionContext, GraphSchema  # noqa: E402
from rasa.engine.storage.local_model_storage import LocalModelStorage  # noqa: E402
from rasa.engine.storage.resource import Resource  # noqa: E402
from rasa.nlu.extractors.regex_entity_extractor import RegexEntityExtractor  # noqa: E402
from rasa.nlu.featurizers.sparse_featurizer.regex_featurizer import RegexFeaturizer  # noqa: E402
from rasa.nlu.utils.pattern_utils import _generate_lookup_regex  # noqa: E402
from rasa.shared.exceptions import InvalidConfigException  # noqa: E402
from rasa.shared.nlu.constants import ENTITIES, TEXT  # noqa: E402
from rasa.shared.nlu.training_data.loading import load_data  # noqa: E402
from rasa.shared.nlu.training_data.message import Message  # noqa: E402
from rasa.shared.nlu.training_data.training_data import TrainingData  # noqa: E402

from evn.domain import linear_regex  # noqa: E402
from nlu_components.linear_patterns import compiled, linear_form  # noqa: E402
from nlu_components.linear_regex_entity_extractor import LinearRegexEntityExtractor  # noqa: E402
from nlu_components.linear_regex_featurizer import LinearRegexFeaturizer  # noqa: E402
from nlu_components.vietnamese_tokenizer import VietnameseTokenizer  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
MESSAGE_SETS = (ROOT / "data" / "nlu", ROOT / "tests" / "nlu" / "heldout.yml", ROOT / "tests" / "nlu" / "dev.yml")


def _options(name: str) -> dict[str, Any]:
    """The component's options in config.yml (without name and alias)."""
    pipeline = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))["pipeline"]
    (entry,) = [component for component in pipeline if component["name"].endswith("." + name)]
    return {key: value for key, value in entry.items() if key not in ("name", "alias")}


@pytest.fixture(scope="module")
def training_data() -> TrainingData:
    return load_data(str(ROOT / "data" / "nlu"))


@pytest.fixture(scope="module")
def texts(training_data: TrainingData) -> list[str]:
    """Every message of the three sets, and each lookup element at the edges the patterns must get right."""
    found = [example.get(TEXT) for path in MESSAGE_SETS for example in load_data(str(path)).nlu_examples
             if example.get(TEXT)]
    for table in training_data.lookup_tables:
        for element in table["elements"]:
            found += [f"xem {element} nhé", f"{element.upper()}!", f"x{element}", f"{element}ộ", f"1{element}",
                      f"đ{element} {element}_", f"({element}), {element}.", f"{element}{element}"]
    return found


@pytest.fixture(scope="module")
def context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), "test_linear_regex_components")


def _trained(kind: Any, training_data: TrainingData, tmp: Path, context: ExecutionContext, **options: Any) -> Any:
    tmp.mkdir(parents=True, exist_ok=True)
    component = kind.create({**kind.get_default_config(), **options}, LocalModelStorage(tmp), Resource(kind.__name__),
                            context)
    component.train(training_data)
    return component


def _entities(extractor: RegexEntityExtractor, text: str) -> list[dict[str, Any]]:
    [message] = extractor.process([Message(data={TEXT: text})])
    return [{key: value for key, value in entity.items() if key != "extractor"} for entity in message.get(ENTITIES)]


def test_the_entities_are_those_of_rasas_extractor(training_data, texts, tmp_path, context):
    options = _options("LinearRegexEntityExtractor")
    rasas = _trained(RegexEntityExtractor, training_data, tmp_path / "rasa", context, **options)
    ours = _trained(LinearRegexEntityExtractor, training_data, tmp_path / "ours", context, **options)
    assert rasas.patterns == ours.patterns  # the same model: only the matching differs
    found = 0
    for text in texts:
        theirs = _entities(rasas, text)
        assert _entities(ours, text) == theirs, text
        found += len(theirs)
    assert found > len(texts) // 2, "the texts hardly test the patterns"


def test_the_features_are_those_of_rasas_featurizer(training_data, texts, tmp_path, context):
    options = _options("LinearRegexFeaturizer")
    rasas = _trained(RegexFeaturizer, training_data, tmp_path / "rasa", context, **options)
    ours = _trained(LinearRegexFeaturizer, training_data, tmp_path / "ours", context, **options)
    assert rasas.known_patterns == ours.known_patterns
    tokenizer = VietnameseTokenizer.create(VietnameseTokenizer.get_default_config(), LocalModelStorage(tmp_path),
                                           Resource("tokenizer"), context)
    for text in texts:
        [theirs, mine] = tokenizer.process([Message(data={TEXT: text}), Message(data={TEXT: text})])
        their_sequence, their_sentence = rasas._features_for_patterns(theirs, TEXT)
        our_sequence, our_sentence = ours._features_for_patterns(mine, TEXT)
        assert (our_sequence.toarray() == their_sequence.toarray()).all(), text
        assert (our_sentence.toarray() == their_sentence.toarray()).all(), text
        assert [token.get("pattern") for token in mine.get("text_tokens")] == \
            [token.get("pattern") for token in theirs.get("text_tokens")], text


def test_a_lookup_pattern_with_punctuation_at_its_edges_keeps_res_word_boundaries():
    """`\\b` before ".net" asks for a letter before the dot: one look-around per element where the edges differ."""
    elements = ["tp.hcm", ".net", "c++", "q.1", "hà nội", "_x"]
    pattern = _generate_lookup_regex({"name": "city", "elements": elements}, use_word_boundaries=True)
    assert "\\b" not in linear_form(pattern)
    theirs = re.compile(pattern, re.IGNORECASE)
    ours = compiled(pattern, case_sensitive=False)
    for text in ["ở tp.hcm.", "asp.net", " .net", "c++ và c++x", "q.1q.1", "HÀ NỘI", "hà nộii", "xhà nội", "__x",
                 "a_x", "_x", "tp.hcm_", "Hà Nội, Q.1"]:
        assert [m.span() for m in ours.finditer(text)] == [m.span() for m in theirs.finditer(text)], text


def test_a_hand_written_regex_is_not_read_as_a_lookup_table():
    with pytest.raises(linear_regex.UnsupportedPattern):  # RE2's \b is ASCII: it would not be re's on "Hà Nội"
        linear_form(r"(\bab\b|\b\d+\b)")
    assert linear_form(r"[\b]x(?<!\w)") == r"[\b]x(?<!\w)"  # in brackets \b is a backspace


def test_a_pattern_re2_cannot_run_in_linear_time_fails_the_training(tmp_path, context):
    data = TrainingData(training_examples=[Message(data={TEXT: "mã 12", "intent": "inform", ENTITIES: [
        {"entity": "code", "start": 3, "end": 5, "value": "12"}]})],
        regex_features=[{"name": "code", "pattern": r"(\d)\1"}])  # a back-reference
    with pytest.raises(InvalidConfigException, match="linear time"):
        _trained(LinearRegexEntityExtractor, data, tmp_path / "extractor", context)
    with pytest.raises(InvalidConfigException, match="linear time"):
        _trained(LinearRegexFeaturizer, data, tmp_path / "featurizer", context)
