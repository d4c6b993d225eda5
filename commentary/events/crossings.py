"""A close across the 200-day (or 50-day) average, and how long the close had stayed on the
other side.

The line traders draw under a market: Nvidia's close of March 16, 2020 was its first under the
200-day since August 2019. A cross after months on one side is news (its rarity is that wait,
docs/salience.md); a close that saws back and forth across the line is not.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from ..indicators.series import to_date
from ..settings import EventSettings
from .rarity import salience_from_return_period

#: The 200-day is the line most traders watch: a cross after a long wait weighs at least as
#: much as this, near a pivot's break (0.8, a fixed salience in the built-in rules). From the
#: wait alone, Nvidia's first close under it in 144 sessions (0.68) lost its place to a reading.
WATCHED_LINE_SALIENCE = 0.75
#: The 50-day is the line of a trend of weeks, not of a cycle: a cross of it after a month or
#: more is news (the S&P 500's first close above it since February, April 17, 2020), not a story.
FIFTY_DAY_SALIENCE = 0.55


@dataclass(frozen=True)
class AverageCross:
    #: "above" or "below": the side of the average today's close crossed to.
    side: str
    #: The average's length in sessions (200 or 50).
    window: int
    average: float
    #: The last earlier close on today's side (None: the first in the data).
    since: dt.date | None
    #: Sessions the close had stayed on the other side, up to yesterday.
    stood_sessions: int
    history_start: dt.date
    #: From ``stood_sessions`` as a return period (docs/salience.md), at least the caller's
    #: floor (``WATCHED_LINE_SALIENCE`` for the 200-day).
    salience: float


def average_cross(
    close: np.ndarray,
    average: np.ndarray,
    dates: np.ndarray,
    settings: EventSettings,
    window: int = 200,
    floor: float = WATCHED_LINE_SALIENCE,
) -> AverageCross | None:
    """Today's cross of ``average`` (the ``window``-day, NaN while undefined), or None without
    one; its salience is at least ``floor``."""
    if close.size < 2 or np.isnan(average[-2:]).any():
        return None
    above = close >= average
    if above[-1] == above[-2]:
        return None
    defined = ~np.isnan(average)
    # Earlier sessions with a defined average on today's side, latest last.
    same = np.flatnonzero(defined[:-1] & (above[:-1] == above[-1]))
    last = int(same[-1]) if same.size else None
    first_defined = int(np.argmax(defined))
    stood = close.size - 1 - (last + 1 if last is not None else first_defined)
    return AverageCross(
        side="above" if above[-1] else "below",
        window=window,
        average=float(average[-1]),
        since=to_date(dates[last]) if last is not None else None,
        stood_sessions=stood,
        history_start=to_date(dates[first_defined]),
        salience=max(floor, salience_from_return_period(float(stood), settings)),
    )
