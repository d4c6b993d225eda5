"""Charts drawn from the same facts ledger as the text, so chart and text cannot disagree.

``chart_spec`` turns bars and one ledger ``instruments`` entry into everything a chart shows
(pure numpy, no matplotlib): candles, the 50/200-day SMAs (TA-Lib over the full history, then
sliced, so their last values are the ledger's), RSI 14, the ledger's support, resistance and
all-time high, and the medium-term trend channel rebuilt from the ledger's end values and slope.
``draw_chart`` renders a spec to a deterministic PNG (Agg, no pyplot, no global state) and writes
it atomically. Matplotlib is imported inside the renderer only: it costs nothing at import time.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import talib

from .bars import Bars
from .files import write_atomic
from .render.numbers import significant
from .settings import SESSIONS_PER_YEAR

WIDTH_PX, HEIGHT_PX, DPI = 1000, 700, 100
#: Horizontal levels a chart can show, ledger key → legend label.
LEVEL_LABELS = {"support": "Support", "resistance": "Resistance", "all_time_high": "All-time high"}
_PAD = 0.04  # share of the price span added above and below the price panel
_UP, _DOWN = "#26a69a", "#ef5350"
_LEVEL_COLOURS = {"support": "#2e7d32", "resistance": "#c62828", "all_time_high": "#6a1b9a"}


@dataclass(frozen=True, eq=False)
class ChartSpec:
    """What one chart shows; every array covers the plotted window, oldest first.

    ``sma_50``/``sma_200``/``rsi`` are NaN while warming up. ``channel`` maps upper/middle/lower
    to arrays aligned with the window (NaN before the channel starts), or is ``None``.
    ``lines`` holds the horizontal levels actually drawn (inside ``price_range``).
    """

    symbol: str
    name: str
    date: str
    units: str
    dates: np.ndarray
    open: np.ndarray
    high: np.ndarray
    low: np.ndarray
    close: np.ndarray
    volume: np.ndarray
    sma_50: np.ndarray
    sma_200: np.ndarray
    rsi: np.ndarray
    channel: dict[str, np.ndarray] | None
    lines: dict[str, float]
    price_range: tuple[float, float]


def chart_lines(instrument_entry: dict[str, Any]) -> dict[str, float]:
    """The ledger's horizontal levels (support, resistance, all-time high) that exist."""
    levels = (instrument_entry.get("states") or {}).get("levels") or {}
    found: dict[str, float] = {}
    for key in ("support", "resistance"):
        level = levels.get(key)
        if level and level.get("price") is not None:
            found[key] = float(level["price"])
    high = (levels.get("extremes") or {}).get("all_time_high")
    if high is not None:
        found["all_time_high"] = float(high)
    return found


def channel_lines(
    instrument_entry: dict[str, Any], total: int, horizon: str = "medium"
) -> dict[str, np.ndarray] | None:
    """The ledger's trend channel rebuilt over ``total`` sessions (NaN before it starts).

    The channel is a straight line in log price over its ``sessions`` closes; the ledger gives
    the lines' values on the last session and the slope as % per 252 sessions.
    """
    trend = (instrument_entry.get("states") or {}).get("trend") or {}
    channel = (trend.get("channels") or {}).get(horizon)
    if not channel:
        return None
    span = min(int(channel["sessions"]), total)
    per_session = math.log1p(float(channel["slope_pct_per_year"]) / 100.0) / SESSIONS_PER_YEAR
    back = np.arange(span - 1, -1, -1, dtype=np.float64)  # sessions before the last one
    factor = np.exp(-per_session * back)
    lines = {}
    for key in ("upper", "middle", "lower"):
        line = np.full(total, np.nan)
        line[total - span :] = float(channel[key]) * factor
        lines[key] = line
    return lines


def chart_spec(bars: Bars, instrument_entry: dict[str, Any], *, sessions: int = 126) -> ChartSpec:
    """Everything the chart of ``bars`` shows, checked against ``instrument_entry``.

    Raises ``ValueError`` when the bars are not the ones the ledger entry was computed from
    (another symbol, last date or close): a chart must never contradict its text.
    """
    if sessions < 2:
        raise ValueError(f"a chart needs at least 2 sessions, not {sessions}.")
    entry = instrument_entry
    if len(bars) == 0:
        raise ValueError(f"{bars.symbol}: there are no bars to chart.")
    last_date = str(bars.dates[-1].astype("datetime64[D]"))
    if (
        entry.get("symbol") != bars.symbol
        or entry.get("date", last_date) != last_date
        or float(entry["close"]) != float(bars.close[-1])
    ):
        raise ValueError(
            f"the bars ({bars.symbol}, {last_date}, close {bars.close[-1]}) are not the ones the "
            f"ledger entry ({entry.get('symbol')}, {entry.get('date')}, close {entry.get('close')})"
            " was computed from; chart the same bars the article was written from."
        )
    close = np.ascontiguousarray(bars.close, dtype=np.float64)
    window = slice(max(len(bars) - sessions, 0), len(bars))
    total = window.stop - window.start
    sma_50 = np.asarray(talib.SMA(close, timeperiod=50), dtype=np.float64)[window]
    sma_200 = np.asarray(talib.SMA(close, timeperiod=200), dtype=np.float64)[window]
    rsi = np.asarray(talib.RSI(close, timeperiod=14), dtype=np.float64)[window]
    low, high = bars.low[window], bars.high[window]
    shown = [float(low.min()), float(high.max())]
    shown += [float(np.nanmin(a)) for a in (sma_50, sma_200) if not np.isnan(a).all()]
    shown += [float(np.nanmax(a)) for a in (sma_50, sma_200) if not np.isnan(a).all()]
    bottom, top = min(shown), max(shown)
    pad = _PAD * (top - bottom) if top > bottom else _PAD * abs(top) or 1.0
    price_range = (bottom - pad, top + pad)
    lines = {
        key: value
        for key, value in chart_lines(entry).items()
        if price_range[0] <= value <= price_range[1]
    }
    return ChartSpec(
        symbol=str(entry.get("symbol", bars.symbol)),
        name=str(entry.get("name") or bars.symbol),
        date=last_date,
        units=str(entry.get("units") or "$"),
        dates=bars.dates[window],
        open=bars.open[window],
        high=high,
        low=low,
        close=bars.close[window],
        volume=bars.volume[window],
        sma_50=sma_50,
        sma_200=sma_200,
        rsi=rsi,
        channel=channel_lines(entry, total),
        lines=lines,
        price_range=price_range,
    )


def render_png(spec: ChartSpec) -> bytes:
    """The chart as PNG bytes: the same spec always gives the same bytes."""
    import matplotlib.style
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    # The default style, whatever the user's matplotlibrc says: the bytes depend on inputs only.
    with matplotlib.style.context("default"):
        figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
        FigureCanvasAgg(figure)
        try:
            _draw(figure, spec)
            buffer = io.BytesIO()
            figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
            return buffer.getvalue()
        finally:
            figure.clear()


def draw_chart(
    bars: Bars, instrument_entry: dict[str, Any], path: Path, *, sessions: int = 126
) -> Path:
    """Draw the last ``sessions`` bars with the ledger's levels and channel; write a PNG to
    ``path`` atomically and return ``path``."""
    png = render_png(chart_spec(bars, instrument_entry, sessions=sessions))
    write_atomic(path, png)
    return path


def _draw(figure: Any, spec: ChartSpec) -> None:
    grid = figure.add_gridspec(3, 1, height_ratios=(5, 1.3, 1.5), hspace=0.08)
    price = figure.add_subplot(grid[0])
    volume = figure.add_subplot(grid[1], sharex=price)
    momentum = figure.add_subplot(grid[2], sharex=price)
    n = spec.close.size
    x = np.arange(n, dtype=np.float64)
    rising = spec.close >= spec.open
    colours = np.where(rising, _UP, _DOWN).tolist()

    price.vlines(x, spec.low, spec.high, colors=colours, linewidth=0.8)
    body_bottom = np.minimum(spec.open, spec.close)
    minimum = (spec.price_range[1] - spec.price_range[0]) * 0.001
    body = np.maximum(np.abs(spec.close - spec.open), minimum)
    price.bar(x, body, bottom=body_bottom, width=0.6, color=colours, linewidth=0)
    for series, label, colour in (
        (spec.sma_50, "SMA 50", "#1565c0"),
        (spec.sma_200, "SMA 200", "#ef6c00"),
    ):
        if not np.isnan(series).all():
            price.plot(x, series, color=colour, linewidth=1.3, label=label)
    if spec.channel is not None:
        price.plot(x, spec.channel["middle"], color="#607d8b", linewidth=1.0, linestyle="--",
                   label="Trend channel (medium)")  # fmt: skip
        for key in ("upper", "lower"):
            price.plot(x, spec.channel[key], color="#607d8b", linewidth=0.9, linestyle=":")
    for key, value in spec.lines.items():
        colour = _LEVEL_COLOURS[key]
        price.axhline(value, color=colour, linewidth=1.0, linestyle="-.", label=LEVEL_LABELS[key])
        edge = price.get_yaxis_transform()  # x in axes fractions, y in prices
        label = f" {significant(value, 2, figures=3)}"  # a sub-cent level is not " 0.00"
        price.text(1.0, value, label, color=colour, fontsize=8, va="center",
                   transform=edge, clip_on=False, parse_math=False)  # fmt: skip
    price.set_ylim(*spec.price_range)
    price.set_xlim(-1, n)
    price.set_ylabel("points" if spec.units == "points" else "$")
    price.set_title(f"{spec.name} ({spec.symbol}) — {spec.date}", parse_math=False)
    price.legend(loc="upper left", fontsize=8, framealpha=0.85)
    price.grid(True, linewidth=0.4, alpha=0.5)

    volume.bar(x, spec.volume / 1e6, width=0.6, color=colours, linewidth=0)
    volume.set_ylabel("Volume (M)")
    volume.grid(True, linewidth=0.4, alpha=0.5)

    momentum.plot(x, spec.rsi, color="#5e35b1", linewidth=1.1)
    for level in (30.0, 70.0):
        momentum.axhline(level, color="#9e9e9e", linewidth=0.8, linestyle="--")
    momentum.set_ylim(0, 100)
    momentum.set_yticks([30, 70])
    momentum.set_ylabel("RSI 14")
    momentum.grid(True, linewidth=0.4, alpha=0.5)

    ticks = np.unique(np.linspace(0, n - 1, num=min(n, 7)).round().astype(int))
    momentum.set_xticks(ticks, [str(spec.dates[i]) for i in ticks])
    for axes in (price, volume):
        axes.tick_params(labelbottom=False)
    figure.subplots_adjust(left=0.08, right=0.92, top=0.95, bottom=0.06)
