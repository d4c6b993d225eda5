"""Drawdown and recovery on closing prices (the convention): the distance from the closing high,
its regime (a correction at 10%, a bear market at 20%), how fast it came against earlier
declines, and the rise from the trough (a new bull market at +20% off a bear market's low)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from ..bars import Bars
from ..indicators.series import to_date
from ..settings import EventSettings
from .rarity import salience_from_return_period


@dataclass(frozen=True)
class Speed:
    """How many sessions the fall from the peak to today's depth took, against earlier declines
    that reached the same depth (each measured from its own closing high)."""

    sessions: int
    #: 1: the fastest fall of this depth in the data.
    rank: int
    #: Declines that reached this depth, this one included.
    declines: int
    #: The earlier declines' peaks and their sessions to this depth, oldest first.
    earlier_peaks: tuple[dt.date, ...]
    earlier_sessions: tuple[int, ...]
    #: Sessions of history the frequency is counted over; ``return_period`` and ``salience``
    #: as for a ``Rarity`` (docs/salience.md).
    population: int
    return_period: float
    salience: float


@dataclass(frozen=True)
class Drawdown:
    #: Percent from the closing high: 0 at a new closing high, negative below it (-20 or less
    #: is a bear market).
    from_peak_pct: float
    peak: float
    peak_date: dt.date
    sessions_since_peak: int
    #: "none", "correction" or "bear market".
    regime: str
    #: The first close of this decline at the regime's threshold, and sessions since then
    #: (0: the regime began today; a standing condition after that).
    regime_since: dt.date | None
    regime_age: int | None
    #: The lowest close since the peak, and the rise from it.
    trough: float
    trough_date: dt.date
    rise_from_trough_pct: float
    #: Today's close is the lowest of the decline (the depth is news today).
    at_trough: bool
    #: The speed of the fall, stated on a day the decline deepens into a bear market or further.
    speed: Speed | None
    #: Up at least ``bull_pct`` from a bear market's closing low (still below the old high).
    bull_market: bool
    bull_since: dt.date | None
    bull_age: int | None


def _first_at(flags: np.ndarray, start: int) -> int | None:
    hits = np.flatnonzero(flags[start:])
    return start + int(hits[0]) if hits.size else None


def _speed(
    close: np.ndarray, peak: np.ndarray, depth: np.ndarray, dates: np.ndarray,
    settings: EventSettings,
) -> Speed:  # fmt: skip
    """Sessions from each decline's peak to its first close at today's depth or deeper."""
    today = depth.size - 1
    # A decline begins at each new closing high: number them, and find where each starts.
    new_high = close >= peak
    episode = np.cumsum(new_high) - 1
    starts = np.flatnonzero(new_high)
    reached = np.flatnonzero(depth >= depth[-1] - 1e-12)
    episodes, first = np.unique(episode[reached], return_index=True)
    sessions = reached[first] - starts[episodes]
    current = episode[today]
    mine = int(sessions[episodes == current][0])
    earlier = episodes < current
    rank = int((sessions[earlier] <= mine).sum()) + 1
    population = depth.size - 1  # sessions with a previous close, as for a day's move
    period = population / rank
    return Speed(
        sessions=mine,
        rank=rank,
        declines=int(earlier.sum()) + 1,
        earlier_peaks=tuple(to_date(dates[starts[e]]) for e in episodes[earlier]),
        earlier_sessions=tuple(int(s) for s in sessions[earlier]),
        population=population,
        return_period=period,
        salience=salience_from_return_period(period, settings),
    )


def drawdown_events(bars: Bars, settings: EventSettings) -> Drawdown:
    close, dates = bars.close, bars.dates
    today = close.size - 1
    peak = np.maximum.accumulate(close)
    depth = (1.0 - close / peak) * 100.0
    peak_i = int(np.flatnonzero(close >= peak[-1])[-1])
    since_peak = close[peak_i:]
    trough_i = peak_i + int(np.argmin(since_peak))
    now = float(depth[-1])
    regime, threshold = (
        ("bear market", settings.bear_pct) if now >= settings.bear_pct
        else ("correction", settings.correction_pct) if now >= settings.correction_pct
        else ("none", None)
    )  # fmt: skip
    began = _first_at(depth >= threshold, peak_i) if threshold is not None else None
    trough = float(close[trough_i])
    rise = (float(close[-1]) / trough - 1.0) * 100.0
    at_trough = trough_i == today and now > 0
    trough_depth = float(depth[trough_i])
    # Without a regime machine the reference high never resets, so only a recent bear-market
    # low can start a new bull market (an old one is not news, and later peaks would hide it).
    bull = (
        trough_depth >= settings.bear_pct
        and rise >= settings.bull_pct
        and today - trough_i <= settings.bull_trough_sessions
    )
    bull_i = (
        _first_at(close >= trough * (1.0 + settings.bull_pct / 100.0), trough_i) if bull else None
    )
    return Drawdown(
        from_peak_pct=-now,
        peak=float(close[peak_i]),
        peak_date=to_date(dates[peak_i]),
        sessions_since_peak=today - peak_i,
        regime=regime,
        regime_since=to_date(dates[began]) if began is not None else None,
        regime_age=today - began if began is not None else None,
        trough=trough,
        trough_date=to_date(dates[trough_i]),
        rise_from_trough_pct=rise,
        at_trough=at_trough,
        speed=(
            _speed(close, peak, depth, dates, settings)
            if at_trough and now >= settings.bear_pct
            else None
        ),
        bull_market=bull,
        bull_since=to_date(dates[bull_i]) if bull_i is not None else None,
        bull_age=today - bull_i if bull_i is not None else None,
    )
