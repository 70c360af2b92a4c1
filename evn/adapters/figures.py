"""PNG images drawn with matplotlib, headless and thread-safe: a Figure of its own, never pyplot's global state.

The web app draws in worker threads, and the report in its own process; both come here.
"""
from __future__ import annotations

import io
from collections.abc import Callable

from matplotlib.axes import Axes
from matplotlib.figure import Figure


def png(draw: Callable[[Axes], None], size: tuple[float, float], dpi: int = 100) -> bytes:
    figure = Figure(figsize=size, dpi=dpi)
    axes = figure.subplots()
    draw(axes)
    axes.grid(axis="y", alpha=0.3)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
