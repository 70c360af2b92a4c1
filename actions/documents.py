"""The bill and the payment receipt as PDF, sent as a file on every channel (the bill by e-mail is a response:
utter_invoice_email says where the e-invoice is e-mailed from and offers this).

The file goes as an `attachment` {"type": "file", "url", "name"}: Messenger sends it as a file attachment, Zalo
uploads it to the OA and sends its token, the widget shows it as a download (connectors/*). The link itself is
signed and expires (evn.services.documents); only the verified customer gets one (action_answer_verified first).
"""
from __future__ import annotations

from typing import Any

from actions.runtime import services
from actions.verified_questions import Question, answers, refused_impossible_period
from evn.domain.formats import format_datetime
from evn.domain.language.document_words import asks_receipt
from evn.domain.time import to_vietnam
from evn.services.documents import DocumentLink

DOCUMENT_INTENT = "request_bill_document"


def file_attachment(link: DocumentLink) -> dict[str, str]:
    """What the channels send as a file (connectors: facebook, zalo, widget, rest)."""
    return {"type": "file", "url": link.url, "name": link.file_name}


@answers(DOCUMENT_INTENT)
def answer_document(q: Question) -> list[dict[str, Any]]:
    if refused_impossible_period(q):
        return []
    receipt = asks_receipt(q.request.text)
    documents = services().documents
    finder = documents.receipt_link if receipt else documents.bill_link
    link = finder(q.conversation_id, q.customer_code, q.request.period_text)
    if link is None:
        q.dispatcher.utter_message(response="utter_document_no_payment" if receipt else "utter_document_no_bill",
                                   period=q.request.period_text or "")
        return []
    expires = format_datetime(to_vietnam(link.expires_at))
    q.dispatcher.utter_message(response="utter_document_receipt" if receipt else "utter_document_bill",
                               period=str(link.period), code=q.customer_code, expires=expires,
                               attachment=file_attachment(link))
    return []
