"""A whitespace tokenizer whose features see one spelling per word, plus accent-free training copies.

- Token text and offsets stay those of the message (regex entities keep working);
  the token's lemma, which the CountVectorsFeaturizer reads, is the canonical
  form (NFC, lower case, one tone placement, abbreviations expanded: "ko" ->
  "không", "bn" -> "bao" "nhiêu").
- Training gets a diacritic-free copy of every example (offsets unchanged), so
  "tien dien thang nay" is learnt like "tiền điện tháng này"; facts.md measured
  this at 95,2 % accented / 94,3 % unaccented against 95,4 % / 70,8 % without.
- Words are split as Rasa's WhitespaceTokenizer splits them, but on RE2: its pattern runs on
  the backtracking `regex` package, and a run of punctuation between two letters ("a!!!…!a")
  costs it time quadratic in the run, on Rasa's event loop (140 ms at the message limit).
"""
from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from evn.domain import linear_regex
from nlu_components.normalise import canonical, fold, has_diacritics, nfc

# rasa/nlu/tokenizers/whitespace_tokenizer.py's separators, in RE2's terms: `(?=\s|$)` is "no
# non-space follows", and its `(\s|^)` alternative is two alternatives, at the start or after a space.
_SEPARATORS = linear_regex.compile(
    r"[^\w#@&]+(?![^\s])"
    r"|^[^\w#@&]+(?=[^0-9\s])"
    r"|\s[^\w#@&]+(?=[^0-9\s])"
    r"|(?<=[^0-9\s])[^\w._~:/?#\[\]()@!$&*+,;=-]+(?=[^0-9\s])"
)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class VietnameseTokenizer(WhitespaceTokenizer):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**WhitespaceTokenizer.get_default_config(), "accent_free_copies": True}

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        tokens = self._whitespace_tokens(message.get(attribute))
        if attribute != TEXT:
            return tokens
        out: list[Token] = []
        for token in tokens:
            words = canonical(token.text).split()
            for word in words or [token.text]:
                out.append(Token(token.text, token.start, token.end, data=dict(token.data), lemma=word))
        return out

    def _whitespace_tokens(self, text: str) -> list[Token]:
        """WhitespaceTokenizer.tokenize's tokens, its separators matched in linear time."""
        words = [word for word in (self.remove_emoji(w) for w in _SEPARATORS.sub(" ", text).split()) if word]
        return self._apply_token_pattern(self._convert_words_to_tokens(words or [text], text))

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        if self._config.get("accent_free_copies", True):
            copies = [_accent_free(example) for example in training_data.training_examples
                      if example.get(INTENT) and has_diacritics(example.get(TEXT) or "")]
            if copies:
                training_data = training_data.merge(TrainingData(training_examples=copies))
        return super().process_training_data(training_data)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if message.get(TEXT):
                message.set(TEXT, nfc(message.get(TEXT)))
        return super().process(messages)


def _accent_free(example: Message) -> Message:
    """The same example typed without diacritics; entity spans do not move."""
    text = nfc(example.get(TEXT))
    folded = fold(text)
    entities = []
    for entity in example.get(ENTITIES) or []:
        entity = dict(entity)
        span = text[entity["start"]:entity["end"]]
        if entity.get("value") in (None, span):
            entity["value"] = folded[entity["start"]:entity["end"]]
        entities.append(entity)
    data = {key: value for key, value in example.data.items() if key not in (TEXT, ENTITIES)}
    return Message(data={**data, TEXT: folded, ENTITIES: entities})
