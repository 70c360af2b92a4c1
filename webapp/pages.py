"""Vietnamese HTML for the pay page and its error states. Small, no external assets."""
from __future__ import annotations

from html import escape

from evn.domain.formats import format_date, format_kwh, format_vnd
from evn.domain.time import to_vietnam
from evn.services.payments import LinkPage

STYLE = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;background:#f3f6fa;color:#1d2733}
main{max-width:480px;margin:0 auto;padding:20px}
.card{background:#fff;border-radius:12px;padding:20px;box-shadow:0 1px 4px rgba(0,0,0,.08);margin-bottom:16px}
h1{font-size:1.25rem;margin:0 0 12px}
dl{display:grid;grid-template-columns:auto 1fr;gap:6px 12px;margin:0}
dt{color:#5b6776}dd{margin:0;font-weight:600}
.amount{font-size:1.6rem;color:#0b5ed7}
.buttons a,.buttons span{display:block;text-align:center;padding:12px;border-radius:8px;margin:8px 0;
 text-decoration:none;font-weight:600;color:#fff}
.vnpay{background:#005baa}.momo{background:#a50064}.zalopay{background:#0068ff}
.off{background:#b8c0cc !important}
.preferred{outline:3px solid #ffb400}
img.qr{display:block;margin:8px auto;width:240px;height:240px;image-rendering:pixelated}
.muted{color:#5b6776;font-size:.9rem}
"""

GATEWAY_NAMES = {"vnpay": "VNPay", "momo": "Ví MoMo", "zalopay": "ZaloPay"}


def layout(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
        f"<body><main>{body}</main></body></html>"
    )


def pay_page(page: LinkPage, gateways: set[str]) -> str:
    """The page of a payable link (state LINK_OK); the other states have state_page."""
    if page.due_date is None or page.expires_at is None:
        raise ValueError("only a payable link has a payment page")
    buttons = []
    for code, name in GATEWAY_NAMES.items():
        preferred = " preferred" if page.method == code else ""
        if code in gateways:
            href = f"/pay/{escape(page.token)}/{code}"
            buttons.append(f'<a class="{code}{preferred}" href="{href}">Thanh toán qua {name}</a>')
        else:
            buttons.append(f'<span class="{code} off">{name} (chưa hỗ trợ)</span>')
    expires = to_vietnam(page.expires_at)
    body = f"""
<div class="card">
  <h1>Thanh toán tiền điện kỳ {escape(str(page.period))}</h1>
  <dl>
    <dt>Khách hàng</dt><dd>{escape(page.customer)}</dd>
    <dt>Mã khách hàng</dt><dd>{escape(page.customer_code)}</dd>
    <dt>Điện tiêu thụ</dt><dd>{format_kwh(page.kwh)}</dd>
    <dt>Hạn thanh toán</dt><dd>{format_date(page.due_date)}</dd>
    <dt>Số tiền</dt><dd class="amount">{format_vnd(page.amount)}</dd>
  </dl>
</div>
<div class="card">
  <h1>Chuyển khoản bằng mã VietQR</h1>
  <img class="qr" src="/pay/{escape(page.token)}/qr.png" alt="Mã VietQR thanh toán {format_vnd(page.amount)}">
  <p class="muted">Mở ứng dụng ngân hàng, quét mã: số tiền và nội dung {escape(page.bill_number)} đã điền sẵn.</p>
</div>
<div class="card buttons">
  <h1>Hoặc thanh toán qua cổng/ví</h1>
  {''.join(buttons)}
</div>
<p class="muted">Liên kết hiệu lực đến {expires:%H:%M} ngày {format_date(expires)}.
Sau khi thanh toán, trợ lý sẽ xác nhận trong cuộc trò chuyện.</p>
"""
    return layout("Thanh toán tiền điện", body)


STATE_PAGES = {
    "forged": (403, "Liên kết không hợp lệ",
               "Liên kết thanh toán này không đúng. Anh/chị vui lòng mở lại liên kết trợ lý đã gửi, "
               "hoặc nhắn “thanh toán” để nhận liên kết mới."),
    "unknown": (404, "Không tìm thấy liên kết",
                "Em không tìm thấy liên kết thanh toán này. Anh/chị nhắn “thanh toán” cho trợ lý để nhận "
                "liên kết mới ạ."),
    "expired": (410, "Liên kết đã hết hạn",
                "Liên kết thanh toán đã hết hạn để bảo đảm an toàn. Anh/chị nhắn “thanh toán” cho trợ lý để "
                "nhận liên kết mới ạ."),
    "paid": (410, "Hóa đơn đã được thanh toán", "Hóa đơn này đã được thanh toán. Cảm ơn anh/chị!"),
    "unavailable": (404, "Cổng thanh toán chưa sẵn sàng",
                    "Cổng thanh toán này hiện chưa được cấu hình. Anh/chị vui lòng chọn cách khác trên trang "
                    "thanh toán."),
    "gateway_error": (502, "Cổng thanh toán đang lỗi",
                      "Cổng thanh toán chưa phản hồi. Anh/chị vui lòng thử lại sau ít phút hoặc chọn cách khác."),
}


DOCUMENT_PAGES = {
    "forged": (403, "Liên kết không hợp lệ",
               "Liên kết tải hóa đơn này không đúng. Anh/chị nhắn “gửi hóa đơn pdf” cho trợ lý để nhận liên kết "
               "mới ạ."),
    "gone": (404, "Không tìm thấy hóa đơn",
             "Em không tìm thấy hóa đơn của liên kết này. Anh/chị nhắn “gửi hóa đơn pdf” cho trợ lý ạ."),
    "expired": (410, "Liên kết đã hết hạn",
                "Liên kết tải hóa đơn đã hết hạn để bảo đảm an toàn. Anh/chị nhắn “gửi hóa đơn pdf” cho trợ lý để "
                "nhận liên kết mới ạ."),
}


def state_page(state: str, pages: dict[str, tuple[int, str, str]] = STATE_PAGES) -> tuple[int, str]:
    """A link's page when it opens nothing (forged, unknown or gone, expired, …), by its state."""
    status, title, text = pages[state]
    return status, layout(title, f'<div class="card"><h1>{escape(title)}</h1><p>{escape(text)}</p></div>')


def result_page(paid: bool, amount: int | None) -> str:
    if paid:
        title = "Thanh toán thành công"
        text = f"Đã nhận {format_vnd(amount or 0)}. Trợ lý sẽ xác nhận trong cuộc trò chuyện. Cảm ơn anh/chị!"
    else:
        title = "Thanh toán chưa thành công"
        text = "Giao dịch chưa hoàn tất. Anh/chị có thể mở lại liên kết thanh toán để thử lại."
    return layout(title, f'<div class="card"><h1>{escape(title)}</h1><p>{escape(text)}</p></div>')
