"""Returns over windows, the recent "pop", and all-time and 52-week extremes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from ..bars import Bars
from .series import pct, to_date


@dataclass(frozen=True)
class Pop:
    """The largest rise (low close first, then high close) within the recent window."""

    pct: float
    sessions: int
    start: dt.date
    end: dt.date
    start_close: float
    end_close: float
    #: 0 when the rise runs into the last session; otherwise how long ago it peaked.
    sessions_since_end: int
    #: The share of the rise given back by the last close (0: none, 1: all of it, more: more
    #: than all): a pop that has been given back is not a rally.
    given_back: float = 0.0


@dataclass(frozen=True)
class Extremes:
    """Highs and lows of the available history (intraday) and of the last 52 weeks.

    "All-time" means since ``history_start``, the first session the source holds.
    """

    history_start: dt.date
    all_time_high: float
    all_time_high_date: dt.date
    all_time_low: float
    all_time_low_date: dt.date
    high_52w: float
    high_52w_date: dt.date
    low_52w: float
    low_52w_date: dt.date
    new_all_time_high: bool
    new_all_time_low: bool
    new_52w_high: bool
    new_52w_low: bool
    pct_from_all_time_high: float
    pct_from_52w_high: float
    pct_from_52w_low: float


def window_returns(close: np.ndarray, windows: tuple[int, ...]) -> dict[int, float | None]:
    """Percentage change over each window of sessions; ``None`` where history is too short.

    >>> window_returns(np.array([100.0, 200.0, 400.0]), (1, 2, 5))
    {1: 100.0, 2: 300.0, 5: None}
    """
    last = float(close[-1])
    return {w: pct(last / float(close[-1 - w])) if close.size > w else None for w in windows}


def year_start_index(dates: np.ndarray) -> int:
    """Index of the last session of the year before the last date's year; -1 if none.

    >>> days = np.array(["2019-12-30", "2019-12-31", "2020-01-02"], dtype="datetime64[D]")
    >>> year_start_index(days)
    1
    """
    year_start = dates[-1].astype("datetime64[Y]").astype("datetime64[D]")
    return int(np.searchsorted(dates, year_start, side="left")) - 1


def year_to_date(dates: np.ndarray, close: np.ndarray) -> tuple[float | None, dt.date | None]:
    """Percentage change since the last close of the previous calendar year, and that date.

    ``None`` when the history starts inside the current year.
    """
    base = year_start_index(dates)
    if base < 0:
        return None, None
    return pct(float(close[-1]) / float(close[base])), to_date(dates[base])


def largest_pop(bars: Bars, window: int) -> Pop:
    """The largest close-to-close rise within the last ``window`` sessions."""
    closes = bars.close[-(window + 1) :]
    lows = np.minimum.accumulate(closes)
    gains = closes / lows
    end = int(gains.argmax())
    start = int(closes[: end + 1].argmin())
    offset = bars.close.size - closes.size
    return Pop(
        pct=pct(float(gains[end])),
        sessions=end - start,
        start=to_date(bars.dates[offset + start]),
        end=to_date(bars.dates[offset + end]),
        start_close=float(closes[start]),
        end_close=float(closes[end]),
        sessions_since_end=closes.size - 1 - end,
        given_back=(
            float(closes[end] - closes[-1]) / float(closes[end] - closes[start])
            if closes[end] > closes[start]
            else 0.0
        ),
    )


def extremes(bars: Bars, window: int) -> Extremes:
    """All-time (available history) and ``window``-session highs and lows, and today's records.

    A record needs history before it: the first session of the data sets none.
    """
    high, low, dates = bars.high, bars.low, bars.dates
    close = float(bars.close[-1])
    last = high.size - 1
    recent = max(0, high.size - window)
    # argmax/argmin return the first extreme, so "today set it" means today is that first one.
    # The array methods: np.argmax's dispatch costs more than its pass over a decade of bars.
    ath_i = int(high.argmax())
    atl_i = int(low.argmin())
    h52_i = recent + int(high[recent:].argmax())
    l52_i = recent + int(low[recent:].argmin())
    return Extremes(
        history_start=to_date(dates[0]),
        all_time_high=float(high[ath_i]),
        all_time_high_date=to_date(dates[ath_i]),
        all_time_low=float(low[atl_i]),
        all_time_low_date=to_date(dates[atl_i]),
        high_52w=float(high[h52_i]),
        high_52w_date=to_date(dates[h52_i]),
        low_52w=float(low[l52_i]),
        low_52w_date=to_date(dates[l52_i]),
        new_all_time_high=ath_i == last > 0,
        new_all_time_low=atl_i == last > 0,
        new_52w_high=h52_i == last > recent,
        new_52w_low=l52_i == last > recent,
        pct_from_all_time_high=pct(close / float(high[ath_i])),
        pct_from_52w_high=pct(close / float(high[h52_i])),
        pct_from_52w_low=pct(close / float(low[l52_i])),
    )
