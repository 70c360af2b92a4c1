"""What a report of a power cut says besides "mất điện": where, and since when, in the customer's words.

"nhà em mất điện từ sáng tới giờ ở 12 Lê Lợi phường Bến Nghé quận 1", "alo ad ơi, nhà chị ở 45 hàng bài,
p tràng tiền, hoàn kiếm, hà nội, tự nhiên tối nay … tắt hết": the address is the house number with the street
and the ward, district and city parts that follow it; the time is the "từ …" or "… trước" phrase.
"""
from __future__ import annotations

from evn.domain import linear_regex
from evn.domain.periods import fold
from evn.domain.places import is_street_address

# A house number (with an alley's prefix, a slash, a letter) followed by the first word of a street.
_HOUSE = linear_regex.compile(
    r"(?<![\w/])(?:(?:hẻm|hem|ngõ|ngo|ngách|ngach|kiệt|kiet|số|so|sn)\s*)?\d{1,4}[a-zA-Z]?(?:/\d{1,4}[a-zA-Z]?)*"
    r"\s+\w", linear_regex.IGNORECASE)
# Not a house number: a time or a quantity ("từ 7h tối", "2 tiếng", "30 phút").
_NOT_HOUSE = linear_regex.compile(r"^\d+\s*(?:h|giờ|gio|g|tiếng|tieng|phút|phut|p|ngày|ngay|lần|lan|hộ|ho|nhà|nha"
                                  r"|người|nguoi|cái|cai|con|năm|nam|tháng|thang|tuổi|tuoi|số|so|kwh|đ|k)"
                                  r"(?!\w)", linear_regex.IGNORECASE)
# Where an address ends: the next clause that is not one of its parts, or words of the story around it.
_PART = linear_regex.compile(r"^(?:p|phuong|q|quan|tp|thanh pho|huyen|xa|thi xa|thi tran|tx|tt|ha noi|hn|hcm"
                             r"|tphcm|[pq]\d+|sai gon|sg|\w+ \w+$|\w+ \w+ \w+$)(?:\W|$)")
_STORY = linear_regex.compile(
    r"(?<!\w)(?:tu nhien|tu luc|tu sang|tu chieu|tu toi|tu trua|tu \d|luc|khi|roi|ne|oi|co ai|co dien|bi|boc"
    # "đang" of a story, not the "Đăng" of a street ("Phan Đăng Lưu", "Hải Đăng"): followed by what happens
    r"|mat dien|cup dien|cat dien|toi nay|sang nay|chieu nay|trua nay|ma sao|thi sao"
    r"|dang (?:bi|mat|cup|co|xay|boc|chay|no|bao|hu|tat|nau|lam|o|ngu|an|xem)|dang$)(?!\w)")


def address_in(text: str) -> str | None:
    """The street address a message holds, as typed, or None (evn.domain.places decides what is one)."""
    text = " ".join((text or "").split())
    for house in _HOUSE.finditer(text):
        number = linear_regex.search(r"\d", text[house.start():])
        assert number is not None  # _HOUSE holds a digit
        if text[house.end() - 1].isdigit() or _NOT_HOUSE.search(text[house.start() + number.start():]):
            continue
        end = end_of_address(text, house.start())
        address = text[house.start():end].strip(" ,.;")
        if is_street_address(address):
            return address
    return None


def end_of_address(text: str, start: int) -> int:
    """After the house number: up to the story that follows, across the clauses that are parts of the place."""
    folded = fold(text)
    position, end = start, len(text)
    first = True
    for clause in linear_regex.finditer(r"(?:[^,;.!?]|\.\S)+", text[start:]):  # "p.bến nghé" is one clause
        clause_start, clause_end = start + clause.start(), start + clause.end()
        words = folded[clause_start:clause_end].strip()
        if not first and not _PART.search(words):
            return position
        story = _STORY.search(folded, clause_start + (1 if first else 0), clause_end)
        if story:
            return story.start()
        position, first = clause_end, False
    return end


_SINCE = linear_regex.compile(
    r"(?<!\w)(?:tu|tu luc|bat dau tu)\s+(?:\d{1,2}\s*(?:h|gio|g)(?:\s*\d{1,2})?(?:\s*(?:sang|trua|chieu|toi|dem))?"
    r"|sang|trua|chieu|toi|dem|hom qua|qua|nay gio|sang toi gio|sang den gio|toi qua)(?:\s+(?:nay|qua))?(?!\w)"
    r"|(?<!\w)\d{1,3}\s*(?:tieng|gio|phut)(?: dong ho)?(?: truoc| nay| roi)?(?!\w)"
    r"|(?<!\w)(?:toi nay|sang nay|chieu nay|trua nay|dem qua|vua moi|vua|moi)(?!\w)")


def since_in(text: str) -> str | None:
    """When the power went, as the customer said it ("từ sáng", "2 tiếng nay", "tối nay"), or None."""
    text = text or ""
    found = _SINCE.search(fold(text))
    return text[found.start():found.end()] if found else None


_HOME = linear_regex.compile(r"(?<!\w)nha (?:em|e|minh|toi|tui|chi|c|anh|a|co|chu|bac|chau|con|ong|ba|cau)(?!\w)")


def names_home(text: str) -> bool:
    """"nhà em", "nhà mình", "nhà tui": the customer's own home named (not the particle "nha" of "giúp em nha")."""
    return _HOME.search(" ".join(fold(text or "").split())) is not None
