import unicodedata

from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu_components.normalise import canonical, fold, has_diacritics
from nlu_components.vietnamese_tokenizer import VietnameseTokenizer
from tests.components.nlu_tokens import lemmas


def test_one_spelling_per_word():
    assert canonical("Hoà") == canonical("hòa") == canonical(unicodedata.normalize("NFD", "hòa"))
    assert canonical("THUỶ") == canonical("thủy")
    assert canonical("ko") == canonical("hok") == "không"


def test_abbreviations_become_the_words_they_stand_for():
    assert lemmas("tiền điện bn") == lemmas("tiền điện bao nhiêu")
    assert lemmas("sdt e") == ["số", "điện", "thoại", "em"]


def test_token_offsets_stay_those_of_the_message():
    tokenizer = VietnameseTokenizer(VietnameseTokenizer.get_default_config())
    text = "Tiền điện T9 bn ko"
    for token in tokenizer.tokenize(Message(data={"text": text}), "text"):
        assert text[token.start:token.end] == token.text


def test_fold_keeps_every_character_in_place():
    text = "Đồng hồ điện tháng trước"
    assert fold(text) == "Dong ho dien thang truoc" and len(fold(text)) == len(text)
    assert has_diacritics(text) and not has_diacritics("tien dien")


def test_training_gets_accent_free_copies_with_entities_in_place():
    tokenizer = VietnameseTokenizer(VietnameseTokenizer.get_default_config())
    example = Message(data={
        "text": "hóa đơn tháng trước", "intent": "ask_bill",
        "entities": [{"entity": "period", "start": 8, "end": 19, "value": "tháng trước"}],
    })
    data = tokenizer.process_training_data(TrainingData(training_examples=[example]))
    texts = {m.get("text"): m for m in data.training_examples}
    copy = texts["hoa don thang truoc"]
    assert copy.get("intent") == "ask_bill"
    assert copy.get("entities") == [{"entity": "period", "start": 8, "end": 19, "value": "thang truoc"}]
