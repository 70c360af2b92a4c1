"""Questions about when the meter is read or the bill comes ("bao giờ ghi chỉ số", "ngày nào chốt số", "khi nào
có hóa đơn tháng 11", "sao kỳ này dài hơn kỳ trước"), on folded text."""
from __future__ import annotations

from evn.domain import linear_regex
from evn.domain.periods import fold

_WHEN = (r"(?:khi nao|bao gio|ngay nao|hom nao|bua nao|luc nao|chung nao|may hom nua|may ngay nua|bao lau nua"
         r"|ngay may|lich)")
_READING = (r"(?:ghi chi so|ghi so|chot so|chot chi so|ghi dien|ghi cong to|doc so|doc chi so|ghi chu|chot cong to"
            r"|ghi lai so)")
_ASKS = linear_regex.compile(
    rf"\b{_WHEN}\b.*\b{_READING}\b|\b{_READING}\b.*\b{_WHEN}\b|\blich (?:ghi|chot)\b"
    rf"|\b{_WHEN}\b.*\bco hoa don\b|\bhoa don\b.*\b(?:khi nao|bao gio|chung nao|ngay nao|bao lau nua) (?:moi )?co\b"
    rf"|\b(?:khi nao|bao gio|chung nao) (?:moi )?co hoa don\b")
_LONGER = linear_regex.compile(r"\b(?:sao|tai sao|vi sao|ly do)\b.*\bky (?:nay|nay lai)?\s?(?:dai|nhieu ngay|lau) hon\b"
                               r"|\bky nay\b.*\b(?:nhieu ngay hon|dai hon)\b|\bmay ngay\b.*\bky\b|\bky\b.*\bmay ngay\b")


def asks_reading_day(text: str) -> bool:
    folded = " ".join(fold(text or "").split())
    return bool(_ASKS.search(folded) or _LONGER.search(folded))
