"""What a chart shows, as arrays (pure numpy, no matplotlib).

``chart_spec`` turns bars and one ledger ``instruments`` entry into everything a chart shows:
candles, the 50/200-day SMAs (TA-Lib over the full history, then sliced, so their last values are
the ledger's), RSI 14, and the entry's chart record (``charts.record``): every level, channel and
event the instrument's text names, each channel rebuilt from the ledger's end values and slope.
An entry without a record (a ``facts`` ledger) shows the states' support, resistance and
all-time high and the medium-term channel.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import talib

from ..bars import Bars
from ..settings import SESSIONS_PER_YEAR

_PAD = 0.04  # share of the price span added above and below the price panel


@dataclass(frozen=True)
class Level:
    """A horizontal level as drawn: its kind (the colour), price and legend label."""

    kind: str
    price: float
    label: str


@dataclass(frozen=True)
class Event:
    """A session marked on the chart: its index in the window, its label, the price it marks."""

    index: int
    label: str
    price: float


@dataclass(frozen=True, eq=False)
class ChartSpec:
    """What one chart shows; every array covers the plotted window, oldest first.

    ``sma_50``/``sma_200``/``rsi`` are NaN while warming up. ``channels`` maps each horizon the
    text names to its upper/middle/lower arrays aligned with the window (NaN before the channel
    starts). ``levels`` holds the levels actually drawn (inside ``price_range``); ``off_chart``
    the ones the text names that lie outside it.
    """

    symbol: str
    name: str
    date: str
    units: str
    title: str
    dates: np.ndarray
    open: np.ndarray
    high: np.ndarray
    low: np.ndarray
    close: np.ndarray
    volume: np.ndarray
    sma_50: np.ndarray
    sma_200: np.ndarray
    rsi: np.ndarray
    channels: dict[str, dict[str, np.ndarray]]
    levels: tuple[Level, ...]
    off_chart: tuple[Level, ...]
    events: tuple[Event, ...]
    price_range: tuple[float, float]


def chart_lines(instrument_entry: dict[str, Any]) -> list[Level]:
    """The levels the entry's chart record names; without a record, the states' support,
    resistance and all-time high."""
    record = instrument_entry.get("chart")
    if record is not None:
        return [Level(e["kind"], float(e["price"]), str(e["label"])) for e in record["levels"]]
    levels = (instrument_entry.get("states") or {}).get("levels") or {}
    found: list[Level] = []
    for key in ("support", "resistance"):
        level = levels.get(key)
        if level and level.get("price") is not None:
            price = float(level["price"])
            found.append(Level(key, price, f"{key.capitalize()} {price:,.2f}"))
    high = (levels.get("extremes") or {}).get("all_time_high")
    if high is not None:
        found.append(Level("all-time high", float(high), f"All-time high {float(high):,.2f}"))
    return found


def chart_channels(instrument_entry: dict[str, Any]) -> list[str]:
    """The channel horizons to draw: the record's, or the medium-term one without a record."""
    record = instrument_entry.get("chart")
    return list(record["channels"]) if record is not None else ["medium"]


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


def chart_spec(
    bars: Bars, instrument_entry: dict[str, Any], *, sessions: int = 126, title: str | None = None
) -> ChartSpec:
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
    named = chart_lines(entry)
    inside = tuple(x for x in named if price_range[0] <= x.price <= price_range[1])
    channels = {
        horizon: lines
        for horizon in chart_channels(entry)
        if (lines := channel_lines(entry, total, horizon)) is not None
    }
    last = total - 1
    events = tuple(
        Event(last, str(e["label"]), float(bars.close[-1]))
        for e in (entry.get("chart") or {}).get("events", [])
    )
    name = str(entry.get("name") or bars.symbol)
    return ChartSpec(
        symbol=str(entry.get("symbol", bars.symbol)),
        name=name,
        date=last_date,
        units=str(entry.get("units") or "$"),
        title=title or f"{name} ({entry.get('symbol', bars.symbol)})",
        dates=bars.dates[window],
        open=bars.open[window],
        high=high,
        low=low,
        close=bars.close[window],
        volume=bars.volume[window],
        sma_50=sma_50,
        sma_200=sma_200,
        rsi=rsi,
        channels=channels,
        levels=inside,
        off_chart=tuple(x for x in named if x not in inside),
        events=events,
        price_range=price_range,
    )
