"""Swing pivots, support and resistance levels, and the swing structure (higher highs/lows).

A swing high is a session whose high exceeds the ``span`` highs before it and is not exceeded by
the ``span`` highs after it (swing lows mirror this), so a pivot is confirmed only ``span``
sessions later and never needs data after the as-of date. Pivots from the recent ``lookback``
sessions are clustered into levels: sorted by price, a level takes every pivot within
``tolerance`` of its lowest one. A level's price is the mean of its pivots; its touches are
their count.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum

import numpy as np
import talib

from ..bars import Bars
from .series import to_date


@dataclass(frozen=True)
class Level:
    """A price zone where swings turned: ``touches`` pivots between ``low`` and ``high``."""

    price: float
    low: float
    high: float
    touches: int
    swing_highs: int
    swing_lows: int
    first_touch: dt.date
    last_touch: dt.date


class SwingStructure(Enum):
    HIGHER_HIGHS_HIGHER_LOWS = "higher highs and higher lows"
    LOWER_HIGHS_LOWER_LOWS = "lower highs and lower lows"
    MIXED = "mixed"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Pivots:
    """Indices (into the bars) of the confirmed swing highs and swing lows, oldest first."""

    highs: np.ndarray
    lows: np.ndarray


def swing_pivots(bars: Bars, span: int, lookback: int) -> Pivots:
    """Confirmed swing highs and lows among the last ``lookback`` sessions."""
    start = max(0, len(bars) - lookback - span)
    return Pivots(
        highs=start + _swing_points(bars.high[start:], span),
        lows=start + _swing_points(-bars.low[start:], span),
    )


def _swing_points(values: np.ndarray, span: int) -> np.ndarray:
    n = values.size
    if n < 2 * span + 1:
        return np.zeros(0, dtype=np.int64)
    # trailing[j] = max(values[j - span + 1 .. j]); TA-Lib's MAX is far faster than a numpy window.
    trailing = talib.MAX(values, timeperiod=span)
    centre = np.arange(span, n - span)
    before = trailing[centre - 1]
    after = trailing[centre + span]
    return centre[(values[centre] > before) & (values[centre] >= after)]


def cluster_levels(bars: Bars, pivots: Pivots, tolerance: float) -> tuple[Level, ...]:
    """Group pivot prices into levels, lowest first."""
    index = np.concatenate((pivots.highs, pivots.lows))
    if index.size == 0:
        return ()
    prices = np.concatenate((bars.high[pivots.highs], bars.low[pivots.lows]))
    is_high = np.concatenate((np.ones(pivots.highs.size, bool), np.zeros(pivots.lows.size, bool)))
    order = np.argsort(prices, kind="stable")
    prices, index, is_high = prices[order], index[order], is_high[order]
    levels = []
    begin = 0
    while begin < prices.size:
        end = int(np.searchsorted(prices, prices[begin] * (1.0 + tolerance), side="right"))
        members = index[begin:end]
        highs = int(is_high[begin:end].sum())
        levels.append(
            Level(
                price=float(prices[begin:end].mean()),
                low=float(prices[begin]),
                high=float(prices[end - 1]),
                touches=end - begin,
                swing_highs=highs,
                swing_lows=end - begin - highs,
                first_touch=to_date(bars.dates[members.min()]),
                last_touch=to_date(bars.dates[members.max()]),
            )
        )
        begin = end
    return tuple(levels)


def nearest_levels(
    levels: tuple[Level, ...], close: float, min_touches: int
) -> tuple[Level | None, Level | None]:
    """The strongest-enough level just below ``close`` (support) and just above (resistance)."""
    strong = [level for level in levels if level.touches >= min_touches]
    below = [level for level in strong if level.price < close]
    above = [level for level in strong if level.price > close]
    return (below[-1] if below else None, above[0] if above else None)


def swing_structure(bars: Bars, pivots: Pivots) -> SwingStructure:
    """Compare the last two swing highs and the last two swing lows."""
    if pivots.highs.size < 2 or pivots.lows.size < 2:
        return SwingStructure.UNKNOWN
    highs = bars.high[pivots.highs[-2:]]
    lows = bars.low[pivots.lows[-2:]]
    if highs[1] > highs[0] and lows[1] > lows[0]:
        return SwingStructure.HIGHER_HIGHS_HIGHER_LOWS
    if highs[1] < highs[0] and lows[1] < lows[0]:
        return SwingStructure.LOWER_HIGHS_LOWER_LOWS
    return SwingStructure.MIXED
