"""Runs: the week's and the month's move ranked like a session, straight up or down closes, and
whether the recent pop still stands."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from ..bars import Bars
from ..indicators.series import to_date
from ..settings import EventSettings, PerformanceSettings
from .rarity import Rarity, is_news, signed_rank


@dataclass(frozen=True)
class RunEvents:
    #: The spans of the week and the month, in sessions (settings).
    week_sessions: int
    month_sessions: int
    week_pct: float | None
    #: The week (``week_sessions``) ranked among weeks of its sign ("the worst week since ...").
    week: Rarity | None
    month_pct: float | None
    month: Rarity | None
    #: Straight closes in one direction up to today: positive for gains, negative for losses.
    straight: int
    #: The run ranked by length against every earlier run of the same sign.
    straight_rank: Rarity | None
    #: What the straight run has gained or lost, close to close ("eight losses, 22.1% off").
    straight_pct: float | None = None
    #: The session that did most of the week's move: at least ``CARRIED_SHARE`` of it, on the
    #: week's side, before today (Nvidia's 24.4% on Thursday, May 25, 2023, of a 24.6% week).
    #: None when no single earlier session did.
    week_carried_by: dt.date | None = None

    @property
    def straight_sessions(self) -> int:
        """The run's length, whichever the direction ("8 straight losses")."""
        return abs(self.straight)


#: A session that made this share of the week's move or more did "nearly all of it".
CARRIED_SHARE = 0.75


def _carried_by(bars: Bars, sessions: int, week_pct: float | None) -> dt.date | None:
    """The earlier session of the week whose move was at least ``CARRIED_SHARE`` of the week's,
    on its side, or None."""
    close = bars.close
    if week_pct is None or week_pct == 0 or close.size <= sessions:
        return None
    window = close[-sessions - 1 :]
    days = (window[1:] / window[:-1] - 1.0) * 100.0
    earlier = days[:-1] * np.sign(week_pct)
    if not earlier.size:
        return None
    k = int(np.argmax(earlier))
    if earlier[k] < CARRIED_SHARE * abs(week_pct):
        return None
    return to_date(bars.dates[-sessions + k])


def _window_change(close: np.ndarray, sessions: int) -> np.ndarray:
    out = np.full(close.size, np.nan)
    if close.size > sessions:
        out[sessions:] = (close[sessions:] / close[:-sessions] - 1.0) * 100.0
    return out


def _straight_closes(close: np.ndarray) -> np.ndarray:
    """For each session, the signed count of straight closes in one direction ending there."""
    step = np.sign(np.diff(close, prepend=close[0]))
    step[0] = 0
    # Within each run of equal signs, count 1, 2, 3...: the index minus the run's start.
    index = np.arange(step.size)
    starts = np.concatenate(([True], step[1:] != step[:-1]))
    run_start = np.maximum.accumulate(np.where(starts, index, 0))
    return (index - run_start + 1) * step


def _window_rank(
    window: np.ndarray, sessions: int, bars: Bars, settings: EventSettings, robust: bool
) -> Rarity | None:
    """The window's move ranked, when the rank is news made today: today's session went the
    window's way, and (``robust``) the rank is the same news over one session less and one
    more. "Worst month-long run since April 2000" over a green close held for the 21-session
    window only; over 20 sessions the record had been set the day before (the Nasdaq, October
    10, 2008, review 5). A week is five sessions by the calendar's own count, and one session
    either side is a fifth of it: only the month is held to its neighbours. ``window``: the
    move over ``sessions`` at each close (``_window_change``)."""
    close, dates = bars.close, bars.dates
    rarity = signed_rank(window, dates, settings)
    if rarity is None or not is_news(rarity, settings):
        return rarity
    today = close[-1] - close[-2] if close.size > 1 else 0.0
    if np.sign(today) != np.sign(rarity.value):
        return None
    for span in (sessions - 1, sessions + 1) if robust else ():
        if span < 2 or not is_news(signed_rank(_window_change(close, span), dates, settings),
                                   settings):  # fmt: skip
            return None
    return rarity


def run_events(bars: Bars, settings: EventSettings, performance: PerformanceSettings) -> RunEvents:
    close, dates = bars.close, bars.dates
    week = _window_change(close, settings.week_sessions)
    month = _window_change(close, settings.month_sessions)
    straight = _straight_closes(close).astype(float)
    return RunEvents(
        week_sessions=settings.week_sessions,
        month_sessions=settings.month_sessions,
        week_pct=None if np.isnan(week[-1]) else float(week[-1]),
        week=_window_rank(week, settings.week_sessions, bars, settings, robust=False),
        month_pct=None if np.isnan(month[-1]) else float(month[-1]),
        month=_window_rank(month, settings.month_sessions, bars, settings, robust=True),
        straight=int(straight[-1]),
        straight_rank=signed_rank(np.where(straight == 0, np.nan, straight), dates, settings),
        straight_pct=_run_change(close, abs(int(straight[-1]))),
        week_carried_by=_carried_by(
            bars, settings.week_sessions, None if np.isnan(week[-1]) else float(week[-1])
        ),
    )


def _run_change(close: np.ndarray, sessions: int) -> float | None:
    """The change over the last ``sessions`` closes, from the close before the run began."""
    if sessions == 0 or close.size <= sessions:
        return None
    return float((close[-1] / close[-1 - sessions] - 1.0) * 100.0)
