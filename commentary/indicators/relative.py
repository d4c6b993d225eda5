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
    )
