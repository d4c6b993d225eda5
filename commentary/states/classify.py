"""Classify indicators into states, with every threshold taken from ``Settings``."""

from __future__ import annotations

import itertools

import numpy as np

from ..bars import Bars
from ..indicators import Indicators
from ..indicators.channels import fit_channels
from ..indicators.levels import (
    Pivots,
    cluster_levels,
    nearest_levels,
    swing_pivots,
    swing_structure,
)
from ..indicators.performance import extremes, largest_pop, window_returns, year_to_date
from ..indicators.relative import relative_performance
from ..indicators.series import last_cross, to_date
from ..settings import (
    DEFAULT_SETTINGS,
    MomentumSettings,
    Settings,
    VolumeSettings,
)
from .model import (
    AverageState,
    BandPosition,
    BandState,
    CrossConfiguration,
    LevelState,
    MomentumState,
    PairStates,
    PerformanceState,
    Stacking,
    SymbolStates,
    TrendState,
    TrendStrength,
    VolumeState,
    VolumeZone,
    Zone,
)
from .rating import technical_rating
from .trade_levels import trade_levels


def classify(
    bars: Bars, indicators: Indicators, settings: Settings = DEFAULT_SETTINGS
) -> SymbolStates:
    """The states of ``bars`` as of its last session."""
    series = indicators.series
    close = float(bars.close[-1])
    pivots = swing_pivots(bars, settings.levels.pivot_span, settings.levels.lookback)
    momentum = _momentum(series, settings.momentum)
    averages = _averages(series, close)
    return SymbolStates(
        symbol=bars.symbol,
        date=to_date(bars.last_date),
        close=close,
        sessions=len(bars),
        stale=bars.stale,
        momentum=momentum,
        bands=_bands(series, close, settings.momentum.squeeze_lookback),
        averages=averages,
        trend=_trend(bars, pivots, settings),
        levels=_levels(bars, pivots, series, settings),
        performance=_performance(bars, settings),
        volume=_volume(bars.volume, settings.volume),
        rating=technical_rating(averages, momentum, settings.momentum),
    )


def classify_pair(bars: Bars, benchmark: Bars) -> PairStates:
    """The states of ``bars`` against ``benchmark`` as of their last common session."""
    return PairStates(relative=relative_performance(bars, benchmark))


def zone(value: float, overbought: float, oversold: float) -> Zone:
    """
    >>> zone(70.0, 70, 30), zone(52.6, 70, 30), zone(30.0, 70, 30)
    (<Zone.OVERBOUGHT: 'overbought'>, <Zone.NEUTRAL: 'neutral'>, <Zone.OVERSOLD: 'oversold'>)
    """
    if value >= overbought:
        return Zone.OVERBOUGHT
    if value <= oversold:
        return Zone.OVERSOLD
    return Zone.NEUTRAL


def _momentum(series: dict[str, np.ndarray], settings: MomentumSettings) -> MomentumState:
    rsi = float(series["rsi_14"][-1])
    macd, signal, hist = (float(series[k][-1]) for k in ("macd", "macd_signal", "macd_hist"))
    cross_age, _ = last_cross(series["macd_hist"])
    stoch_k, stoch_d = float(series["stoch_k"][-1]), float(series["stoch_d"][-1])
    adx = float(series["adx_14"][-1])
    if adx >= settings.adx_very_strong:
        strength = TrendStrength.VERY_STRONG
    elif adx >= settings.adx_strong:
        strength = TrendStrength.STRONG
    elif adx >= settings.adx_weak:
        strength = TrendStrength.DEVELOPING
    else:
        strength = TrendStrength.ABSENT
    return MomentumState(
        rsi=rsi,
        rsi_zone=zone(rsi, settings.rsi_overbought, settings.rsi_oversold),
        rsi_rising=rsi > float(series["rsi_14"][-2]),
        macd=macd,
        macd_signal=signal,
        macd_hist=hist,
        macd_positive=macd > 0,
        macd_above_signal=hist > 0,
        macd_cross_age=cross_age,
        macd_hist_rising=hist > float(series["macd_hist"][-2]),
        stoch_k=stoch_k,
        stoch_d=stoch_d,
        stoch_zone=zone(stoch_k, settings.stoch_overbought, settings.stoch_oversold),
        adx=adx,
        trend_strength=strength,
    )


def _bands(series: dict[str, np.ndarray], close: float, squeeze_lookback: int) -> BandState:
    upper, middle, lower = (series[k] for k in ("bb_upper", "bb_middle", "bb_lower"))
    width = (upper[-squeeze_lookback:] - lower[-squeeze_lookback:]) / middle[-squeeze_lookback:]
    width = width[~np.isnan(width)]
    u, m, lo = float(upper[-1]), float(middle[-1]), float(lower[-1])
    if close > u:
        position = BandPosition.ABOVE_UPPER
    elif close < lo:
        position = BandPosition.BELOW_LOWER
    else:
        position = BandPosition.UPPER_HALF if close >= m else BandPosition.LOWER_HALF
    return BandState(
        upper=u,
        middle=m,
        lower=lo,
        position=position,
        bandwidth_pct=float(width[-1]) * 100.0,
        squeeze=bool(width.size >= squeeze_lookback and width[-1] <= width.min()),
    )


def _averages(series: dict[str, np.ndarray], close: float) -> AverageState:
    latest = {k: float(series[k][-1]) for k in ("sma_5", "sma_20", "sma_50", "sma_200", "ema_20")}
    sma_200 = None if np.isnan(latest["sma_200"]) else latest["sma_200"]
    stack = {"close": close, "sma_5": latest["sma_5"], "sma_50": latest["sma_50"]}
    if sma_200 is not None:
        stack["sma_200"] = sma_200
    order = tuple(sorted(stack, key=stack.__getitem__, reverse=True))
    values = list(stack.values())
    # Strict inequalities: equal averages are not a stack either way.
    if all(a > b for a, b in itertools.pairwise(values)):
        stacking = Stacking.BULLISH
    elif all(a < b for a, b in itertools.pairwise(values)):
        stacking = Stacking.BEARISH
    else:
        stacking = Stacking.MIXED
    cross = cross_age = None
    window = 0
    if sma_200 is not None:
        difference = series["sma_50"] - series["sma_200"]
        cross_age, golden = last_cross(difference)
        if sma_200 != latest["sma_50"]:  # equal averages are neither configuration
            cross = CrossConfiguration.GOLDEN if golden else CrossConfiguration.DEATH
        window = difference.size - int(np.count_nonzero(np.isnan(difference)))
    return AverageState(
        close=close,
        sma_5=latest["sma_5"],
        sma_20=latest["sma_20"],
        sma_50=latest["sma_50"],
        sma_200=sma_200,
        ema_20=latest["ema_20"],
        stacking=stacking,
        order=order,
        cross=cross,
        cross_age=cross_age,
        cross_window=window,
    )


def _trend(bars: Bars, pivots: Pivots, settings: Settings) -> TrendState:
    return TrendState(
        channels={c.horizon: c for c in fit_channels(bars.dates, bars.close, settings.trend)},
        structure=swing_structure(bars, pivots),
    )


def _levels(
    bars: Bars, pivots: Pivots, series: dict[str, np.ndarray], settings: Settings
) -> LevelState:
    config = settings.levels
    levels = cluster_levels(bars, pivots, config.cluster_tolerance, config.min_touches)
    close, previous = float(bars.close[-1]), float(bars.close[-2])
    support, resistance = nearest_levels(levels, close)
    atr = float(series["atr_14"][-1])
    highs = extremes(bars, settings.performance.high_low_window)
    crossed_above = next((lv for lv in levels if previous < lv.price <= close), None)
    crossed_below = next((lv for lv in reversed(levels) if close <= lv.price < previous), None)
    return LevelState(
        atr=atr,
        levels=levels,
        support=support,
        resistance=resistance,
        extremes=highs,
        support_gap_atr=_in_atrs(close - support.price, atr) if support else None,
        resistance_gap_atr=_in_atrs(resistance.price - close, atr) if resistance else None,
        all_time_high_gap_atr=_in_atrs(highs.all_time_high - close, atr),
        crossed_above=crossed_above,
        crossed_below=crossed_below,
        watch=trade_levels(bars, series, pivots, levels, crossed_above or crossed_below, config),
        reach_atr=config.reach_atr,
    )


def _in_atrs(distance: float, atr: float) -> float | None:
    # A flat series has no range to measure distance in.
    return distance / atr if atr > 0 else None


def _performance(bars: Bars, settings: Settings) -> PerformanceState:
    config = settings.performance
    ytd, base = year_to_date(bars.dates, bars.close)
    return PerformanceState(
        returns_pct=window_returns(bars.close, config.return_windows),
        ytd_pct=ytd,
        ytd_base_date=base,
        pop=largest_pop(bars, config.pop_window),
    )


def _volume(volume: np.ndarray, settings: VolumeSettings) -> VolumeState:
    earlier = volume[-1 - settings.average_window : -1]
    average = float(earlier.sum()) / earlier.size
    today = float(volume[-1])
    ratio = today / average if average > 0 else None
    if ratio is None:
        volume_zone = None
    elif ratio >= settings.heavy_ratio:
        volume_zone = VolumeZone.HEAVY
    elif ratio <= settings.light_ratio:
        volume_zone = VolumeZone.LIGHT
    else:
        volume_zone = VolumeZone.NORMAL
    return VolumeState(volume=today, average=average, ratio=ratio, zone=volume_zone)
