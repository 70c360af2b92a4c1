"""Hide personal data in replies and logs: 0901234567 -> 090****567."""
from __future__ import annotations

import re

from evn.domain.identity import PHONE


def mask_phone(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 6) + digits[-3:]


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


def mask_phones_in_text(text: str) -> str:
    """For log lines that may quote what a customer typed."""
    return PHONE.sub(lambda m: mask_phone(m.group(0)), text)
