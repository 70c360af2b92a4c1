"""A whitespace tokenizer whose features see one spelling per word, plus accent-free training copies.

- Token text and offsets stay those of the message (regex entities keep working);
  the token's lemma, which the CountVectorsFeaturizer reads, is the canonical
  form (NFC, lower case, one tone placement, abbreviations expanded: "ko" ->
  "không", "bn" -> "bao" "nhiêu").
- Training gets a diacritic-free copy of every example (offsets unchanged), so
  "tien dien thang nay" is learnt like "tiền điện tháng này"; facts.md measured
  this at 95,2 % accented / 94,3 % unaccented against 95,4 % / 70,8 % without.
- A question that carries the customer's code and phone ("tiền điện kỳ 9 nhà em, mã KH PE…, đt 09…")
  is classified on its question: when other words remain, the code, the phone and the words that name
  them ("mã KH", "sđt") are left out of the features. A message that is only the code and phone keeps
  them (it answers the bot's question). The entities are extracted from the text, not these tokens.
- A clause that only greets or thanks ("em chào anh chị, …") leaves the features when another clause asks.
- Entities before intent: a quantity of kWh or a period ("2 trăm 40 số", "tháng chín năm ngoái",
  evn/domain/message_values.py; "3 tháng gần nhất") is one token whose features are its kind ("__kwh__",
  "__period__"), so a request is recognised whatever value it carries, in digits or in words.
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
from evn.domain.identity import CUSTOMER_CODE, PHONE
from evn.domain.language.message_values import KWH_AMOUNT, PERIOD_NAMED, find_values
from evn.domain.language.quantities import parse_kwh
from evn.domain.periods import latest_months
from nlu_components.normalise import canonical, fold, has_diacritics, nfc

# Words that name a code or phone just before it, and words that carry no request of their own: what is
# left besides them decides whether a message asks something beyond giving its code and phone.
_NAMING = frozenset(fold(word) for word in (
    "mã", "khách", "hàng", "kh", "số", "điện", "thoại", "của", "là", "em", "tôi", "mình", "tui", "anh", "chị", "bác",
    "cô", "chú", ":", ",", "-", "và", "với"))
_NAMING_BEFORE = 4  # tokens looked at before a code or phone
_FILLERS = _NAMING | frozenset(fold(word) for word in (
    "ạ", "à", "nhé", "nha", "nhá", "dạ", "vâng", "ơi", "đây", "ok", "ừ", "này", "đó", "thì", "nè", "giúp", "cho",
    "admin"))

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
        text = message.get(attribute)
        return _without_courtesy(_question_without_identity(_values_as_kinds(out, text), text), text)

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


# A clause of these words only greets, thanks or calls someone: not the request when another clause has one.
_COURTESY = _FILLERS | frozenset(fold(word) for word in (
    "chào", "xin", "alo", "hello", "hi", "helo", "cảm", "ơn", "cám", "thanks", "thank", "cảm ơn", "ad", "shop", "bạn",
    "ông", "bà", "con", "cháu", "mọi", "người", "nhiều", "lắm", "buổi", "sáng", "chiều", "tối", "hôm", "nay"))
# Words that make a clause a question or a request ("cho em hỏi còn nợ không", "xem giúp tiền tháng 10").
_ASKING = frozenset(fold(word) for word in (
    "bao", "nhiêu", "không", "chưa", "gì", "sao", "nào", "đâu", "mấy", "hỏi", "xem", "coi", "tra", "muốn", "cần",
    "giúp", "dùm", "giùm", "hộ", "kiểm", "check", "báo", "đăng", "ký", "gửi", "đóng", "trả", "thanh", "toán", "nợ",
    "tiền", "hóa", "đơn", "bill", "lịch", "cúp", "cắt", "mất", "điện"))
_CLAUSE_BREAK = linear_regex.compile(r"[.,!?;:\n]")


def _without_courtesy(tokens: list[Token], text: str) -> list[Token]:
    """The tokens without the clauses that only greet or thank ("em chào anh chị, …", "chú cảm ơn. vậy tiền
    điện tháng 10 …"), when another clause asks something: a greeting is not the request it comes with."""
    clauses: list[list[Token]] = [[]]
    for token in tokens:
        if clauses[-1] and _CLAUSE_BREAK.search(text[clauses[-1][-1].end:token.start]):
            clauses.append([])
        clauses[-1].append(token)
    if len(clauses) < 2:
        return tokens
    courteous = [all(fold(token.lemma) in _COURTESY for token in clause) for clause in clauses]
    asking = [clause for clause, polite in zip(clauses, courteous, strict=True) if not polite
              and len([t for t in clause if fold(t.lemma) not in _FILLERS]) >= 2
              and any(fold(t.lemma) in _ASKING or t.lemma.startswith("__") for t in clause)]
    if not asking or not any(courteous):
        return tokens
    return [token for clause, polite in zip(clauses, courteous, strict=True) if not polite for token in clause]


def _values_as_kinds(tokens: list[Token], text: str) -> list[Token]:
    """The tokens with each quantity or period merged into one token that reads as its kind."""
    # One kWh stays as typed: it is the unit price asked ("1 số điện bao nhiêu tiền"), not a quantity.
    spans = [(value.start, value.end, value.kind) for value in find_values(text)
             if value.kind == PERIOD_NAMED or value.kind == KWH_AMOUNT and parse_kwh(value.value) != 1]
    spans += [(start, end, PERIOD_NAMED) for start, end in latest_months(text)]  # "3 tháng gần nhất"
    if not spans:
        return tokens
    out: list[Token] = []
    for token in tokens:
        span = next((span for span in spans if span[0] < token.end and token.start < span[1]), None)
        if span is None:
            out.append(token)
        elif out and out[-1].lemma == f"__{span[2]}__" and out[-1].start < span[1] and span[0] < out[-1].end:
            merged = out[-1]
            out[-1] = Token(text[merged.start:max(merged.end, token.end)], merged.start, max(merged.end, token.end),
                            data=dict(merged.data), lemma=merged.lemma)
        else:
            out.append(Token(token.text, token.start, token.end, data=dict(token.data), lemma=f"__{span[2]}__"))
    return out


def _question_without_identity(tokens: list[Token], text: str) -> list[Token]:
    """The tokens without the code, the phone and the words naming them, when a question remains besides."""
    spans = [found.span() for pattern in (CUSTOMER_CODE, PHONE) for found in pattern.finditer(text)]
    if not spans:
        return tokens
    inside = [any(start < token.end and token.start < end for start, end in spans) for token in tokens]
    dropped = list(inside)
    for index, is_value in enumerate(inside):
        if is_value and (index == 0 or not inside[index - 1]):
            before = index - 1
            while before >= 0 and index - before <= _NAMING_BEFORE and not inside[before] \
                    and fold(tokens[before].lemma) in _NAMING:
                dropped[before] = True
                before -= 1
    kept = [token for token, drop in zip(tokens, dropped, strict=True) if not drop]
    asks = [token for token in kept if fold(token.lemma) not in _FILLERS and not token.lemma.isdigit()]
    return kept if len(asks) >= 2 else tokens


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
