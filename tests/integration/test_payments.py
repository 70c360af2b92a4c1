"""Payment links and gateway callbacks against real databases (a fresh one per test: money changes state)."""
from __future__ import annotations

import threading
import uuid
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from evn.adapters import orm
from evn.adapters.gateways.vnpay import VnpayConfig, VnpayGateway, signed_callback_params
from evn.adapters.unit_of_work import Factory
from evn.domain import events
from evn.domain.periods import Period
from evn.domain.signing import payment_links
from evn.services import payments as outcome
from evn.services.errors import NotVerified
from evn.services.identity import IdentityService
from evn.services.outbox import OutboxDelivery
from evn.services.payments import PaymentService
from evn.settings import PaymentSettings

AN = ("PE01000000001", "0901234567")
BINH = ("PD01000000002", "0912345678")
SETTINGS = PaymentSettings(
    public_base_url="http://pay.test", link_secret="link-secret", link_ttl_hours=24,
    bank_bin="970436", bank_account="0071000888999", account_name="EVN", simulator=True,
)
VNPAY = VnpayConfig(tmn_code="EVNTEST1", hash_secret="vnpay-secret", pay_url="http://vnpay.test/pay")




class RecordingNotifier:
    """Stands for Rasa's HTTP API: the outbox hands it what the payment transaction wrote."""

    def __init__(self, sessions) -> None:
        self.calls: list[tuple] = []
        self.outbox = OutboxDelivery(Factory(sessions), {events.PaymentReceived: self.payment_received})

    def payment_received(self, event: events.PaymentReceived) -> None:
        self.calls.append((event.conversation_id, event.amount, event.period, event.channel))

    def deliver(self) -> list[tuple]:
        self.outbox.run_once()
        return self.calls


@pytest.fixture
def sessions(fresh_sessions):
    return fresh_sessions


@pytest.fixture
def notifier(sessions):
    return RecordingNotifier(sessions)


@pytest.fixture
def service(sessions, clock):
    identity = IdentityService(Factory(sessions), clock=clock)
    return PaymentService(Factory(sessions), identity, SETTINGS, {"vnpay": VnpayGateway(VNPAY)}, clock=clock)


def verified(service, customer=AN) -> str:
    chat = f"chat-{uuid.uuid4().hex}"
    assert service.identity.verify(*customer, chat).status == "verified"
    return chat


def link_for(service, chat, customer=AN):
    offer = service.offer_links(chat, customer[0], None, False, "rest", None)
    (link,) = offer.links
    return link, link.url.rsplit("/", 1)[1]


def order_reference(service, token) -> str:
    service.start_payment(token, "vnpay", "127.0.0.1")
    with service.uow() as uow:
        session = uow.session
        return session.execute(
            select(orm.PaymentOrder.reference).order_by(orm.PaymentOrder.id.desc())
        ).scalars().first()


def bill_state(sessions, code=AN[0], period=202610) -> tuple[str, int]:
    with sessions() as session:
        status = session.execute(
            select(orm.Bill.status).join(orm.Customer).where(orm.Customer.code == code, orm.Bill.period == period)
        ).scalar_one()
        payments = session.execute(
            select(func.count(orm.Payment.id)).join(orm.Bill).join(orm.Customer)
            .where(orm.Customer.code == code, orm.Bill.period == period)
        ).scalar_one()
    return status, payments


def test_links_only_for_a_verified_conversation(service):
    with pytest.raises(NotVerified):
        service.offer_links("stranger", AN[0], None, False, "rest", None)


def test_a_link_for_the_unpaid_bill_is_signed_bound_and_expiring(service, clock):
    link, token = link_for(service, verified(service))
    assert link.period == Period(2026, 10) and link.amount == 979_560
    assert link.expires_at == clock.now + timedelta(hours=24)
    assert link.url.startswith("http://pay.test/pay/") and link.qr_url == link.url + "/qr.png"
    assert payment_links.verify(token, SETTINGS.link_secret)
    page = service.open_link(token)
    assert page.state == outcome.LINK_OK and page.amount == 979_560 and page.customer == "Nguyễn V** A*"


def test_nothing_to_pay_and_a_period_already_paid(service):
    nothing = service.offer_links(verified(service, BINH), BINH[0], None, False, "rest", None)
    # nothing due is said with the latest bill, paid, so the customer sees why
    assert nothing.nothing_due and nothing.requested_paid == Period(2026, 10) and nothing.paid_total == 269_244
    assert nothing.paid_on is not None and not nothing.links
    offer = service.offer_links(verified(service), AN[0], "tháng 9", False, "rest", None)
    assert offer.requested_paid == Period(2026, 9) and not offer.links


def test_several_unpaid_bills_are_offered_as_a_choice_or_all(service, sessions):
    with sessions.begin() as session:
        session.execute(
            update(orm.Bill).where(orm.Bill.customer_id == 1, orm.Bill.period == 202609).values(status="unpaid")
        )
    chat = verified(service)
    offer = service.offer_links(chat, AN[0], None, False, "rest", None)
    assert [c.period for c in offer.choices] == [Period(2026, 9), Period(2026, 10)] and not offer.links
    assert len(service.offer_links(chat, AN[0], None, True, "rest", None).links) == 2
    (only,) = service.offer_links(chat, AN[0], "9/2026", False, "rest", None).links
    assert only.amount == 423_468


def test_link_states(service, clock):
    link, token = link_for(service, verified(service))
    token_id, mac = token.split(".")
    assert service.open_link(token_id + "." + mac[::-1]).state == outcome.LINK_FORGED
    unknown = payment_links.sign(payment_links.new_token_id(), SETTINGS.link_secret)
    assert service.open_link(unknown).state == outcome.LINK_UNKNOWN
    clock.now += timedelta(hours=24)
    assert service.open_link(token).state == outcome.LINK_EXPIRED
    with pytest.raises(LookupError):
        service.start_payment(token, "vnpay", "127.0.0.1")


def callback(reference: str, amount: int = 979_560, code: str = "00", **changes) -> dict:
    params = signed_callback_params(VNPAY, reference, amount, response_code=code, transaction_no="14123456",
                                    pay_date=datetime(2026, 11, 28, 10, 0))
    params.update(changes)
    return params


def test_genuine_ipn_pays_once_and_tells_the_conversation(service, sessions, notifier):
    chat = verified(service)
    _, token = link_for(service, chat)
    reference = order_reference(service, token)
    first = service.handle_callback("vnpay", callback(reference))
    assert first.outcome == outcome.CONFIRMED and first.amount == 979_560 and first.period == Period(2026, 10)
    assert bill_state(sessions) == ("paid", 1)
    assert notifier.deliver() == [(chat, 979_560, "10/2026", "vnpay")]
    assert service.open_link(token).state == outcome.LINK_PAID
    # A replayed notification changes nothing.
    assert service.handle_callback("vnpay", callback(reference)).outcome == outcome.ALREADY_CONFIRMED
    assert bill_state(sessions) == ("paid", 1) and len(notifier.deliver()) == 1


@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda ref: callback(ref, amount=1_000), outcome.WRONG_AMOUNT),
        (lambda ref: callback(ref, vnp_Amount="100000"), outcome.BAD_SIGNATURE),
        (lambda ref: {k: v for k, v in callback(ref).items() if k != "vnp_SecureHash"}, outcome.BAD_SIGNATURE),
        (lambda ref: callback("EVN000000UNKNOWN"), outcome.NOT_FOUND),
        (lambda ref: callback(ref, code="24"), outcome.FAILED),
    ],
)
def test_bad_notifications_change_nothing(service, sessions, notifier, make, expected):
    _, token = link_for(service, verified(service))
    reference = order_reference(service, token)
    assert service.handle_callback("vnpay", make(reference)).outcome == expected
    assert bill_state(sessions) == ("unpaid", 0) and notifier.deliver() == []


def test_racing_duplicate_ipns_make_one_payment(service, sessions):
    _, token = link_for(service, verified(service))
    reference = order_reference(service, token)
    results, barrier = [], threading.Barrier(8)

    def deliver():
        barrier.wait()
        results.append(service.handle_callback("vnpay", callback(reference)).outcome)

    threads = [threading.Thread(target=deliver) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == sorted([outcome.CONFIRMED] + [outcome.ALREADY_CONFIRMED] * 7)
    assert bill_state(sessions) == ("paid", 1)


def test_two_orders_paid_for_one_bill_record_one_payment(service, sessions):
    _, token = link_for(service, verified(service))
    first, second = order_reference(service, token), order_reference(service, token)
    assert service.handle_callback("vnpay", callback(first)).outcome == outcome.CONFIRMED
    assert service.handle_callback("vnpay", callback(second)).outcome == outcome.ALREADY_CONFIRMED
    assert bill_state(sessions) == ("paid", 1)
    with sessions() as session:
        status = session.execute(
            select(orm.PaymentOrder.status).where(orm.PaymentOrder.reference == second)
        ).scalar_one()
        assert status == "refund_due"


def test_our_own_signed_request_is_no_payment_result(service, sessions):
    """The redirect URL to VNPay carries a valid hash; posted back as an IPN it must change nothing."""
    from urllib.parse import parse_qsl, urlsplit

    _, token = link_for(service, verified(service))
    redirect = service.start_payment(token, "vnpay", "127.0.0.1")
    params = dict(parse_qsl(urlsplit(redirect).query))
    assert service.handle_callback("vnpay", params).outcome == outcome.INCOMPLETE
    reference = params["vnp_TxnRef"]
    with sessions() as session:
        status = session.execute(
            select(orm.PaymentOrder.status).where(orm.PaymentOrder.reference == reference)
        ).scalar_one()
    assert status == "pending"
    assert service.handle_callback("vnpay", callback(reference)).outcome == outcome.CONFIRMED


def test_a_payment_is_a_notice_for_the_others_linked_to_the_code_not_for_the_payer(service, sessions, notifier,
                                                                                   clock):
    from evn.domain import account_links

    chat = verified(service)
    family = f"zalo-{uuid.uuid4().hex[:16]}"
    with service.uow() as uow:
        for conversation, channel in ((family, "zalo"), (chat, "rest")):
            uow.links.add(conversation_id=conversation, channel=channel, channel_user=conversation[-16:],
                          customer_code=AN[0], linked_at=clock(), active_key=account_links.active_key(conversation,
                                                                                                      AN[0]))
        uow.commit()
    _, token = link_for(service, chat)
    reference = order_reference(service, token)
    service.handle_callback("vnpay", callback(reference))
    assert notifier.deliver() == [(chat, 979_560, "10/2026", "vnpay")], "the payer is told at once, in its chat"
    with sessions() as session:
        rows = session.execute(select(orm.Notice.kind, orm.Notice.subject, orm.Notice.conversation_id)).all()
    assert [tuple(row) for row in rows] == [("payment_received", reference, family)]
