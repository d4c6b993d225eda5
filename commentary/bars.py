"""The bars stage: one validated daily OHLCV series per symbol.

Prices are checked once, at the boundary (``validate_bars``; a clean CSV file takes a numpy fast
path that admits only what the full check would pass unchanged). Nothing downstream checks again,
and no NaN ever reaches TA-Lib (one NaN turns its RSI into 0.0 for the rest of a series).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .errors import DataError, InsufficientHistory
from .settings import DEFAULT_SETTINGS, DataSettings

if TYPE_CHECKING:
    import pandas as pd

PRICE_COLUMNS = ("open", "high", "low", "close")
COLUMNS = (*PRICE_COLUMNS, "volume")
#: Years a session date may have; anything outside is a misread cell, not history.
FIRST_YEAR, LAST_YEAR = 1800, 2200
#: An ISO date, optionally with the time and UTC offset yfinance writes after it
#: ("2020-01-02 00:00:00-05:00"); the first ten characters are then the session date.
ISO_DAY_OR_TIME = (
    r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)


@dataclass(frozen=True, eq=False)
class Bars:
    """Validated daily bars of one symbol, oldest first, as read-only numpy arrays.

    ``dates`` is ``datetime64[D]`` (tz-naive exchange dates); the price columns are float64 and
    ``volume`` float64. ``stale`` marks data served from a cache after a failed refresh;
    ``adjusted``, prices adjusted for splits (earlier bars divided by each later split's ratio),
    as the source declares it.
    """

    symbol: str
    dates: np.ndarray
    open: np.ndarray
    high: np.ndarray
    low: np.ndarray
    close: np.ndarray
    volume: np.ndarray
    origin: str = ""
    stale: bool = False
    adjusted: bool = False

    def __post_init__(self) -> None:
        for array in (self.dates, self.open, self.high, self.low, self.close, self.volume):
            array.flags.writeable = False

    def __len__(self) -> int:
        return int(self.dates.shape[0])

    @property
    def last_date(self) -> np.datetime64:
        return self.dates[-1]  # type: ignore[no-any-return]

    def head(self, n: int) -> Bars:
        """The first ``n`` sessions (views, no copy)."""
        return Bars(
            self.symbol,
            self.dates[:n],
            self.open[:n],
            self.high[:n],
            self.low[:n],
            self.close[:n],
            self.volume[:n],
            self.origin,
            self.stale,
            self.adjusted,
        )

    def until(self, as_of: dt.date | str | np.datetime64 | None) -> Bars:
        """The sessions on or before ``as_of``: later bars become invisible to every later stage."""
        if as_of is None:
            return self
        day = as_of if isinstance(as_of, np.datetime64) else np.datetime64(as_of, "D")
        day = day.astype("datetime64[D]")
        n = int(np.searchsorted(self.dates, day, side="right"))
        if n == 0:
            raise DataError(
                f"{self.symbol} has no session on or before {day} (its data starts on "
                f"{self.dates[0]}); choose a later --as-of date."
            )
        return self.head(n)

    def to_frame(self) -> pd.DataFrame:
        """The bars as a frame with a tz-naive ``DatetimeIndex`` named ``date``."""
        import pandas as pd

        index = pd.DatetimeIndex(self.dates.astype("datetime64[ns]"), name="date")
        return pd.DataFrame({name: getattr(self, name) for name in COLUMNS}, index=index)


def require_sessions(bars: Bars, needed: int) -> None:
    """Raise ``InsufficientHistory`` when ``bars`` holds fewer than ``needed`` sessions."""
    if len(bars) < needed:
        until = f" up to {bars.dates[-1]}" if len(bars) else ""
        raise InsufficientHistory(
            f"{bars.origin or bars.symbol}: only {len(bars)} sessions{until}, "
            f"and at least {needed} are needed; supply a longer history or a later --as-of date."
        )


def validate_bars(
    raw: pd.DataFrame,
    symbol: str,
    origin: str,
    settings: DataSettings = DEFAULT_SETTINGS.data,
) -> Bars:
    """Check a raw price frame and return ``Bars``, or raise ``DataError`` saying how to fix it.

    See ``commentary.validation``; pandas is imported only when a frame needs checking.
    """
    from .validation import validate_frame

    return validate_frame(raw, symbol, origin, settings)
