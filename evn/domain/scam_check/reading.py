"""Everything one forwarded text carries, checked: its links, accounts, phone numbers and scam signs.

Links on this deployment's own pay-link host are returned apart: only the service can tell a genuine token
(signature, expiry, its bill) from an altered one.
"""
from __future__ import annotations

from dataclasses import dataclass

from evn.domain.language.scam_words import scam_signs
from evn.domain.scam_check.findings import Finding, Kind, Verdict
from evn.domain.scam_check.links import Link, LinkKind, find_links
from evn.domain.scam_check.numbers import Bank, check_accounts, check_phones
from evn.domain.scam_check.official import OfficialChannels
from evn.domain.scam_check.transfers import Transfer, read_transfer


@dataclass(frozen=True)
class Reading:
    findings: tuple[Finding, ...]
    own_links: tuple[Link, ...]
    transfers: tuple[Transfer, ...]


def link_finding(link: Link) -> Finding:
    if link.kind == LinkKind.OFFICIAL:
        return Finding(Kind.LINK, Verdict.COMPANYS, link.kind.value, link.host, link.company)
    return Finding(Kind.LINK, Verdict.NOT_COMPANYS, link.kind.value, link.host, link.company)


def read_text(text: str, official: OfficialChannels, banks: tuple[Bank, ...]) -> Reading:
    """The findings of a text (a message, or what a QR code or a picture held)."""
    transfer = read_transfer(text)
    if transfer is not None:
        return Reading((), (), (transfer,))
    links = find_links(text, official)
    signs = scam_signs(text)
    if any(link.is_app_package for link in links) and "install_app" not in signs:
        signs.append("install_app")
    # The signs first: the check is recorded under its first finding, and a sign says most of a scam.
    findings = [Finding(Kind.TEXT, Verdict.NOT_COMPANYS, sign) for sign in signs]
    own: list[Link] = []
    for link in links:
        if link.kind == LinkKind.OWN_HOST:
            own.append(link)
        else:
            findings.append(link_finding(link))
    findings += check_accounts(text, official, banks)
    findings += check_phones(text, official, banks)
    return Reading(tuple(findings), tuple(own), ())
