"""The session itself: its move against history and recent volatility, the gap, the range, and
intraday reversals (a new 52-week low followed by a close up on the day, outside days)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from ..bars import Bars
from ..indicators.series import to_date
from ..settings import SESSIONS_PER_YEAR, EventSettings
from .rarity import Rarity, is_news, rank_today, signed_rank


@dataclass(frozen=True)
class SessionEvents:
    """The last session. Percentages in percent; every rank against the instrument's history."""

    change_pct: float
    #: The day's move ranked among moves of its sign ("the worst session since ...").
    change: Rarity | None
    #: The move is rare enough to rank aloud: seen at most once in ``rare_sessions`` and
    #: unmatched for ``min_quiet_sessions`` ("the best session since Sept. 30" is no news).
    change_is_rare: bool
    #: The move in standard deviations of the previous ``volatility_window`` daily returns.
    z_score: float | None
    #: The open against the previous close.
    gap_pct: float
    gap: Rarity | None
    #: The gap was filled when the day traded back to the previous close.
    gap_filled: bool
    #: The gap as a share of the day's move (1: the whole move came at the open; None: no move).
    gap_share: float | None
    #: Where the close sits in the day's range: 0 at the low, 1 at the high (None: no range).
    close_location: float | None
    #: From the day's low up to the close, and from the high down to it (both positive).
    low_to_close_pct: float
    high_to_close_pct: float
    new_52w_low_intraday: bool
    new_52w_high_intraday: bool
    #: A new 52-week low during the session and a close up on the day, ranked by the distance
    #: from the low to the close among earlier such reversals; None without one today.
    reversal_from_low: Rarity | None
    #: The mirror image: a new 52-week high and a close down on the day.
    reversal_from_high: Rarity | None
    #: A higher high and a lower low than the previous session.
    outside_day: bool
    previous_close: float
    #: "low" or "high" when the close sat in the bottom or top fifth of the day's range,
    #: "middle" otherwise: how the prose reads the session's end ("closed near the day's low").
    close_side: str = "middle"
    #: An outside day that closed beyond the previous session's range: "above" its high (a
    #: lower low first), "below" its low (a higher high first), "" otherwise. The S&P 500 on
    #: December 26, 2018 (review 6).
    outside_reversal: str = ""
    #: The day's low and high against the previous close (%).
    low_vs_previous_pct: float = 0.0
    high_vs_previous_pct: float = 0.0
    #: "recovered": down at least ``intraday_turn_pct`` at the low, and the close kept at most
    #: ``intraday_turn_share`` of that loss; "faded": the mirror image from the high; "" else.
    intraday_turn: str = ""
    #: The previous session's move (%) when it was at least ``erase_min_pct`` and today's close
    #: took all of it back (beyond the close before it); None otherwise. With its date.
    erased_change_pct: float | None = None
    erased_date: dt.date | None = None

    @property
    def close_on_end(self) -> bool:
        """The close was the day's low or high itself (within ``ON_END`` of the range): "at the
        day's low", where "near" undersold a close at 2,351.10 on a low of 2,351.10 (review 6)."""
        where = self.close_location
        return where is not None and (where <= ON_END or where >= 1 - ON_END)


def _rolling_prior(values: np.ndarray, window: int, reduce: str) -> np.ndarray:
    """For each session, the min or max of the ``window - 1`` sessions before it (NaN where
    fewer exist), so "a new 52-week low" compares today with the rest of its 52 weeks.

    Van Herk/Gil-Werman: minima within fixed blocks from each end, two per output, so the cost
    does not grow with the window.

    >>> _rolling_prior(np.array([5.0, 3.0, 4.0, 1.0, 2.0]), 3, "min").tolist()
    [nan, nan, 3.0, 3.0, 1.0]
    """
    out = np.full(values.size, np.nan)
    span = window - 1
    earlier = values[:-1] if reduce == "min" else -values[:-1]
    n = earlier.size
    if n < span:
        return out
    padded = np.concatenate((earlier, np.full(-n % span, np.inf))).reshape(-1, span)
    forward = np.minimum.accumulate(padded, axis=1).ravel()
    backward = np.minimum.accumulate(padded[:, ::-1], axis=1)[:, ::-1].ravel()
    result = np.minimum(backward[: n - span + 1], forward[span - 1 : n])
    out[span:] = result if reduce == "min" else -result
    return out


def _prior_today(values: np.ndarray, window: int, reduce: str) -> float:
    """``_rolling_prior``'s last value alone: the min or max of the ``window - 1`` sessions
    before the last one (NaN where fewer exist). The full series is only needed on the rare
    day a reversal is ranked."""
    if values.size < window:
        return float("nan")
    earlier = values[-window:-1]
    return float(earlier.min() if reduce == "min" else earlier.max())


def session_events(bars: Bars, settings: EventSettings) -> SessionEvents:
    """The last session of ``bars`` read against all of its earlier sessions."""
    close, open_, high, low, dates = bars.close, bars.open, bars.high, bars.low, bars.dates
    previous = np.concatenate(([np.nan], close[:-1]))
    change = (close / previous - 1.0) * 100.0
    gap = (open_ / previous - 1.0) * 100.0
    window = settings.volatility_window
    recent = change[-1 - window : -1]
    recent = recent[~np.isnan(recent)]
    spread = float(recent.std(ddof=1)) if recent.size >= window else 0.0
    today = float(change[-1])
    day_range = float(high[-1] - low[-1])
    prior_low = _prior_today(low, SESSIONS_PER_YEAR, "min")
    prior_high = _prior_today(high, SESSIONS_PER_YEAR, "max")

    def reversal(side: str) -> Rarity | None:
        """Today's reversal from a new 52-week low (high), ranked among the earlier ones."""
        if side == "low":
            if not (low[-1] < prior_low and today > 0):
                return None
            prior = _rolling_prior(low, SESSIONS_PER_YEAR, "min")
            flags = (low < prior) & (change > 0)
            distance = (close / low - 1.0) * 100.0
        else:
            if not (high[-1] > prior_high and today < 0):
                return None
            prior = _rolling_prior(high, SESSIONS_PER_YEAR, "max")
            flags = (high > prior) & (change < 0)
            distance = (1.0 - close / high) * 100.0
        population = int((~np.isnan(prior)).sum())
        return rank_today(np.where(flags, distance, np.nan), dates, "high", settings, population)

    gap_today = float(gap[-1])
    # The session's move and gap: how long one this large has not been seen is news too.
    ranked = signed_rank(change, dates, settings, quiet_is_news=True)
    erased = _erased(close, change, dates, settings)
    outside = bool(high[-1] > high[-2] and low[-1] < low[-2])
    return SessionEvents(
        change_pct=today,
        change=ranked,
        change_is_rare=is_news(ranked, settings),
        z_score=today / spread if spread > 0 else None,
        gap_pct=gap_today,
        gap=signed_rank(gap, dates, settings, quiet_is_news=True),
        gap_filled=bool(low[-1] <= previous[-1] if gap_today > 0 else high[-1] >= previous[-1]),
        gap_share=gap_today / today if today != 0 else None,
        close_location=float(close[-1] - low[-1]) / day_range if day_range > 0 else None,
        low_to_close_pct=float((close[-1] / low[-1] - 1.0) * 100.0),
        high_to_close_pct=float((1.0 - close[-1] / high[-1]) * 100.0),
        new_52w_low_intraday=bool(low[-1] < prior_low),
        new_52w_high_intraday=bool(high[-1] > prior_high),
        reversal_from_low=reversal("low"),
        reversal_from_high=reversal("high"),
        outside_day=outside,
        previous_close=float(previous[-1]),
        close_side=_side(close[-1], low[-1], day_range),
        outside_reversal=_outside_reversal(outside, close[-1], high[-2], low[-2]),
        low_vs_previous_pct=float((low[-1] / previous[-1] - 1.0) * 100.0),
        high_vs_previous_pct=float((high[-1] / previous[-1] - 1.0) * 100.0),
        intraday_turn=_intraday_turn(today, low[-1], high[-1], previous[-1], settings),
        erased_change_pct=erased[0],
        erased_date=erased[1],
    )


#: The session taken back must be at least this share of today's move to be worth saying.
ERASED_SHARE = 0.5


def _erased(
    close: np.ndarray, change: np.ndarray, dates: np.ndarray, settings: EventSettings
) -> tuple[float | None, dt.date | None]:
    """The previous session's move and date, when today's close took it all back: a gain of at
    least ``erase_min_pct`` (and ``ERASED_SHARE`` of today's) followed by a close under the close
    before it, or the mirror image."""
    if close.size < 3:
        return None, None
    move, today = float(change[-2]), float(change[-1])
    if abs(move) < settings.erase_min_pct or (close[-1] - close[-3]) * move >= 0:
        return None, None
    # A big day that takes back a small one says nothing by it: the Nasdaq's 5.8% gain of
    # December 26, 2018 "erasing Monday's 2.2% loss" is implied by its size.
    if abs(move) < ERASED_SHARE * abs(today):
        return None, None
    return move, to_date(dates[-2])


def _intraday_turn(
    change: float, low: float, high: float, previous: float, settings: EventSettings
) -> str:
    """Whether the session turned hard inside the day: deep at its low (high) and closed with
    little of that move left."""
    at_low = (low / previous - 1.0) * 100.0
    at_high = (high / previous - 1.0) * 100.0
    keep = settings.intraday_turn_share
    if at_low <= -settings.intraday_turn_pct and abs(change) <= keep * -at_low and change <= 0:
        return "recovered"
    if at_high >= settings.intraday_turn_pct and abs(change) <= keep * at_high and change >= 0:
        return "faded"
    return ""


#: The share of the day's range at either end that counts as closing "near" the low or high.
NEAR_END = 0.2
#: ... and on it, within a thousandth of the range: a print, not a rounding, away.
ON_END = 0.001


def _outside_reversal(outside: bool, close: float, high_before: float, low_before: float) -> str:
    if not outside:
        return ""
    return "above" if close > high_before else "below" if close < low_before else ""


def _side(close: float, low: float, day_range: float) -> str:
    if day_range <= 0:
        return "middle"
    location = (close - low) / day_range
    return "low" if location <= NEAR_END else "high" if location >= 1 - NEAR_END else "middle"
