"""Linear-regression trend channels.

Over the last ``sessions`` closes, log(close) is regressed on time by least squares. The
channel's middle line is the fit; its edges lie ``sigmas`` standard deviations of the residuals
above and below. Working in logs makes the slope a growth rate, so it reads as "% a year" and
is comparable across price levels.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from enum import Enum

import numpy as np

from ..settings import SESSIONS_PER_YEAR
from .series import to_date


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


def fit_channel(
    dates: np.ndarray,
    close: np.ndarray,
    horizon: str,
    sessions: int,
    sigmas: float,
    flat_slope_pct: float,
) -> Channel | None:
    """The channel over the last ``sessions`` closes, or ``None`` when history is shorter."""
    if close.size < sessions or sessions < 3:
        return None
    y = np.log(close[-sessions:])
    x_centred = np.arange(sessions, dtype=np.float64) - (sessions - 1) / 2.0
    y_mean = float(y.mean())
    slope = float(x_centred @ y) / float(x_centred @ x_centred)
    residuals = y - (y_mean + slope * x_centred)
    spread = math.sqrt(float(residuals @ residuals) / sessions)
    total = float(((y - y_mean) ** 2).sum())
    r_squared = 1.0 - float(residuals @ residuals) / total if total > 0 else 0.0
    middle_log = y_mean + slope * float(x_centred[-1])
    half = sigmas * spread
    position = (float(y[-1]) - (middle_log - half)) / (2.0 * half) if half > 0 else 0.5
    slope_pct = (math.exp(slope * SESSIONS_PER_YEAR) - 1.0) * 100.0
    if slope_pct > flat_slope_pct:
        direction = Direction.RISING
    elif slope_pct < -flat_slope_pct:
        direction = Direction.FALLING
    else:
        direction = Direction.SIDEWAYS
    return Channel(
        horizon=horizon,
        sessions=sessions,
        start=to_date(dates[-sessions]),
        direction=direction,
        slope_pct_per_year=slope_pct,
        width_pct=(math.exp(2 * half) - 1.0) * 100.0,
        position=position,
        r_squared=r_squared,
        upper=math.exp(middle_log + half),
        middle=math.exp(middle_log),
        lower=math.exp(middle_log - half),
    )
