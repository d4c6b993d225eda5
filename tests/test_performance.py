"""Returns over windows, year to date, the recent pop and all-time / 52-week extremes."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from commentary.indicators.performance import (
    extremes,
    largest_pop,
    window_returns,
    year_to_date,
)
from commentary.indicators.series import to_date


def test_window_returns_exact_percentages() -> None:
    close = np.array([50.0, 80.0, 100.0, 90.0, 110.0, 121.0])
    result = window_returns(close, (1, 2, 5, 6))
    assert result[1] == pytest.approx(10.0, rel=1e-12)  # 121 / 110
    assert result[2] == pytest.approx(100 * (121 / 90 - 1), rel=1e-12)
    assert result[5] == pytest.approx(142.0, rel=1e-12)  # 121 / 50
    assert result[6] is None  # needs 7 closes
    assert list(result) == [1, 2, 5, 6]


def test_window_returns_falling_is_negative() -> None:
    assert window_returns(np.array([200.0, 150.0]), (1,)) == {1: pytest.approx(-25.0)}


def test_year_to_date_base_is_last_close_of_previous_year(make_bars) -> None:
    # 2019-12-20 .. well into January 2020.
    close = np.arange(100.0, 130.0)
    bars = make_bars(close, start="2019-12-20")
    dates = bars.dates
    last_2019 = int(np.flatnonzero(dates < np.datetime64("2020-01-01"))[-1])
    assert dates[last_2019] == np.datetime64("2019-12-31")
    ytd, base = year_to_date(dates, bars.close)
    assert base == dt.date(2019, 12, 31)
    assert ytd == pytest.approx(100 * (close[-1] / close[last_2019] - 1), rel=1e-12)


def test_year_to_date_on_first_session_of_year(make_bars) -> None:
    """On the first session of a year the return is measured from the previous session."""
    bars = make_bars([100.0, 104.0], start="2019-12-31")
    ytd, base = year_to_date(bars.dates, bars.close)
    assert base == dt.date(2019, 12, 31)
    assert ytd == pytest.approx(4.0, rel=1e-12)


def test_year_to_date_none_when_history_starts_this_year(make_bars) -> None:
    bars = make_bars(np.linspace(100, 120, 30), start="2020-01-02")
    assert year_to_date(bars.dates, bars.close) == (None, None)


def test_year_to_date_uses_previous_year_even_with_gap(make_bars) -> None:
    """A history ending years later still measures from the last close before 1 January."""
    bars = make_bars(np.linspace(100, 200, 400), start="2019-06-03")
    ytd, base = year_to_date(bars.dates, bars.close)
    year = bars.dates[-1].astype("datetime64[Y]")
    i = int(np.flatnonzero(bars.dates.astype("datetime64[Y]") < year)[-1])
    assert base == to_date(bars.dates[i])
    assert ytd == pytest.approx(100 * (bars.close[-1] / bars.close[i] - 1), rel=1e-12)


def _planted_pop() -> np.ndarray:
    # 40 flat sessions at 100, then 100 → 95 → 90 (low) → 96 → 103.5 (top) → 101 → 102.
    return np.array([100.0] * 40 + [95.0, 90.0, 96.0, 103.5, 101.0, 102.0])


def test_largest_pop_finds_planted_rise(make_bars) -> None:
    """90 → 103.5 is +15 % over 2 sessions; later smaller wiggles do not displace it."""
    bars = make_bars(_planted_pop())
    pop = largest_pop(bars, window=15)
    assert pop.pct == pytest.approx(15.0, rel=1e-12)
    assert pop.sessions == 2
    assert pop.start == to_date(bars.dates[41])
    assert pop.end == to_date(bars.dates[43])
    assert (pop.start_close, pop.end_close) == (90.0, 103.5)


def test_largest_pop_uses_window_plus_one_closes(make_bars) -> None:
    """A window of w sessions spans w + 1 closes: the low exactly w sessions back counts."""
    close = np.array([100.0] * 10 + [80.0] + [100.0] * 5)  # low 5 sessions before the end
    bars = make_bars(close)
    assert largest_pop(bars, window=5).pct == pytest.approx(25.0)
    assert largest_pop(bars, window=4).pct == 0.0


def test_pop_older_than_window_is_not_seen(make_bars) -> None:
    close = np.concatenate([_planted_pop(), np.full(20, 102.0)])
    bars = make_bars(close)
    pop = largest_pop(bars, window=15)
    assert pop.pct == 0.0
    assert pop.sessions == 0
    # With a window long enough to reach back, the old pop is found again.
    assert largest_pop(bars, window=30).pct == pytest.approx(15.0, rel=1e-12)


def test_largest_pop_on_falling_series_is_zero(make_bars) -> None:
    bars = make_bars(np.linspace(120, 100, 30))
    pop = largest_pop(bars, window=15)
    assert pop.pct == 0.0
    assert pop.start == pop.end


def _planted_high(n: int = 200, at: int = 150) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    close = np.full(n, 100.0)
    high = np.full(n, 101.0)
    low = np.full(n, 99.0)
    close[at], high[at] = 128.0, 130.0
    low[60] = 80.0  # the all-time low, long before
    return close, high, low


def test_extremes_planted_all_time_high(make_bars) -> None:
    close, high, low = _planted_high()
    bars = make_bars(close, high=high, low=low)
    ext = extremes(bars, window=252)
    assert ext.all_time_high == 130.0
    assert ext.all_time_high_date == to_date(bars.dates[150])
    assert ext.all_time_low == 80.0
    assert ext.all_time_low_date == to_date(bars.dates[60])
    assert ext.history_start == to_date(bars.dates[0])
    assert ext.pct_from_all_time_high == pytest.approx(100 * (100 / 130 - 1), rel=1e-12)
    assert not ext.new_all_time_high


def test_new_all_time_high_only_on_the_session_that_sets_it(make_bars) -> None:
    """Walking the as-of date forward, the flag is raised on the planted session alone."""
    close, high, low = _planted_high()
    bars = make_bars(close, high=high, low=low)
    flagged = [k for k in range(2, len(bars) + 1) if extremes(bars.head(k), 252).new_all_time_high]
    assert flagged == [151]
    lows = [k for k in range(2, len(bars) + 1) if extremes(bars.head(k), 252).new_all_time_low]
    assert lows == [61]


def test_equal_high_is_not_a_new_high(make_bars) -> None:
    bars = make_bars([100.0, 100.0, 100.0], high=[101.0, 102.0, 102.0], low=[99.0] * 3)
    ext = extremes(bars, window=252)
    assert not ext.new_all_time_high
    assert not ext.new_52w_high
    assert ext.all_time_high_date == to_date(bars.dates[1])  # the first session at that high


def test_52_week_high_differs_from_older_all_time_high(make_bars) -> None:
    n = 400
    close = np.full(n, 100.0)
    high = np.full(n, 101.0)
    low = np.full(n, 99.0)
    high[10] = 150.0  # all-time high, far outside the last 252 sessions
    high[300] = 120.0  # the 52-week high
    low[200] = 90.0  # the 52-week low (index 148 is the window's first session)
    low[100] = 50.0  # all-time low, outside the window
    bars = make_bars(close, high=high, low=low)
    ext = extremes(bars, window=252)
    assert (ext.all_time_high, ext.all_time_high_date) == (150.0, to_date(bars.dates[10]))
    assert (ext.high_52w, ext.high_52w_date) == (120.0, to_date(bars.dates[300]))
    assert (ext.low_52w, ext.low_52w_date) == (90.0, to_date(bars.dates[200]))
    assert (ext.all_time_low, ext.all_time_low_date) == (50.0, to_date(bars.dates[100]))
    assert ext.pct_from_all_time_high == pytest.approx(-100 / 3, rel=1e-12)
    assert ext.pct_from_52w_high == pytest.approx(100 * (100 / 120 - 1), rel=1e-12)
    assert ext.pct_from_52w_low == pytest.approx(100 * (100 / 90 - 1), rel=1e-12)
    assert not (ext.new_52w_high or ext.new_52w_low or ext.new_all_time_high)


def test_new_52_week_high_below_all_time_high(make_bars) -> None:
    """A session topping the last 252 sessions is a 52-week high but not an all-time one."""
    n = 300
    close = np.full(n, 100.0)
    high = np.full(n, 101.0)
    low = np.full(n, 99.0)
    high[5] = 150.0
    close[-1], high[-1] = 110.0, 112.0
    bars = make_bars(close, high=high, low=low)
    ext = extremes(bars, window=252)
    assert ext.new_52w_high
    assert not ext.new_all_time_high
    assert ext.high_52w_date == to_date(bars.dates[-1])
    assert ext.pct_from_52w_high == pytest.approx(100 * (110 / 112 - 1), rel=1e-12)
