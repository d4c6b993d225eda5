"""Drawing a chart spec: a deterministic PNG (Agg, no pyplot, no global state) made for a phone.

The figure is laid out for a phone: on a 375 px screen the page's text column leaves a chart
about 325 CSS px (320 assumed), the figure is 5 inches wide, so one point shows as
320 / (5 × 72) ≈ 0.89 CSS px, and no text is set under 12.5 pt (11.1 CSS px, above the 11 px
floor). tests/test_browser.py measures the width Chromium really draws it at. It is
rendered at 2× (200 dpi, 1000 px wide) so it stays sharp on high-density screens and on a wider
desktop column. The legend sits below the plot, clear of the candles; the title says the story.
``compact`` is the single-panel variant for email (no RSI panel, shorter).
"""

from __future__ import annotations

import io
import textwrap
from pathlib import Path
from typing import Any

import numpy as np

from ..bars import Bars
from ..files import write_atomic
from .spec import ChartSpec, chart_spec

WIDTH_IN = 5.0
#: The panels' height (title and dates included), full and compact; the legend below them adds
#: one row per entry, so a chart is as tall as what it names.
HEIGHT_IN, COMPACT_HEIGHT_IN = 3.9, 2.7
_LEGEND_ROW_IN, _LEGEND_PAD_IN = 0.25, 0.12
DPI = 200
WIDTH_PX = round(WIDTH_IN * DPI)
HEIGHT_PX = round(HEIGHT_IN * DPI)
COMPACT_HEIGHT_PX = round(COMPACT_HEIGHT_IN * DPI)
#: The text column of a 375 px phone screen (the page's padding taken off), the smallest text
#: size that column may show (CSS px), and the smallest size set on the figure (points).
COLUMN_CSS_PX, MIN_CSS_PX, MIN_FONT_PT = 320, 11.0, 12.5
_TITLE_PT = 14.0
_UP, _DOWN = "#26a69a", "#ef5350"
#: Level colours, one per kind; nothing else on a chart is drawn in these.
LEVEL_COLOURS = {
    "broken level": "#00838f",
    "support": "#2e7d32",
    "resistance": "#c62828",
    "52-week low": "#ad1457",
    "52-week high": "#ad1457",
    "all-time high": "#6a1b9a",
}
_AVERAGES = (("SMA 50", "#1565c0"), ("SMA 200", "#ef6c00"))
_CHANNEL = "#607d8b"
_CHANNEL_STYLES = {"long": "--", "medium": "-.", "short": ":"}
_EVENT = "#212121"


def render_png(spec: ChartSpec, *, compact: bool = False) -> bytes:
    """The chart as PNG bytes: the same spec always gives the same bytes."""
    import matplotlib.style
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    # The default style, whatever the user's matplotlibrc says: the bytes depend on inputs only.
    with matplotlib.style.context("default"):
        figure = Figure(figsize=(WIDTH_IN, figure_height(spec, compact)), dpi=DPI)
        FigureCanvasAgg(figure)
        try:
            draw(figure, spec, compact=compact)
            buffer = io.BytesIO()
            figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
            return _palette(buffer.getvalue())
        finally:
            figure.clear()


def legend_rows(spec: ChartSpec) -> int:
    """One legend row per average, channel and level drawn."""
    averages = sum(not np.isnan(series).all() for series in (spec.sma_50, spec.sma_200))
    return averages + len(spec.channels) + len(spec.levels)


def figure_height(spec: ChartSpec, compact: bool = False) -> float:
    """Inches: the panels plus the legend's rows."""
    panels = COMPACT_HEIGHT_IN if compact else HEIGHT_IN
    return panels + legend_rows(spec) * _LEGEND_ROW_IN + _LEGEND_PAD_IN


def _palette(png: bytes) -> bytes:
    """The PNG in 128 colours (a chart has a handful plus their anti-aliasing): about a quarter
    of the bytes, which an email with a chart per section needs. Median cut is deterministic."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    quantized = image.quantize(colors=128, method=Image.Quantize.MEDIANCUT)
    out = io.BytesIO()
    quantized.save(out, format="png", optimize=True)
    return out.getvalue()


def draw_chart(
    bars: Bars, instrument_entry: dict[str, Any], path: Path, *, sessions: int = 126
) -> Path:
    """Draw the last ``sessions`` bars with the entry's levels and channels; write a PNG to
    ``path`` atomically and return ``path``."""
    png = render_png(chart_spec(bars, instrument_entry, sessions=sessions))
    write_atomic(path, png)
    return path


def draw(figure: Any, spec: ChartSpec, *, compact: bool = False) -> None:
    """Lay ``spec`` out on ``figure`` (exposed so a test can read every text's size)."""
    rows = (1,) if compact else (4.0, 1.1)
    grid = figure.add_gridspec(len(rows), 1, height_ratios=rows, hspace=0.08)
    price = figure.add_subplot(grid[0])
    n = spec.close.size
    x = np.arange(n, dtype=np.float64)
    _candles(price, spec, x)
    for series, (label, colour) in zip((spec.sma_50, spec.sma_200), _AVERAGES, strict=True):
        if not np.isnan(series).all():
            price.plot(x, series, color=colour, linewidth=1.2, label=label)
    for horizon, lines in spec.channels.items():
        style = _CHANNEL_STYLES.get(horizon, "--")
        price.plot(x, lines["middle"], color=_CHANNEL, linewidth=0.9, linestyle=style,
                   label=f"{horizon.capitalize()}-term channel")  # fmt: skip
        for key in ("upper", "lower"):
            price.plot(x, lines[key], color=_CHANNEL, linewidth=0.7, linestyle=style, alpha=0.7)
    for level in spec.levels:
        price.axhline(level.price, color=LEVEL_COLOURS[level.kind], linewidth=1.1,
                      linestyle=(0, (6, 2)), label=level.label)  # fmt: skip
    for stack, event in enumerate(spec.events):  # stacked: two events of a day stay readable
        price.annotate(event.label, xy=(event.index, event.price), xytext=(-6, 18 + 20 * stack),
                       textcoords="offset points", ha="right", fontsize=MIN_FONT_PT,
                       color=_EVENT, parse_math=False,
                       arrowprops={"arrowstyle": "->", "color": _EVENT, "linewidth": 0.9},
                       bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none",
                             "alpha": 0.85})  # fmt: skip
    price.set_ylim(*spec.price_range)
    price.set_xlim(-1, n)
    price.grid(True, linewidth=0.4, alpha=0.5)
    price.tick_params(labelsize=MIN_FONT_PT)
    price.yaxis.tick_right()
    title = "\n".join(textwrap.wrap(spec.title, width=40)[:2])
    price.set_title(title, fontsize=_TITLE_PT, loc="left", weight="bold", parse_math=False)
    bottom_axes = price
    if not compact:
        momentum = figure.add_subplot(grid[1], sharex=price)
        momentum.plot(x, spec.rsi, color="#5e35b1", linewidth=1.0)
        for line in (30.0, 70.0):
            momentum.axhline(line, color="#9e9e9e", linewidth=0.7, linestyle="--")
        momentum.set_ylim(0, 100)
        momentum.set_yticks([30, 70])
        momentum.yaxis.tick_right()
        momentum.set_ylabel("RSI", fontsize=MIN_FONT_PT)
        momentum.yaxis.set_label_position("right")
        momentum.tick_params(labelsize=MIN_FONT_PT)
        momentum.grid(True, linewidth=0.4, alpha=0.5)
        price.tick_params(labelbottom=False)
        bottom_axes = momentum
    ticks = np.unique(np.linspace(0, n - 1, num=min(n, 3)).round().astype(int))
    bottom_axes.set_xticks(ticks, [_month(spec.dates[i]) for i in ticks])
    labels_x = bottom_axes.get_xticklabels()
    if len(labels_x) > 1:  # the outer dates align inward, so neither is cut at the edge
        labels_x[0].set_horizontalalignment("left")
        labels_x[-1].set_horizontalalignment("right")
    handles, labels = price.get_legend_handles_labels()
    height = figure.get_figheight()
    legend_in = len(labels) * _LEGEND_ROW_IN + _LEGEND_PAD_IN
    figure.legend(handles, labels, loc="lower left", bbox_to_anchor=(0.02, 0.0), ncol=1,
                  fontsize=MIN_FONT_PT, frameon=False, handlelength=1.8, borderaxespad=0.2,
                  labelspacing=0.25)  # fmt: skip
    title_in = 0.62 if "\n" in title else 0.42
    figure.subplots_adjust(left=0.04, right=0.84, top=1 - title_in / height,
                           bottom=(legend_in + 0.3) / height)  # fmt: skip


def _candles(axes: Any, spec: ChartSpec, x: np.ndarray) -> None:
    rising = spec.close >= spec.open
    colours = np.where(rising, _UP, _DOWN).tolist()
    axes.vlines(x, spec.low, spec.high, colors=colours, linewidth=0.6)
    body_bottom = np.minimum(spec.open, spec.close)
    minimum = (spec.price_range[1] - spec.price_range[0]) * 0.001
    body = np.maximum(np.abs(spec.close - spec.open), minimum)
    axes.bar(x, body, bottom=body_bottom, width=0.7, color=colours, linewidth=0)


def _month(day: np.datetime64) -> str:
    """A tick label: "Jan 2020"."""
    text = str(day.astype("datetime64[D]"))
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return f"{months[int(text[5:7]) - 1]} {text[:4]}"
