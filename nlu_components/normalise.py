"""Vietnamese text normalisation shared by the NLU components (no Rasa imports).

One spelling per word: Unicode NFC, one tone-mark placement (hòa, not hoà),
lower case, chat abbreviations expanded. `fold` strips diacritics while keeping
every character's position, so entity offsets survive.
"""
from __future__ import annotations

import unicodedata

from evn.domain import linear_regex

# Old-style tone placement on the first vowel of oa/oe/uy -> on the second (the form
# most keyboards produce today). Keys and values are NFC.
_OLD_STYLE = {
    "òa": "oà", "óa": "oá", "ỏa": "oả", "õa": "oã", "ọa": "oạ",
    "òe": "oè", "óe": "oé", "ỏe": "oẻ", "õe": "oẽ", "ọe": "oẹ",
    "ùy": "uỳ", "úy": "uý", "ủy": "uỷ", "ũy": "uỹ", "ụy": "uỵ",
}
_TONE = linear_regex.compile("|".join(sorted(_OLD_STYLE, key=len, reverse=True)))

# Chat abbreviations -> the words they stand for (whole tokens only).
ABBREVIATIONS = {
    "ko": "không", "k": "không", "hok": "không", "hông": "không", "hem": "không",
    "khong": "không", "dc": "được", "đc": "được", "duoc": "được", "bn": "bao nhiêu",
    "bnhieu": "bao nhiêu", "bnh": "bao nhiêu", "nhiu": "nhiêu", "sdt": "số điện thoại",
    "sđt": "số điện thoại", "đt": "điện thoại", "dt": "điện thoại", "ad": "admin", "e": "em", "a": "anh",
    "c": "chị", "mk": "mình", "mik": "mình", "j": "gì", "z": "vậy", "v": "vậy", "r": "rồi",
    "ntn": "như thế nào", "tks": "cảm ơn", "thanks": "cảm ơn", "thank": "cảm ơn", "cám": "cảm",
    "trc": "trước", "bh": "bây giờ", "h": "giờ", "hđ": "hóa đơn", "hd": "hóa đơn", "nv": "nhân viên",
    "yc": "yêu cầu", "đk": "đăng ký", "dk": "đăng ký", "kh": "khách hàng", "mkh": "mã khách hàng",
    "ck": "chuyển khoản", "tt": "thanh toán", "oke": "ok", "okie": "ok", "oki": "ok", "uk": "ừ", "uh": "ừ",
    "ừm": "ừ", "um": "ừ", "vs": "với", "ms": "mới", "bt": "biết", "lm": "làm", "ng": "người",
    # syllables typed glued together
    "hoadon": "hóa đơn", "tiendien": "tiền điện", "matdien": "mất điện", "cupdien": "cúp điện",
    "catdien": "cắt điện", "congto": "công tơ", "dongho": "đồng hồ", "thanhtoan": "thanh toán",
}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


def canonical(word: str) -> str:
    """One spelling for a token: NFC, lower case, tone placement, abbreviation expanded."""
    word = _TONE.sub(lambda m: _OLD_STYLE[m.group(0)], nfc(word).lower())
    return ABBREVIATIONS.get(word, word)


def fold(text: str) -> str:
    """Strip diacritics, character for character (đ -> d), so offsets do not move."""
    out = []
    for char in nfc(text):
        if char in "đĐ":
            out.append("d" if char == "đ" else "D")
            continue
        base = unicodedata.normalize("NFD", char)[0]
        out.append(base)
    return "".join(out)


def has_diacritics(text: str) -> bool:
    return fold(text) != nfc(text)
