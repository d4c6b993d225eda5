"""Checking a raw price frame (pandas) into ``Bars``: every problem named with its row and fix.

Prices are checked once, at the boundary. What is safe to repair (row order, an empty row, rounding
noise in OHLC) is repaired with a ``DataWarning``; everything else raises ``DataError`` naming the
origin, the row, the problem and the fix. A clean CSV file takes the numpy fast path
(``commentary.sources.clean_csv``) and never comes here.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from .bars import (
    COLUMNS,
    FIRST_YEAR,
    ISO_DAY_OR_TIME,
    LAST_YEAR,
    PRICE_COLUMNS,
    Bars,
    require_sessions,
)
from .errors import DataError, DataWarning
from .settings import DEFAULT_SETTINGS, DataSettings

_DATE_ALIASES = ("date", "datetime", "timestamp", "time")
_EXPECTED = "Date, Open, High, Low, Close and Volume"
#: Date layouts accepted besides ISO, tried in order (US before European: "03/04/2020" is March 4).
_DATE_LAYOUTS = ("%m/%d/%Y", "%Y/%m/%d", "%d.%m.%Y", "%Y%m%d")


def validate_frame(
    raw: pd.DataFrame,
    symbol: str,
    origin: str,
    settings: DataSettings = DEFAULT_SETTINGS.data,
) -> Bars:
    """Check a raw price frame and return ``Bars``, or raise ``DataError`` saying how to fix it.

    ``raw`` has columns named Date/Open/High/Low/Close/Volume in any case (or the dates as its
    index); other columns such as Adj Close are ignored. Its index labels name the rows in messages
    (the CSV reader passes file line numbers).
    """
    frame = _normalise_columns(raw, origin)
    if frame.empty:
        raise DataError(
            f"{origin}: there are no price rows; supply a file with one row per session."
        )
    dates = _parse_dates(frame["date"], origin)
    values = {name: _parse_numbers(frame[name], name, dates, origin) for name in COLUMNS}
    table = pd.DataFrame(values)
    table.index = dates

    empty = table[list(PRICE_COLUMNS)].isna().all(axis=1)
    if empty.all():
        raise DataError(f"{origin}: every row's prices are blank or NaN; export the prices again.")
    if empty.any():
        warnings.warn(
            f"{origin}: dropped {int(empty.sum())} row(s) with no prices "
            f"(first on {_day(table.index[empty.to_numpy()][0])}).",
            DataWarning,
            stacklevel=2,
        )
        table = table[~empty.to_numpy()]
    _refuse_missing(table, origin)
    _refuse_non_positive(table, origin)
    _refuse_absurd(table, origin, settings)
    _refuse_duplicates(table, origin)
    if not table.index.is_monotonic_increasing:
        warnings.warn(
            f"{origin}: rows were not in date order; sorted them.", DataWarning, stacklevel=2
        )
        table = table.sort_index(kind="stable")
    table = _check_ohlc(table, origin, settings.ohlc_tolerance)

    bars = Bars(
        symbol=symbol,
        dates=table.index.to_numpy().astype("datetime64[D]"),
        open=np.ascontiguousarray(table["open"].to_numpy(dtype=np.float64)),
        high=np.ascontiguousarray(table["high"].to_numpy(dtype=np.float64)),
        low=np.ascontiguousarray(table["low"].to_numpy(dtype=np.float64)),
        close=np.ascontiguousarray(table["close"].to_numpy(dtype=np.float64)),
        volume=np.ascontiguousarray(table["volume"].to_numpy(dtype=np.float64)),
        origin=origin,
    )
    require_sessions(bars, settings.min_sessions)
    return bars


def _normalise_columns(raw: pd.DataFrame, origin: str) -> pd.DataFrame:
    frame = raw.copy()
    frame.columns = [str(c).strip().lower().replace("_", " ") for c in frame.columns]
    refuse_repeated_columns([str(c) for c in raw.columns], origin)
    if "date" not in frame.columns:
        alias = next((a for a in _DATE_ALIASES if a in frame.columns), None)
        if alias is not None:
            frame = frame.rename(columns={alias: "date"})
        elif isinstance(frame.index, pd.DatetimeIndex):
            frame = frame.assign(date=frame.index)
    missing = [name for name in ("date", *COLUMNS) if name not in frame.columns]
    if missing:
        found = ", ".join(str(c) for c in raw.columns) or "none"
        names = " and ".join(m.capitalize() for m in missing)
        raise DataError(
            f"{origin}: no {names} column (found: {found}); the file needs {_EXPECTED} columns."
        )
    return frame


def refuse_repeated_columns(names: list[str], origin: str) -> None:
    """Two columns read as one (``Close`` and ``close``, or ``Close`` twice): which one holds the
    prices cannot be known, so neither is used."""
    seen: dict[str, str] = {}
    for name in names:
        key = name.strip().lower().replace("_", " ")
        if key in ("date", *COLUMNS) and key in seen:
            raise DataError(
                f"{origin}: two columns are named {key.capitalize()} ({seen[key]!r} and "
                f"{name!r}); keep only the one that holds the prices."
            )
        seen[key] = name


def _parse_dates(column: pd.Series, origin: str) -> pd.DatetimeIndex:
    if isinstance(column.dtype, pd.DatetimeTZDtype):
        # An exchange-local timestamp: keep its calendar date, drop the zone.
        return pd.DatetimeIndex(column.dt.tz_localize(None).dt.normalize())
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        return pd.DatetimeIndex(column).normalize()
    text = column.astype("string").str.strip()
    # yfinance writes "2020-01-02 00:00:00-05:00"; the first ten characters are the session date.
    # Anything else after them ("2013-01-02XYZ") makes the cell no ISO date at all.
    iso = text.str.fullmatch(ISO_DAY_OR_TIME).fillna(False).astype(bool)
    parsed = pd.to_datetime(text.str.slice(0, 10).where(iso), format="%Y-%m-%d", errors="coerce")
    for layout in _DATE_LAYOUTS:
        # Explicit layouts only: a fuzzy parser reads "-0" as year 0 and "1" as a date.
        bad = parsed.isna()
        if not bad.any():
            break
        parsed = parsed.where(~bad, pd.to_datetime(text[bad], format=layout, errors="coerce"))
    years = parsed.dt.year
    bad = parsed.isna() | (years < FIRST_YEAR) | (years > LAST_YEAR)
    if bad.any():
        line = column.index[bad.to_numpy()][0]
        raise DataError(
            f"{origin}: row {line} has {_quote(column[line])} as its date, not a date; "
            "write dates as YYYY-MM-DD."
        )
    return pd.DatetimeIndex(parsed)


def _parse_numbers(
    column: pd.Series, name: str, dates: pd.DatetimeIndex, origin: str
) -> np.ndarray:
    numbers = pd.to_numeric(column, errors="coerce")
    text = numbers.isna() & column.notna() & (column.astype("string").str.strip() != "")
    if text.any():
        where = int(np.flatnonzero(text.to_numpy())[0])
        raise DataError(
            f"{origin}: row {column.index[where]} ({_day(dates[where])}) has "
            f"{_quote(column.iloc[where])} in {name.capitalize()}, not a number; "
            "correct that cell or delete the row."
        )
    return numbers.to_numpy(dtype=np.float64)


def _refuse_missing(table: pd.DataFrame, origin: str) -> None:
    missing = table.isna()
    if missing.to_numpy().any():
        row = int(np.flatnonzero(missing.any(axis=1).to_numpy())[0])
        name = str(missing.columns[missing.iloc[row].to_numpy()][0])
        raise DataError(
            f"{origin}: {_day(table.index[row])} has no value (NaN) in {name.capitalize()}; "
            "fill that cell from another source or delete the row."
        )


def _refuse_non_positive(table: pd.DataFrame, origin: str) -> None:
    infinite = np.isinf(table.to_numpy())
    if infinite.any():
        row = int(np.flatnonzero(infinite.any(axis=1))[0])
        column = str(table.columns[infinite[row]][0])
        raise DataError(
            f"{origin}: {_day(table.index[row])} has a number too large to be real in "
            f"{column.capitalize()}; correct that cell or delete the row."
        )
    prices = table[list(PRICE_COLUMNS)].to_numpy()
    bad_price = (prices <= 0).any(axis=1)
    if bad_price.any():
        row = int(np.flatnonzero(bad_price)[0])
        column = PRICE_COLUMNS[int(np.flatnonzero(prices[row] <= 0)[0])]
        raise DataError(
            f"{origin}: {_day(table.index[row])} has {prices[row].min():g} in "
            f"{column.capitalize()}, and prices must be positive; correct or delete that row."
        )
    negative = table["volume"].to_numpy() < 0
    if negative.any():
        row = int(np.flatnonzero(negative)[0])
        raise DataError(
            f"{origin}: {_day(table.index[row])} has a negative Volume; correct or delete that row."
        )


def _refuse_absurd(table: pd.DataFrame, origin: str, settings: DataSettings) -> None:
    """Values no market has (1e300 in Close, 1e308 in Volume): misread cells, and the indicators
    would overflow on them."""
    values = table.to_numpy()
    prices = table[list(PRICE_COLUMNS)].to_numpy()
    huge = values > settings.max_value
    tiny = np.zeros_like(huge)
    tiny[:, : len(PRICE_COLUMNS)] = prices < settings.min_price
    for bad, reason in ((huge, "too large"), (tiny, "too small")):
        if bad.any():
            row = int(np.flatnonzero(bad.any(axis=1))[0])
            column = str(table.columns[bad[row]][0])
            raise DataError(
                f"{origin}: {_day(table.index[row])} has {table[column].iloc[row]:g} in "
                f"{column.capitalize()}, {reason} to be a real price or volume; correct that "
                "cell or delete the row."
            )


def _refuse_duplicates(table: pd.DataFrame, origin: str) -> None:
    duplicated = table.index.duplicated()
    if duplicated.any():
        day = _day(table.index[duplicated][0])
        count = int((table.index == table.index[duplicated][0]).sum())
        raise DataError(
            f"{origin}: {count} rows are dated {day}; keep the one correct row for that session."
        )


def _check_ohlc(table: pd.DataFrame, origin: str, tolerance: float) -> pd.DataFrame:
    o, h, lo, c = (table[name].to_numpy() for name in PRICE_COLUMNS)
    top = np.maximum(o, c)
    bottom = np.minimum(o, c)
    high_short = (top - h) / top
    low_over = (lo - bottom) / bottom
    worst = np.maximum(high_short, low_over)
    if (worst > tolerance).any():
        row = int(np.argmax(worst > tolerance))
        problem = (
            f"High {h[row]:g} is below the open or close"
            if high_short[row] > tolerance
            else f"Low {lo[row]:g} is above the open or close"
        )
        raise DataError(
            f"{origin}: {_day(table.index[row])}: {problem}; correct that row's prices "
            "(High must be the session's highest price, Low its lowest)."
        )
    repaired = (worst > 0).sum()
    if repaired:
        warnings.warn(
            f"{origin}: widened High/Low on {int(repaired)} session(s) where they missed the "
            f"open or close by less than {tolerance:.1%} (rounding).",
            DataWarning,
            stacklevel=3,
        )
        table = table.assign(high=np.maximum(h, top), low=np.minimum(lo, bottom))
    return table


def _day(value: Any) -> str:
    return str(pd.Timestamp(value).date())


def _quote(value: Any) -> str:
    text = str(value)
    return repr(text if len(text) <= 20 else text[:20] + "…")
