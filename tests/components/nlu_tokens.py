"""What the NLU pipeline's Vietnamese tokenizer makes of a message, as the classifier's features see it."""
from __future__ import annotations

from rasa.shared.nlu.training_data.message import Message

from nlu_components.vietnamese_tokenizer import VietnameseTokenizer


def lemmas(text: str) -> list[str]:
    """The tokens' lemmas: values and the words naming them replaced by their kind (__period__, __kwh__...)."""
    tokenizer = VietnameseTokenizer(VietnameseTokenizer.get_default_config())
    return [token.lemma for token in tokenizer.tokenize(Message(data={"text": text}), "text")]
