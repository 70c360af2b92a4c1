"""The scam check over the seeded database: own pay links by their token, VietQR codes against the bills, and
every check recorded without the forwarded text (SQLite and PostgreSQL)."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from evn import reference
from evn.adapters import orm
from evn.adapters.unit_of_work import Factory
from evn.domain import vietqr
from evn.domain.periods import Period
from evn.domain.scam_check.findings import Verdict
from evn.services import payments as link_states
from evn.services.identity import IdentityService
from evn.services.payments import PaymentService
from evn.services.scam_checks import ScamCheckService
from evn.settings import PaymentSettings

AN = ("PE01000000001", "0901234567")
SETTINGS = PaymentSettings(
    public_base_url="http://pay.test", link_secret="link-secret", link_ttl_hours=24,
    bank_bin="970436", bank_account="0071000888999", account_name="EVN", simulator=True,
)


@pytest.fixture
def service(fresh_sessions, clock):
    uow = Factory(fresh_sessions)
    payments = PaymentService(uow, IdentityService(uow, clock=clock), SETTINGS, {}, clock=clock)
    official = reference.official_channels(("pay.test",), (SETTINGS.bank_bin, SETTINGS.bank_account))
    return ScamCheckService(uow, payments, official, reference.banks(), clock=clock)


def pay_link(service) -> str:
    chat = f"chat-{uuid.uuid4().hex}"
    assert service.payments.identity.verify(*AN, chat).status == "verified"
    (link,) = service.payments.offer_links(chat, AN[0], None, False, "rest", None).links
    return link.url


def test_an_own_pay_link_is_the_companys_and_an_altered_one_is_not(service, clock):
    url = pay_link(service)
    genuine = service.check("rest-a", "rest", f"link nay that ko {url}")
    assert genuine.verdict == Verdict.COMPANYS
    assert genuine.pay_links[0].state == link_states.LINK_OK
    assert (genuine.pay_links[0].period, genuine.pay_links[0].amount) == (Period(2026, 10), 979_560)
    altered = service.check("rest-a", "rest", url[:-3] + ("abc" if not url.endswith("abc") else "xyz"))
    assert altered.verdict == Verdict.NOT_COMPANYS and altered.patterns(Verdict.NOT_COMPANYS) == ["altered_pay_link"]
    clock.advance(hours=25)
    assert service.check("rest-a", "rest", url).pay_links[0].state == link_states.LINK_EXPIRED


def test_a_vietqr_code_is_compared_with_the_collection_account_and_the_bill(service):
    real = vietqr.build_payload("970436", "0071000888999", 979_560, "PE01000000001202610", "TIEN DIEN")
    # Not verified: the account is checked, the bill is not looked up (anyone can make a VietQR naming a code).
    stranger = service.check("zalo-2", "zalo", "", qr_texts=[real])
    assert stranger.patterns(Verdict.COMPANYS) == ["qr_company_account"] and stranger.transfers[0].bill_total is None
    assert service.payments.identity.verify(*AN, "zalo-1").status == "verified"
    result = service.check("zalo-1", "zalo", "", qr_texts=[real], picture_id="p1")
    assert result.verdict == Verdict.COMPANYS and result.transfers[0].matches_the_bill
    other = vietqr.build_payload("970407", "19036789123", 979_560, "PE01000000001202610", "TIEN DIEN")
    found = service.check("zalo-1", "zalo", "", qr_texts=[other])
    assert found.verdict == Verdict.NOT_COMPANYS and found.patterns(Verdict.NOT_COMPANYS) == ["qr_other_account"]
    assert found.transfers[0].bank == "Techcombank" and found.transfers[0].account == "****9123"
    wrong = vietqr.build_payload("970436", "0071000888999", 1_979_560, "PE01000000001202610")
    assert service.check("zalo-1", "zalo", "", qr_texts=[wrong]).patterns(Verdict.NOT_COMPANYS) == ["qr_wrong_amount"]


def test_each_check_is_recorded_masked_without_the_text(service, fresh_sessions):
    service.check("facebook-9", "facebook", "Quy khach no tien, dien se bi cat trong 2 gio, lh 0987654321")
    service.check("facebook-9", "facebook", "hom qua co nguoi goi bao la dien luc")
    with fresh_sessions() as session:
        rows = session.execute(select(orm.ScamCheck).order_by(orm.ScamCheck.id)).scalars().all()
        recorded = [(r.channel, r.kind, r.verdict, r.pattern, r.shown) for r in rows]
    assert recorded == [("facebook", "text", "not_companys", "cut_within_hours", ""),
                        ("facebook", "text", "could_not_check", "nothing_to_check", "")]
    with service.uow() as uow:
        assert [row.pattern for row in uow.scam_checks.latest("not_companys")] == ["cut_within_hours"]
