"""Keys struck at random are not understood; words about something else are (evn/domain/language/gibberish.py)."""
import pytest

from evn.domain.language.gibberish import is_gibberish


@pytest.mark.parametrize("text", ["asdfgh qwerty", "zxcvbnm asdf", "qwerty zxcv 🤪", "hjkl"])
def test_keys_struck_at_random(text):
    assert is_gibberish(text)


@pytest.mark.parametrize("text", ["toi nay doi tuyen da may gio vay", "còn wifi nhà bị chậm thì sao",
                                  "kể chuyện cười nghe đi ad", "ok", "nghiêng ngoằng khuỷu",
                                  "internet nha toi cham qua", "tiền điện qua momo"])
def test_words_about_something_else(text):
    assert not is_gibberish(text)
