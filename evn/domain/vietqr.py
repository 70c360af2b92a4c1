"""VietQR (NAPAS 247) payloads: any Vietnamese banking app can pay a bill from one scan.

The payload is an EMVCo merchant-presented QR: nested tag-length-value fields closed by a
CRC16-CCITT-FALSE checksum. No network and no gateway contract are needed, only our account.
"""
from __future__ import annotations

import unicodedata

from evn.domain import linear_regex

NAPAS_GUID = "A000000727"
SERVICE_TO_ACCOUNT = "QRIBFTTA"  # NAPAS 247 transfer to an account number (not to a card)
CURRENCY_VND = "704"
COUNTRY = "VN"
STATIC = "11"  # reusable code, the payer types the amount
DYNAMIC = "12"  # one payment, amount fixed in the code
BILL_NUMBER_MAX = 25  # EMVCo limit for tag 62/01
PURPOSE_MAX = 25  # EMVCo limit for tag 62/08; longer texts are cut, not refused
AMOUNT_MAX_DIGITS = 13  # EMVCo limit for tag 54

_BIN = linear_regex.compile(r"\d{6}")
_ACCOUNT = linear_regex.compile(r"[A-Za-z0-9]{1,19}")
_TAG = linear_regex.compile(r"\d{2}")


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, no reflection, no final xor."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def ascii_fold(text: str) -> str:
    """'Ủng hộ Đà Nẵng' -> 'Ung ho Da Nang': banks and gateways reject or mangle diacritics."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return text.encode("ascii", "ignore").decode("ascii")


def tlv(tag: str, value: str) -> str:
    """One EMVCo field: 2-digit tag, 2-digit length (characters), value."""
    if not _TAG.fullmatch(tag):
        raise ValueError(f"tag must be two digits: {tag!r}")
    if len(value) > 99:
        raise ValueError(f"value of tag {tag} is {len(value)} characters, the limit is 99")
    return f"{tag}{len(value):02d}{value}"


def _printable_ascii(text: str) -> str:
    return "".join(ch for ch in ascii_fold(text) if " " <= ch <= "~")


def _clean_purpose(purpose: str) -> str:
    return " ".join(_printable_ascii(purpose).split())[:PURPOSE_MAX].rstrip()


def _check_bill_number(bill_number: str) -> str:
    if not all(" " <= ch <= "~" for ch in bill_number):
        raise ValueError("bill number must be printable ASCII")
    if len(bill_number) > BILL_NUMBER_MAX:
        raise ValueError(f"bill number longer than {BILL_NUMBER_MAX} characters")
    return bill_number


def build_payload(
    bank_bin: str,
    account: str,
    amount: int | None,
    bill_number: str | None = None,
    purpose: str = "",
) -> str:
    """The text to encode in the QR; with an amount the code is single-use (dynamic, 12)."""
    if not _BIN.fullmatch(bank_bin or ""):
        raise ValueError("bank BIN must be 6 digits")
    if not _ACCOUNT.fullmatch(account or ""):
        raise ValueError("account must be 1-19 ASCII letters or digits")
    if amount is not None:
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise ValueError("amount must be a positive integer number of dong")
        if len(str(amount)) > AMOUNT_MAX_DIGITS:
            raise ValueError("amount too large")
    beneficiary = tlv("00", bank_bin) + tlv("01", account)
    merchant = tlv("00", NAPAS_GUID) + tlv("01", beneficiary) + tlv("02", SERVICE_TO_ACCOUNT)
    additional = ""
    if bill_number:
        additional += tlv("01", _check_bill_number(bill_number))
    cleaned_purpose = _clean_purpose(purpose or "")
    if cleaned_purpose:
        additional += tlv("08", cleaned_purpose)
    payload = tlv("00", "01") + tlv("01", STATIC if amount is None else DYNAMIC)
    payload += tlv("38", merchant) + tlv("53", CURRENCY_VND)
    if amount is not None:
        payload += tlv("54", str(amount))
    payload += tlv("58", COUNTRY)
    if additional:
        payload += tlv("62", additional)
    payload += "6304"
    return payload + f"{crc16_ccitt_false(payload.encode('ascii')):04X}"


def parse_payload(payload: str) -> dict[str, str]:
    """Tag -> value for one level; call again on 38 or 62 to read their sub-fields."""
    fields: dict[str, str] = {}
    position = 0
    while position < len(payload):
        header = payload[position:position + 4]
        if len(header) < 4 or not header.isdigit():
            raise ValueError(f"malformed field header at {position}: {header!r}")
        length = int(header[2:])
        value = payload[position + 4:position + 4 + length]
        if len(value) != length:
            raise ValueError(f"field {header[:2]} runs past the end")
        fields[header[:2]] = value
        position += 4 + length
    return fields


def crc_is_valid(payload: str) -> bool:
    """True when the last field is 63 (length 04) and matches the CRC of what precedes it."""
    if len(payload) < 8 or payload[-8:-4] != "6304":
        return False
    try:
        expected = crc16_ccitt_false(payload[:-4].encode("ascii"))
    except UnicodeEncodeError:
        return False
    return payload[-4:].upper() == f"{expected:04X}"
