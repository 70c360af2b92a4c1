"""Hide personal data in replies and logs: 0901234567 -> 090****567, 079095001234 -> 079******234."""
from __future__ import annotations

from evn.domain import linear_regex
from evn.domain.identity import PHONE

# A CCCD has 12 digits (the old CMND 9); spaces, dots or dashes may group them.
ID_NUMBER = linear_regex.compile(r"(?<![\w+\-.])\d(?:[ .\-]?\d){11}(?![\w\-])|(?<![\w+\-.])\d{9}(?![\w\-])")
# A house number (12, 12A, 12/3, 12/3B) followed by capitalised words: "123 Lê Lợi", "45/2 Trần Hưng Đạo".
# A month/year such as 10/2026 is not a house number (_MONTH_YEAR, checked on group 1: RE2 has no such look-ahead).
_HOUSE = linear_regex.compile(
    r"(?<![\w/.:,-])(?:số[ \t]+|so[ \t]+)?(\d{1,5}[A-Za-z]?(?:/\d{1,4}[A-Za-z]?)*)(?=[ \t])"
)
_MONTH_YEAR = linear_regex.compile(r"\d{1,2}/\d{4}(?!\w)")
# A word starting with a letter: [^\W\d_] in re, which RE2 cannot write (\W in a class); \p{L}\p{Nl}\p{No} are
# the word characters that are neither digits nor "_".
_STREET_WORD = linear_regex.compile(
    r"[ \t]+((?:đường|duong|phố|pho|ngõ|ngo|hẻm|hem|kiệt|ngách)[ \t]+)?([\p{L}\p{Nl}\p{No}][\w]*)"
)
# In logs, any run that looks like a phone number is hidden, even glued to letters ('0912345678x').
_LOG_PHONE = linear_regex.compile(r"(?<![\d.,])(?:\+84|84|0)[35789]\d{8}(?!\d)|(?<![\d.,])0?2\d{9}(?!\d)")
# Words after a number that make it a quantity, not a house number.
_UNITS = {"kwh", "kw", "wh", "đ", "vnđ", "vnd", "đồng", "số", "lần", "tháng", "ngày", "năm", "giờ", "phút", "kỳ"}
# (?<!\w) and (?!\w), not \b, on text with diacritics: RE2's \b knows only ASCII letters.
_LANE = linear_regex.compile(r"(?i)(?<!\w)(ngõ|ngo|ngách|ngach|hẻm|hem|kiệt|kiet)\s+\d{1,5}(?:/\d{1,4})*(?!\w)")


def mask_phone(phone: str) -> str:
    digits = linear_regex.sub(r"\D", "", phone)
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 6) + digits[-3:]


def mask_id_number(value: str) -> str:
    """A citizen ID keeps its first three digits (the province) and last three."""
    digits = linear_regex.sub(r"\D", "", value)
    return digits[:3] + "*" * max(len(digits) - 6, 0) + digits[-3:]


def mask_address(address: str) -> str:
    """Keep only the district and city: enough to recognise, not to find the house."""
    parts = [part.strip() for part in address.split(",") if part.strip()]
    if len(parts) <= 2:
        return "***, " + parts[-1] if parts else "***"
    return "***, " + ", ".join(parts[-2:])


def mask_name(name: str) -> str:
    """'Nguyễn Văn An' -> 'Nguyễn V** A*': for logs, where names are not needed."""
    words = name.split()
    if len(words) <= 1:
        return (name[:1] + "*" * (len(name) - 1)) if name else name
    return " ".join([words[0]] + [w[0] + "*" * (len(w) - 1) for w in words[1:]])


def mask_identifier(value: str, shown: int = 4) -> str:
    """A platform's user id (a Zalo id, a PSID, a widget session) -> '****3210': its last `shown`
    characters, enough for its owner to tell two apart, never enough to reach the user."""
    return "****" + (value[-shown:] if len(value) > 2 * shown else "")


def mask_phones_in_text(text: str) -> str:
    """For text that may quote what a customer typed (handoff transcripts, logs)."""
    return PHONE.sub(lambda m: mask_phone(m.group(0)), text)


def mask_personal_data(text: str) -> str:
    """Phones, citizen IDs and street addresses in free text, for log lines.

    Addresses are found by their shape (a house number then capitalised words, a lane
    number), so this masks more than it must rather than less.
    """
    text = ID_NUMBER.sub(lambda m: mask_id_number(m.group(0)), text)
    text = mask_phones_in_text(text)
    text = _LOG_PHONE.sub(lambda m: mask_phone(m.group(0)), text)
    text = _LANE.sub(lambda m: f"{m.group(1)} ***", text)
    return _mask_street_addresses(text)


_CREDENTIAL = linear_regex.compile(
    r"(?i)(?<!\w)((?:access_|auth[-_]|refresh_|api_)?token|secret(?:_key)?|vnp_SecureHash|signature|mac)=([^&\s'\"]+)"
)
_BEARER = linear_regex.compile(r"(?i)(?<!\w)(bearer)\s+[^\s'\"]+")


def mask_for_logs(text: str) -> str:
    """Everything a log line must not show: credentials in URLs and headers, and personal data."""
    text = _CREDENTIAL.sub(lambda m: f"{m.group(1)}=***", text)
    text = _BEARER.sub(lambda m: f"{m.group(1)} ***", text)
    return mask_personal_data(text)


def _mask_street_addresses(text: str) -> str:
    out, position = [], 0
    for house in _HOUSE.finditer(text):
        if house.start() < position or _MONTH_YEAR.match(house.group(1)):
            continue
        end, words = house.end(), 0
        while words < 5:
            word = _STREET_WORD.match(text, end)
            name = word.group(2) if word else ""
            # A street name is capitalised ("Lê Lợi"); log levels and acronyms are all capitals.
            if word is None or not (word.group(1) or (name[0].isupper() and not (len(name) > 1 and name.isupper()))):
                break
            if words == 0 and word.group(2).lower() in _UNITS:
                break
            end, words = word.end(), words + 1
        if words:
            out.append(text[position:house.start()] + "***")
            position = end
    out.append(text[position:])
    return "".join(out)
