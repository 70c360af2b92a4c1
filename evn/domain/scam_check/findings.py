"""What one check found: each item with its verdict, and the verdict of the whole.

Three verdicts, never blurred: the item is the company's, it is not (checked against what is), or it could
not be checked. A scam sign in the words makes the whole "not the company's" even beside a real hotline,
since scammers quote the real numbers too.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Verdict(str, Enum):
    COMPANYS = "companys"
    NOT_COMPANYS = "not_companys"
    COULD_NOT_CHECK = "could_not_check"


class Kind(str, Enum):
    """What was checked; recorded with each check (the operations report counts them)."""

    LINK = "link"
    PHONE = "phone"
    ACCOUNT = "account"
    QR = "qr"
    TEXT = "text"
    OUTAGE_CLAIM = "outage_claim"
    PICTURE = "picture"


@dataclass(frozen=True)
class Finding:
    """One item checked. `pattern` names why (a look-alike's kind, a scam sign, "official_hotline"), `shown`
    is what the answer may repeat of it (a domain, a masked number), `company` the power company it belongs to."""

    kind: Kind
    verdict: Verdict
    pattern: str
    shown: str = ""
    company: str | None = None
    facts: tuple[tuple[str, str], ...] = ()  # what its line says beside (a bill's period, an amount)

    def fact(self, name: str) -> str:
        return dict(self.facts).get(name, "")


def overall(findings: list[Finding]) -> Verdict:
    """Not the company's when anything is not; the company's when something checked is and nothing is not;
    else nothing could be checked."""
    verdicts = {finding.verdict for finding in findings}
    if Verdict.NOT_COMPANYS in verdicts:
        return Verdict.NOT_COMPANYS
    if Verdict.COMPANYS in verdicts:
        return Verdict.COMPANYS
    return Verdict.COULD_NOT_CHECK


def main_finding(findings: list[Finding]) -> Finding | None:
    """The finding the verdict rests on (the first of the whole's verdict), recorded as the check's pattern."""
    verdict = overall(findings)
    return next((finding for finding in findings if finding.verdict == verdict), None)
