"""Numbers as customers type them: 350 kWh, 450kwh, 1.200 số, 275,5 kw."""
from __future__ import annotations

import re

_NUMBER = re.compile(r"(?<![\w.,\-])(\d{1,3}(?:[.,]\d{3})+(?!\d)|\d+)(?:[.,](\d+))?(?!\d)")


def parse_kwh(text: str) -> int | None:
    """'350 kWh', '450kwh', '1.200 số', '275,5 kwh', '300' -> whole kWh; None without a number.

    A dot or comma before exactly three digits groups thousands (Vietnamese style);
    otherwise it starts decimals, which are rounded.
    """
    match = _NUMBER.search(text or "")
    if not match:
        return None
    whole = int(re.sub(r"[.,]", "", match.group(1)))
    decimals = match.group(2)
    return whole + (1 if decimals and int(decimals[0]) >= 5 else 0)
