"""The bill's copy and the payment receipt drawn as PDF (fpdf2, with Debian's DejaVu Sans: every Vietnamese
diacritic, embedded as a subset, so the text is selectable and reads back with pdftotext).

A4, one page: the copy says at its top, in red, and in its title that it is a copy and not the e-invoice, and at
its foot where the legal e-invoice is found and its look-up code. No watermark: text drawn across the page would
be read into the text (pdftotext, screen readers) between the figures.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from evn.domain.documents import BillDocument, ReceiptDocument
from evn.domain.formats import format_date, format_datetime, format_kwh, format_percent, format_register, format_vnd
from evn.domain.time import to_vietnam

FONT = "DejaVu"
RED, GREY = (178, 34, 34), (110, 110, 110)
COPY_NOTE = ("BẢN SAO THÔNG TIN HÓA ĐƠN — KHÔNG CÓ GIÁ TRỊ THAY THẾ HÓA ĐƠN ĐIỆN TỬ. "
             "Hóa đơn điện tử hợp pháp do {seller} phát hành và ký số.")


class _Page(FPDF):
    def __init__(self, fonts: Path, title: str) -> None:
        super().__init__(format="A4")
        self.add_font(FONT, "", str(fonts / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(fonts / "DejaVuSans-Bold.ttf"))
        self.set_title(title)
        self.set_author("EVN CSKH – trợ lý ảo")
        self.set_auto_page_break(True, margin=18)
        self.set_margins(16, 14, 16)
        self.add_page()

    def line_of(self, label: str, value: str, bold: bool = False) -> None:
        self.set_font(FONT, "", 9.5)
        self.cell(48, 5.6, label)
        self.set_font(FONT, "B" if bold else "", 9.5)
        self.multi_cell(0, 5.6, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def heading(self, text: str, size: float = 14) -> None:
        self.set_font(FONT, "B", size)
        self.cell(0, 8, text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def note(self, text: str, color: tuple[int, int, int] = GREY, size: float = 8.5, bold: bool = False) -> None:
        self.set_text_color(*color)
        self.set_font(FONT, "B" if bold else "", size)
        self.multi_cell(0, 4.6, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)

    def table_of(self, header: tuple[str, ...], rows: Sequence[tuple[str, ...]], widths: tuple[int, ...]) -> None:
        self.set_font(FONT, "", 9)
        with self.table(col_widths=widths, text_align=("LEFT", *(["RIGHT"] * (len(header) - 1))),
                        line_height=6, headings_style=FontFace(emphasis="BOLD", fill_color=(235, 241, 250))) as table:
            heading = table.row()
            for name in header:
                heading.cell(name)
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(value)


def _seller(page: _Page, document: BillDocument | ReceiptDocument) -> None:
    seller = document.seller
    page.set_font(FONT, "B", 10.5)
    page.multi_cell(0, 5.6, seller.name.upper(), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    page.line_of("Mã số thuế:", seller.tax_code)
    page.line_of("Địa chỉ:", seller.address)
    page.line_of("Tổng đài 24/7:", seller.hotline)
    page.ln(2)


def bill_pdf(document: BillDocument, fonts: Path) -> bytes:
    page = _Page(fonts, f"Bản sao hóa đơn tiền điện kỳ {document.period} – {document.customer_code}")
    page.note(COPY_NOTE.format(seller=document.seller.name), RED, 9, bold=True)
    page.ln(1)
    _seller(page, document)
    page.heading("HÓA ĐƠN GIÁ TRỊ GIA TĂNG (TIỀN ĐIỆN) – BẢN SAO")
    page.set_font(FONT, "", 9.5)
    page.cell(0, 5.6, f"Mẫu số {document.seller.form} · Ký hiệu {document.seller.symbol} · Số {document.number} · "
                      f"Ngày {format_date(document.issued_on)}", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    page.cell(0, 5.6, f"Kỳ hóa đơn {document.period}: từ {format_date(document.period_start)} đến "
                      f"{format_date(document.period_end)}", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    page.ln(3)
    page.line_of("Tên khách hàng:", document.customer_name, bold=True)
    page.line_of("Mã khách hàng:", document.customer_code, bold=True)
    page.line_of("Địa chỉ:", document.customer_address)
    page.line_of("Mã số thuế người mua:", "(không có: khách hàng sinh hoạt)")
    page.line_of("Số công tơ:", document.meter or "—")
    page.ln(2)
    page.table_of(("Chỉ số", "Chỉ số cũ", "Chỉ số mới", "Điện năng tiêu thụ"),
                  [("Công tơ điện", format_register(document.old_reading), format_register(document.new_reading),
                    format_kwh(document.kwh))], (46, 40, 40, 50))
    page.ln(3)
    rows = [(f"Bậc {line.tier}", format_kwh(line.kwh), format_vnd(line.price), format_vnd(line.amount))
            for line in document.lines]
    page.table_of(("Điện năng theo bậc", "Sản lượng", "Đơn giá", "Thành tiền"), rows, (46, 40, 40, 50))
    page.ln(3)
    page.line_of("Cộng tiền hàng:", format_vnd(document.amount_before_vat))
    page.line_of(f"Thuế suất GTGT {format_percent(document.vat_percent)}:", format_vnd(document.vat_amount))
    page.line_of("Tổng cộng tiền thanh toán:", format_vnd(document.total), bold=True)
    page.line_of("Số tiền viết bằng chữ:", document.total_in_words)
    page.line_of("Hạn thanh toán:", format_date(document.due_date))
    page.line_of("Tình trạng:", "Đã thanh toán" if document.paid else "Chưa thanh toán", bold=True)
    page.ln(4)
    page.note(f"Mã tra cứu hóa đơn: {document.lookup_code}", (0, 0, 0), 10, bold=True)
    page.note("Tra cứu và tải hóa đơn điện tử hợp pháp (có chữ ký số của người bán) tại "
              f"{document.seller.einvoice_site} (mục Tra cứu hóa đơn điện tử) hoặc ứng dụng chăm sóc khách hàng "
              "của điện lực, bằng mã khách hàng và mã tra cứu. Hóa đơn điện tử cũng được gửi tới email đã đăng ký "
              "trong hợp đồng mua bán điện.")
    page.note(f"Bản sao do trợ lý ảo lập ngày {format_date(document.made_on)} từ dữ liệu hóa đơn; chỉ để tham khảo.")
    return bytes(page.output())


def receipt_pdf(document: ReceiptDocument, fonts: Path) -> bytes:
    page = _Page(fonts, f"Biên nhận thanh toán tiền điện kỳ {document.period} – {document.customer_code}")
    _seller(page, document)
    page.heading("BIÊN NHẬN THANH TOÁN TIỀN ĐIỆN")
    page.note("Xác nhận điện lực đã nhận khoản thanh toán dưới đây. Biên nhận không thay thế hóa đơn điện tử.",
              GREY, 9)
    page.ln(3)
    page.line_of("Tên khách hàng:", document.customer_name, bold=True)
    page.line_of("Mã khách hàng:", document.customer_code, bold=True)
    page.line_of("Hóa đơn:", f"Kỳ {document.period}, ký hiệu {document.seller.symbol}, số {document.invoice_number}"
                             f" ({format_vnd(document.bill_total)})")
    page.line_of("Số tiền đã thanh toán:", format_vnd(document.amount), bold=True)
    page.line_of("Bằng chữ:", document.amount_in_words)
    page.line_of("Hình thức:", document.channel)
    page.line_of("Thời gian:", format_datetime(to_vietnam(document.paid_at)))
    page.line_of("Mã giao dịch:", document.reference)
    page.ln(4)
    page.note(f"Tra cứu hóa đơn điện tử tại {document.seller.einvoice_site}. Mọi thắc mắc xin gọi tổng đài "
              f"{document.seller.hotline}. Biên nhận lập ngày {format_date(document.made_on)}.")
    return bytes(page.output())


def render(document: BillDocument | ReceiptDocument, fonts: Path) -> bytes:
    return bill_pdf(document, fonts) if isinstance(document, BillDocument) else receipt_pdf(document, fonts)
