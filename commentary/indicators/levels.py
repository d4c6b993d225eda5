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
        highs=start + _swing_points(bars.high[start:], span, highs=True),
        lows=start + _swing_points(bars.low[start:], span, highs=False),
    )


def _swing_points(values: np.ndarray, span: int, highs: bool) -> np.ndarray:
    """Indices of the swing highs (``highs``) or swing lows among ``values``."""
    n = values.size
    if n < 2 * span + 1:
        return np.zeros(0, dtype=np.int64)
    # trailing[j] = max (min) of values[j - span + 1 .. j]; TA-Lib's MAX and MIN are far faster
    # than a numpy window. The candidates span .. n - span - 1 are read through slices.
    trailing = (talib.MAX if highs else talib.MIN)(values, timeperiod=span)
    centre = values[span : n - span]
    before = trailing[span - 1 : n - span - 1]
    after = trailing[2 * span :]
    if highs:
        turned = (centre > before) & (centre >= after)
    else:
        turned = (centre < before) & (centre <= after)
    return turned.nonzero()[0] + span


def cluster_levels(
    bars: Bars, pivots: Pivots, tolerance: float, min_touches: int
) -> tuple[Level, ...]:
    """Group pivot prices into levels, lowest first, keeping those touched ``min_touches`` times.

    A single pivot is a turn, not yet a level; requiring touches also keeps this fast, since
    only the few real levels become objects.
    """
    # A few dozen pivots: plain Python beats a dozen numpy calls on arrays this small.
    highs, lows = pivots.highs.tolist(), pivots.lows.tolist()
    points = sorted(
        zip(
            bars.high[pivots.highs].tolist() + bars.low[pivots.lows].tolist(),
            highs + lows,
            [1] * len(highs) + [0] * len(lows),
            strict=True,
        )
    )
    # One pass: each cluster is (price sum, count, swing highs, first index, last index, lo, hi).
    clusters = []
    begin, size = 0, len(points)
    while begin < size:
        low, first, is_high = points[begin]
        limit = low * (1.0 + tolerance)
        total, last, highs_in, end = low, first, is_high, begin + 1
        earliest = first
        while end < size and points[end][0] <= limit:
            price, index, is_high = points[end]
            total += price
            highs_in += is_high
            # Plain comparisons: cheaper than a min and a max call for every pivot.
            if index < earliest:
                earliest = index
            elif index > last:
                last = index
            end += 1
        count = end - begin
        if count >= min_touches:
            clusters.append((total, count, highs_in, earliest, last, low, points[end - 1][0]))
        begin = end
    if not clusters:
        return ()
    dates = bars.dates[[c[3] for c in clusters] + [c[4] for c in clusters]].tolist()
    levels = [
        Level(
            price=total / count,
            low=low,
            high=high,
            touches=count,
            swing_highs=highs_in,
            swing_lows=count - highs_in,
            first_touch=dates[k],
            last_touch=dates[len(clusters) + k],
        )
        for k, (total, count, highs_in, _, _, low, high) in enumerate(clusters)
    ]
    return tuple(levels)


def nearest_levels(levels: tuple[Level, ...], close: float) -> tuple[Level | None, Level | None]:
    """The level just below ``close`` (support) and the one just above (resistance)."""
    below = [level for level in levels if level.price < close]
    above = [level for level in levels if level.price > close]
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
