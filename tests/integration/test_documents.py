"""The bill and the receipt as PDF, on a seeded SQLite database: links only for the verified customer, the copy's
content read back from the PDF with pdftotext (amounts and diacritics), the web app serving a signed link and
refusing an altered or expired one."""
from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import aiohttp
import pytest
from sanic import Sanic

from evn.bootstrap import bootstrap
from evn.domain.documents import BillDocument, ReceiptDocument
from evn.services.errors import NotVerified
from evn.settings import Settings
from tests.support.pdf_text import needs_pdftotext, pdf_text
from tests.support.seeded_database import demo_sqlite
from tests.support.web_app import served

pytest.importorskip("fpdf", reason="fpdf2 is the application environment's")
from evn.adapters.pdf_documents import render  # noqa: E402 - after the skip in the Rasa server's environment

AN = ("PE01000000001", "0901234567")
SECRET = "documents-test-secret"
PATIENCE = 30  # seconds a request may take before the test gives up on it (never a measure of anything)
pytestmark = needs_pdftotext


@pytest.fixture(scope="module")
def core(tmp_path_factory):
    root = tmp_path_factory.mktemp("documents")
    url = demo_sqlite(root / "documents.sqlite3")
    core = bootstrap(Settings.from_env({"DATABASE_URL": url, "PAYMENT_LINK_SECRET": SECRET,
                                        "DEMO_NOW": "2026-12-01T10:00"}, root=root), handlers={})
    yield core
    core.engine.dispose()


@pytest.fixture
def chat(core) -> str:
    conversation = f"zalo-{uuid.uuid4().int % 10**15}"
    assert core.identity.verify(*AN, conversation).status == "verified"
    return conversation




def token_of(url: str) -> str:
    return url.rsplit("/", 1)[1].removesuffix(".pdf")


def test_the_bill_s_copy_says_what_the_e_invoice_says_and_that_it_is_a_copy(core, chat):
    link = core.documents.bill_link(chat, AN[0], "tháng 10")
    assert link is not None and link.file_name == "hoa-don-PE01000000001-10-2026.pdf"
    assert link.url.startswith("http") and "/documents/" in link.url and AN[0] not in link.url
    document = core.documents.document(token_of(link.url))
    assert isinstance(document, BillDocument) and document.total == 979_560
    text = pdf_text(render(document, core.settings.document_font_dir))
    for expected in ("BẢN SAO", "KHÔNG CÓ GIÁ TRỊ THAY THẾ HÓA ĐƠN ĐIỆN TỬ", "HÓA ĐƠN GIÁ TRỊ GIA TĂNG (TIỀN ĐIỆN)",
                     "Tổng công ty Điện lực Thành phố Hồ Chí Minh", "Mã số thuế: 0300951119", AN[0],
                     "Kỳ hóa đơn 10/2026", "979.560 đ", "Chín trăm bảy mươi chín nghìn năm trăm sáu mươi đồng",
                     "Thuế suất GTGT 8%", f"Mã tra cứu hóa đơn: {document.lookup_code}", "https://cskh.evnhcmc.vn",
                     "Ký hiệu C26TAA", "Bậc 1", "Chưa thanh toán"):
        assert expected in text, expected
    assert sum(line.amount for line in document.lines) == document.amount_before_vat
    assert f"{document.vat_amount:,}".replace(",", ".") + " đ" in text


def test_the_receipt_names_the_payment_and_only_the_verified_customer_gets_links(core, chat):
    link = core.documents.receipt_link(chat, AN[0], None)
    assert link is not None and link.file_name.startswith("bien-nhan-PE01000000001-")
    receipt = core.documents.document(token_of(link.url))
    assert isinstance(receipt, ReceiptDocument) and receipt.amount > 0
    text = pdf_text(render(receipt, core.settings.document_font_dir))
    assert "BIÊN NHẬN THANH TOÁN TIỀN ĐIỆN" in text and receipt.reference in text
    assert f"{receipt.amount:,}".replace(",", ".") + " đ" in text and receipt.amount_in_words in text
    with pytest.raises(NotVerified):
        core.documents.bill_link(f"zalo-{uuid.uuid4().int % 10**15}", AN[0], None)
    assert core.documents.bill_link(chat, AN[0], "tháng 1/2020") is None, "no bill of that period"


def test_an_altered_or_expired_link_opens_nothing(core, chat):
    token = token_of(core.documents.bill_link(chat, AN[0], None).url)
    value, mac = token.split(".")
    kind, row, expires = value.split("-")
    assert core.documents.document(f"{kind}-{int(row) + 1}-{expires}.{mac}") == "forged"
    assert core.documents.document(f"receipt-{row}-{expires}.{mac}") == "forged"
    assert core.documents.document(token[:-1] + ("A" if token[-1] != "A" else "B")) == "forged"
    real = core.clock
    core.documents.clock = lambda: real() + timedelta(hours=25)
    try:
        assert core.documents.document(token) == "expired"
    finally:
        core.documents.clock = real


def test_the_web_app_serves_the_pdf_by_its_link_and_refuses_the_rest(core, chat):
    from webapp.app import create_app

    url = core.documents.bill_link(chat, AN[0], None).url
    path = url[url.index("/documents/"):]
    Sanic.test_mode = True

    async def main() -> list[tuple[int, str, str, bytes]]:
        got = []
        async with served(create_app(core, name=f"evn_web_{uuid.uuid4().hex[:8]}")) as base, \
                aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=PATIENCE)) as session:
            for wanted in (path, path[:-6] + "x.pdf", path.removesuffix(".pdf"), "/documents/%3Cscript%3E.pdf"):
                async with session.get(base + wanted) as answer:
                    got.append((answer.status, answer.headers.get("Content-Type", ""),
                                answer.headers.get("Content-Disposition", ""), await answer.read()))
        return got

    (ok, kind, disposition, body), *refused = asyncio.run(main())
    assert ok == 200 and kind == "application/pdf" and body.startswith(b"%PDF-")
    assert 'filename="hoa-don-PE01000000001-10-2026.pdf"' in disposition
    assert "979.560 đ" in pdf_text(body)
    assert [status for status, *_ in refused] == [403, 403, 403]
    assert all("text/html" in kind and "gửi hóa đơn pdf".encode() in page for _, kind, _, page in refused)
