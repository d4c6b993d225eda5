"""Benchmark: the indicators + states stage over a synthetic universe, against plain TA-Lib.

Builds 5,000 tickers x 2,520 sessions of random-walk OHLCV in memory (seeded), then times, in the
same run and on the same arrays:

- our stage: ``compute_indicators`` + ``classify`` + ``classify_pair`` against a benchmark, for
  every ticker (TA-Lib's series plus our own numpy: returns, extremes, pivots and levels, three
  regression channels, relative streaks and records, and the states);
- the baseline: a plain loop calling TA-Lib for the same nine indicators (RSI, MACD, SMA x4,
  EMA, ATR, ADX, BBANDS, STOCH, OBV).

Prints both wall times and the ratio (goal: at most 2x), and the per-ticker cost of the events
stage (``detect_events``: ranks, recurrence, drawdown speed and base rates) on its own. Run:
``.venv/bin/python benchmarks/indicators.py [--tickers N] [--sessions N] [--repeat N]``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import talib

from commentary.bars import Bars
from commentary.calendars import calendar_for
from commentary.events import detect_events
from commentary.indicators import compute_indicators
from commentary.states import classify, classify_pair


def synthetic_universe(tickers: int, sessions: int, seed: int = 7) -> list[Bars]:
    rng = np.random.default_rng(seed)
    # NYSE sessions, as a real universe has them: plain business days put bars on holidays, and
    # every page then carried two data notes about them and took the verifier's rare path.
    first = np.datetime64("2010-01-04", "D")
    days = calendar_for("XNYS", first, first + np.timedelta64(2 * sessions, "D")).days
    dates = days[days >= first][:sessions]
    universe = []
    for index in range(tickers):
        returns = rng.normal(0.0003, 0.015, sessions)
        close = 50.0 * np.exp(np.cumsum(returns))
        opening = close * np.exp(rng.normal(0.0, 0.004, sessions))
        spread = np.abs(rng.normal(0.0, 0.008, sessions))
        high = np.maximum(opening, close) * (1 + spread)
        low = np.minimum(opening, close) * (1 - spread)
        volume = rng.integers(100_000, 5_000_000, sessions).astype(np.float64)
        universe.append(Bars(f"T{index:04d}", dates, opening, high, low, close, volume))
    return universe


def plain_talib(universe: list[Bars]) -> float:
    started = time.perf_counter()
    for bars in universe:
        h, lo, c, v = bars.high, bars.low, bars.close, bars.volume
        talib.RSI(c, 14)
        talib.MACD(c, 12, 26, 9)
        for period in (5, 20, 50, 200):
            talib.SMA(c, period)
        talib.EMA(c, 20)
        talib.ATR(h, lo, c, 14)
        talib.ADX(h, lo, c, 14)
        talib.BBANDS(c, 20, 2.0, 2.0)
        talib.STOCH(h, lo, c, 14, 3, 0, 3, 0)
        talib.OBV(c, v)
    return time.perf_counter() - started


def our_stage(universe: list[Bars], benchmark: Bars) -> float:
    started = time.perf_counter()
    for bars in universe:
        classify(bars, compute_indicators(bars))
        classify_pair(bars, benchmark)
    return time.perf_counter() - started


def events_stage(universe: list[Bars]) -> float:
    """The events stage alone, over indicators computed beforehand (not timed)."""
    computed = [(bars, compute_indicators(bars)) for bars in universe]
    started = time.perf_counter()
    for bars, indicators in computed:
        detect_events(bars, indicators)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickers", type=int, default=5000)
    parser.add_argument("--sessions", type=int, default=2520)
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs of each side")
    args = parser.parse_args()

    universe = synthetic_universe(args.tickers + 1, args.sessions)
    benchmark, universe = universe[0], universe[1:]
    print(f"universe: {args.tickers} tickers x {args.sessions} sessions (in memory)")
    baseline = min(plain_talib(universe) for _ in range(args.repeat))
    ours = min(our_stage(universe, benchmark) for _ in range(args.repeat))
    print(f"plain TA-Lib loop (9 indicators):        {baseline:7.3f} s")
    print(f"commentary indicators + states + pairs:  {ours:7.3f} s")
    print(f"ratio: {ours / baseline:.2f}x the plain TA-Lib loop (goal <= 2.00x)")
    micro = 1e6 / args.tickers
    print(f"per ticker: {ours * micro:.0f} us ours, {baseline * micro:.0f} us TA-Lib")
    events = min(events_stage(universe) for _ in range(args.repeat))
    print(f"events stage: {events * micro:.0f} us per ticker ({events / ours:.0%} of ours)")


if __name__ == "__main__":
    main()
