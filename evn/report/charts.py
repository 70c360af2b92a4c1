"""The report's PNG charts (matplotlib, headless): cashless shares, payments by channel, intake, the assistant.

Each chart is drawn from the Report's per-month figures; a month without data is a gap (a
share of None is not drawn as 0 %), and a range without any data still gives a chart that says so.
"""
from __future__ import annotations

from collections.abc import Callable

from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter, PercentFormatter

from evn.adapters import figures
from evn.domain.periods import Period
from evn.services.operations_report import Report

NAN = float("nan")


def charts(report: Report) -> dict[str, bytes]:
    """name -> PNG bytes, for every chart the document names."""
    return {name: _png(draw, report) for name, draw in DRAWERS.items()}


def _labels(report: Report) -> list[str]:
    return [f"{Period.from_key(key).month:02d}/{Period.from_key(key).year % 100:02d}" for key in report.keys]


def _pct(values: list[float | None]) -> list[float]:
    return [NAN if value is None else value * 100 for value in values]


def _png(draw: Callable[[Axes, Report], None], report: Report) -> bytes:
    return figures.png(lambda axes: draw(axes, report), (9, 4.2))


def _cashless(axes: Axes, report: Report) -> None:
    labels = _labels(report)
    months = [report.payments[key] for key in report.keys]
    axes.plot(labels, _pct([m.customer_share for m in months]), marker="o", label="Tỷ lệ khách hàng")
    axes.plot(labels, _pct([m.amount_share for m in months]), marker="s", label="Tỷ lệ số tiền")
    target = report.book.targets.get("cashless_customers")
    if target:
        axes.axhline(target.value * 100, color="tab:red", linestyle="--", label=f"Mục tiêu {target.value:.0%}")
    axes.set_ylim(0, 100)
    axes.yaxis.set_major_formatter(PercentFormatter())
    axes.set_title("Thanh toán không dùng tiền mặt theo tháng")
    _empty_note(axes, report, any(m.payments for m in months))
    axes.legend(loc="lower right")


def _channels(axes: Axes, report: Report) -> None:
    labels = _labels(report)
    bottom = [0.0] * len(labels)
    for channel, months in report.channels.items():
        heights = [months.get(key, (0, 0))[1] / 1e6 for key in report.keys]
        axes.bar(labels, heights, bottom=bottom, label=report.book.payment_name(channel))
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: f"{value:,.0f}".replace(",", ".")))
    axes.set_ylabel("triệu đồng")
    axes.set_title("Số tiền thanh toán theo kênh")
    _empty_note(axes, report, bool(report.channels))
    if report.channels:
        axes.legend(fontsize=7, ncol=2, loc="upper left", bbox_to_anchor=(1.0, 1.0))


def _intake(axes: Axes, report: Report) -> None:
    labels = _labels(report)
    book = report.book
    seen = [code for code in book.intake_channels if any(report.intake[k].by_channel.get(code) for k in report.keys)]
    bottom = [0] * len(labels)
    for code in seen:
        heights = [report.intake[key].by_channel.get(code, 0) for key in report.keys]
        axes.bar(labels, heights, bottom=bottom, label=book.intake_name(code))
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    axes.set_ylabel("yêu cầu")
    axes.set_title("Yêu cầu dịch vụ theo kênh tiếp nhận")
    _empty_note(axes, report, bool(seen))
    if seen:
        axes.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))


def _assistant(axes: Axes, report: Report) -> None:
    labels = _labels(report)
    months = [report.assistant[key] for key in report.keys]
    axes.plot(labels, _pct([m.containment for m in months]), marker="o", label="Tự giải quyết")
    axes.plot(labels, _pct([m.handoff_rate for m in months]), marker="s", label="Chuyển nhân viên")
    axes.plot(labels, _pct([m.fallback_rate for m in months]), marker="^", label="Chưa hiểu")
    axes.set_ylim(0, 100)
    axes.yaxis.set_major_formatter(PercentFormatter())
    axes.set_title("Trợ lý ảo theo tháng")
    has_data = any(m.conversations and m.conversations.messages for m in months)
    _empty_note(axes, report, has_data, "" if report.tracker_store else "chưa đọc được kho hội thoại")
    axes.legend(loc="center right")


def _empty_note(axes: Axes, report: Report, has_data: bool, why: str = "") -> None:
    if not has_data:
        axes.text(0.5, 0.5, why or "không có dữ liệu", transform=axes.transAxes, ha="center", va="center",
                  color="gray", fontsize=14)


DRAWERS: dict[str, Callable[[Axes, Report], None]] = {
    "cashless": _cashless, "channels": _channels, "intake": _intake, "assistant": _assistant,
}
