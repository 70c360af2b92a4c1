"""The customer's usage charts as PNG: a period's days against the period before, and the periods month by month.

Drawn by the web app when a chat channel fetches a chart link (evn.services.usage); their words are
the picture's own, like the pay page's. A day not read is a gap, never a bar of 0 kWh.
"""
from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from evn.adapters import figures
from evn.services.usage import DaysChart, PeriodsChart

SIZE = (8, 4)
MARGINS = {"left": 0.08, "right": 0.98, "bottom": 0.12, "top": 0.91}
THIS, BEFORE, FORECAST = "tab:blue", "tab:gray", "tab:orange"
NAN = float("nan")


def png(chart: DaysChart | PeriodsChart) -> bytes:
    if isinstance(chart, DaysChart):
        return figures.png(lambda axes: _days(axes, chart), SIZE, margins=MARGINS)
    return figures.png(lambda axes: _periods(axes, chart), SIZE, margins=MARGINS)


def _days(axes: Axes, chart: DaysChart) -> None:
    days = [use.day.day for use in chart.uses]
    now = [NAN if use.kwh is None else use.kwh for use in chart.uses]
    before = [NAN if kwh is None else kwh for kwh in chart.previous]
    axes.bar(days, now, width=0.8, color=THIS, label=f"Kỳ {chart.period}")
    if any(kwh is not None for kwh in chart.previous):
        axes.plot(days[:len(before)], before, color=BEFORE, marker=".", linewidth=1.2,
                  label=f"Cùng ngày kỳ {chart.period.shift(-1)}")
    missing = [use.day.day for use in chart.uses if use.kwh is None]
    if missing:
        axes.plot(missing, [0] * len(missing), "x", color="tab:red", label="Ngày chưa có số liệu")
    axes.set_xlabel("Ngày")
    axes.set_ylabel("kWh")
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlim(0.4, chart.period.last_day.day + 0.6)
    axes.set_title(f"Điện tiêu thụ theo ngày, kỳ {chart.period} (đến {chart.uses[-1].day:%d/%m/%Y})")
    _room_for_legend(axes, [*now, *before])
    axes.legend(loc="upper left", fontsize=8, ncol=3)


def _periods(axes: Axes, chart: PeriodsChart) -> None:
    shown = [*chart.kwh, *([chart.forecast] if chart.forecast else [])]
    positions = list(range(len(shown)))  # numbers, not category labels: matplotlib's category axis is slow
    axes.bar(positions[:len(chart.kwh)], [kwh for _, kwh in chart.kwh], color=THIS)
    handles = [Patch(color=THIS, label="Theo hóa đơn")]
    if chart.forecast:
        axes.bar([positions[-1]], [chart.forecast[1]], color="white", edgecolor=FORECAST, hatch="//")
        handles.append(Patch(facecolor="white", edgecolor=FORECAST, hatch="//", label="Dự kiến (chưa có hóa đơn)"))
    axes.set_xticks(positions, [f"{period.month:02d}/{period.year % 100:02d}" for period, _ in shown])
    for index, (_, kwh) in enumerate(shown):
        axes.text(index, kwh, f"{kwh:,}".replace(",", "."), ha="center", va="bottom", fontsize=7)
    axes.set_ylabel("kWh")
    axes.set_title("Điện tiêu thụ các kỳ (kWh)")
    if not shown:
        axes.text(0.5, 0.5, "chưa có hóa đơn", transform=axes.transAxes, ha="center", va="center", color="gray")
    _room_for_legend(axes, [kwh for _, kwh in shown])
    axes.legend(handles=handles, loc="upper left", fontsize=8, ncol=2)


def _room_for_legend(axes: Axes, heights: list[float]) -> None:
    """The legend above the highest bar, never over it."""
    drawn = [height for height in heights if height == height]  # NaN: a day not read
    axes.set_ylim(0, max(drawn, default=1) * 1.25 or 1)
