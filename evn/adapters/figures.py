"""PNG images drawn with matplotlib, headless and thread-safe: a Figure of its own, never pyplot's global state.

The web app draws in worker threads, and the report in its own process; both come here.
"""
from __future__ import annotations

import io
from collections.abc import Callable

from matplotlib.axes import Axes
from matplotlib.figure import Figure


def png(draw: Callable[[Axes], None], size: tuple[float, float], dpi: int = 100,
        margins: dict[str, float] | None = None) -> bytes:
    """`margins` (subplots_adjust's left, right, bottom, top) for a chart drawn on request: tight_layout draws the
    figure twice to measure it, and fast zlib is enough for flat colours (a chat's image is drawn per customer)."""
    figure = Figure(figsize=size, dpi=dpi)
    axes = figure.subplots()
    draw(axes)
    axes.grid(axis="y", alpha=0.3)
    if margins:
        figure.subplots_adjust(**margins)
    else:
        figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", pil_kwargs={"compress_level": 1} if margins else None)
    return buffer.getvalue()
