"""An amount of money in Vietnamese words, as an invoice writes it ("Số tiền viết bằng chữ"): 979.560 đ is
"Chín trăm bảy mươi chín nghìn năm trăm sáu mươi đồng".

The reading rules: groups of three digits (nghìn, triệu, tỷ); a group after the first says its hundreds even when
none ("một triệu không trăm linh năm nghìn"); a lone unit after a hundred is "linh"; ten is "mười"; one after a
tens digit of two or more is "mốt"; five after any tens digit is "lăm".
"""
from __future__ import annotations

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
PLACES = ("", "nghìn", "triệu", "tỷ", "nghìn tỷ", "triệu tỷ")  # of each group of three digits, from the right


def _group(number: int, leading: bool) -> list[str]:
    """Words of 0 < number < 1000; a group that is not the leading one says its hundreds."""
    hundreds, tens, units = number // 100, number // 10 % 10, number % 10
    words: list[str] = []
    if hundreds or not leading:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words += ["linh", DIGITS[units]]
        elif units:
            words.append(DIGITS[units])
        return words
    words += ["mười"] if tens == 1 else [DIGITS[tens], "mươi"]
    if units == 1 and tens >= 2:
        words.append("mốt")
    elif units == 5:
        words.append("lăm")
    elif units:
        words.append(DIGITS[units])
    return words


def vnd_in_words(amount: int) -> str:
    """The amount in words with "đồng", capitalised; a thousand billion and more read "nghìn tỷ"."""
    if not 0 <= amount < 1000 ** len(PLACES):
        raise ValueError("an amount in words is from 0 to less than a billion billion")
    if amount == 0:
        return "Không đồng"
    groups: list[int] = []
    rest = amount
    while rest:
        groups.append(rest % 1000)
        rest //= 1000
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        value = groups[index]
        if not value:
            continue
        words += _group(value, leading=not words)
        if PLACES[index]:
            words.append(PLACES[index])
    text = " ".join(words) + " đồng"
    return text[0].upper() + text[1:]
