"""Indicator series as CSV or JSON, as ``commentary indicators`` prints them."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from .bars import Bars
from .indicators import compute_indicators
from .ledger import dumps, jsonable


def indicator_table(bars: Bars, start: dt.date | None, fmt: str) -> str:
    """Bars and every indicator series from ``start`` on, as ``csv`` or ``json``.

    Indicators are computed over the whole history so warm-up never shows inside the window.
    Values are unrounded; a series still warming up is empty (CSV) or null (JSON).
    """
    frame = bars.to_frame().join(compute_indicators(bars).to_frame())
    if start is not None:
        frame = frame[frame.index >= np.datetime64(start, "ns")]
    frame.index = pd.DatetimeIndex(frame.index).strftime("%Y-%m-%d")
    if fmt == "csv":
        return str(frame.to_csv(index_label="date", lineterminator="\n"))
    records = [
        {"date": day, **row} for day, row in zip(frame.index, frame.to_dict("records"), strict=True)
    ]
    return dumps({"symbol": bars.symbol, "rows": jsonable(records)})
