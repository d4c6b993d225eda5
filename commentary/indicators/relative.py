"""Relative performance of a symbol against a benchmark.

Definitions (so every number can be checked by hand from the two price files):

- Only sessions both series hold count ("common sessions").
- The daily return spread on a common session is the symbol's close-to-close return minus the
  benchmark's, both measured from the previous common session.
- An outperformance (underperformance) streak is a run of consecutive common sessions with a
  positive (negative) spread; a zero spread ends any streak. The current streak is the run that
  includes the last session.
- A streak's average spread is the mean of its daily spreads, in basis points (1 bp = 0.01 %).
- The record is the longest earlier streak in the same direction over the whole common history,
  the earliest one when several tie; its year is the year its last session fell in.
- The year-to-date gap is the symbol's year-to-date return minus the benchmark's, in percentage
  points, both measured from the last common session of the previous year.
- A divergence: the benchmark closed below (above) every close of the ``DIVERGENCE_SESSIONS``
  common sessions before the last, and the symbol did not: it fell (rose) on the session, and
  closed above its own lowest (below its own highest) close of that window by less than the
  session's move, so the day took it toward that close and it held, and it did better (worse)
  than the benchmark on the session. The held close is not the
  previous session's. The benchmark's close is dated by the last earlier close at or beyond it
  in its own whole history ("its lowest close since December 2018"), or is a record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from ..bars import Bars
from ..errors import InsufficientHistory
from .performance import year_start_index
from .series import pct, runs, to_date


@dataclass(frozen=True)
class Streak:
    """A run of sessions on one side of the benchmark."""

    outperforming: bool
    sessions: int
    start: dt.date
    end: dt.date
    average_spread_bps: float

    @property
    def year(self) -> int:
        return self.end.year


#: The window a divergence is measured over: the common sessions before the last, a month.
DIVERGENCE_SESSIONS = 20


@dataclass(frozen=True)
class Divergence:
    """The benchmark made a new closing low (``side`` "low") or high over the window and the
    symbol held its own: "on a day the index made a new closing low, Amazon did not"."""

    side: str
    sessions: int
    #: The symbol's lowest (highest) close of the window, which today's close stayed above
    #: (below), and its date.
    held_close: float
    held_date: dt.date
    #: The last earlier session the benchmark closed at or beyond today's close, over its own
    #: whole history; None when no earlier close was (a record).
    benchmark_since: dt.date | None = None

    @property
    def benchmark_record(self) -> bool:
        """The benchmark's close is its lowest (highest) in its data: a record."""
        return self.benchmark_since is None


@dataclass(frozen=True)
class Relative:
    """How ``symbol`` has done against ``benchmark`` up to ``date``."""

    symbol: str
    benchmark: str
    date: dt.date
    common_sessions: int
    first_common_date: dt.date
    spread_today_bps: float
    current: Streak | None
    record: Streak | None
    last_as_long: Streak | None
    #: Sessions between the end of ``last_as_long`` and the start of the current streak.
    sessions_since_last_as_long: int | None
    ytd_symbol_pct: float | None
    ytd_benchmark_pct: float | None
    ytd_gap_pct: float | None
    divergence: Divergence | None = None

    @property
    def is_record(self) -> bool:
        """The current streak is longer than every earlier one in its direction."""
        return self.current is not None and (
            self.record is None or self.current.sessions > self.record.sessions
        )

    @property
    def matches_record(self) -> bool:
        return (
            self.current is not None
            and self.record is not None
            and self.current.sessions == self.record.sessions
        )


def relative_performance(bars: Bars, benchmark: Bars) -> Relative:
    """Spread, streaks, record and year-to-date gap of ``bars`` against ``benchmark``."""
    if bars.dates is benchmark.dates or (
        bars.dates.size == benchmark.dates.size and np.array_equal(bars.dates, benchmark.dates)
    ):
        dates, close, base = bars.dates, bars.close, benchmark.close
    else:
        dates, mine, theirs = np.intersect1d(
            bars.dates, benchmark.dates, assume_unique=True, return_indices=True
        )
        close, base = bars.close[mine], benchmark.close[theirs]
    if dates.size < 3:
        raise InsufficientHistory(
            f"{bars.symbol} and {benchmark.symbol} share only {dates.size} sessions; "
            "compare symbols whose price histories overlap."
        )
    spread = close[1:] / close[:-1] - base[1:] / base[:-1]
    spread_dates = dates[1:]
    signs = np.sign(spread).astype(np.int8)
    starts, lengths = runs(signs)

    def streak(k: int) -> Streak:
        first, size = int(starts[k]), int(lengths[k])
        return Streak(
            outperforming=bool(signs[first] > 0),
            sessions=size,
            start=to_date(spread_dates[first]),
            end=to_date(spread_dates[first + size - 1]),
            average_spread_bps=float(spread[first : first + size].sum()) / size * 1e4,
        )

    last = starts.size - 1
    current = streak(last) if signs[-1] != 0 else None
    record = last_as_long = None
    since_last_as_long = None
    if current is not None:
        same_side = (signs[starts[:last]] == signs[-1]).nonzero()[0]
        if same_side.size:
            record = streak(int(same_side[lengths[same_side].argmax()]))
            as_long = same_side[lengths[same_side] >= current.sessions]
            if as_long.size:
                k = int(as_long[-1])
                last_as_long = streak(k)
                since_last_as_long = int(starts[last] - starts[k] - lengths[k])
    base_index = year_start_index(dates)
    ytd_mine = pct(float(close[-1]) / float(close[base_index])) if base_index >= 0 else None
    ytd_theirs = pct(float(base[-1]) / float(base[base_index])) if base_index >= 0 else None
    gap = ytd_mine - ytd_theirs if ytd_mine is not None and ytd_theirs is not None else None
    return Relative(
        symbol=bars.symbol,
        benchmark=benchmark.symbol,
        date=to_date(dates[-1]),
        common_sessions=int(dates.size),
        first_common_date=to_date(dates[0]),
        spread_today_bps=float(spread[-1]) * 1e4,
        current=current,
        record=record,
        last_as_long=last_as_long,
        sessions_since_last_as_long=since_last_as_long,
        ytd_symbol_pct=ytd_mine,
        ytd_benchmark_pct=ytd_theirs,
        ytd_gap_pct=gap,
        divergence=_divergence(dates, close, base, benchmark),
    )


def _divergence(
    dates: np.ndarray, close: np.ndarray, base: np.ndarray, benchmark: Bars
) -> Divergence | None:
    """The benchmark's new closing low (high) over the window, which the symbol did not make."""
    n = DIVERGENCE_SESSIONS
    if close.size < n + 1:
        return None
    mine, theirs = close[-n - 1 : -1], base[-n - 1 : -1]
    move = float(close[-1] / close[-2] - 1.0)
    if base[-1] < theirs.min():
        k = int(mine.argmin())
        margin = float(close[-1] / mine[k] - 1.0)
        side = "low"
    elif base[-1] > theirs.max():
        k = int(mine.argmax())
        margin = float(1.0 - close[-1] / mine[k])
        side = "high"
    else:
        return None
    # Held, and tested: the session moved toward the held close by more than it stayed away
    # from it (Amazon fell 5.4% and held 0.8% above Thursday's close, March 16, 2020). A close
    # 13% clear of its low on a day it rose held nothing (March 23, review 7). Held against the
    # session before, the race's own spread already says it.
    toward = -move if side == "low" else move
    if not 0.0 < margin < toward or k == n - 1:
        return None
    # ... and it held better than the benchmark on the day: a stock that fell 2 points more
    # than the index and held its low by 2 cents showed no strength (Nvidia, June 24, 2016,
    # review 8).
    spread = move - float(base[-1] / base[-2] - 1.0)
    if (spread <= 0.0) if side == "low" else (spread >= 0.0):
        return None
    # The benchmark's rank over its own history, not the pair's common one: "its highest close
    # in data back to 2013" said of the S&P 500 beside a stock listed in 2013.
    last = int(np.searchsorted(benchmark.dates, dates[-1], side="right"))
    history = benchmark.close[: last - 1]
    today = benchmark.close[last - 1]
    beyond = history <= today if side == "low" else history >= today
    earlier = np.flatnonzero(beyond)
    return Divergence(
        side=side,
        sessions=n,
        held_close=float(mine[k]),
        held_date=to_date(dates[-n - 1 + k]),
        benchmark_since=to_date(benchmark.dates[int(earlier[-1])]) if earlier.size else None,
    )
