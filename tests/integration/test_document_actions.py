"""The bill and the receipt as PDF in the conversation, as the action server answers: a verified customer gets the
file (the attachment every channel sends as a file) with its link's expiry; a period without a bill or a payment
is said so; "gửi hóa đơn qua email" is answered by the domain, with the PDF offered."""
from __future__ import annotations

import uuid

from evn.domain.signing import document_links
from tests.integration.action_calls import DOMAIN_RESPONSES, responses, run, texts, tracker, user

AN = ("PE01000000001", "0901234567")


def verified(core) -> str:
    chat = f"zalo-{uuid.uuid4().int % 10**15}"
    assert core.identity.verify(*AN, chat).status == "verified"
    return chat


def ask(domain, chat: str, text: str, period: str | None = None):
    from actions.identity import ActionAnswerVerified

    entities = [{"entity": "period", "value": period}] if period else []
    return run(ActionAnswerVerified(), tracker(chat, [user(text, "request_bill_document", entities)],
                                               {"verified_code": AN[0]}), domain)


def test_the_bill_goes_as_a_file_with_its_expiry(actions_env, domain):
    messages, _ = ask(domain, verified(actions_env), "gửi em hóa đơn pdf tháng 10", "tháng 10")
    assert responses(messages) == ["utter_document_bill"]
    (message,) = messages
    file = message["attachment"]
    assert file["type"] == "file" and file["name"] == "hoa-don-PE01000000001-10-2026.pdf"
    token = file["url"].rsplit("/", 1)[1].removesuffix(".pdf")
    assert document_links.verify(token, actions_env.settings.payment.link_secret) is not None
    assert "kỳ 10/2026" in texts(messages) and "02/12/2026" in texts(messages), "valid 24 h from 01/12 10:00"


def test_a_receipt_and_a_period_without_a_bill(actions_env, domain):
    chat = verified(actions_env)
    messages, _ = ask(domain, chat, "cho em xin biên lai đã đóng tiền")
    assert responses(messages) == ["utter_document_receipt"]
    assert messages[0]["attachment"]["name"].startswith("bien-nhan-PE01000000001-")
    messages, _ = ask(domain, chat, "hóa đơn pdf tháng 1/2020", "tháng 1/2020")
    assert responses(messages) == ["utter_document_no_bill"] and not messages[0]["attachment"]


def test_an_unverified_conversation_gets_no_file(actions_env, domain):
    from actions.identity import ActionAnswerVerified

    messages, _ = run(ActionAnswerVerified(), tracker(f"zalo-{uuid.uuid4().hex}", [
        user("gửi hóa đơn pdf", "request_bill_document")], {"verified_code": AN[0]}), domain)
    assert not any(message.get("attachment") for message in messages)


def test_the_bill_by_e_mail_is_answered_honestly_with_the_pdf_offered(domain):
    (answer,) = DOMAIN_RESPONSES["utter_invoice_email"]
    assert "không gửi email được" in answer["text"] and "hộp thư rác" in answer["text"]
    assert answer["buttons"] == [{"title": "Gửi bản PDF hóa đơn", "payload": "/request_bill_document"}]
