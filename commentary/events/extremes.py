"""Extremes of the gauges, each ranked against the instrument's own history: the RSI, the
distance from the 200-day average and the ATR as a percentage of price. A gauge's rarity is its
return period alone: a level that has stood unmatched for long is a standing condition, not
news every day it lasts (``rank_today``'s ``quiet_is_news``, for a session only)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..indicators import Indicators
from ..settings import EventSettings
from .rarity import Rarity, rank_today


@dataclass(frozen=True)
class GaugeExtremes:
    #: The RSI ranked from the extreme it is nearer: low under 50 ("the lowest since ..."),
    #: high from 50 up.
    rsi: Rarity | None
    #: Percent above (+) or below (-) the 200-day average, ranked the same way.
    from_sma_200_pct: float | None
    from_sma_200: Rarity | None
    #: The 14-day ATR as a percentage of the close ("the widest daily ranges since ...").
    atr_pct: float | None
    atr: Rarity | None


def _ranked_from_middle(values: np.ndarray, middle: float, indicators: Indicators,
                        settings: EventSettings) -> Rarity | None:  # fmt: skip
    today = float(values[-1])
    if np.isnan(today):
        return None
    side = "high" if today >= middle else "low"
    return rank_today(values, indicators.dates, side, settings)


def gauge_extremes(
    close: np.ndarray, indicators: Indicators, settings: EventSettings
) -> GaugeExtremes:
    series = indicators.series
    distance = (close / series["sma_200"] - 1.0) * 100.0
    atr = series["atr_14"] / close * 100.0
    return GaugeExtremes(
        rsi=_ranked_from_middle(series["rsi_14"], 50.0, indicators, settings),
        from_sma_200_pct=None if np.isnan(distance[-1]) else float(distance[-1]),
        from_sma_200=_ranked_from_middle(distance, 0.0, indicators, settings),
        atr_pct=None if np.isnan(atr[-1]) else float(atr[-1]),
        atr=rank_today(atr, indicators.dates, "high", settings),
    )
