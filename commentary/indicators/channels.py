"""Linear-regression trend channels.

Over the last ``sessions`` closes, log(close) is regressed on time by least squares. The
channel's middle line is the fit; its edges lie ``sigmas`` standard deviations of the residuals
above and below. Working in logs makes the slope a growth rate, so it reads as "% a year" and
is comparable across price levels.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import dataclass
from enum import Enum

import numpy as np

from ..settings import SESSIONS_PER_YEAR, TrendSettings


class Direction(Enum):
    RISING = "rising"
    FALLING = "falling"
    SIDEWAYS = "sideways"


@dataclass(frozen=True)
class Channel:
    """A fitted channel as of its last session; prices are the channel lines on that session.

    ``position`` is 0 on the lower line and 1 on the upper; outside [0, 1] the close has left
    the channel. ``r_squared`` says how well a straight line in log price fits (1 is perfect).
    """

    horizon: str
    sessions: int
    start: dt.date
    direction: Direction
    slope_pct_per_year: float
    width_pct: float
    position: float
    r_squared: float
    upper: float
    middle: float
    lower: float


def fit_channels(
    dates: np.ndarray, close: np.ndarray, settings: TrendSettings
) -> tuple[Channel, ...]:
    """A channel for every horizon in ``settings`` that the history is long enough for."""
    longest = max(sessions for _, sessions in settings.channel_horizons)
    log_close = np.log(close[-longest:])
    channels = (
        _fit(dates, log_close, name, sessions, settings)
        for name, sessions in settings.channel_horizons
    )
    return tuple(channel for channel in channels if channel is not None)


def fit_channel(
    dates: np.ndarray, close: np.ndarray, horizon: str, sessions: int, settings: TrendSettings
) -> Channel | None:
    """The channel over the last ``sessions`` closes, or ``None`` when history is shorter."""
    return _fit(dates, np.log(close[-sessions:]), horizon, sessions, settings)


def _fit(
    dates: np.ndarray, log_close: np.ndarray, horizon: str, sessions: int, settings: TrendSettings
) -> Channel | None:
    if log_close.size < sessions or sessions < 3:
        return None
    y = log_close[-sessions:]
    # Closed-form least squares on centred time x (Σx = 0, Σx² = n(n² - 1)/12); the error sums
    # follow from the fit's identities, so no residual array is built.
    x_squares = sessions * (sessions**2 - 1) / 12.0
    y_mean = float(y.sum()) / sessions
    slope = float(_centred_time(sessions) @ y) / x_squares
    total = max(float(y @ y) - sessions * y_mean**2, 0.0)
    squared_error = max(total - slope**2 * x_squares, 0.0)
    spread = math.sqrt(squared_error / sessions)
    r_squared = 1.0 - squared_error / total if total > 0 else 0.0
    middle_log = y_mean + slope * (sessions - 1) / 2.0
    half = settings.channel_sigmas * spread
    position = (float(y[-1]) - (middle_log - half)) / (2.0 * half) if half > 0 else 0.5
    slope_pct = (math.exp(slope * SESSIONS_PER_YEAR) - 1.0) * 100.0
    if slope_pct > settings.flat_slope_pct:
        direction = Direction.RISING
    elif slope_pct < -settings.flat_slope_pct:
        direction = Direction.FALLING
    else:
        direction = Direction.SIDEWAYS
    return Channel(
        horizon=horizon,
        sessions=sessions,
        start=dates[-sessions].item(),
        direction=direction,
        slope_pct_per_year=slope_pct,
        width_pct=(math.exp(2 * half) - 1.0) * 100.0,
        position=position,
        r_squared=r_squared,
        upper=math.exp(middle_log + half),
        middle=math.exp(middle_log),
        lower=math.exp(middle_log - half),
    )


@functools.lru_cache(maxsize=16)
def _centred_time(sessions: int) -> np.ndarray:
    centred = np.arange(sessions, dtype=np.float64) - (sessions - 1) / 2.0
    centred.flags.writeable = False
    return centred
