"""The Vietnamese tokenizer splits words exactly as Rasa's WhitespaceTokenizer does, on RE2 instead of `regex`.

Rasa's pattern backtracks on a run of punctuation between two letters (quadratic in the run, 140 ms at the
message limit, on Rasa's event loop); ours runs in linear time and must give the same tokens.
"""
from __future__ import annotations

import random

from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message

from nlu_components.vietnamese_tokenizer import VietnameseTokenizer
from tests.components.nlu_tokens import lemmas

ALPHABET = list("ab1 .,!?-@#&/:;()[]\n\t'\"đếá_~=*+$") + ["🙂", "10'000.00", "bla@gmail.com", "http://evn.com.vn/a?b=c"]


def _words(tokens) -> list[tuple[str, int]]:
    return [(token.text, token.start) for token in tokens]


def test_the_same_words_and_offsets_as_rasas_whitespace_tokenizer():
    ours = VietnameseTokenizer(VietnameseTokenizer.get_default_config())
    rasa = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    chooser = random.Random(23)
    texts = ["tiền điện tháng 10/2026 bao nhiêu?", ":) :)", "  ...xin chào... ", "x!! !!", "x!!\n", "- 5 kwh",
             "a" + "!" * 1998 + "a"]
    texts += ["".join(chooser.choice(ALPHABET) for _ in range(chooser.randint(1, 30))) for _ in range(5000)]
    for text in texts:
        expected = _words(rasa.tokenize(Message(data={"text": text}), "text"))
        assert _words(ours._whitespace_tokens(text)) == expected, text


def test_a_question_carrying_the_code_and_phone_is_classified_on_its_question():
    """The values and the words naming them leave the features; the classifier sees what is asked."""
    assert lemmas("tiền điện kỳ 9 nhà em bao nhiêu ạ, mã KH PE01000000001, đt 0901234567") == [
        "tiền", "điện", "__period__", "nhà", "em", "bao", "nhiêu", "ạ"]
    assert lemmas("Tháng 7 nhà tui xài nhiêu ký vậy, mã pe 01000000001 số +84 90 123 4567") == [
        "__period__", "nhà", "tui", "xài", "nhiêu", "ký", "vậy"]


def test_quantities_and_periods_are_read_as_their_kind_in_digits_or_words():
    """Entities before intent: the request is the same whatever value it carries."""
    assert lemmas("xài 2 trăm 40 số hết bao nhiêu") == lemmas("xài 350 kWh hết bao nhiêu") == [
        "xài", "__kwh__", "hết", "bao", "nhiêu"]
    assert lemmas("tiền điện tháng mười một năm ngoái") == lemmas("tiền điện tháng 9/2025") == [
        "tiền", "điện", "__period__"]


def test_a_message_that_only_gives_the_code_and_phone_keeps_them():
    """It answers the bot's question ("inform"): nothing else to classify it on."""
    assert "pe01000000001" in lemmas("PE01000000001, sdt 0901234567")
    assert lemmas("sdt cua em la 0901 234 567")[-3:] == ["0901", "234", "567"]
    assert "pd11000765432" in lemmas("dạ mã là pd11000765432")
