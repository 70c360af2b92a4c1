"""Word segmentation with pyvi's CRF (compounds joined: "bao_nhiêu"), for comparison with syllables.

Offsets are mapped back onto the message so regex entities keep working; the
lemma is the canonical compound. Measured against the syllable tokenizer by
`make eval-compare`; see docs/dialogue-nlu.md for the numbers.
"""
from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from evn.domain import linear_regex
from nlu_components.normalise import canonical
from nlu_components.vietnamese_tokenizer import VietnameseTokenizer


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class PyviTokenizer(VietnameseTokenizer):
    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        if attribute != TEXT:
            return super().tokenize(message, attribute)
        from pyvi import ViTokenizer

        text = message.get(attribute) or ""
        tokens: list[Token] = []
        position = 0
        for word in ViTokenizer.tokenize(text).split():
            syllables = word.split("_")
            pattern = r"\s*".join(linear_regex.escape(s) for s in syllables)
            match = linear_regex.compile(pattern).search(text, position)
            if match is None:
                continue
            position = match.end()
            if not any(ch.isalnum() for ch in word):
                continue  # punctuation pyvi split off
            lemma = "_".join(canonical(s) for s in syllables)
            tokens.append(Token(match.group(0), match.start(), match.end(), lemma=lemma))
        return self._apply_token_pattern(tokens)
