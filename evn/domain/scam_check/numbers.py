"""Phone numbers and bank accounts in what a customer forwards, and whether they are the companies'.

An official hotline is the company's. A 1900 number that is none of them charges the caller (a known bait), a
mobile number is a person's (the companies do not call from them to demand money): both are not the company's.
A landline may be a local office: it could not be checked. An account is the company's only when it is one of
the collection accounts (at that bank, when a bank is named).
"""
from __future__ import annotations

from dataclasses import dataclass

from evn.domain import linear_regex
from evn.domain.masking import mask_phone
from evn.domain.periods import fold
from evn.domain.scam_check.findings import Finding, Kind, Verdict
from evn.domain.scam_check.official import OfficialChannels, digits_of, mask_account

# Digits grouped by spaces, dots or dashes, not glued to letters (a customer code) or to a decimal.
_NUMBER = linear_regex.compile(r"(?<![\w+,])(\+?\d(?:[ .\-]?\d){5,22})(?![\w])")
# A label that makes the next number an account: "stk", "số tài khoản", "tk", "account" (folded text), a few words
# before it ("stk này: MB Bank 0368 889 999").
_ACCOUNT_LABEL = linear_regex.compile(
    r"\b(?:stk|so tk|so tai khoan|tai khoan|tk|account|acc|so tai khoang)\b[^\d]{0,25}$")
_MOBILE = linear_regex.compile(r"0[35789]\d{8}")
_LANDLINE = linear_regex.compile(r"02\d{9}")
_CHARGED = linear_regex.compile(r"1900\d{4}|1900\d{6}")
_TOLL_FREE = linear_regex.compile(r"1800\d{4}|1800\d{6}")
_NEAR = 24  # characters between a bank's name and its account


@dataclass(frozen=True)
class Bank:
    bin: str
    name: str
    words: tuple[str, ...]


def _national(digits: str) -> str:
    return "0" + digits[2:] if digits.startswith("84") and len(digits) == 11 else digits


def account_spans(text: str, banks: tuple[Bank, ...]) -> list[tuple[int, int, str, Bank | None]]:
    """(start, end, digits, bank named beside it) of each bank account: a number after an account's label, or
    one a bank's name stands next to."""
    folded = fold(text or "")
    found = []
    anywhere: list[Bank | None] = []  # the bank the whole text names, looked for once
    for match in _NUMBER.finditer(folded):
        digits = digits_of(match.group(1))
        before = folded[max(0, match.start() - _NEAR):match.start()]
        after = folded[match.end():match.end() + _NEAR]
        bank = _bank_named(before, banks) or _bank_named(after, banks)
        labelled = _ACCOUNT_LABEL.search(before) is not None
        if 6 <= len(digits) <= 19 and (labelled or (bank is not None and not _MOBILE.fullmatch(digits))):
            if bank is None and not anywhere:
                anywhere.append(_bank_named(folded, banks))
            found.append((match.start(), match.end(), digits, bank or anywhere[0]))
    return found


def _bank_named(words: str, banks: tuple[Bank, ...]) -> Bank | None:
    return next((bank for bank in banks for word in bank.words
                 if linear_regex.search(rf"\b{linear_regex.escape(word)}\b", words)), None)


def check_accounts(text: str, official: OfficialChannels, banks: tuple[Bank, ...]) -> list[Finding]:
    findings = []
    for _start, _end, digits, bank in account_spans(text, banks):
        shown = mask_account(digits) + (f" ({bank.name})" if bank else "")
        if official.collects_into(bank.bin if bank else None, digits):
            findings.append(Finding(Kind.ACCOUNT, Verdict.COMPANYS, "collection_account", shown))
        else:
            findings.append(Finding(Kind.ACCOUNT, Verdict.NOT_COMPANYS, "other_account", shown))
    return findings


def check_phones(text: str, official: OfficialChannels, banks: tuple[Bank, ...]) -> list[Finding]:
    """Each phone number in `text` that is not a bank account's."""
    taken = [(start, end) for start, end, _digits, _bank in account_spans(text, banks)]
    findings: list[Finding] = []
    seen: set[str] = set()
    folded = fold(text or "")
    for match in _NUMBER.finditer(folded):
        if any(start <= match.start() < end for start, end in taken):
            continue
        digits = _national(digits_of(match.group(1)))
        if digits in seen:
            continue
        seen.add(digits)
        finding = _phone_finding(digits, official)
        if finding is not None:
            findings.append(finding)
    return findings


def _phone_finding(digits: str, official: OfficialChannels) -> Finding | None:
    hotline = official.hotline(digits)
    if hotline is not None:
        return Finding(Kind.PHONE, Verdict.COMPANYS, "official_hotline", hotline[0], hotline[1])
    if _CHARGED.fullmatch(digits):
        return Finding(Kind.PHONE, Verdict.NOT_COMPANYS, "charged_line", _grouped(digits))
    if _TOLL_FREE.fullmatch(digits):
        return Finding(Kind.PHONE, Verdict.NOT_COMPANYS, "other_line", _grouped(digits))
    if _MOBILE.fullmatch(digits):
        return Finding(Kind.PHONE, Verdict.NOT_COMPANYS, "personal_number", mask_phone(digits))
    if _LANDLINE.fullmatch(digits):
        return Finding(Kind.PHONE, Verdict.COULD_NOT_CHECK, "landline", mask_phone(digits))
    return None  # not a phone number (a code, an amount, a date)


def _grouped(digits: str) -> str:
    return f"{digits[:4]} {digits[4:]}"
