"""The indicators stage: TA-Lib's standard series plus our own numpy measurements.

``compute_indicators`` gives the full aligned series (what ``commentary indicators`` prints); the
measurements TA-Lib lacks (levels, channels, extremes, relative performance) are functions over
bars that the states stage calls as of the last session.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..bars import Bars
from .standard import CONTRACT_KEYS, SERIES_KEYS, standard_indicators

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True, eq=False)
class Indicators:
    """Named indicator series aligned with ``dates`` (NaN during each one's warm-up)."""

    dates: np.ndarray
    series: dict[str, np.ndarray]

    def latest(self, keys: tuple[str, ...] = CONTRACT_KEYS) -> dict[str, float | None]:
        """The last session's values, ``None`` where the series has not warmed up."""
        values: dict[str, float | None] = {}
        for key in keys:
            value = float(self.series[key][-1])
            values[key] = None if np.isnan(value) else value
        return values

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        index = pd.DatetimeIndex(self.dates.astype("datetime64[ns]"), name="date")
        return pd.DataFrame({key: self.series[key] for key in SERIES_KEYS}, index=index)


def compute_indicators(bars: Bars) -> Indicators:
    """Every standard series over ``bars``."""
    return Indicators(dates=bars.dates, series=standard_indicators(bars))


__all__ = ["CONTRACT_KEYS", "SERIES_KEYS", "Indicators", "compute_indicators"]
