"""The states stage's vocabulary: enums and frozen dataclasses, one group per theme.

Every state is "as of" the last session the stage was given; nothing here looks further.
Percentages are in percent (15.3 means 15.3 %), unrounded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum

from ..events import Events
from ..indicators.channels import Channel
from ..indicators.levels import Level, SwingStructure
from ..indicators.performance import Extremes, Pop
from ..indicators.relative import Relative
from .trade_levels import TradeLevel


class Zone(Enum):
    """Where an oscillator sits against its overbought and oversold thresholds."""

    OVERBOUGHT = "overbought"
    NEUTRAL = "neutral"
    OVERSOLD = "oversold"


class CrossConfiguration(Enum):
    """SMA 50 above SMA 200 is the golden-cross configuration; below, the death cross."""

    GOLDEN = "golden cross"
    DEATH = "death cross"


class Stacking(Enum):
    """Order of the close and the 5-, 50- and 200-day averages."""

    BULLISH = "bullish"  # close > 5 > 50 > 200
    BEARISH = "bearish"  # close < 5 < 50 < 200
    MIXED = "mixed"


class TrendStrength(Enum):
    """ADX reading: below the weak threshold there is no trend worth the name."""

    ABSENT = "absent"
    DEVELOPING = "developing"
    STRONG = "strong"
    VERY_STRONG = "very strong"


class BandPosition(Enum):
    ABOVE_UPPER = "above the upper band"
    UPPER_HALF = "upper half"
    LOWER_HALF = "lower half"
    BELOW_LOWER = "below the lower band"


class VolumeZone(Enum):
    HEAVY = "heavy"
    NORMAL = "normal"
    LIGHT = "light"


@dataclass(frozen=True)
class MomentumState:
    rsi: float
    rsi_zone: Zone
    rsi_rising: bool
    macd: float
    macd_signal: float
    macd_hist: float
    macd_positive: bool
    macd_above_signal: bool
    #: Sessions since the MACD last crossed its signal line (0 = today); None if never.
    macd_cross_age: int | None
    macd_hist_rising: bool
    stoch_k: float
    stoch_d: float
    stoch_zone: Zone
    adx: float
    trend_strength: TrendStrength


@dataclass(frozen=True)
class BandState:
    upper: float
    middle: float
    lower: float
    position: BandPosition
    bandwidth_pct: float
    #: Bandwidth at its narrowest over the squeeze lookback.
    squeeze: bool


@dataclass(frozen=True)
class AverageState:
    close: float
    sma_5: float
    sma_20: float
    sma_50: float
    sma_200: float | None
    ema_20: float
    stacking: Stacking
    #: Names among close, sma_5, sma_50, sma_200 from highest value to lowest.
    order: tuple[str, ...]
    #: None while there are fewer than 200 sessions.
    cross: CrossConfiguration | None
    #: Sessions since SMA 50 last crossed SMA 200 (0 = today); None if not within ``cross_window``.
    cross_age: int | None
    #: Sessions over which both averages exist: a configuration without a cross has held this long.
    cross_window: int


@dataclass(frozen=True)
class TrendState:
    #: By horizon name (short, medium, long); a horizon longer than the history is absent.
    channels: dict[str, Channel]
    structure: SwingStructure


@dataclass(frozen=True)
class LevelState:
    atr: float
    levels: tuple[Level, ...]
    support: Level | None
    resistance: Level | None
    extremes: Extremes
    #: Distances from the close in ATRs (how many average daily ranges away); None without a level.
    support_gap_atr: float | None
    resistance_gap_atr: float | None
    all_time_high_gap_atr: float | None
    #: A level the close crossed today (the previous close on the other side), if any.
    crossed_above: Level | None
    crossed_below: Level | None
    #: The levels a trader watches within ``reach_atr`` ATRs of the close, nearest first
    #: (``states.trade_levels``): recent closes, the day's and the prior session's extremes, a
    #: gap's edge, the 50- and 200-day, the 10% and 20% lines, swings and pivot clusters.
    watch: tuple[TradeLevel, ...] = ()
    #: How far (in ATRs) a level may be and still be within reach.
    reach_atr: float = 0.0


@dataclass(frozen=True)
class PerformanceState:
    #: Percentage change over each window of sessions (key: sessions); None if too short.
    returns_pct: dict[int, float | None]
    ytd_pct: float | None
    ytd_base_date: dt.date | None
    pop: Pop


@dataclass(frozen=True)
class VolumeState:
    volume: float
    #: Mean volume of the sessions before the last one.
    average: float
    #: None when the average is zero (some index feeds carry no volume).
    ratio: float | None
    zone: VolumeZone | None


class RatingLabel(Enum):
    """TradingView's five bands of a technical rating, named without trading advice."""

    STRONGLY_NEGATIVE = "strongly negative"  # TradingView: Strong Sell, [-100, -50)
    NEGATIVE = "negative"  # Sell, [-50, -10)
    NEUTRAL = "neutral"  # Neutral, [-10, 10]
    POSITIVE = "positive"  # Buy, (10, 50]
    STRONGLY_POSITIVE = "strongly positive"  # Strong Buy, (50, 100]


@dataclass(frozen=True)
class RatingState:
    """The technical rating: see ``commentary/states/rating.py`` and docs/rating.md."""

    value: float
    label: RatingLabel
    moving_averages: float
    oscillators: float
    #: Votes as (indicator, -1 | 0 | +1) pairs, in the order they were cast.
    votes: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class SymbolStates:
    """Everything the rules engine may say about one symbol as of ``date``."""

    symbol: str
    date: dt.date
    close: float
    sessions: int
    stale: bool
    momentum: MomentumState
    bands: BandState
    averages: AverageState
    trend: TrendState
    levels: LevelState
    performance: PerformanceState
    volume: VolumeState
    rating: RatingState
    #: What is rare today against the instrument's own history (the events stage); None until
    #: the pipeline has attached it.
    events: Events | None = None


@dataclass(frozen=True)
class PairStates:
    """A symbol against its benchmark as of ``relative.date``."""

    relative: Relative
