"""The fast path for a clean price CSV: the standard library and numpy, no pandas.

Most files are clean: one header row naming Date, Open, High, Low, Close and Volume (any case,
other columns ignored), ISO dates in ascending order, every cell a plain decimal number, prices
positive, High and Low containing the open and close. Such a file is read here in milliseconds
without importing pandas, which alone costs more than the rest of a cold ``commentary generate``.

Anything else (yfinance's extra header rows, other date layouts, blank or short rows, a cell that
needs repairing or explaining) gives ``None``, and the full check in ``commentary.validation`` takes
the file: so both paths give the same ``Bars``, and every warning and error comes from one place.
"""

from __future__ import annotations

import csv
import io
import re

import numpy as np

from ..bars import COLUMNS, FIRST_YEAR, ISO_DAY_OR_TIME, LAST_YEAR, Bars, require_sessions
from ..settings import DataSettings

#: A plain decimal number is written with these characters only, so "nan", "inf", "1_000",
#: spaces and other digits (which ``float`` would all take) are refused before ``float`` reads
#: it; ``float`` then refuses the rest ("", "1.2.3", "+-1", "e5"). Over this alphabet the pair
#: accepts exactly ``[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?`` (checked exhaustively up to six
#: characters in the tests), in linear time: a backtracking pattern once took 84 s on a bad cell.
_NUMBER_CHARACTERS = frozenset("0123456789.eE+-")
_ISO_DAYS = re.compile(r"(?:\d{4}-\d{2}-\d{2}\n)*")
#: Every date cell, one a line: one match over the column instead of one per cell.
_ISO_DAY_OR_TIME_LINES = re.compile(rf"(?:{ISO_DAY_OR_TIME}\n)*")


def parse_clean_csv(text: str, symbol: str, origin: str, settings: DataSettings) -> Bars | None:
    """``Bars`` from a clean file's text, or ``None`` when the full check must look at it.

    Raises ``InsufficientHistory`` exactly as the full check would for a short clean file.
    """
    try:
        rows = list(csv.reader(io.StringIO(text), skipinitialspace=True))
    except csv.Error:  # a field over the csv module's limit (128 KiB), a NUL byte
        return None
    if len(rows) < 2:
        return None
    header = [cell.strip().lower().replace("_", " ") for cell in rows[0]]
    if len(set(header)) != len(header) or not {"date", *COLUMNS} <= set(header):
        return None
    width = len(header)
    if any(len(row) != width for row in rows):
        return None
    cells = list(zip(*rows[1:], strict=True))
    days = [cell.strip() for cell in cells[header.index("date")]]
    lines = "\n".join(days) + "\n"
    # A quoted cell may hold a line break: then the lines are not the cells.
    if lines.count("\n") != len(days) or not _ISO_DAY_OR_TIME_LINES.fullmatch(lines):
        return None  # "2013-01-02XYZ" is no date: the full check says so
    dates = _iso_dates([day[:10] for day in days])
    if dates is None:
        return None
    values = {}
    for name in COLUMNS:
        column = plain_numbers(cells[header.index(name)])
        if column is None:
            return None
        values[name] = column
    if not _clean_values(values, settings):
        return None
    o, h, lo, c, volume = (values[name] for name in COLUMNS)
    bars = Bars(symbol, dates, o, h, lo, c, volume, origin=origin)
    require_sessions(bars, settings.min_sessions)
    return bars


def plain_numbers(cells: tuple[str, ...] | list[str]) -> np.ndarray | None:
    """The cells as float64 when every one is a plain decimal number, else ``None``."""
    if not set("".join(cells)) <= _NUMBER_CHARACTERS:
        return None
    try:
        return np.fromiter(map(float, cells), np.float64, len(cells))
    except ValueError:
        return None


def _iso_dates(days: list[str]) -> np.ndarray | None:
    """Strictly ascending real ISO dates within the plausible years, or ``None``."""
    if not _ISO_DAYS.fullmatch("\n".join(days) + "\n"):
        return None
    try:
        dates = np.array(days, dtype="datetime64[D]")
    except ValueError:  # 2021-02-30 and the like
        return None
    years = dates.astype("datetime64[Y]").astype(np.int64) + 1970
    if years.min() < FIRST_YEAR or years.max() > LAST_YEAR:
        return None
    if len(dates) > 1 and not (np.diff(dates) > np.timedelta64(0, "D")).all():
        return None
    return dates


def _clean_values(values: dict[str, np.ndarray], settings: DataSettings) -> bool:
    """Finite prices and volumes within the plausible bounds, non-negative volume, High and Low
    already containing open and close: nothing the full check would refuse, warn about or
    repair."""
    o, h, lo, c, volume = (values[name] for name in COLUMNS)
    prices = np.stack([o, h, lo, c])
    if not (np.isfinite(prices).all() and np.isfinite(volume).all()):
        return False
    if (prices < settings.min_price).any() or (prices > settings.max_value).any():
        return False
    if (volume < 0).any() or (volume > settings.max_value).any():
        return False
    return bool((h >= np.maximum(o, c)).all() and (lo <= np.minimum(o, c)).all())
