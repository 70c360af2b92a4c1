"""The held-out set measures generalisation only if it stays apart from the training data."""
from pathlib import Path

from rasa.shared.nlu.training_data.loading import load_data

from nlu_components.normalise import fold

ROOT = Path(__file__).resolve().parents[2]


def key(text: str) -> str:
    return " ".join(fold(text).lower().split())


def test_no_held_out_sentence_is_in_the_training_data():
    trained = {key(e.get("text")) for e in load_data(str(ROOT / "data" / "nlu")).intent_examples}
    heldout = load_data(str(ROOT / "tests" / "nlu" / "heldout.yml"))
    assert len(heldout.intent_examples) >= 300
    assert [e.get("text") for e in heldout.intent_examples if key(e.get("text")) in trained] == []
    assert set(heldout.intents) >= set(load_data(str(ROOT / "data" / "nlu")).intents)
