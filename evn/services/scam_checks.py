"""Is it really the power company's? A customer forwards a message, a link, a number, an account or a picture
of a QR code; the check reads each item against what is really the companies' (evn.domain.scam_check), tells
this deployment's own pay links by their signature and expiry, compares a VietQR code's account and amount with
the collection accounts and the bill it names, and records the check (never the forwarded text itself).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from evn.domain.outage_schedule import PlannedOutage
from evn.domain.periods import Period
from evn.domain.scam_check.findings import Finding, Kind, Verdict, main_finding, overall
from evn.domain.scam_check.links import Link
from evn.domain.scam_check.numbers import Bank
from evn.domain.scam_check.official import OfficialChannels
from evn.domain.scam_check.outage_claims import ClaimChecked, check_claim
from evn.domain.scam_check.reading import read_text
from evn.domain.scam_check.transfers import Transfer
from evn.domain.statuses import BillStatus
from evn.services import payments as link_states
from evn.services.clock import today_in_vietnam, utcnow
from evn.services.payments import PaymentService
from evn.services.unit_of_work import UnitOfWorkFactory

PAY_PATH = "pay"


@dataclass(frozen=True)
class PayLinkSeen:
    """One of this deployment's pay links, as its token reads: its state, and the bill it pays."""

    state: str  # evn.services.payments.LINK_*
    period: Period | None = None
    amount: int = 0


@dataclass(frozen=True)
class TransferSeen:
    """A VietQR code's transfer: whose account, and whether it matches the bill it names."""

    bank: str
    account: str  # masked
    amount: int | None
    to_the_company: bool
    period: Period | None = None  # the bill it names, when it names one of ours
    bill_total: int | None = None
    bill_paid: bool = False

    @property
    def matches_the_bill(self) -> bool:
        return self.bill_total is not None and self.amount == self.bill_total


@dataclass(frozen=True)
class CheckResult:
    verdict: Verdict
    findings: tuple[Finding, ...]
    pay_links: tuple[PayLinkSeen, ...] = ()
    transfers: tuple[TransferSeen, ...] = ()
    claim: ClaimChecked | None = None  # a planned cut told of, against the schedule
    check_id: int | None = None

    @property
    def company(self) -> str | None:
        """The power company the items belong to or imitate, when they name one."""
        return next((finding.company for finding in self.findings if finding.company), None)

    def patterns(self, verdict: Verdict) -> list[str]:
        return list(dict.fromkeys(finding.pattern for finding in self.findings if finding.verdict == verdict))


@dataclass(frozen=True)
class ScamReport:
    """A check found not the company's, as the console lists it for the security team (nothing unmasked)."""

    checked_at: datetime  # UTC
    channel: str
    kind: str
    pattern: str
    shown: str
    with_picture: bool


class ScamCheckService:
    def __init__(self, uow: UnitOfWorkFactory, payments: PaymentService, official: OfficialChannels,
                 banks: tuple[Bank, ...], schedule: Sequence[PlannedOutage] = (),
                 today: Callable[[], date] = today_in_vietnam, clock: Callable[[], datetime] = utcnow) -> None:
        self.uow = uow
        self.payments = payments
        self.official = official
        self.banks = banks
        self.schedule = schedule
        self.today = today
        self.clock = clock

    def check(self, conversation_id: str, channel: str, text: str, qr_texts: Sequence[str] = (),
              picture_id: str | None = None) -> CheckResult:
        """Every item of `text` and of the QR codes read from a picture, checked and recorded as one check."""
        findings: list[Finding] = []
        pay_links: list[PayLinkSeen] = []
        transfers: list[TransferSeen] = []
        for source, kind in [(text, None)] + [(qr, Kind.QR) for qr in qr_texts]:
            reading = read_text(source, self.official, self.banks)
            findings += [_from_qr(finding) if kind else finding for finding in reading.findings]
            for link in reading.own_links:
                seen, finding = self._own_link(link)
                findings.append(finding)
                if seen is not None:
                    pay_links.append(seen)
            for transfer in reading.transfers:
                seen_transfer = self._transfer(transfer, conversation_id)
                transfers.append(seen_transfer)
                findings.append(_transfer_finding(seen_transfer))
        if picture_id is not None and not qr_texts:
            findings.append(Finding(Kind.PICTURE, Verdict.COULD_NOT_CHECK, "no_code_in_picture"))
        claim = check_claim(text, self.schedule, self.today())
        if claim is not None:
            findings.append(claim.finding)
        result = CheckResult(overall(findings), tuple(findings), tuple(pay_links), tuple(transfers), claim)
        return self._recorded(result, conversation_id, channel, picture_id)

    def reports(self, limit: int = 100) -> list[ScamReport]:
        """The latest checks found not the company's, newest first."""
        with self.uow() as uow:
            return [ScamReport(row.checked_at, row.channel, row.kind, row.pattern, row.shown,
                               row.picture_id is not None)
                    for row in uow.scam_checks.latest(Verdict.NOT_COMPANYS.value, limit)]

    def _own_link(self, link: Link) -> tuple[PayLinkSeen | None, Finding]:
        parts = [part for part in link.path.split("/") if part]
        if len(parts) < 2 or parts[0] != PAY_PATH:
            return None, Finding(Kind.LINK, Verdict.COMPANYS, "own_site", link.host)
        page = self.payments.open_link(parts[1])
        if page.state in (link_states.LINK_FORGED, link_states.LINK_UNKNOWN):
            return PayLinkSeen(page.state), Finding(Kind.LINK, Verdict.NOT_COMPANYS, "altered_pay_link", link.host)
        seen = PayLinkSeen(page.state, page.period, page.amount)
        facts = (("period", str(page.period or "")), ("amount", str(page.amount)))
        return seen, Finding(Kind.LINK, Verdict.COMPANYS, f"own_pay_link_{page.state}", link.host, facts=facts)

    def _transfer(self, transfer: Transfer, conversation_id: str) -> TransferSeen:
        """The transfer's account against the collection accounts; the bill it names against the database only for
        the customer verified in this conversation (anyone can make a VietQR: no one probes another's bills)."""
        seen = TransferSeen(self.official.bank_name(transfer.bank_bin), transfer.masked_account(), transfer.amount,
                            transfer.pays_the_company(self.official))
        named = transfer.bill()
        if named is None or not self.payments.identity.is_verified(conversation_id, named[0]):
            return seen
        code, period = named
        with self.uow() as uow:
            customer = uow.customers.get_by_code(code)
            bill = uow.bills.for_period(customer.id, period.key) if customer is not None else None
            if bill is None:
                return TransferSeen(seen.bank, seen.account, seen.amount, seen.to_the_company, period)
            return TransferSeen(seen.bank, seen.account, seen.amount, seen.to_the_company, period, bill.total,
                                bill.status == BillStatus.PAID.value)

    def _recorded(self, result: CheckResult, conversation_id: str, channel: str,
                  picture_id: str | None) -> CheckResult:
        main = main_finding(list(result.findings))
        kind = main.kind.value if main else (Kind.PICTURE if picture_id else Kind.TEXT).value
        with self.uow() as uow:
            check_id = uow.scam_checks.add(
                checked_at=self.clock(), conversation_id=conversation_id, channel=channel, kind=kind,
                verdict=result.verdict.value, pattern=main.pattern if main else "nothing_to_check",
                shown=main.shown if main else "", picture_id=picture_id)
            uow.commit()
        return replace(result, check_id=check_id)


def _from_qr(finding: Finding) -> Finding:
    """A link or a text read from a QR code is recorded as the QR code's."""
    return Finding(Kind.QR, finding.verdict, finding.pattern, finding.shown, finding.company)


def _transfer_finding(seen: TransferSeen) -> Finding:
    shown = f"{seen.account} ({seen.bank})"
    facts = (("period", str(seen.period or "")), ("claimed", str(seen.amount or 0)),
             ("amount", str(seen.amount or 0)))
    if not seen.to_the_company:
        return Finding(Kind.QR, Verdict.NOT_COMPANYS, "qr_other_account", shown, facts=facts)
    if seen.period is None:
        return Finding(Kind.QR, Verdict.COMPANYS, "qr_company_account", shown, facts=facts)
    if seen.bill_total is None:
        return Finding(Kind.QR, Verdict.NOT_COMPANYS, "qr_unknown_bill", shown, facts=facts)
    if not seen.matches_the_bill:
        return Finding(Kind.QR, Verdict.NOT_COMPANYS, "qr_wrong_amount", shown, facts=facts)
    return Finding(Kind.QR, Verdict.COMPANYS, "qr_company_bill", shown, facts=facts)
