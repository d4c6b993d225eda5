"""Base rates: what followed the earlier sessions like today, beside what follows any session.

The rules (docs/salience.md):
- a case is an earlier session whose move went at least as far as a threshold in today's
  direction; the largest threshold of ``base_rate_thresholds`` that today's move reaches and that
  has enough cases is used;
- cases are declustered: a case within ``base_rate_horizon`` sessions of the previous case does
  not count again;
- only cases whose forward window ends on or before the as-of session count (no look-ahead);
- below ``base_rate_min_cases`` cases nothing is stated;
- the unconditional rate (any session, the same horizon) is always carried beside it.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

from ..bars import Bars
from ..settings import EventSettings


@dataclass(frozen=True)
class Case:
    date: dt.date
    #: The case's own move that day (%), and the close-to-close return ``horizon`` sessions on.
    move_pct: float
    forward_pct: float
    #: The session the forward window ends on (never after the as-of session).
    end: dt.date


@dataclass(frozen=True)
class BaseRate:
    #: "fell" or "rose" at least ``threshold_pct`` percent in one session.
    direction: str
    threshold_pct: float
    #: The threshold with the direction's sign (-5.0 for "fell 5% or more").
    threshold_move_pct: float
    horizon: int
    cases: tuple[Case, ...]
    #: Cases higher ``horizon`` sessions later, and their median forward return.
    higher: int
    median_forward_pct: float
    #: Any session: higher ``horizon`` sessions later in ``baseline_higher`` of
    #: ``baseline_sessions``; ``baseline_pct`` is that share in percent.
    baseline_higher: int
    baseline_sessions: int
    baseline_pct: float

    @property
    def count(self) -> int:
        return len(self.cases)

    @property
    def higher_pct(self) -> float:
        return 100.0 * self.higher / len(self.cases)

    @property
    def edge(self) -> str:
        """ "better" or "worse" when the cases' share higher differs from any session's by at
        least two standard errors of a sample this size, else "none": with a dozen cases,
        58% against 62% is no edge at all."""
        p = self.baseline_pct / 100.0
        error = 100.0 * math.sqrt(p * (1.0 - p) / len(self.cases))
        gap = self.higher_pct - self.baseline_pct
        if abs(gap) < 2.0 * error:
            return "none"
        return "better" if gap > 0 else "worse"


def decluster(candidates: np.ndarray, horizon: int) -> list[int]:
    """Keep a candidate only when it falls after the previous kept one's horizon.

    >>> decluster(np.array([3, 5, 30, 40, 52]), 21)
    [3, 30, 52]
    """
    kept: list[int] = []
    for index in candidates.tolist():
        if not kept or index - kept[-1] > horizon:
            kept.append(index)
    return kept


def base_rate(bars: Bars, settings: EventSettings) -> BaseRate | None:
    """The base rate for today's move, or ``None`` when it is too small or history too short."""
    close, dates = bars.close, bars.dates
    horizon = settings.base_rate_horizon
    last = close.size - 1
    if last <= horizon:
        return None
    # Today's move first: on most days it reaches no threshold, and nothing else is needed.
    today = float((close[-1] / close[-2] - 1.0) * 100.0)
    if abs(today) < min(settings.base_rate_thresholds, default=math.inf):
        return None
    move = (close[1:] / close[:-1] - 1.0) * 100.0  # move[i - 1] is session i's
    forward = (close[horizon:] / close[:-horizon] - 1.0) * 100.0  # forward[i]: from session i
    for threshold in sorted(settings.base_rate_thresholds, reverse=True):
        if abs(today) < threshold:
            continue
        beyond = move <= -threshold if today < 0 else move >= threshold
        sessions = np.flatnonzero(beyond) + 1
        # Forward windows that end on or before the as-of session; declustered in time order.
        kept = [i for i in decluster(sessions, horizon) if i + horizon <= last]
        if len(kept) < settings.base_rate_min_cases:
            continue
        # Whole columns at once: a case's dates and figures, converted in one call each.
        at = np.array(kept)
        cases = tuple(
            Case(date=day, move_pct=moved, forward_pct=after, end=end)
            for day, moved, after, end in zip(
                dates[at].astype(object).tolist(),
                move[at - 1].tolist(),
                forward[at].tolist(),
                dates[at + horizon].astype(object).tolist(),
                strict=True,
            )
        )
        returns = np.array([c.forward_pct for c in cases])
        baseline_higher = int((forward > 0).sum())
        return BaseRate(
            direction="fell" if today < 0 else "rose",
            threshold_pct=threshold,
            threshold_move_pct=-threshold if today < 0 else threshold,
            horizon=horizon,
            cases=cases,
            higher=int((returns > 0).sum()),
            median_forward_pct=float(np.median(returns)),
            baseline_higher=baseline_higher,
            baseline_sessions=int(forward.size),
            baseline_pct=100.0 * baseline_higher / forward.size,
        )
    return None
