"""Small primitives over numpy series, shared by the indicators and the states."""

from __future__ import annotations

import datetime as dt

import numpy as np


def to_date(value: np.datetime64) -> dt.date:
    """A numpy day as a ``datetime.date``.

    >>> to_date(np.datetime64("2008-10-10"))
    datetime.date(2008, 10, 10)
    """
    day = value.item()  # a datetime64[D] scalar's item is a date
    assert isinstance(day, dt.date)
    return day


def last_cross(difference: np.ndarray) -> tuple[int | None, bool]:
    """Sessions since ``difference`` last changed sign, and whether it is positive now.

    ``difference`` is ``a - b`` (NaN during warm-up, which is skipped). The age is 0 when the
    cross happened on the last session and ``None`` when no cross happened in the defined part.

    >>> last_cross(np.array([np.nan, -1.0, -0.5, 0.5, 1.0, 2.0]))
    (2, True)
    >>> last_cross(np.array([np.nan, 1.0, 2.0, 3.0]))
    (None, True)
    >>> last_cross(np.array([1.0, -2.0]))
    (0, False)
    """
    n = difference.size
    now_above = bool(difference[-1] > 0)
    # Crosses are usually recent: search backwards in growing windows, not the whole history.
    window = 64
    while True:
        start = max(0, n - window)
        chunk = difference[start:]
        # NaN compares false both ways, so one comparison both finds the other side and skips
        # the warm-up.
        other_side = (chunk <= 0 if now_above else chunk > 0).nonzero()[0]
        if other_side.size:
            return n - 2 - (start + int(other_side[-1])), now_above
        if start == 0:
            return None, now_above
        window *= 4


def runs(signs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start indices and lengths of the runs of equal values in ``signs``.

    >>> starts, lengths = runs(np.array([1, 1, -1, -1, -1, 1]))
    >>> starts.tolist(), lengths.tolist()
    ([0, 2, 5], [2, 3, 1])
    """
    if signs.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    changes = (signs[1:] != signs[:-1]).nonzero()[0]
    # Run boundaries 0, each change, size; filled in place (concatenate and diff cost twice).
    bounds = np.empty(changes.size + 2, dtype=np.int64)
    bounds[0], bounds[-1] = 0, signs.size
    np.add(changes, 1, out=bounds[1:-1])
    return bounds[:-1], bounds[1:] - bounds[:-1]


def pct(ratio: float) -> float:
    """A ratio such as 1.153 as the percentage change 15.3 (unrounded)."""
    return (ratio - 1.0) * 100.0
