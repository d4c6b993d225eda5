"""A record close: today's close above every earlier close in the data.

An intraday record high is ``levels.extremes.new_all_time_high``; a close is what a chart is
judged by, and a run of record closes after a long wait is the story of the day (Nvidia on May
25-26, 2023, its first closes above November 2021's record). Its rarity is how long the old
record stood, measured like any event's (docs/salience.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from ..indicators.series import to_date
from ..settings import EventSettings
from .rarity import salience_from_return_period


@dataclass(frozen=True)
class RecordClose:
    #: Record closes in a row, today's the last (1: today's is the first of the run).
    streak: int
    #: The run's first record close (today, when ``streak`` is 1).
    started: dt.date
    #: The record the run first topped: the highest close before the run, and its date.
    previous: float
    since: dt.date
    #: Sessions from that close to the run's first record: how long the old record stood.
    stood_sessions: int
    history_start: dt.date
    #: From ``stood_sessions`` as a return period (docs/salience.md), 0 to 1.
    salience: float


def record_close(
    close: np.ndarray, dates: np.ndarray, settings: EventSettings
) -> RecordClose | None:
    """Today's record close and its run, or None when today's close is no record. The first
    session of the data sets none: a record needs history before it."""
    if close.size < 2:
        return None
    best_before = np.maximum.accumulate(close)[:-1]
    is_record = np.concatenate(([False], close[1:] > best_before))
    if not is_record[-1]:
        return None
    # The run: the record closes in a row that end today.
    misses = np.flatnonzero(~is_record)
    start = int(misses[-1]) + 1
    # The old record: the session that first closed at the highest close before the run (a
    # later close that only tied it set no record).
    old = int(np.argmax(close[:start]))
    stood = start - old
    return RecordClose(
        streak=close.size - start,
        started=to_date(dates[start]),
        previous=float(close[old]),
        since=to_date(dates[old]),
        stood_sessions=stood,
        history_start=to_date(dates[0]),
        salience=salience_from_return_period(float(stood), settings),
    )


@dataclass(frozen=True)
class RecordBefore:
    """The day after a record close: the previous session closed above every earlier close and
    today's closed under it. Amazon's $120.41 record of April 16, 2020 went unsaid the next day,
    when it slipped 1.4% (review 3)."""

    #: The record close and its session.
    close: float
    date: dt.date


def previous_close_was_record(close: np.ndarray) -> bool:
    """Whether the previous session's close topped every close before it."""
    # It did when it is the first maximum of the closes up to it (argmax is the cheapest pass).
    return bool(close.size > 2 and close[:-1].argmax() == close.size - 2)


def record_before(close: np.ndarray, dates: np.ndarray) -> RecordBefore | None:
    """The previous session's record close when today's close fell short of it, or None."""
    if not previous_close_was_record(close) or close[-1] >= close[-2]:
        return None
    return RecordBefore(close=float(close[-2]), date=to_date(dates[-2]))


#: A closing low is ranked when it is the lowest close of at least this many sessions (a year).
CLOSING_LOW_SESSIONS = 252


@dataclass(frozen=True)
class ClosingLow:
    """Today's close under every close of the year before it, ranked over the whole history:
    "its lowest close since December 2016" (the S&P 500 on March 23, 2020, which a title called
    only a "52-Week Low", reviews 7 and 8)."""

    #: The last earlier session that closed at or under today's close; None: none did (the
    #: lowest close in the data, which starts on ``history_start``).
    since: dt.date | None
    history_start: dt.date


def closing_low(close: np.ndarray, dates: np.ndarray) -> ClosingLow | None:
    """Today's close as a closing low of a year or more, or None."""
    n = CLOSING_LOW_SESSIONS
    if close.size <= n or close[-1] >= close[-n - 1 : -1].min():
        return None
    earlier = np.flatnonzero(close[:-1] <= close[-1])
    since = to_date(dates[int(earlier[-1])]) if earlier.size else None
    return ClosingLow(since=since, history_start=to_date(dates[0]))
