"""The scam check's rules: links and look-alikes, numbers and accounts, VietQR transfers, scam signs."""
from __future__ import annotations

from datetime import date

import pytest

from evn import reference
from evn.domain import vietqr
from evn.domain.language.follow_ups import follow_up
from evn.domain.language.scam_words import asks_about_secrets, asks_if_real, scam_signs
from evn.domain.outage_schedule import load_schedule
from evn.domain.periods import Period
from evn.domain.scam_check.asked import asks_for_a_check
from evn.domain.scam_check.findings import Finding, Kind, Verdict, overall
from evn.domain.scam_check.links import LinkKind, find_links
from evn.domain.scam_check.outage_claims import check_claim
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
                                  "tin nhan nay that hay gia", "co phai evn ko vay", "trang nay co dang tin ko"])
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


@pytest.mark.parametrize("text", [
    "link nay co phai lua dao ko evnhcmc.com",
    "số 0987654321 có phải của điện lực ko",
    "có người tự xưng điện lực gọi bảo nợ tiền",
    "evn có hỏi mã otp không",
    "có thông báo cắt điện ngày 15/12 ở phường 25 thật không",
    "stk 0071000888999 vietcombank dung ko",
    "nv dien luc bao chuyen tien dien vao stk MB 0977 456 321 chu tk TRAN VAN NAM. dung ko ban",
    "có đứa gọi bảo nhà tôi nợ tiền điện 1.850.000, 2 tiếng nữa cắt. Có đúng không?",
    "chiều nay có ông mặc áo điện lực ghé nhà nói mai thay đồng hồ. Vậy có đúng điện lực ko",
    # blind set 6: the caller named with the customer's own code, a number asked of, an OTP offered, two hotlines
    "có sđt 0987 654 321 gọi bảo là nv điện lực quận 1, đọc đúng mã KH PE01000000001. số đó thiệt ko",
    "ng ta bảo chuyển khoản vào stk này: MB Bank 0368 889 999, nd: tien dien PE01000000001. co dung ko ad",
    "+84 39 812 4567 co phai sdt cua evn ko",
    "e vừa nhận dc mã otp 739214, gửi cho bên mình để xác minh tài khoản nhé",
    "19001006 voi 1900 9000 so nao moi dung tong dai dien luc mien nam vay ban",
])
def test_what_asks_for_a_check(text):
    assert asks_for_a_check(text)


@pytest.mark.parametrize("text", [
    "điện lực lừa đảo à, tháng này tăng gấp đôi", "0901234567", "PE01000000001", "tiền điện tháng 10 bao nhiêu",
    "tổng đài số mấy", "cho xin link thanh toan", "lịch cúp điện quận 1", "tối nay có cúp điện không",
    "mất điện từ tối qua tới giờ chưa có lại", "tiền điện tháng này sao nợ nhiều vậy",
    "HBT Hà Nội phường Minh Khai có cắt điện ko", "nghe nói thứ 7 này khu em cúp điện, thật không ạ",
    "Tổng cộng tôi còn nợ bao nhiêu, trễ hạn có bị phạt hay cắt điện không? PE01000000001 - 0901234567",
    "check giúp em bill tháng 8 với, pe 01000000001 sdt +84 90 123 4567",
    "chị muốn đóng tiền điện, gửi link cho chị nhé",
    "e lo quá ko biết có bị câu trộm điện hay công tơ hư gì ko nữa",
    "biểu giá điện sinh hoạt hiện tại áp dụng từ ngày nào",
])
def test_what_asks_for_no_check(text):
    assert not asks_for_a_check(text)


@pytest.mark.parametrize(("text", "verdict", "ids"), [
    ("zalo bao ngay 12/12 cup dien duong Dong Khoi, Mac Thi Buoi Q1 tu 7h toi 13h, co that ko", "companys",
     ["HCM-2612-08"]),
    ("thong bao ngung cap dien 11/12 pho Trang Tien, Phan Chu Trinh, that ko", "companys", ["HN-2612-06"]),
    ("Thong bao mat dien 02/12 duong Ung Van Khiem phuong 25 Binh Thanh. that ko?", "not_companys", []),
    ("co thong bao cat dien ngay 15/12 that ko", "could_not_check", []),
])
def test_a_planned_cut_told_of_is_checked_against_the_schedule(text, verdict, ids):
    claim = check_claim(text, load_schedule(), date(2026, 12, 1))
    assert claim is not None and claim.finding.verdict.value == verdict and [o.id for o in claim.outages] == ids


def test_no_claim_without_a_cut_or_without_a_day_and_place():
    assert check_claim("link nay co phai cua evn ko", load_schedule(), date(2026, 12, 1)) is None
    assert check_claim("mat dien roi", load_schedule(), date(2026, 12, 1)) is None


@pytest.mark.parametrize(("previous", "text", "action"), [
    ("action_check_scam", "còn số 0777 888 123 gọi nhắc đóng tiền thì sao", "action_check_scam"),
    ("action_check_scam", "thế bây giờ bác phải làm sao hả cháu", "action_scam_what_to_do"),
    ("action_check_scam", "chết e lỡ cài rồi, giờ sao ạ", "action_scam_what_to_do"),
    ("action_scam_what_to_do", "toi muon to cao thi bao o dau", "action_scam_what_to_do"),
    ("action_check_scam", "vậy gọi số nào", "action_tell_hotline"),
    ("action_check_scam", "vậy web thật là gì", "action_scam_official_sites"),
    ("action_check_scam", "ủa vậy muốn xem hóa đơn thì xác minh bằng gì", "action_scam_how_to_verify"),
    ("action_check_scam", "thế đóng tiền điện qua stk nào mới đúng", "action_show_payment_methods"),
])
def test_follow_ups_of_a_check(previous, text, action):
    found = follow_up(previous, text, date(2026, 12, 1))
    assert found is not None and found.action == action


@pytest.mark.parametrize("text", ["vậy gửi tui link thanh toán thật đi", "PE01000000001", "0901234567",
                                  "tiền điện tháng 10 bao nhiêu"])
def test_what_follows_no_check(text):
    assert follow_up("action_check_scam", text, date(2026, 12, 1)) is None


def test_a_bare_own_host_is_a_link_only_as_a_link():
    demo = reference.official_channels(("localhost",), None)
    assert [link.kind for link in find_links("http://localhost:8080/pay/abc.def", demo)] == [LinkKind.OWN_HOST]
    assert find_links("chạy trên localhost thôi", demo) == []


@pytest.mark.parametrize(("text", "host"), [
    ("https://evnhcmc.vn@evil.com/pay", "evil.com"),
    ("evnhcmc.vn:443@evil.com", "evil.com"),
    ("https://cskh.evnhcmc.vn\u00ad.evil.com/x", "cskh.evnhcmc.vn.evil.com"),  # a soft hyphen browsers drop
])
def test_an_official_name_used_as_bait_is_never_the_companys(text, host):
    (link,) = find_links(text, OFFICIAL)
    assert link.host == host and link.kind != LinkKind.OFFICIAL
    assert kinds(text)[0][0] == "not_companys"


def test_a_full_width_dot_is_a_dot():
    (link,) = find_links("https://evnhcmc\uff0evn/tra-cuu", OFFICIAL)
    assert (link.host, link.kind) == ("evnhcmc.vn", LinkKind.OFFICIAL)
