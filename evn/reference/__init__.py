"""Reference data shipped with the code (tariffs, VAT, power companies) and its loader."""
from __future__ import annotations

import copy
from dataclasses import replace
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from evn.domain.agent_hours import DeskHours
from evn.domain.documents import Seller
from evn.domain.scam_check.numbers import Bank
from evn.domain.scam_check.official import OfficialChannels, digits_of
from evn.domain.tariff import Tariff, Tier, VatRate

HERE = Path(__file__).parent


def load_yaml(name: str) -> Any:
    """The parsed file, read once per process (replies ask for hotlines and payment methods on every turn);
    a copy, so no caller can change what the next one reads."""
    return copy.deepcopy(_parsed(name))


@cache
def _parsed(name: str) -> Any:
    with open(HERE / name, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def tariffs(group: str = "residential") -> list[Tariff]:
    return [
        Tariff(
            effective_from=date.fromisoformat(str(entry["effective_from"])),
            decision=entry["decision"],
            tiers=tuple(
                Tier(number, tier.get("up_to"), int(tier["price"]))
                for number, tier in enumerate(entry["tiers"], start=1)
            ),
        )
        for entry in load_yaml("tariffs.yml")["tariffs"]
        if entry["group"] == group
    ]


def vat_rates() -> list[VatRate]:
    return [
        VatRate(date.fromisoformat(str(entry["effective_from"])), Decimal(str(entry["percent"])))
        for entry in load_yaml("tariffs.yml")["vat"]
    ]


def power_companies() -> list[dict[str, str]]:
    """Rows of the power_companies table (the `area` label stays in the file)."""
    companies = load_yaml("power_companies.yml")["power_companies"]
    return [{k: v for k, v in company.items() if k != "area"} for company in companies]


def general_hotlines() -> str:
    """'TP.HCM: 1900 545454, Hà Nội: 1900 1288, …': for a customer whose power company is not known."""
    return ", ".join(f"{c['area']}: {c['hotline']}" for c in load_yaml("power_companies.yml")["power_companies"])


def hotline_of_company(company: str) -> tuple[str, str] | None:
    """(name, 24/7 hotline) of a power company by its code (EVNHCMC), if known."""
    return next(((c["name"], c["hotline"]) for c in load_yaml("power_companies.yml")["power_companies"]
                 if c["code"] == company), None)


def hotline_for_code(code: str | None) -> str | None:
    """The 24/7 hotline of the power company a customer code belongs to (by its prefix), if known."""
    prefix = (code or "")[:2].upper()
    return next((c["hotline"] for c in load_yaml("power_companies.yml")["power_companies"] if c["prefix"] == prefix),
                None) if prefix else None


def payment_methods() -> list[dict[str, str]]:
    return load_yaml("payment_methods.yml")["payment_methods"]


def agent_desk(hours: str = "") -> DeskHours:
    """The chat desk's hours from agent_desk.yml, `hours` (AGENT_WORKING_HOURS) overriding the file's."""
    desk = load_yaml("agent_desk.yml")
    parsed = DeskHours.parse(hours or desk["hours"], desk["weekdays"], desk["days_label"])
    return replace(parsed, days_label=desk["round_the_clock_label"]) if parsed.round_the_clock else parsed


def official_channels(own_hosts: tuple[str, ...] = (), own_account: tuple[str, str] | None = None) -> OfficialChannels:
    """What is really the companies' (official_channels.yml, power_companies.yml), with this deployment's
    pay-link host and VietQR account."""
    data = load_yaml("official_channels.yml")
    companies = load_yaml("power_companies.yml")["power_companies"]
    hotlines = [(digits_of(c["hotline"]), c["hotline"], c["code"]) for c in companies]
    hotlines += [(digits_of(h["number"]), h["number"], h["company"]) for h in data["extra_hotlines"]]
    accounts = {(str(a["bin"]), str(a["account"])) for a in data["collection_accounts"] or ()}
    if own_account is not None:
        accounts.add(own_account)
    return OfficialChannels(
        domains=tuple((d["domain"], d["company"]) for d in data["official_domains"]),
        hotlines=tuple(hotlines), collection_accounts=frozenset(accounts),
        brand_words=tuple(data["brand_words"]), shorteners=frozenset(data["link_shorteners"]),
        banks={str(b["bin"]): b["name"] for b in data["banks"]}, own_hosts=own_hosts,
    )


@cache
def banks() -> tuple[Bank, ...]:
    """The banks by BIN with the words customers write them in (official_channels.yml); built once, as every message
    asks for them (evn/domain/scam_check/asked.py) and they cannot change (frozen)."""
    return tuple(Bank(str(b["bin"]), b["name"], tuple(b["words"])) for b in load_yaml("official_channels.yml")["banks"])


def invoice_seller(company: str) -> Seller | None:
    """The seller a bill's copy names for this power company (invoice_sellers.yml), with its 24/7 hotline."""
    seller = load_yaml("invoice_sellers.yml")["sellers"].get(company)
    hotline = hotline_of_company(company)
    if seller is None:
        return None
    return Seller(name=seller["name"], tax_code=str(seller["tax_code"]), address=seller["address"],
                  form=str(seller["form"]), symbol=seller["symbol"], einvoice_site=seller["einvoice_site"],
                  hotline=hotline[1] if hotline else "")
