"""Hand-built series with planted events, for the events stage and its rules.

Each is a calm random walk (about 1% a day, fixed seed) with one event planted at the end, so the
planted event is the most extreme of its kind in the data unless the scenario says otherwise.
"""

from __future__ import annotations

import numpy as np

from commentary.bars import Bars
from tests.conftest import build_bars

N = 600


def _walk(n: int = N, seed: int = 11, drift: float = 0.0003) -> np.ndarray:
    rng = np.random.default_rng(seed)
    steps = np.clip(rng.normal(drift, 0.01, n - 1), -0.03, 0.03)
    return 100.0 * np.concatenate(([1.0], np.cumprod(1.0 + steps)))


def _with(close: np.ndarray, *moves: float) -> np.ndarray:
    """``close`` followed by sessions moving by each of ``moves`` (fractions)."""
    out = list(close)
    for move in moves:
        out.append(out[-1] * (1.0 + move))
    return np.array(out)


def calm() -> Bars:
    return build_bars(_with(_walk(), 0.003))


def crash_day() -> Bars:
    return build_bars(_with(_walk(seed=5), -0.15))


def surge_day() -> Bars:
    return build_bars(_with(_walk(), 0.15))


def _gap(sign: float) -> Bars:
    close = _walk()
    # An earlier, larger close-to-close move, so the gap (not the day's move) is the record.
    close[300:] *= 1.0 + sign * 0.16
    previous = close[-1]
    opened = previous * (1.0 + sign * 0.20)
    final = previous * (1.0 + sign * 0.12)
    close = np.append(close, final)
    opens = close.copy()
    opens[-1] = opened
    return build_bars(close, open=opens)


def gap_up_held() -> Bars:
    return _gap(1.0)


def gap_down_held() -> Bars:
    return _gap(-1.0)


def reversal_from_low() -> Bars:
    close = _with(_walk(drift=-0.001), 0.06)
    lows = np.minimum(close, np.concatenate(([close[0]], close[:-1]))) * 0.995
    lows[-1] = float(lows[:-1].min()) * 0.95
    return build_bars(close, low=lows)


def _fall(depth: float, sessions: int, then: tuple[float, ...] = ()) -> np.ndarray:
    """A rising walk, then a straight fall of ``depth`` over ``sessions``, then ``then``."""
    close = _walk(drift=0.001)
    close = np.maximum.accumulate(close)  # no earlier decline at all
    step = (1.0 - depth) ** (1.0 / sessions) - 1.0
    return _with(close, *([step] * sessions), *then)


def bear_fast() -> Bars:
    return build_bars(_fall(0.30, 20))


def bear_standing() -> Bars:
    return build_bars(_fall(0.30, 20, (0.01, 0.01, 0.01)))


def correction_today() -> Bars:
    close = _fall(0.095, 8)
    return build_bars(_with(close, -0.01))


def bear_line_reclaimed() -> Bars:
    """A fall of 21% from the record, then a 2% day: back above the bear-market line, still in
    a bear market by the convention."""
    return build_bars(_fall(0.21, 15, (0.02,)))


def correction_on_the_brink() -> Bars:
    """A fall of 19.5% from the record, today's close its low: a point from a bear market."""
    return build_bars(_fall(0.195, 15))


def correction_standing() -> Bars:
    return build_bars(_with(_fall(0.15, 10), 0.01, 0.005))


def bull_today() -> Bars:
    rally = (1.2 ** (1.0 / 10) - 1.0,) * 9
    close = _fall(0.30, 20, rally)
    return build_bars(_with(close, 0.025))


def bull_standing() -> Bars:
    return build_bars(_fall(0.30, 20, (0.04,) * 8))


def week_loss() -> Bars:
    return build_bars(_with(_walk(), *([-0.025] * 5)))


def week_gain() -> Bars:
    return build_bars(_with(_walk(), *([0.025] * 5)))


def straight_losses() -> Bars:
    """Twelve small lower closes in a row: the longest run of the walk, not a large move."""
    return build_bars(_with(_walk(), *([-0.004] * 12)))


def straight_gains() -> Bars:
    return build_bars(_with(_walk(), *([0.004] * 12)))


def month_loss() -> Bars:
    return build_bars(_with(_walk(), *([-0.009] * 21)))


def month_gain() -> Bars:
    # Gains that grow day by day: the month's rank is then news over 20 and 22 sessions too
    # (``events.runs._window_rank``). Equal gains tie the 20-session window with yesterday's.
    return build_bars(_with(_walk(), *(0.005 + 0.0004 * k for k in range(23))))


def pop_given_back() -> Bars:
    """A 10% pop over three sessions, then a session that gives all of it back and more."""
    return build_bars(_with(_walk(), 0.035, 0.035, 0.03, -0.12))


def record_close() -> Bars:
    """A walk that peaked a quarter ago, then a close 0.2% over its highest close on a session
    whose high stays under the old intraday record: a record close, no record high."""
    close = _walk(seed=11)
    peak = int(np.argmax(close))
    close = np.concatenate((close[: peak + 1], close[peak] * np.linspace(0.9, 0.99, 80)))
    last = close[peak] * 1.002
    high = np.append(close * 1.005, close[peak] * 1.004)
    return build_bars(np.append(close, last), high=high)


def day_after_record_close() -> Bars:
    """The record close scenario, then a session that closes 1% under the record."""
    bars = record_close()
    close = np.append(bars.close, bars.close[-1] * 0.99)
    return build_bars(close, high=np.append(bars.high, bars.close[-1]))


def _cross(sign: float, window: int = 200) -> Bars:
    """Two years of a walk trending ``sign``-ward, then 1% a day the other way until a close
    crosses the ``window``-day average: the first close on that side in a long while."""
    close = list(_walk(n=500, drift=0.002 * sign))
    while True:
        step = close[-1] * (1.0 - 0.01 * sign)
        close.append(step)
        if (step - float(np.mean(close[-window:]))) * sign < 0:
            return build_bars(np.array(close))


def cross_below_200() -> Bars:
    return _cross(1.0)


def cross_above_200() -> Bars:
    return _cross(-1.0)


def cross_below_50() -> Bars:
    return _cross(1.0, 50)


def cross_above_50() -> Bars:
    return _cross(-1.0, 50)
