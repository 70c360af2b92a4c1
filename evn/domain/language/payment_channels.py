"""Names customers know the payment channels by."""
from __future__ import annotations

CHANNEL_NAMES = {
    "momo": "ví MoMo",
    "zalopay": "ví ZaloPay",
    "vnpay": "VNPay",
    "vietqr": "quét mã VietQR",
    "bank_transfer": "chuyển khoản ngân hàng",
    "auto_debit": "trích nợ tự động",
    "evn_app": "ứng dụng CSKH của Điện lực",
    "counter_cash": "tiền mặt tại điểm thu",
    "card": "thẻ ngân hàng",
    "shopeepay": "ví ShopeePay",
    "viettel_money": "Viettel Money",
}


def channel_name(channel: str) -> str:
    return CHANNEL_NAMES.get(channel, channel)
