"""Hand-built price series, each planting one situation the built-in rules talk about.

Every builder is deterministic (formulas, plus a seeded numpy RNG where noise helps) and returns
``Bars``, or a ``(symbol_bars, benchmark_bars)`` pair for the comparison rules. High and low sit
0.5 % either side of the close and volume is a flat million unless a builder says otherwise.
"""

from __future__ import annotations

import numpy as np

from commentary.bars import Bars
from commentary.settings import DEFAULT_SETTINGS
from tests.conftest import build_bars

START = "2020-01-01"
SESSIONS = 900
Pair = tuple[Bars, Bars]
FACTS, VOLUME = DEFAULT_SETTINGS.facts, DEFAULT_SETTINGS.volume


# ── building blocks ─────────────────────────────────────────────────────────────────────────


def _wave(n: int, rate: float, *, swing: float = 0.01, period: int = 30, noise: float = 0.002,
          seed: int = 1, base: float = 100.0) -> np.ndarray:  # fmt: skip
    """Closes following exp(rate·t) with a sine swing of ``swing`` and i.i.d. log noise."""
    t = np.arange(n, dtype=np.float64)
    wiggle = np.random.default_rng(seed).standard_normal(n) * noise
    return base * np.exp(rate * t + swing * np.sin(2 * np.pi * t / period) + wiggle)


def _chop(n: int, *, noise: float | np.ndarray = 0.01, seed: int = 7) -> np.ndarray:
    """Closes scattered i.i.d. around 100 (log noise of scale ``noise``): no trend, no swing."""
    return 100.0 * np.exp(np.random.default_rng(seed).standard_normal(n) * noise)


def _range(n: int, phase: float) -> np.ndarray:
    """Swings between 100 and 110 every 40 sessions, ending ``phase`` of a cycle past a trough."""
    t = np.arange(n, dtype=np.float64) - (n - 1)
    return 105.0 - 5.0 * np.cos(2 * np.pi * (t / 40 + phase))


def _then(close: np.ndarray, *moves: float) -> np.ndarray:
    """``close`` followed by one session per move (a fractional change from the previous close)."""
    return np.concatenate((close, close[-1] * np.cumprod(1.0 + np.asarray(moves))))


def _bars(close: np.ndarray, *, volume: np.ndarray | None = None, last_high: float | None = None,
          start: str = START, symbol: str = "TEST") -> Bars:  # fmt: skip
    """Bars over ``close`` (high/low at ±0.5 %), optionally with the last session's high set."""
    high = np.asarray(close, dtype=np.float64) * 1.005
    if last_high is not None:
        high[-1] = last_high
    return build_bars(close, high=high, volume=volume, start=start, symbol=symbol)


def _down_closes() -> np.ndarray:
    return _then(_wave(SESSIONS - 1, -0.001), -0.004)


def _up_closes() -> np.ndarray:
    return 10_000.0 / _down_closes()


def _sma(close: np.ndarray, window: int) -> np.ndarray:
    sums = np.cumsum(np.concatenate(([0.0], close)))
    return np.concatenate((np.full(window - 1, np.nan), (sums[window:] - sums[:-window]) / window))


def _v_shape(sign: float) -> np.ndarray:
    """A smooth V (``sign`` 1) or inverted V (-1): 400 sessions one way, then the other."""
    t = np.arange(SESSIONS, dtype=np.float64)
    return 100.0 * np.exp(sign * 0.002 * (np.maximum(t - 400, 0) - np.minimum(t, 400)))


def _cut_after_cross(close: np.ndarray, age: int) -> np.ndarray:
    """``close`` cut to end ``age`` sessions after SMA 50 last crossed SMA 200."""
    above = _sma(close, 50)[199:] > _sma(close, 200)[199:]
    cross = 199 + int(np.flatnonzero(above[1:] != above[:-1])[-1]) + 1
    return close[: cross + 1 + age]


# ── trends ──────────────────────────────────────────────────────────────────────────────────


def steady_downtrend() -> Bars:
    """About -22 % a year in small swings with noise; ends on a 0.4 % down day."""
    return _bars(_down_closes())


def steady_uptrend() -> Bars:
    """The mirror image of ``steady_downtrend``: about +29 % a year; ends on a 0.4 % up day."""
    return _bars(_up_closes())


def sideways_range() -> Bars:
    """Flat, swinging between 100 and 110; no channel at any horizon."""
    return _bars(_range(SESSIONS, 0.3))


def choppy_flat() -> Bars:
    """I.i.d. noise around 100: no trend, so ADX is low."""
    return _bars(_chop(SESSIONS))


def flat_line() -> Bars:
    """The same close, 100, for 300 sessions: the close and every average are equal."""
    return _bars(np.full(300, 100.0))


# ── the last session ────────────────────────────────────────────────────────────────────────


def _last_move(last: float) -> Bars:
    """The uptrend rescaled so the previous close is exactly 100, then a close at ``last``."""
    close = _up_closes()
    close = close * (100.0 / close[-2])
    close[-2], close[-1] = 100.0, last
    return _bars(close)


def big_up_day() -> Bars:
    """The last session closes exactly facts.big_move_pct higher: 100 → 102 by default."""
    return _last_move(100.0 + FACTS.big_move_pct)


def modest_up_day() -> Bars:
    """The last session closes a cent short of facts.big_move_pct higher: 100 → 101.99."""
    return _last_move(100.0 + FACTS.big_move_pct - 0.01)


def big_down_day() -> Bars:
    """The last session closes exactly facts.big_move_pct lower: 100 → 98 by default."""
    return _last_move(100.0 - FACTS.big_move_pct)


def modest_down_day() -> Bars:
    """The last session closes a cent short of facts.big_move_pct lower: 100 → 98.01."""
    return _last_move(100.0 - FACTS.big_move_pct + 0.01)


def unchanged_day() -> Bars:
    """The last close repeats the one before exactly."""
    return _bars(_then(_up_closes(), 0.0))


# ── pops ────────────────────────────────────────────────────────────────────────────────────


def overbought_pop() -> Bars:
    """The uptrend then ten sessions of +1.2 %: a 12 % pop with RSI overbought."""
    return _bars(_then(_up_closes(), *[0.012] * 10))


def rally_after_dip() -> Bars:
    """The uptrend, eight sessions of -2 %, then five of +2 %: a 10 % pop, RSI not overbought."""
    return _bars(_then(_up_closes(), *[-0.02] * 8, *[0.02] * 5))


def _linear_pop(top: float) -> Bars:
    close = _chop(SESSIONS - 16, noise=0.002)
    return _bars(np.concatenate((close, np.linspace(100.0, top, 16))))


def pop_at_threshold() -> Bars:
    """Quiet, then a straight 15-session climb from 100 by exactly facts.pop_pct (to 108)."""
    return _linear_pop(100.0 + FACTS.pop_pct)


def pop_just_below() -> Bars:
    """Quiet, then a straight 15-session climb from 100 a cent short of facts.pop_pct."""
    return _linear_pop(100.0 + FACTS.pop_pct - 0.01)


def capitulation() -> Bars:
    """Quiet, then ten sessions of -2.5 %: RSI oversold, below the lower band, a 52-week low."""
    return _bars(_then(_chop(SESSIONS - 10, noise=0.004), *[-0.025] * 10))


# ── highs and lows ──────────────────────────────────────────────────────────────────────────


def _up_to(ratio: float) -> Bars:
    """The uptrend, then a close at ``ratio`` × the all-time high; above the peak the session's
    high is the close, below it the high stays under the peak."""
    close = _up_closes()
    peak = float(close.max()) * 1.005
    last = peak * ratio
    high = last if ratio > 1.0 else min(last * 1.002, peak * 0.9999)
    return _bars(np.append(close, last), last_high=high)


def new_all_time_high() -> Bars:
    """The uptrend, then a close 0.3 % above the old all-time high, closing at its high."""
    return _up_to(1.003)


def just_under_all_time_high() -> Bars:
    """The uptrend, then a close 0.4 % (well under one ATR) below the all-time high."""
    return _up_to(0.996)


def near_all_time_high() -> Bars:
    """The uptrend, then a close 2.5 % below the all-time high: within 3 %, beyond one ATR."""
    return _up_to(0.975)


def new_52_week_high() -> Bars:
    """Up to 200, down to 100, back up to a new 52-week high near 150, far below the peak."""
    t = np.arange(SESSIONS, dtype=np.float64)
    legs = np.interp(t, [0, 300, 600, SESSIONS - 1], np.log([100.0, 200.0, 100.0, 150.0]))
    close = np.exp(legs + np.random.default_rng(4).standard_normal(SESSIONS) * 0.003)
    close[-1] = float(close[-253:-1].max()) * 1.01
    return _bars(close)


def new_52_week_low() -> Bars:
    """The downtrend, then a close 1 % under the lowest low of the past year."""
    close = _down_closes()
    close[-1] = float(close[-253:-1].min()) * 0.995 * 0.99
    return _bars(close)


# ── support and resistance (a range between 100 and 110, each edge touched many times) ──────


def breakout_above_resistance() -> Bars:
    """The range climbs to 107.9, then closes at 112, through the 110.5 resistance."""
    return _bars(np.append(_range(SESSIONS - 1, 0.35), 112.0))


def just_under_resistance() -> Bars:
    """The range climbs to 107.9, then closes at 110, just under the 110.5 resistance."""
    return _bars(np.append(_range(SESSIONS - 1, 0.35), 110.0))


def breakdown_below_support() -> Bars:
    """The range falls to 102.1, then closes at 98, through the 99.5 support."""
    return _bars(np.append(_range(SESSIONS - 1, 0.85), 98.0))


def just_above_support() -> Bars:
    """The range falls to 102.1, then closes at 100, just above the 99.5 support."""
    return _bars(np.append(_range(SESSIONS - 1, 0.85), 100.0))


# ── momentum ────────────────────────────────────────────────────────────────────────────────


def macd_bullish_cross() -> Bars:
    """The downtrend, then three sessions of +1.5 %: MACD crosses above its signal line."""
    return _bars(_then(_down_closes(), 0.015, 0.015, 0.015))


def macd_bearish_cross() -> Bars:
    """The uptrend, then three sessions of -1.5 %: MACD crosses below its signal line."""
    return _bars(_then(_up_closes(), -0.015, -0.015, -0.015))


def bollinger_squeeze() -> Bars:
    """Noise, then a 10-session wiggle whose size shrinks tenfold over 150 sessions."""
    close = _chop(SESSIONS)
    t = np.arange(150, dtype=np.float64)
    close[-150:] = 100.0 * np.exp(0.01 * 0.1 ** (t / 149) * np.sin(2 * np.pi * t / 10))
    return _bars(close)


def volatility_expanding() -> Bars:
    """Quiet noise, then noise three times as large over the last 30 sessions: bands widening."""
    scale = np.full(SESSIONS, 0.004)
    scale[-30:] = 0.012
    return _bars(_chop(SESSIONS, noise=scale))


# ── moving-average crosses ──────────────────────────────────────────────────────────────────


def fresh_golden_cross() -> Bars:
    """A smooth V, ending exactly facts.fresh_cross_sessions after the golden cross."""
    return _bars(_cut_after_cross(_v_shape(1.0), FACTS.fresh_cross_sessions))


def aging_golden_cross() -> Bars:
    """The same V, ending one session later."""
    return _bars(_cut_after_cross(_v_shape(1.0), FACTS.fresh_cross_sessions + 1))


def fresh_death_cross() -> Bars:
    """An inverted V, ending exactly facts.fresh_cross_sessions after the death cross."""
    return _bars(_cut_after_cross(_v_shape(-1.0), FACTS.fresh_cross_sessions))


def aging_death_cross() -> Bars:
    """The inverted V, ending one session later."""
    return _bars(_cut_after_cross(_v_shape(-1.0), FACTS.fresh_cross_sessions + 1))


# ── volume (a flat million a session, then the last one) ────────────────────────────────────


def _last_volume(close: np.ndarray, last: float) -> Bars:
    volume = np.full(close.size, 1_000_000.0)
    volume[-1] = last
    return _bars(close, volume=volume)


def heavy_volume_advance() -> Bars:
    """An up day on exactly volume.heavy_ratio (1.5) times the average volume."""
    return _last_volume(_up_closes(), VOLUME.heavy_ratio * 1e6)


def heavy_volume_decline() -> Bars:
    """A down day on exactly volume.heavy_ratio times the average volume."""
    return _last_volume(_down_closes(), VOLUME.heavy_ratio * 1e6)


def busy_advance() -> Bars:
    """An up day on 0.01 less than volume.heavy_ratio times the average: busy, not heavy."""
    return _last_volume(_up_closes(), (VOLUME.heavy_ratio - 0.01) * 1e6)


def light_volume_advance() -> Bars:
    """An up day on exactly volume.light_ratio (0.6) times the average volume."""
    return _last_volume(_up_closes(), VOLUME.light_ratio * 1e6)


def light_volume_decline() -> Bars:
    """A down day on exactly volume.light_ratio times the average volume."""
    return _last_volume(_down_closes(), VOLUME.light_ratio * 1e6)


def quiet_decline() -> Bars:
    """A down day on 0.01 more than volume.light_ratio times the average: quiet, not light."""
    return _last_volume(_down_closes(), (VOLUME.light_ratio + 0.01) * 1e6)


# ── against a benchmark ─────────────────────────────────────────────────────────────────────


def _benchmark_closes(n: int = SESSIONS) -> np.ndarray:
    return _wave(n, 0.0003, swing=0.02, period=50, noise=0.004, seed=21)


def _pair(symbol: np.ndarray, benchmark: np.ndarray, start: str = START) -> Pair:
    return (_bars(symbol, start=start, symbol="SYM"), _bars(benchmark, start=start, symbol="BENCH"))


def _streaks(*planted: tuple[int, int], current: int, sign: int = 1) -> Pair:
    """Spreads alternating ±0.2 %, with runs of ``sign`` at (first spread, length) and now."""
    signs = np.resize([1.0, -1.0], SESSIONS - 1)
    for first, length in (*planted, (SESSIONS - 1 - current, current)):
        signs[first - 1] = signs[min(first + length, SESSIONS - 2)] = -sign
        signs[first : first + length] = sign
    relative = np.concatenate(([1.0], np.cumprod(1.0 + 0.002 * signs)))
    benchmark = _benchmark_closes()
    return _pair(benchmark * relative, benchmark)


def record_streak() -> Pair:
    """Outperformance runs of 8 (2020) and 13 (2021) sessions, then a current run of 14."""
    return _streaks((100, 8), (400, 13), current=14)


def streak_matching_record() -> Pair:
    """Outperformance runs of 8 (2020) and 13 (2021) sessions, then a current run of 13."""
    return _streaks((100, 8), (400, 13), current=13)


def longest_streak_since() -> Pair:
    """Outperformance runs of 20 (2020) and 8 (2021), then a current 13: longest since 2020."""
    return _streaks((100, 20), (400, 8), current=13)


def longer_streak_weeks_ago() -> Pair:
    """A run of 15 ended two weeks before the current 13: "the longest since" then says nothing."""
    current = 13
    first = SESSIONS - 1 - current
    return _streaks((100, 20), (first - 25, 15), current=current)


def _diverging(sessions: int, move: float) -> Pair:
    """The symbol tracks the benchmark exactly, then moves ``move`` a session against it."""
    benchmark = _benchmark_closes()
    relative = np.ones(SESSIONS)
    relative[-sessions:] = (1.0 + move) ** np.arange(1, sessions + 1)
    return _pair(benchmark * relative, benchmark)


def first_underperformance_streak() -> Pair:
    """The first streak ever: exactly facts.min_streak sessions behind the benchmark."""
    return _diverging(FACTS.min_streak, -0.002)


def streak_one_short() -> Pair:
    """The first streak ever, one session short of facts.min_streak: too short to mention."""
    return _diverging(FACTS.min_streak - 1, -0.002)


def ytd_pair(symbol_last: float) -> Pair:
    """Both close last year at exactly 100; the benchmark ends at 100, the symbol at the given
    ``symbol_last``, and until then the two are identical."""
    benchmark = _benchmark_closes()
    dates = build_bars(benchmark, start=START).dates
    base = int(np.searchsorted(dates, dates[-1].astype("datetime64[Y]"))) - 1
    benchmark = benchmark * (100.0 / benchmark[base])
    benchmark[base] = benchmark[-1] = 100.0
    symbol = benchmark.copy()
    symbol[-1] = symbol_last
    return _pair(symbol, benchmark)


def ytd_ahead() -> Pair:
    """Ahead of the benchmark year to date by exactly facts.ytd_gap_points: +1 % against 0 %."""
    return ytd_pair(100.0 + FACTS.ytd_gap_points)


def ytd_behind() -> Pair:
    """Behind the benchmark year to date by exactly facts.ytd_gap_points: -1 % against 0 %."""
    return ytd_pair(100.0 - FACTS.ytd_gap_points)


def ytd_almost_ahead() -> Pair:
    """Ahead of the benchmark year to date by a hundredth less than facts.ytd_gap_points."""
    return ytd_pair(100.0 + FACTS.ytd_gap_points - 0.01)


def ytd_almost_behind() -> Pair:
    """Behind the benchmark year to date by a hundredth less than facts.ytd_gap_points."""
    return ytd_pair(100.0 - FACTS.ytd_gap_points + 0.01)


def ytd_level() -> Pair:
    """Level with the benchmark year to date: half of facts.ytd_gap_points ahead."""
    return ytd_pair(100.0 + FACTS.ytd_gap_points / 2)


def pair_within_first_year() -> Pair:
    """Both histories start this year, so there is no year-to-date base."""
    benchmark = _benchmark_closes(120)
    return _pair(benchmark * 1.001 ** np.arange(120), benchmark, start="2023-01-02")


def _divergence(side: int, held: bool) -> Pair:
    """The benchmark's last close 10% beyond every close of the 20 before it (``side`` -1: a new
    low, +1: a new high); the symbol's own extreme of those 20 sits three sessions back, and its
    last session moves 4% toward it and stays inside it (``held``) or goes past it."""
    benchmark = _benchmark_closes()
    month = benchmark[-21:-1]
    benchmark[-1] = (month.min() * 0.9) if side < 0 else (month.max() * 1.1)  # a 10% break
    symbol = benchmark.copy()
    symbol[-21:-1] = 100.0
    symbol[-4] = 100.0 + side * 5.0  # its extreme of the month, three sessions back
    symbol[-1] = 100.0 + side * (4.0 if held else 6.0)  # a 4% move toward it, held by 1%
    return _pair(symbol, benchmark)


def held_low_on_a_benchmark_low() -> Pair:
    """The benchmark closes at its lowest in a month; the symbol holds above its own low."""
    return _divergence(-1, held=True)


def broke_low_with_the_benchmark() -> Pair:
    """Both close at their lowest in a month: no divergence."""
    return _divergence(-1, held=False)


def held_high_on_a_benchmark_high() -> Pair:
    """The benchmark closes at its highest in a month; the symbol stays below its own high."""
    return _divergence(1, held=True)


def broke_high_with_the_benchmark() -> Pair:
    """Both close at their highest in a month: no divergence."""
    return _divergence(1, held=False)
