"""The events stage: what is rare today, measured against the instrument's own history.

A pure function of the bars and indicators up to the as-of session (nothing later), computed
once per instrument with vectorised numpy. The rules read it as ``events.*`` beside the states;
a fact's salience may come from an event's rarity (docs/salience.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..bars import Bars
from ..indicators import Indicators
from ..settings import DEFAULT_SETTINGS, Settings
from .baserates import BaseRate, Case, base_rate
from .crossings import FIFTY_DAY_SALIENCE, AverageCross, average_cross
from .drawdown import Drawdown, Speed, drawdown_events
from .extremes import GaugeExtremes, gauge_extremes
from .rarity import Rarity, rank_today, salience_from_return_period, signed_rank
from .records import ClosingLow, RecordBefore, RecordClose, closing_low, record_before, record_close
from .runs import RunEvents, run_events
from .session import SessionEvents, session_events


@dataclass(frozen=True)
class Events:
    session: SessionEvents
    runs: RunEvents
    drawdown: Drawdown
    extremes: GaugeExtremes
    #: Today's close is the highest in the data (None: it is not).
    record_close: RecordClose | None
    #: The previous session's close was a record and today's fell short (None: it was not).
    record_before: RecordBefore | None
    #: Today's close crossed the 200-day average (None: it did not).
    average_cross: AverageCross | None
    #: ... and the 50-day.
    average_cross_50: AverageCross | None
    #: What followed earlier sessions like today (None: too small a move or too few cases).
    base_rate: BaseRate | None
    #: Today's close is the lowest of a year or more, ranked (None: it is not).
    closing_low: ClosingLow | None = None


def detect_events(
    bars: Bars, indicators: Indicators, settings: Settings = DEFAULT_SETTINGS
) -> Events:
    """Every event of ``bars``'s last session, from its history up to that session."""
    config = settings.events
    return Events(
        session=session_events(bars, config),
        runs=run_events(bars, config, settings.performance),
        drawdown=drawdown_events(bars, config),
        extremes=gauge_extremes(bars.close, indicators, config),
        record_close=record_close(bars.close, bars.dates, config),
        record_before=record_before(bars.close, bars.dates),
        average_cross=average_cross(bars.close, indicators.series["sma_200"], bars.dates, config),
        average_cross_50=average_cross(
            bars.close, indicators.series["sma_50"], bars.dates, config, 50, FIFTY_DAY_SALIENCE
        ),
        base_rate=base_rate(bars, config),
        closing_low=closing_low(bars.close, bars.dates),
    )


__all__ = [
    "AverageCross",
    "BaseRate",
    "Case",
    "ClosingLow",
    "Drawdown",
    "Events",
    "GaugeExtremes",
    "Rarity",
    "RecordBefore",
    "RecordClose",
    "RunEvents",
    "SessionEvents",
    "Speed",
    "detect_events",
    "rank_today",
    "salience_from_return_period",
    "signed_rank",
]
