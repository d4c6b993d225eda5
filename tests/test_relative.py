"""Relative performance: daily spreads, streaks, records, year-to-date gap, real-data check."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from commentary.bars import Bars
from commentary.errors import InsufficientHistory
from commentary.indicators.relative import relative_performance
from commentary.indicators.series import to_date
from commentary.pipeline import analyse
from commentary.resources import samples_data_dir

BENCH_STEP = 0.001  # the benchmark alternates +0.1 % / -0.1 %: flat-ish


def _pair(make_bars, spreads, start="2020-01-01", bench=None):
    """Symbol and benchmark whose daily return spreads are ``spreads`` (first session has none)."""
    spreads = np.asarray(spreads, dtype=float)
    if bench is None:
        bench = np.where(np.arange(spreads.size) % 2 == 0, BENCH_STEP, -BENCH_STEP)
    sym = 100.0 * np.cumprod(np.concatenate([[1.0], 1 + bench + spreads]))
    base = 100.0 * np.cumprod(np.concatenate([[1.0], 1 + bench]))
    return make_bars(sym, start=start, symbol="SYM"), make_bars(base, start=start, symbol="BEN")


def _alternating(n: int) -> list[float]:
    return [0.002 if i % 2 == 0 else -0.002 for i in range(n)]


def _frame(bars: Bars) -> pd.Series:
    return pd.Series(bars.close, index=pd.DatetimeIndex(bars.dates.astype("datetime64[ns]")))


def _pandas_spread(a: Bars, b: Bars) -> pd.Series:
    """Independent spread: inner join on date, pct_change difference."""
    joined = pd.concat([_frame(a), _frame(b)], axis=1, join="inner", keys=["a", "b"])
    return (joined["a"].pct_change() - joined["b"].pct_change()).iloc[1:]


def _drop(bars: Bars, *rows: int) -> Bars:
    keep = np.setdiff1d(np.arange(len(bars)), rows)
    return Bars(
        bars.symbol,
        bars.dates[keep],
        bars.open[keep],
        bars.high[keep],
        bars.low[keep],
        bars.close[keep],
        bars.volume[keep],
        bars.origin,
    )


def test_current_outperformance_streak_of_thirteen(make_bars) -> None:
    """13 beating sessions after a lagging one: streak 13, average spread exact, dates right."""
    beats = [0.001 * (1 + k % 3) for k in range(13)]
    sym, ben = _pair(make_bars, [*_alternating(20), -0.003, *beats])
    rel = relative_performance(sym, ben)
    assert rel.current is not None and rel.current.outperforming
    assert rel.current.sessions == 13
    assert rel.current.start == to_date(sym.dates[-13])
    assert rel.current.end == to_date(sym.dates[-1]) == rel.date
    spread = _pandas_spread(sym, ben)
    assert rel.current.average_spread_bps == pytest.approx(
        spread.iloc[-13:].mean() * 1e4, rel=1e-12
    )
    assert rel.current.average_spread_bps == pytest.approx(np.mean(beats) * 1e4, rel=1e-9)
    assert rel.spread_today_bps == pytest.approx(beats[-1] * 1e4, rel=1e-9)
    assert rel.common_sessions == len(sym) and rel.first_common_date == to_date(sym.dates[0])
    assert rel.record is not None and rel.record.sessions == 1  # only alternation before
    assert rel.is_record and not rel.matches_record


def _record_history(make_bars, current: int, bench=None):
    spreads = [*_alternating(6), -0.003, *[0.001] * 13, -0.002, *_alternating(280), -0.001]
    spreads += [0.0015] * current
    return _pair(make_bars, spreads, start="2008-11-03", bench=bench)


def test_current_streak_matches_record_set_in_2008(make_bars) -> None:
    sym, ben = _record_history(make_bars, current=13)
    rel = relative_performance(sym, ben)
    assert rel.current.sessions == 13 and rel.current.end.year == 2010
    assert rel.record is not None
    assert (rel.record.sessions, rel.record.year) == (13, 2008)
    # Spread 7 falls on session 8; the 13-session streak runs sessions 8..20.
    assert rel.record.start == to_date(sym.dates[8]) and rel.record.end == to_date(sym.dates[20])
    assert rel.record.average_spread_bps == pytest.approx(10.0, rel=1e-9)
    assert rel.matches_record and not rel.is_record
    assert rel.last_as_long == rel.record


def test_fourteen_sessions_beats_the_record(make_bars) -> None:
    rel = relative_performance(*_record_history(make_bars, current=14))
    assert rel.current.sessions == 14
    assert rel.record.sessions == 13 and rel.record.year == 2008
    assert rel.is_record and not rel.matches_record
    assert rel.last_as_long is None


def test_record_and_last_as_long_differ(make_bars) -> None:
    """Record: the longest earlier run (earliest on ties); last-as-long: the latest run ≥ now."""
    spreads = [
        -0.001,
        *[0.001] * 15,
        -0.001,
        *_alternating(10),
        *[0.001] * 15,
        -0.001,  # two 15s
        *_alternating(10),
        *[0.001] * 12,
        -0.001,
        *_alternating(10),
        *[0.001] * 11,
    ]
    sym, ben = _pair(make_bars, spreads)
    rel = relative_performance(sym, ben)
    assert rel.current.sessions == 11
    assert rel.record.sessions == 15
    assert rel.record.start == to_date(sym.dates[2])  # the earlier of the two 15s
    assert rel.last_as_long.sessions == 12
    assert rel.last_as_long.end == to_date(sym.dates[-1 - 11 - 10 - 1])  # 12-run end


def test_underperformance_streak_ignores_outperformance_runs(make_bars) -> None:
    spreads = [*[0.001] * 30, -0.001, *[-0.002] * 4, 0.001, *[-0.003] * 5]
    sym, ben = _pair(make_bars, spreads)
    rel = relative_performance(sym, ben)
    assert not rel.current.outperforming
    assert rel.current.sessions == 5
    assert rel.current.average_spread_bps == pytest.approx(-30.0, rel=1e-9)
    assert rel.record.sessions == 5 and not rel.record.outperforming  # not the 30-session run
    assert rel.matches_record
    assert rel.spread_today_bps == pytest.approx(-30.0, rel=1e-9)


def test_zero_spread_breaks_a_streak(make_bars) -> None:
    """A session where both are unchanged has spread exactly 0 and ends the run."""
    bench = np.full(12, BENCH_STEP)
    bench[8] = 0.0
    spreads = [0.001] * 12
    spreads[8] = 0.0
    sym, ben = _pair(make_bars, spreads, bench=bench)
    rel = relative_performance(sym, ben)
    assert rel.current.sessions == 3
    assert rel.record.sessions == 8
    # Cut at the zero-spread session itself: there is no current streak.
    rel_zero = relative_performance(sym.head(10), ben.head(10))
    assert rel_zero.spread_today_bps == 0.0
    assert rel_zero.current is None and rel_zero.record is None
    assert not rel_zero.is_record and not rel_zero.matches_record


def test_misaligned_dates_use_common_sessions(make_bars) -> None:
    """A date missing on either side is skipped; returns span the previous common session."""
    spreads = [*_alternating(14), *[0.002] * 10]  # the run: sessions 15..24
    sym, ben = _pair(make_bars, spreads)
    sym = _drop(sym, 20)
    ben = _drop(ben, 5)
    rel = relative_performance(sym, ben)
    expected = _pandas_spread(sym, ben)
    assert rel.common_sessions == len(expected) + 1 == 23
    assert rel.current.sessions == 9  # one of the ten beating sessions is not common
    assert rel.current.average_spread_bps == pytest.approx(
        expected.iloc[-9:].mean() * 1e4, rel=1e-12
    )
    # Across the gap the symbol's return is two sessions long, so that spread is about 2 × 0.2 %.
    assert expected.loc[pd.Timestamp(sym.dates[20])] == pytest.approx(0.004, rel=0.01)


def test_ytd_gap(make_bars) -> None:
    sym, ben = _pair(make_bars, [0.001] * 10, start="2019-12-24")
    i = int(np.flatnonzero(sym.dates == np.datetime64("2019-12-31"))[0])
    rel = relative_performance(sym, ben)
    ytd_sym = 100 * (sym.close[-1] / sym.close[i] - 1)
    ytd_ben = 100 * (ben.close[-1] / ben.close[i] - 1)
    assert rel.ytd_symbol_pct == pytest.approx(ytd_sym, rel=1e-12)
    assert rel.ytd_benchmark_pct == pytest.approx(ytd_ben, rel=1e-12)
    assert rel.ytd_gap_pct == pytest.approx(ytd_sym - ytd_ben, rel=1e-12)
    # Without 2019-12-31 on the symbol side, both are measured from 2019-12-30.
    rel = relative_performance(_drop(sym, i), ben)
    gap = 100 * (sym.close[-1] / sym.close[i - 1]) - 100 * (ben.close[-1] / ben.close[i - 1])
    assert rel.ytd_gap_pct == pytest.approx(gap, rel=1e-9)


def test_ytd_gap_none_when_common_history_starts_this_year(make_bars) -> None:
    rel = relative_performance(*_pair(make_bars, [0.001] * 10, start="2020-01-02"))
    assert (rel.ytd_symbol_pct, rel.ytd_benchmark_pct, rel.ytd_gap_pct) == (None, None, None)


def test_too_few_common_sessions(make_bars) -> None:
    sym, ben = _pair(make_bars, [0.001] * 10)
    with pytest.raises(InsufficientHistory):
        relative_performance(sym, _drop(ben, *range(2, 11)))


def _runs(signs: np.ndarray) -> list[tuple[int, int, int]]:
    """(sign, first index, length) of each run, by a plain loop."""
    out: list[tuple[int, int, int]] = []
    for i, s in enumerate(signs):
        if out and out[-1][0] == s:
            out[-1] = (s, out[-1][1], out[-1][2] + 1)
        else:
            out.append((s, i, 1))
    return out


def test_nasdaq_against_sp500_at_end_of_2018_matches_pandas() -> None:
    """The pipeline's ^IXIC vs ^GSPC numbers equal an independent pandas computation."""
    as_of = dt.date(2018, 12, 31)
    data = samples_data_dir()
    closes = [
        pd.read_csv(data / f"{name}.csv", usecols=["Date", "Close"], index_col="Date")["Close"]
        for name in ("^IXIC", "^GSPC")
    ]
    joined = pd.concat(closes, axis=1, join="inner", keys=["ixic", "gspc"])
    joined.index = pd.to_datetime(joined.index)
    joined = joined[joined.index <= pd.Timestamp(as_of)]
    spread = (joined["ixic"].pct_change() - joined["gspc"].pct_change()).iloc[1:]
    runs = _runs(np.sign(spread.to_numpy()).astype(int))
    sign, first, length = runs[-1]
    earlier = [r for r in runs[:-1] if r[0] == sign]
    record = max(earlier, key=lambda r: r[2])  # max() keeps the earliest on ties
    prev_year = joined[joined.index.year < as_of.year].iloc[-1]
    ytd = 100 * (joined.iloc[-1] / prev_year - 1)

    rel = analyse(["^IXIC"], "^GSPC", as_of=as_of).comparisons[0].relative
    assert rel.date == as_of
    assert rel.common_sessions == len(joined)
    assert rel.current.outperforming == (sign > 0)
    assert rel.current.sessions == length
    assert rel.current.average_spread_bps == pytest.approx(
        spread.iloc[first : first + length].mean() * 1e4, rel=1e-9
    )
    assert rel.record.sessions == record[2]
    assert rel.record.year == spread.index[record[1] + record[2] - 1].year
    assert rel.record.average_spread_bps == pytest.approx(
        spread.iloc[record[1] : record[1] + record[2]].mean() * 1e4, rel=1e-9
    )
    assert rel.ytd_gap_pct == pytest.approx(ytd["ixic"] - ytd["gspc"], rel=1e-9)
    assert rel.ytd_symbol_pct == pytest.approx(ytd["ixic"], rel=1e-9)


def _closes(make_bars, mine: list[float], theirs: list[float]):
    return make_bars(np.asarray(mine), symbol="SYM"), make_bars(np.asarray(theirs), symbol="BEN")


def test_a_benchmarks_new_closing_low_that_the_symbol_did_not_make_is_a_divergence(
    make_bars,
) -> None:
    """March 16, 2020 in miniature: the benchmark closes under every close of the month before;
    the symbol falls too but stays above its own lowest close of that month, set two sessions
    earlier (Thursday's $83.83 for Amazon)."""
    theirs = [75.0] + [100.0 - 0.5 * k for k in range(20)] + [80.0]  # lowest since the first
    mine = [100.0] * 18 + [90.0, 83.83, 89.25, 84.46]  # fell 5.4%, held Thursday's close
    divergence = relative_performance(*_closes(make_bars, mine, theirs)).divergence
    assert divergence is not None
    assert (divergence.side, divergence.held_close, divergence.sessions) == ("low", 83.83, 20)
    symbol = make_bars(np.asarray(mine), symbol="SYM")
    assert divergence.held_date == to_date(symbol.dates[-3])
    assert divergence.benchmark_since == to_date(symbol.dates[0])
    # The same close under the symbol's own low is no divergence; nor is one held against
    # yesterday's close (the day's spread already says the symbol rose while the index fell);
    # nor a close far clear of its low on a day it rose (it tested nothing, March 23, 2020).
    broke = relative_performance(*_closes(make_bars, [*mine[:-1], 83.0], theirs)).divergence
    assert broke is None
    yesterday = [*mine[:-2], 83.0, 84.0]
    assert relative_performance(*_closes(make_bars, yesterday, theirs)).divergence is None
    clear = [*mine[:-2], 86.0, 95.0]
    assert relative_performance(*_closes(make_bars, clear, theirs)).divergence is None
    # Nor one that fell further than the benchmark: it held its low, but showed no strength.
    milder = [*theirs[:-1], 89.0]  # the benchmark down 1.7% to a new low, the symbol 5.4%
    assert relative_performance(*_closes(make_bars, mine, milder)).divergence is None


def test_a_benchmarks_new_closing_high_that_the_symbol_did_not_make_is_a_divergence(
    make_bars,
) -> None:
    theirs = [100.0 + 0.5 * k for k in range(21)] + [120.0]
    mine = [100.0] * 18 + [110.0, 120.41, 115.0, 118.0]
    divergence = relative_performance(*_closes(make_bars, mine, theirs)).divergence
    assert divergence is not None and (divergence.side, divergence.held_close) == ("high", 120.41)
    assert divergence.benchmark_since is None  # its highest close in its data
    inside = [100.0] * 10 + [105.0] * 11 + [102.0]  # no new closing high or low of the benchmark
    assert relative_performance(*_closes(make_bars, mine, inside)).divergence is None
