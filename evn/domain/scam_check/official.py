"""What is really the power companies': their domains, hotlines and collection accounts (reference data,
evn/reference/official_channels.yml and power_companies.yml, plus this deployment's own pay-link host and
VietQR account)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from evn.domain import linear_regex


def digits_of(text: str) -> str:
    return linear_regex.sub(r"\D", "", text)


def mask_account(account: str) -> str:
    """A bank account as the answer repeats it: its last four characters ("****8999")."""
    return "****" + account[-4:]


@dataclass(frozen=True)
class OfficialChannels:
    domains: tuple[tuple[str, str], ...]  # (domain, company)
    hotlines: tuple[tuple[str, str, str], ...]  # (digits, as written, company)
    collection_accounts: frozenset[tuple[str, str]]  # (bank BIN, account)
    brand_words: tuple[str, ...] = ()
    shorteners: frozenset[str] = frozenset()
    banks: Mapping[str, str] = field(default_factory=dict)
    own_hosts: tuple[str, ...] = ()  # where this deployment's pay links live

    def company_of_host(self, host: str) -> str | None:
        """The company whose domain `host` is or lies under ("cskh.evnhcmc.vn" -> EVNHCMC)."""
        host = host.lower().rstrip(".")
        return next((company for domain, company in self.domains
                     if host == domain or host.endswith("." + domain)), None)

    def hotline(self, number: str) -> tuple[str, str] | None:
        """(as written, company) of an official hotline, by its digits."""
        digits = digits_of(number)
        return next(((written, company) for known, written, company in self.hotlines if known == digits), None)

    def collects_into(self, bank_bin: str | None, account: str) -> bool:
        """Whether the account (at that bank, when known) collects the companies' bills."""
        account = account.strip()
        return any(account == known and (bank_bin is None or bank_bin == known_bin)
                   for known_bin, known in self.collection_accounts)

    def domains_of(self, company: str | None) -> list[str]:
        """The company's official domains; every company's when it is not known."""
        return [domain for domain, owner in self.domains if company is None or owner == company]

    def bank_name(self, bank_bin: str) -> str:
        return self.banks.get(bank_bin, f"BIN {bank_bin}")
