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
    #: The high the regime is measured from: the market cycle's (``cycle_start``), which is the
    #: record close unless a bull market has begun since the record's bear market ended it
    #: (``at_record`` False: the Nasdaq's 2008 bear market ran from its 2007 high, not 2000's).
    regime_peak: float
    regime_peak_date: dt.date
    regime_from_peak_pct: float
    at_record: bool
    #: In a bear market, today's close is back above the bear-market line (``bear_pct`` under the
    #: cycle's high) after yesterday's at or under it: the Nasdaq on December 26, 2018.
    reclaimed_line: bool = False
    #: Today's close is less than ``bear_pct`` under the cycle's high (a chart at the high itself
    #: is 0% under it): above the bear-market line, whatever the regime.
    above_bear_line: bool = True


def cycle_start(close: np.ndarray, settings: EventSettings) -> tuple[int, int | None, int | None]:
    """Where the current market cycle begins, with the last bear market's low and the session
    its bull market began (None, None without one). A bear market (``bear_pct`` below the
    cycle's high) ends when a close is ``bull_pct`` above its low: a new cycle starts at that
    low, and its own high is what a later correction or bear market is measured from. The 2000
    bear market is not "still standing" in 2005. A rally that gives way to a lower low before
    the new cycle has a bear market of its own was a bear-market rally (the S&P 500's August
    2002): the bear market goes on to its lower low (October 9, 2002)."""
    start, trough, bull = 0, None, None
    while True:
        cycle = close[start:]
        depth = 1.0 - cycle / np.maximum.accumulate(cycle)
        bear = np.flatnonzero(depth >= settings.bear_pct / 100.0)
        if not bear.size:
            break
        found = _bear_market_low(cycle[bear[0] :], settings)
        if found is None:
            break
        low, rose = found
        trough, bull = start + bear[0] + low, start + bear[0] + rose
        start = trough
    return start, trough, bull


def _bear_market_low(fall: np.ndarray, settings: EventSettings) -> tuple[int, int] | None:
    """In a bear market's closes (from its first close at the threshold): its low and the close
    ``bull_pct`` above it that ended it, or None while it runs."""
    sessions = np.arange(fall.size)
    after = 0  # a rise counts from here: past the last low a rally gave way to
    while True:
        low_so_far = np.minimum.accumulate(fall)
        rose = np.flatnonzero(
            (fall >= low_so_far * (1.0 + settings.bull_pct / 100.0)) & (sessions >= after)
        )
        if not rose.size:
            return None
        low = int(np.argmin(fall[: rose[0] + 1]))
        cycle = fall[low:]
        under = np.flatnonzero(cycle < cycle[0])
        if under.size:
            depth = 1.0 - cycle / np.maximum.accumulate(cycle)
            bear = np.flatnonzero(depth >= settings.bear_pct / 100.0)
            if not bear.size or under[0] <= bear[0]:
                after = low + int(under[0])
                continue
        return low, int(rose[0])


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
    # The regime is the market cycle's: measured from the high since the last bear market's low.
    start, last_low, last_bull = cycle_start(close, settings)
    cycle_high = np.maximum.accumulate(close[start:])
    cycle_depth = (1.0 - close[start:] / cycle_high) * 100.0
    high_i = start + int(np.flatnonzero(close[start:] >= cycle_high[-1])[-1])
    deep = float(cycle_depth[-1])
    # A bear market stands until a bull market ends it (a new cycle): a bounce to 19% below
    # the high is not a correction again (the Nasdaq on December 26, 2018).
    in_bear = _first_at(cycle_depth >= settings.bear_pct, high_i - start) is not None
    regime, threshold = (
        ("bear market", settings.bear_pct) if in_bear
        else ("correction", settings.correction_pct) if deep >= settings.correction_pct
        else ("none", None)
    )  # fmt: skip
    first = _first_at(cycle_depth >= threshold, high_i - start) if threshold is not None else None
    began = start + first if first is not None else None
    at_trough = trough_i == today and now > 0
    # A bull market is news while its low is recent (an old one is not, and the cycle's own
    # correction or bear market since then ends it).
    bull = (
        last_low is not None
        and regime != "bear market"
        and today - last_low <= settings.bull_trough_sessions
    )
    if bull and last_low is not None:
        trough_i = last_low
    bull_i = last_bull if bull else None
    trough = float(close[trough_i])
    rise = (float(close[-1]) / trough - 1.0) * 100.0
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
            if at_trough and now >= settings.bear_pct and high_i == peak_i
            else None
        ),
        bull_market=bull,
        bull_since=to_date(dates[bull_i]) if bull_i is not None else None,
        bull_age=today - bull_i if bull_i is not None else None,
        regime_peak=float(close[high_i]),
        regime_peak_date=to_date(dates[high_i]),
        regime_from_peak_pct=-deep,
        at_record=bool(close[high_i] >= close[peak_i]),
        reclaimed_line=bool(
            in_bear
            and cycle_depth.size > 1
            and cycle_depth[-1] < settings.bear_pct <= cycle_depth[-2]
        ),
        above_bear_line=deep < settings.bear_pct,
    )
