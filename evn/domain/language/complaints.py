"""A customer who is upset: heard before being answered ("bực quá, tháng nào cũng tăng, vô lý").

Answering a complaint with the bare figures reads as indifference; a word of
understanding first is what a person at the counter would say.
"""
from __future__ import annotations

from evn.domain import linear_regex
from evn.domain.periods import fold

_WORDS = linear_regex.compile(
    r"\b(?:buc(?: minh| qua| lam| boi)?|buc xuc|vo ly|vo li|qua dang|cat co|an cuop|lua dao|chan qua|te qua"
    r"|dat qua|dat the nay|dat vay|mac qua|mac vay|chat chem|phi qua|kho chiu|khong hai long|ko hai long|that vong"
    r"|thang nao cung tang|tang hoai|tang mai|tang vo toi va|qua vo ly|ky cuc|tuc qua|tuc minh|phien qua"
    # how the service is run ("làm ăn gì kỳ vậy", "làm ăn cẩu thả"), the bot's wits, carelessness
    r"|lam an(?: gi| kieu gi| the nao| nhu the| cau tha| chan)|cau tha|tac trach|vo trach nhiem|coi thuong"
    r"|(?:bot|may|chatbot) ngu|ngu (?:qua|the|vay|ghe)|do hoi|te hai|kem qua|chan that|chan ghe|chan doi"
    # waiting, nobody answering, asked again and again
    r"|(?:khong|ko|chang|cha|cung khong|hong) (?:ai|thay ai|co ai) (?:tra loi|rep|tl|nghe|bat may)"
    r"|(?:doi|cho) (?:mai|hoai|nay gio|tu sang|ca ngay|ca buoi|mot tieng|may tieng)"
    r"|nhanh (?:len|giup|gium)(?: giup| gium)? (?:cai|di)|may ban|toan may ban|hoi mai|nhan hoai|hoi hoai"
    r"|mot cau tra loi mot kieu|moi lan mot kieu|tra loi lung tung"
    # the power cut again and again
    r"|(?:cup|cat|mat)(?: dien)? (?:hoai|hoai vay|lien tuc|suot|mai|hoai hoai|hoai luon)"
    r"|(?:cup|cat|mat)(?: dien)? (?:may|nhieu|bao nhieu) (?:lan|bua|lan roi)|may lan roi"
    # swearing, typed or starred
    r"|dm|dcm|vl|vcl|vkl|dit|deo)\b"
)
# Shouting: a message in capitals, or "???" (not "!!!": a danger is urgent, not a complaint).
_SHOUTED = linear_regex.compile(r"\?{3,}")
_STARRED = linear_regex.compile(r"(?<!\w)[đdĐD]\*+")  # "đ**": a swear word starred


def is_complaint(text: str) -> bool:
    """Whether the customer sounds upset, with or without diacritics."""
    if not text:
        return False
    letters = [ch for ch in text if ch.isalpha()]
    shouting = len(letters) >= 12 and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)
    return (shouting or _SHOUTED.search(text) is not None or _STARRED.search(text) is not None
            or _WORDS.search(" ".join(fold(text).split())) is not None)
