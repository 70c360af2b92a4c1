"""Time as the business sees it: moments stored as naive UTC, shown and reasoned about in Vietnam time."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

VIETNAM = timezone(timedelta(hours=7), "ICT")


def to_vietnam(moment_utc: datetime) -> datetime:
    return moment_utc.replace(tzinfo=timezone.utc).astimezone(VIETNAM)


def vietnam_date(moment_utc: datetime) -> date:
    """The calendar day in Vietnam of a naive UTC moment."""
    return to_vietnam(moment_utc).date()


def from_vietnam_text(text: str) -> datetime:
    """"dd/mm/yyyy hh:mm" (or "hh:mm dd/mm/yyyy", as the assistant writes it) in Vietnam time, as naive UTC;
    ValueError otherwise. What staff type in the console and the back-office command."""
    cleaned = " ".join((text or "").split())[:40]
    for shape in ("%d/%m/%Y %H:%M", "%H:%M %d/%m/%Y", "%Y-%m-%dT%H:%M"):
        try:
            local = datetime.strptime(cleaned, shape)
        except ValueError:
            continue
        if not 2000 <= local.year <= 2100:  # "01/01/0001" cannot even be moved to UTC
            break
        return local.replace(tzinfo=VIETNAM).astimezone(timezone.utc).replace(tzinfo=None)
    raise ValueError(f"not a Vietnam time: {cleaned[:40]!r}")
