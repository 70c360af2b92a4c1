"""The scam check's rules: links and look-alikes, numbers and accounts, VietQR transfers, scam signs."""
from __future__ import annotations

import pytest

from evn import reference
from evn.domain import vietqr
from evn.domain.language.scam_words import asks_about_secrets, asks_if_real, scam_signs
from evn.domain.periods import Period
from evn.domain.scam_check.findings import Finding, Kind, Verdict, overall
from evn.domain.scam_check.links import LinkKind, find_links
from evn.domain.scam_check.reading import read_text
from evn.domain.scam_check.transfers import read_transfer

OFFICIAL = reference.official_channels(("pay.test",), ("970436", "0071000888999"))
BANKS = reference.banks()


def kinds(text: str) -> list[tuple[str, str]]:
    return [(finding.verdict.value, finding.pattern) for finding in read_text(text, OFFICIAL, BANKS).findings]


@pytest.mark.parametrize(("text", "kind", "company"), [
    ("https://cskh.evnhcmc.vn/tra-cuu", LinkKind.OFFICIAL, "EVNHCMC"),
    ("www.evn.com.vn", LinkKind.OFFICIAL, "EVN"),
    ("vao cskh.evnspc.vn nhe", LinkKind.OFFICIAL, "EVNSPC"),
    ("evnhcmc.com/thanh-toan", LinkKind.OTHER_ENDING, "EVNHCMC"),
    ("http://evn.vn", LinkKind.OTHER_ENDING, "EVN"),
    ("evnhcmc.vn.thanhtoan.xyz", LinkKind.OFFICIAL_INSIDE, "EVNHCMC"),
    ("https://evnhanoi-vn.top/pay", LinkKind.OFFICIAL_INSIDE, "EVNHANOI"),
    ("evnhcrnc.vn", LinkKind.OTHER_CHARACTERS, "EVNHCMC"),
    ("3vnhcmc.vn", LinkKind.OTHER_CHARACTERS, "EVNHCMC"),
    ("evnhan0i.vn", LinkKind.OTHER_CHARACTERS, "EVNHANOI"),
    ("envhcmc.vn", LinkKind.OTHER_CHARACTERS, "EVNHCMC"),
    ("evnhcmс.vn", LinkKind.OTHER_CHARACTERS, "EVNHCMC"),  # a Cyrillic "с"
    ("evn-cskh.com", LinkKind.EXTRA_WORDS, None),
    ("evnhcmc-thanhtoan.vn", LinkKind.EXTRA_WORDS, "EVNHCMC"),
    ("tiendien-online.xyz", LinkKind.EXTRA_WORDS, None),
    ("bit.ly/3xYz", LinkKind.SHORTENER, None),
    ("google.com", LinkKind.OTHER, None),
    ("http://pay.test/pay/abc.def", LinkKind.OWN_HOST, None),
])
def test_links_and_their_kinds(text, kind, company):
    (link,) = find_links(text, OFFICIAL)
    assert (link.kind, link.company) == (kind, company)


@pytest.mark.parametrize("text", ["tp.hcm", "thang 10.2026", "het 979.560d", "Q.1 p.Da Kao", "v.v."])
def test_what_is_no_link(text):
    assert find_links(text, OFFICIAL) == []


def test_an_app_package_is_a_sign_of_its_own():
    assert ("not_companys", "install_app") in kinds("tai ve tai evnapp.net/EVN.apk")


@pytest.mark.parametrize(("text", "expected"), [
    ("tong dai 1900545454 goi", ("companys", "official_hotline")),
    ("so 1900.1288 co phai ko", ("companys", "official_hotline")),
    ("1900 9000", ("companys", "official_hotline")),
    ("goi lai so 1900 292900", ("not_companys", "charged_line")),
    ("so 0987 654 321 goi bao no tien", ("not_companys", "personal_number")),
    ("+84987654321", ("not_companys", "personal_number")),
    ("so ban 02838123456", ("could_not_check", "landline")),
    ("stk 0071000888999 vietcombank", ("companys", "collection_account")),
    ("chuyen vao tk 0071000888998 vcb", ("not_companys", "other_account")),
    ("stk 0071000888999 techcombank", ("not_companys", "other_account")),
    ("ck 19036789123 techcombank", ("not_companys", "other_account")),
])
def test_numbers_and_accounts(text, expected):
    assert kinds(text) == [expected]


def test_an_amount_a_period_and_a_code_are_no_numbers_to_check():
    assert kinds("PE01000000001 thang 10/2026 het 979.560 d, 1.500.000đ") == []


@pytest.mark.parametrize(("text", "sign"), [
    ("Quy khach no tien dien, dien se bi cat trong vong 2 gio", "cut_within_hours"),
    ("EVN thong bao: se ngung cap dien ngay hom nay neu khong thanh toan", "cut_within_hours"),
    ("Vui long tai ung dung EVN CSKH moi tai link sau", "install_app"),
    ("nhan vien yeu cau cung cap ma OTP de xac minh", "asks_secret"),
    ("Ban bi phat vi trom cap dien, nop 5tr", "theft_fine"),
    ("Dien luc thu thua, hoan tien, vui long gui so the", "refund_card"),
    ("Ngan hang khong con thu ho tien dien, chuyen khoan vao stk", "banks_stopped"),
    ("EVN yeu cau cap nhat ma khach hang moi", "code_update"),
    ("ma QR co hieu luc trong 30 giay", "seconds_qr"),
])
def test_scam_signs(text, sign):
    assert sign in scam_signs(text)


@pytest.mark.parametrize("text", ["tiền điện tháng 10 bao nhiêu", "cắt điện ngày 15/12 ở phường 25",
                                  "cho em xin link thanh toán", "mất điện 2 tiếng rồi"])
def test_everyday_requests_carry_no_sign(text):
    assert scam_signs(text) == []


@pytest.mark.parametrize("text", ["link nay co phai lua dao ko", "số này có phải của điện lực thật không",
                                  "tin nhan nay that hay gia", "co phai evn ko vay", "check giup em cai nay"])
def test_asks_if_real(text):
    assert asks_if_real(text)


@pytest.mark.parametrize(("text", "asks"), [
    ("evn có bao giờ hỏi mã otp không", True), ("bot có cần mật khẩu ko", True),
    ("có nên đưa otp cho nhân viên ko", True), ("tiền điện tháng này bao nhiêu", False),
])
def test_asks_about_secrets(text, asks):
    assert asks_about_secrets(text) is asks


def test_a_vietqr_payload_is_read_and_a_tampered_one_is_not():
    payload = vietqr.build_payload("970436", "0071000888999", 979560, "PE01000000001202610", "TIEN DIEN")
    transfer = read_transfer(payload)
    assert transfer is not None and transfer.amount == 979560 and transfer.pays_the_company(OFFICIAL)
    assert transfer.bill() == ("PE01000000001", Period(2026, 10)) and transfer.masked_account() == "****8999"
    assert read_transfer(payload.replace("979560", "979569")) is None  # the checksum no longer holds
    other = read_transfer(vietqr.build_payload("970407", "19036789123", 979560, "PE01000000001202610"))
    assert other is not None and not other.pays_the_company(OFFICIAL)


def test_a_scam_sign_outweighs_a_real_hotline():
    findings = [Finding(Kind.PHONE, Verdict.COMPANYS, "official_hotline"), Finding(Kind.TEXT, Verdict.NOT_COMPANYS,
                                                                                  "asks_secret")]
    assert overall(findings) == Verdict.NOT_COMPANYS
    assert overall([]) == Verdict.COULD_NOT_CHECK
    assert overall([Finding(Kind.PHONE, Verdict.COULD_NOT_CHECK, "landline")]) == Verdict.COULD_NOT_CHECK
