"""How rare a value is against the instrument's own history: rank, recurrence and salience.

Everything here takes the whole history up to the as-of session (the last element is "today")
and looks at nothing later. See docs/salience.md for the formula.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

from ..indicators.series import to_date
from ..settings import EventSettings


@dataclass(frozen=True)
class Rarity:
    """Today's ``value`` ranked against every earlier value of the same measure.

    ``extreme`` says which way is extreme ("high": larger is rarer; "low": smaller is rarer).
    ``rank`` counts today among the values at least as extreme (1: the most extreme in the data);
    ``count`` is how many sessions the frequency is over (today included); ``since`` is the last
    earlier session with a value at least as extreme (None: the most extreme in the data).
    """

    value: float
    extreme: str
    rank: int
    count: int
    since: dt.date | None
    #: Sessions between ``since`` and today (None without an earlier one).
    sessions_since: int | None
    #: Sessions since an earlier value at least as extreme, or since the data began: how long
    #: the record has stood ("the worst since ..." needs a quarter or more to be news).
    quiet_sessions: int
    history_start: dt.date
    #: ``count / rank``: about once in this many sessions is a value this extreme seen.
    return_period: float
    #: From ``news_period`` (docs/salience.md), 0 to 1.
    salience: float
    #: The longer of ``return_period`` and ``quiet_sessions``: how rare the value reads as news.
    #: The S&P 500's 4.1% loss of 2018-02-05 came once in 157 sessions over a history that holds
    #: 2000-02 and 2008-09, and was its worst since August 2011, 1,626 sessions before.
    news_period: float

    @property
    def in_the_data(self) -> bool:
        """The most extreme value since the data begins."""
        return self.since is None


def salience_from_return_period(period: float, settings: EventSettings) -> float:
    """0.5 for an event seen once in ``common_sessions``, 1.0 from ``record_sessions`` on,
    logarithmic in between and below (never under 0).

    >>> from commentary.settings import EventSettings
    >>> s = EventSettings()
    >>> salience_from_return_period(21, s), salience_from_return_period(5040, s)
    (0.5, 1.0)
    >>> round(salience_from_return_period(252, s), 3)
    0.727
    """
    span = math.log(settings.record_sessions / settings.common_sessions)
    value = 0.5 + 0.5 * math.log(max(period, 1.0) / settings.common_sessions) / span
    return min(1.0, max(0.0, value))


def rank_today(
    values: np.ndarray,
    dates: np.ndarray,
    extreme: str,
    settings: EventSettings,
    population: int | None = None,
    quiet_is_news: bool = False,
) -> Rarity | None:
    """The last value of ``values`` (NaN where undefined) ranked against the earlier ones.

    ``population`` is the number of sessions the frequency is counted over (default: the
    defined values); ``None`` when today's value is undefined. ``quiet_is_news``: how long the
    value has stood unmatched counts toward its rarity (``news_period``), as for a session.

    >>> from commentary.settings import EventSettings
    >>> days = np.arange("2020-01-01", "2020-01-06", dtype="datetime64[D]")
    >>> r = rank_today(np.array([np.nan, -3.0, 1.0, -2.0, -2.5]), days, "low", EventSettings())
    >>> r.rank, r.count, r.since, r.sessions_since
    (2, 4, datetime.date(2020, 1, 2), 3)
    """
    today = float(values[-1])
    if math.isnan(today):
        return None
    valid = ~np.isnan(values)
    # NaN compares false, so undefined sessions never count as "at least as extreme".
    at_least = values >= today if extreme == "high" else values <= today
    rank = int(np.count_nonzero(at_least))
    count = int(np.count_nonzero(valid)) if population is None else population
    before = at_least[-2::-1]  # the earlier sessions, latest first
    back = int(np.argmax(before)) if before.size else 0
    last = values.size - 2 - back if before.size and before[back] else None
    period = count / rank
    quiet = values.size - 1 - (last if last is not None else 0)
    # A session unmatched for years is news however common such days were before ("the worst
    # since August 2011"); a gauge's level or a rolling window is not (the ATR stays at its
    # widest for weeks, a bad week stays the worst for days).
    news = max(period, float(quiet)) if quiet_is_news else period
    return Rarity(
        value=today,
        extreme=extreme,
        rank=rank,
        count=count,
        since=to_date(dates[last]) if last is not None else None,
        sessions_since=values.size - 1 - last if last is not None else None,
        quiet_sessions=quiet,
        history_start=to_date(dates[int(np.argmax(valid))]),
        return_period=period,
        salience=salience_from_return_period(news, settings),
        news_period=news,
    )


def signed_rank(
    values: np.ndarray, dates: np.ndarray, settings: EventSettings, quiet_is_news: bool = False
) -> Rarity | None:
    """A move ranked among moves the same way: a loss among losses, a gain among gains."""
    today = float(values[-1])
    if math.isnan(today) or today == 0:
        return None
    # Ranked among moves of its own sign (a value at least as extreme as a loss is a loss),
    # counted over every session: "a loss this large comes about once in N sessions".
    population = int(np.count_nonzero(~np.isnan(values)))
    side = "high" if today > 0 else "low"
    return rank_today(values, dates, side, settings, population, quiet_is_news)


def is_news(rarity: Rarity | None, settings: EventSettings) -> bool:
    """Whether a ranked value is rare enough to report: seen about once in ``rare_sessions`` or
    less often, and unmatched for ``min_quiet_sessions`` at least."""
    return (
        rarity is not None
        and rarity.news_period >= settings.rare_sessions
        and rarity.quiet_sessions >= settings.min_quiet_sessions
    )
