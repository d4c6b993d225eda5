"""Swing pivots, support/resistance clustering, nearest levels and swing structure."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from commentary.indicators.levels import (
    Level,
    Pivots,
    SwingStructure,
    cluster_levels,
    nearest_levels,
    swing_pivots,
    swing_structure,
)
from commentary.indicators.series import to_date


def _zigzag(n: int = 40, period: int = 10) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Triangle wave: highs peak at i % period == period/2, lows bottom at i % period == 0."""
    phase = np.arange(n) % period
    tri = np.minimum(phase, period - phase).astype(float)
    high = 100.0 + tri
    return high - 0.5, high, high - 1.0


def test_pivots_exactly_where_planted(make_bars) -> None:
    close, high, low = _zigzag()
    bars = make_bars(close, high=high, low=low)
    pivots = swing_pivots(bars, span=3, lookback=252)
    assert pivots.highs.tolist() == [5, 15, 25, 35]
    # Index 0 is a trough too, but it has no 3 sessions before it.
    assert pivots.lows.tolist() == [10, 20, 30]


def test_last_span_sessions_are_never_pivots(make_bars) -> None:
    """A spike span sessions before the end is confirmed; one session later it is not yet."""
    span = 5
    for spike, expected in ((-1 - span, True), (-span, False), (-1, False)):
        high = np.full(30, 101.0)
        high[spike] = 120.0
        bars = make_bars(np.full(30, 100.0), high=high, low=np.full(30, 99.0))
        found = swing_pivots(bars, span=span, lookback=252).highs.tolist()
        assert found == ([30 + spike] if expected else []), spike


def test_equal_high_plateau_counted_once(make_bars) -> None:
    """Equal highs within a span make one pivot, on the first of them."""
    high = np.array(
        [95.0] * 5 + [100, 101, 102, 105, 105, 103, 105, 101, 100, 99, 98, 97, 96, 95, 94]
    )
    bars = make_bars(high - 1.0, high=high, low=high - 3.0)
    # 105 at 9 and at 11 tie with 105 at 8 inside their own span, so only 8 is a pivot.
    assert swing_pivots(bars, span=3, lookback=252).highs.tolist() == [8]
    assert swing_pivots(bars, span=5, lookback=252).highs.tolist() == [8]
    # Separated by more than the span, the equal high is a second pivot.
    high[12:] = [101, 100, 99, 104, 105, 104, 100, 99.0]
    bars = make_bars(high - 1.0, high=high, low=high - 3.0)
    assert swing_pivots(bars, span=3, lookback=252).highs.tolist() == [8, 16]


def test_pivots_respect_lookback(make_bars) -> None:
    close, high, low = _zigzag(n=60)
    bars = make_bars(close, high=high, low=low)
    # Only sessions 60 - 22 = 38 onward may be pivots.
    pivots = swing_pivots(bars, span=3, lookback=22)
    assert pivots.highs.tolist() == [45, 55]
    assert pivots.lows.tolist() == [40, 50]


def test_swing_pivots_match_brute_force_on_real_data(gspc) -> None:
    """TA-Lib's rolling max gives the same pivots as the definition checked session by session."""
    bars = gspc.until("2018-12-31")
    span, lookback = 5, 252
    n = len(bars)

    def brute(values: np.ndarray) -> list[int]:
        return [
            c
            for c in range(n - lookback, n - span)
            if values[c] > values[c - span : c].max()
            and values[c] >= values[c + 1 : c + span + 1].max()
        ]

    pivots = swing_pivots(bars, span, lookback)
    assert pivots.highs.tolist() == brute(np.asarray(bars.high))
    assert pivots.lows.tolist() == brute(-np.asarray(bars.low))
    assert pivots.highs.size > 5 and pivots.lows.size > 5


def _planted_levels(make_bars):
    n = 60
    close, high, low = np.full(n, 94.5), np.full(n, 95.0), np.full(n, 94.0)
    high[[10, 25, 40]] = [100.0, 100.4, 99.8]
    low[[17, 32, 47]] = [90.0, 85.0, 80.0]
    return make_bars(close, high=high, low=low)


def test_cluster_levels_groups_planted_highs(make_bars) -> None:
    bars = _planted_levels(make_bars)
    pivots = swing_pivots(bars, span=3, lookback=252)
    assert pivots.highs.tolist() == [10, 25, 40]
    assert pivots.lows.tolist() == [17, 32, 47]
    levels = cluster_levels(bars, pivots, tolerance=0.015, min_touches=1)
    assert [lv.touches for lv in levels] == [1, 1, 1, 3]
    assert [lv.price for lv in levels[:3]] == [80.0, 85.0, 90.0]
    top = levels[-1]
    assert top.price == pytest.approx((100.0 + 100.4 + 99.8) / 3, rel=1e-12)
    assert (top.low, top.high) == (99.8, 100.4)
    assert (top.swing_highs, top.swing_lows) == (3, 0)
    assert top.first_touch == to_date(bars.dates[10])
    assert top.last_touch == to_date(bars.dates[40])  # the 99.8 high is the latest touch
    assert top.last_touch == dt.date(2020, 2, 26)
    # With a minimum of touches only the real level survives.
    assert cluster_levels(bars, pivots, 0.015, min_touches=2) == (top,)
    assert cluster_levels(bars, pivots, 0.015, min_touches=3) == (top,)
    assert cluster_levels(bars, pivots, 0.015, min_touches=4) == ()


def test_cluster_level_mixes_highs_and_lows(make_bars) -> None:
    """A swing low at the same price as earlier swing highs joins their level (role reversal)."""
    n = 40
    close, high, low = np.full(n, 105.5), np.full(n, 106.0), np.full(n, 105.0)
    high[[5, 15]] = [110.0, 110.5]
    close[22:], high[22:], low[22:] = 112.0, 112.5, 111.5
    low[25] = 109.9  # a dip back to the old resistance
    bars = make_bars(close, high=high, low=low)
    levels = cluster_levels(bars, swing_pivots(bars, 3, 252), 0.015, 1)
    level = next(lv for lv in levels if lv.low <= 110.0 <= lv.high)
    assert (level.touches, level.swing_highs, level.swing_lows) == (3, 2, 1)
    assert level.price == pytest.approx((110.0 + 110.5 + 109.9) / 3, rel=1e-12)


def test_cluster_tolerance_is_measured_from_lowest_member(make_bars) -> None:
    """100, 101, 102 with 1.5 %: 101 is within 1.5 % of 100 but 102 is not, so two levels."""
    prices = [100.0, 101.0, 102.0]
    high = np.full(30, 90.0)
    high[[5, 12, 19]] = prices
    bars = make_bars(np.full(30, 89.0), high=high, low=np.full(30, 88.0))
    pivots = Pivots(highs=np.array([5, 12, 19]), lows=np.zeros(0, dtype=np.int64))
    levels = cluster_levels(bars, pivots, 0.015, 1)
    assert [(lv.low, lv.high, lv.touches) for lv in levels] == [
        (100.0, 101.0, 2),
        (102.0, 102.0, 1),
    ]
    assert cluster_levels(bars, Pivots(np.zeros(0, int), np.zeros(0, int)), 0.015, 1) == ()


def _level(price: float, touches: int) -> Level:
    day = dt.date(2020, 1, 2)
    return Level(price, price, price, touches, touches, 0, day, day)


def test_nearest_levels_support_below_resistance_above() -> None:
    levels = tuple(_level(p, 2) for p in (80, 90, 95, 105, 110, 120))
    support, resistance = nearest_levels(levels, close=100.0)
    assert (support.price, resistance.price) == (95, 105)
    assert nearest_levels(levels, close=70.0) == (None, levels[0])
    assert nearest_levels(levels, close=130.0) == (levels[-1], None)
    assert nearest_levels((), close=100.0) == (None, None)


def test_nearest_levels_at_the_close_is_neither() -> None:
    assert nearest_levels((_level(100, 3),), close=100.0) == (None, None)


def test_support_and_resistance_respect_min_touches(make_bars) -> None:
    """Single swings near the close are passed over for farther levels touched twice."""
    n = 70
    close, high, low = np.full(n, 100.0), np.full(n, 100.5), np.full(n, 99.5)
    high[[5, 19, 33]] = [110.0, 104.0, 110.5]
    low[[12, 26, 40]] = [90.0, 97.0, 90.8]
    bars = make_bars(close, high=high, low=low)
    pivots = swing_pivots(bars, 3, 252)
    strong = cluster_levels(bars, pivots, 0.015, min_touches=2)
    assert [(lv.touches, lv.swing_highs) for lv in strong] == [(2, 0), (2, 2)]
    support, resistance = nearest_levels(strong, close=100.0)
    assert support.price == pytest.approx(90.4, rel=1e-12)
    assert resistance.price == pytest.approx(110.25, rel=1e-12)
    support, resistance = nearest_levels(cluster_levels(bars, pivots, 0.015, 1), close=100.0)
    assert (support.price, resistance.price) == (97.0, 104.0)


def _structure(make_bars, highs: list[float], lows: list[float]) -> SwingStructure:
    n = 20
    high, low = np.full(n, 50.0), np.full(n, 40.0)
    high[[3, 9]] = highs
    low[[6, 12]] = lows
    bars = make_bars(np.full(n, 45.0), high=high, low=low)
    return swing_structure(bars, Pivots(highs=np.array([3, 9]), lows=np.array([6, 12])))


@pytest.mark.parametrize(
    ("highs", "lows", "expected"),
    [
        ([100, 110], [90, 95], SwingStructure.HIGHER_HIGHS_HIGHER_LOWS),
        ([110, 100], [95, 90], SwingStructure.LOWER_HIGHS_LOWER_LOWS),
        ([100, 110], [95, 90], SwingStructure.MIXED),
        ([110, 100], [90, 95], SwingStructure.MIXED),
        ([100, 100], [90, 95], SwingStructure.MIXED),  # an equal high is not a higher high
    ],
)
def test_swing_structure(make_bars, highs, lows, expected) -> None:
    assert _structure(make_bars, highs, lows) is expected


def test_swing_structure_unknown_without_two_of_each(make_bars) -> None:
    bars = make_bars(np.full(10, 100.0))
    one = Pivots(highs=np.array([2, 6]), lows=np.array([4]))
    assert swing_structure(bars, one) is SwingStructure.UNKNOWN
    assert swing_structure(bars, Pivots(np.array([3]), np.array([2, 5]))) is SwingStructure.UNKNOWN


def test_swing_structure_from_rising_zigzag(make_bars) -> None:
    """End to end: a zig-zag drifting up gives higher highs and higher lows, and mirrored, lower."""
    close, high, low = _zigzag(n=50)
    drift = np.arange(50) * 0.3
    up = make_bars(close + drift, high=high + drift, low=low + drift)
    assert swing_structure(up, swing_pivots(up, 3, 252)) is SwingStructure.HIGHER_HIGHS_HIGHER_LOWS
    down = make_bars(close - drift, high=high - drift, low=low - drift)
    assert (
        swing_structure(down, swing_pivots(down, 3, 252)) is SwingStructure.LOWER_HIGHS_LOWER_LOWS
    )
