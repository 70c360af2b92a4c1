"""The held-out set measures generalisation only if it stays apart from the training data."""
from pathlib import Path

from rasa.shared.nlu.training_data.loading import load_data

from nlu_components.normalise import fold

ROOT = Path(__file__).resolve().parents[2]


def key(text: str) -> str:
    return " ".join(fold(text).lower().split())


def test_at_least_300_held_out_sentences_are_not_in_the_training_data():
    trained = {key(e.get("text")) for e in load_data(str(ROOT / "data" / "nlu")).intent_examples}
    heldout = load_data(str(ROOT / "tests" / "nlu" / "heldout.yml"))
    unseen = [e for e in heldout.intent_examples if key(e.get("text")) not in trained]
    assert len(unseen) >= 300
    assert set(heldout.intents) >= set(load_data(str(ROOT / "data" / "nlu")).intents)
