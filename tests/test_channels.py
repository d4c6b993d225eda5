"""Log-linear regression channels: slope as % a year, direction, width, position, fit."""

from __future__ import annotations

import math

import numpy as np
import pytest

from commentary.indicators.channels import Direction, fit_channel, fit_channels
from commentary.indicators.series import to_date
from commentary.settings import SESSIONS_PER_YEAR, TrendSettings

SIGMAS, FLAT = 2.0, 5.0
TREND = TrendSettings(flat_slope_pct=FLAT, channel_sigmas=SIGMAS)


def _dates(n: int) -> np.ndarray:
    first = np.busday_offset(np.datetime64("2015-01-02"), 0, roll="forward")
    return np.busday_offset(first, np.arange(n)).astype("datetime64[D]")


def _growth(annual_pct: float) -> float:
    """Per-session log growth giving ``annual_pct`` % a year over SESSIONS_PER_YEAR sessions."""
    return math.log(1 + annual_pct / 100) / SESSIONS_PER_YEAR


def _fit(close: np.ndarray, sessions: int, horizon: str = "medium"):
    return fit_channel(_dates(close.size), close, horizon, sessions, TREND)


def _reference(close: np.ndarray, sessions: int) -> dict[str, float]:
    """The channel recomputed independently with np.polyfit."""
    y = np.log(close[-sessions:])
    t = np.arange(sessions, dtype=float)
    slope, intercept = np.polyfit(t, y, 1)
    fitted = intercept + slope * t
    resid = y - fitted
    half = SIGMAS * resid.std()  # population standard deviation
    return {
        "slope_pct": (math.exp(slope * SESSIONS_PER_YEAR) - 1) * 100,
        "middle": math.exp(fitted[-1]),
        "upper": math.exp(fitted[-1] + half),
        "lower": math.exp(fitted[-1] - half),
        "width_pct": (math.exp(2 * half) - 1) * 100,
        "position": (resid[-1] + half) / (2 * half),
        "r_squared": 1 - (resid @ resid) / ((y - y.mean()) @ (y - y.mean())),
    }


def test_exact_exponential_growth_is_twenty_pct_a_year() -> None:
    t = np.arange(300, dtype=float)
    close = 100.0 * np.exp(_growth(20.0) * t)
    channel = _fit(close, 252)
    assert channel is not None
    assert channel.slope_pct_per_year == pytest.approx(20.0, rel=1e-9)
    assert channel.direction is Direction.RISING
    assert channel.r_squared == pytest.approx(1.0, abs=1e-9)
    assert channel.width_pct == pytest.approx(0.0, abs=1e-3)  # rounding noise only
    assert channel.position == pytest.approx(0.5, abs=1e-6)  # on the middle line
    assert channel.middle == pytest.approx(close[-1], rel=1e-9)
    assert channel.sessions == 252 and channel.horizon == "medium"
    assert channel.start == to_date(_dates(300)[300 - 252])


def _wiggly(annual_pct: float, n: int, amplitude: float, period: int, phase_at_end: float):
    t = np.arange(n, dtype=float)
    wiggle = amplitude * np.cos(2 * np.pi * (t - (n - 1)) / period + phase_at_end)
    return 100.0 * np.exp(_growth(annual_pct) * t + wiggle)


def test_wiggle_keeps_slope_and_matches_independent_fit() -> None:
    close = _wiggly(20.0, 400, amplitude=0.02, period=21, phase_at_end=0.0)
    channel = _fit(close, 252)
    ref = _reference(close, 252)
    assert channel.slope_pct_per_year == pytest.approx(20.0, abs=0.5)
    assert channel.slope_pct_per_year == pytest.approx(ref["slope_pct"], rel=1e-9)
    assert channel.direction is Direction.RISING
    for name in ("middle", "upper", "lower", "width_pct", "position", "r_squared"):
        assert getattr(channel, name) == pytest.approx(ref[name], rel=1e-8), name
    assert 0.9 < channel.r_squared < 1.0
    assert channel.lower < channel.middle < channel.upper


def test_position_near_top_and_bottom_of_wiggle() -> None:
    """At a wiggle's crest the close is near the upper line; at its trough near the lower line.

    For a pure sine of amplitude a the residual std is a/√2, so with 2σ edges the crest sits at
    (a + √2·a) / (2√2·a) ≈ 0.854 and the trough at ≈ 0.146.
    """
    top = _fit(_wiggly(20.0, 400, 0.02, 21, 0.0), 252)
    bottom = _fit(_wiggly(20.0, 400, 0.02, 21, math.pi), 252)
    expected_top = (1 + math.sqrt(2)) / (2 * math.sqrt(2))
    assert top.position == pytest.approx(expected_top, abs=0.02)
    assert bottom.position == pytest.approx(1 - expected_top, abs=0.02)
    assert top.position > 0.8 and bottom.position < 0.2
    # Width: 2σ each side of a sine with amplitude 0.02 spans about 4·0.02/√2 in log price.
    assert top.width_pct == pytest.approx((math.exp(4 * 0.02 / math.sqrt(2)) - 1) * 100, rel=0.03)


def test_close_above_channel_has_position_above_one() -> None:
    close = _wiggly(10.0, 300, 0.01, 21, math.pi / 2)
    close[-1] *= 1.10  # a breakout far beyond 2σ
    channel = _fit(close, 252)
    assert channel.position > 1.0
    assert close[-1] > channel.upper


def test_falling_channel() -> None:
    close = 100.0 * np.exp(_growth(-20.0) * np.arange(100, dtype=float))
    channel = _fit(close, 63, horizon="short")
    assert channel.slope_pct_per_year == pytest.approx(-20.0, rel=1e-9)
    assert channel.direction is Direction.FALLING
    assert channel.horizon == "short"


@pytest.mark.parametrize(
    ("annual_pct", "direction"),
    [
        (3.0, Direction.SIDEWAYS),
        (-3.0, Direction.SIDEWAYS),
        (0.0, Direction.SIDEWAYS),
        (4.9, Direction.SIDEWAYS),
        (5.1, Direction.RISING),
        (-4.9, Direction.SIDEWAYS),
        (-5.1, Direction.FALLING),
    ],
)
def test_direction_thresholds(annual_pct: float, direction: Direction) -> None:
    close = 50.0 * np.exp(_growth(annual_pct) * np.arange(260, dtype=float))
    channel = _fit(close, 252)
    assert channel.slope_pct_per_year == pytest.approx(annual_pct, abs=1e-9)
    assert channel.direction is direction


def test_flat_threshold_comes_from_settings() -> None:
    close = 50.0 * np.exp(_growth(3.0) * np.arange(260, dtype=float))
    trend = TrendSettings(flat_slope_pct=2.0, channel_sigmas=SIGMAS)
    channel = fit_channel(_dates(260), close, "m", 252, trend)
    assert channel.direction is Direction.RISING


def test_only_last_sessions_are_fitted() -> None:
    """Whatever came before the horizon has no influence."""
    tail = 100.0 * np.exp(_growth(20.0) * np.arange(63, dtype=float))
    crash = np.linspace(500.0, 10.0, 200)
    channel = _fit(np.concatenate([crash, tail]), 63)
    assert channel.slope_pct_per_year == pytest.approx(20.0, rel=1e-9)
    assert channel.start == to_date(_dates(263)[200])


def test_none_when_history_shorter_than_horizon() -> None:
    close = 100.0 * np.exp(_growth(20.0) * np.arange(251, dtype=float))
    assert _fit(close, 252) is None
    assert _fit(close, 251) is not None
    assert _fit(close[:2], 2) is None  # too few points for a channel


@pytest.mark.parametrize("price", [0.3, 7.77, 42.0, 100.0, 2874.56])
@pytest.mark.parametrize("sessions", [63, 252])
def test_constant_prices_are_sideways_with_zero_fit(price: float, sessions: int) -> None:
    """No movement: flat slope, r² 0, a channel of zero width with the close in its middle."""
    channel = _fit(np.full(300, price), sessions)
    assert channel.slope_pct_per_year == pytest.approx(0.0, abs=1e-9)
    assert channel.direction is Direction.SIDEWAYS
    assert channel.r_squared == 0.0
    assert channel.width_pct == pytest.approx(0.0, abs=1e-3)
    assert channel.position == pytest.approx(0.5, abs=1e-6)
    for line in (channel.upper, channel.middle, channel.lower):
        assert line == pytest.approx(price, rel=1e-5)  # closed-form sums: ~1e-7 noise


def test_fit_channels_keeps_horizons_the_history_covers() -> None:
    """fit_channels gives one channel per horizon long enough, each equal to fit_channel's."""
    close = _wiggly(20.0, 300, 0.02, 21, 0.0)
    trend = TrendSettings(channel_horizons=(("short", 63), ("medium", 252), ("long", 756)))
    channels = fit_channels(_dates(300), close, trend)
    assert [c.horizon for c in channels] == ["short", "medium"]
    for channel in channels:
        alone = fit_channel(_dates(300), close, channel.horizon, channel.sessions, trend)
        assert channel == alone
        ref = _reference(close, channel.sessions)
        assert channel.slope_pct_per_year == pytest.approx(ref["slope_pct"], rel=1e-9)
        assert channel.position == pytest.approx(ref["position"], rel=1e-8)
