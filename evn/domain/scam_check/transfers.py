"""A VietQR code read as the transfer it asks for: bank, account, amount, bill and message (EMVCo fields,
evn/domain/vietqr.py), and whose account it pays into."""
from __future__ import annotations

from dataclasses import dataclass

from evn.domain import linear_regex, vietqr
from evn.domain.periods import Period
from evn.domain.scam_check.official import OfficialChannels, mask_account

_OUR_BILL = linear_regex.compile(r"([A-Z]{2}\d{11})(\d{4})(\d{2})")


@dataclass(frozen=True)
class Transfer:
    bank_bin: str
    account: str
    amount: int | None
    bill_number: str
    purpose: str

    def masked_account(self) -> str:
        return mask_account(self.account)

    def bill(self) -> tuple[str, Period] | None:
        """(customer code, period) this deployment's QR codes name in their bill number ("PE01000000001202610")."""
        found = _OUR_BILL.fullmatch(self.bill_number.replace("-", "").upper())
        if found is None:
            return None
        month = int(found.group(3))
        return (found.group(1), Period(int(found.group(2)), month)) if 1 <= month <= 12 else None

    def pays_the_company(self, official: OfficialChannels) -> bool:
        return official.collects_into(self.bank_bin, self.account)


def read_transfer(payload: str) -> Transfer | None:
    """The transfer a VietQR payload asks for; None when the text is not one (another QR, a link, a broken or
    tampered code: its checksum is wrong)."""
    payload = (payload or "").strip()
    if not payload.startswith("000201") or not vietqr.crc_is_valid(payload):
        return None
    try:
        fields = vietqr.parse_payload(payload)
        merchant = vietqr.parse_payload(fields.get("38", ""))
        if merchant.get("00") != vietqr.NAPAS_GUID:
            return None
        beneficiary = vietqr.parse_payload(merchant.get("01", ""))
        additional = vietqr.parse_payload(fields.get("62", ""))
    except ValueError:
        return None
    bank_bin, account = beneficiary.get("00", ""), beneficiary.get("01", "")
    if not bank_bin or not account:
        return None
    amount_text = fields.get("54", "")
    amount = int(float(amount_text)) if amount_text.replace(".", "", 1).isdigit() else None
    return Transfer(bank_bin, account, amount, additional.get("01", ""), additional.get("08", ""))
