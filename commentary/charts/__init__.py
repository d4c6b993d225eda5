"""Charts drawn from the same ledger as the text, so chart and text cannot disagree.

``record`` lists what an instrument's text names (levels, channels, events) from the plan; the
ledger carries it; ``spec`` turns bars and the ledger entry into arrays; ``draw`` renders them to
a deterministic PNG laid out for a phone. Matplotlib is imported inside the renderer only.
"""

from __future__ import annotations

from .draw import (
    COLUMN_CSS_PX,
    COMPACT_HEIGHT_PX,
    DPI,
    HEIGHT_PX,
    LEVEL_COLOURS,
    MIN_CSS_PX,
    MIN_FONT_PT,
    WIDTH_IN,
    WIDTH_PX,
    draw,
    draw_chart,
    figure_height,
    render_png,
)
from .record import chart_records
from .spec import ChartSpec, Event, Level, channel_lines, chart_lines, chart_spec

__all__ = [
    "COLUMN_CSS_PX",
    "COMPACT_HEIGHT_PX",
    "DPI",
    "HEIGHT_PX",
    "LEVEL_COLOURS",
    "MIN_CSS_PX",
    "MIN_FONT_PT",
    "WIDTH_IN",
    "WIDTH_PX",
    "ChartSpec",
    "Event",
    "Level",
    "channel_lines",
    "chart_lines",
    "chart_records",
    "chart_spec",
    "draw",
    "draw_chart",
    "figure_height",
    "render_png",
]
