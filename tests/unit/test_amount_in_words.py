"""Amounts in Vietnamese words, as an invoice writes them."""
from __future__ import annotations

import pytest

from evn.domain.amount_in_words import vnd_in_words


@pytest.mark.parametrize("amount, words", [
    (979_560, "Chín trăm bảy mươi chín nghìn năm trăm sáu mươi đồng"),
    (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
    (2_001, "Hai nghìn không trăm linh một đồng"),
    (1_050, "Một nghìn không trăm năm mươi đồng"),
    (105, "Một trăm linh năm đồng"),
    (110, "Một trăm mười đồng"),
    (115, "Một trăm mười lăm đồng"),
    (21, "Hai mươi mốt đồng"),
    (11, "Mười một đồng"),
    (25, "Hai mươi lăm đồng"),
    (0, "Không đồng"),
    (1_000_000_000, "Một tỷ đồng"),
    (2_500_000_000, "Hai tỷ năm trăm triệu đồng"),
    (1_000_000_000_000, "Một nghìn tỷ đồng"),
    (914_436, "Chín trăm mười bốn nghìn bốn trăm ba mươi sáu đồng"),
])
def test_amounts_in_words(amount, words):
    assert vnd_in_words(amount) == words


def test_a_negative_amount_is_refused():
    with pytest.raises(ValueError):
        vnd_in_words(-1)
