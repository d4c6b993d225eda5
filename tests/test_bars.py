"""Bars validation: every refusal names the problem and the fix; safe repairs warn."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from commentary.bars import validate_bars
from commentary.errors import DataError, DataWarning, InsufficientHistory


def raw_frame(n: int = 80) -> pd.DataFrame:
    dates = pd.bdate_range("2021-01-04", periods=n)
    close = 100 + np.arange(n, dtype=float)
    return pd.DataFrame(
        {
            "Date": dates.strftime("%Y-%m-%d"),
            "Open": close - 0.5,
            "High": close + 1.0,
            "Low": close - 1.0,
            "Close": close,
            "Adj Close": close * 0.9,
            "Volume": 1_000.0,
        },
        index=range(2, n + 2),
    )


def test_valid_frame_becomes_read_only_arrays_with_real_closes() -> None:
    bars = validate_bars(raw_frame(), "TEST", "test.csv")
    assert len(bars) == 80
    assert bars.dates.dtype == np.dtype("datetime64[D]")
    assert bars.close[0] == 100.0  # Close, not Adj Close
    assert not bars.close.flags.writeable


def test_column_names_in_any_case_and_padding() -> None:
    frame = raw_frame().rename(columns=lambda c: f" {c.upper()} ")
    assert len(validate_bars(frame, "TEST", "test.csv")) == 80


def test_missing_column_names_it_and_what_is_needed() -> None:
    with pytest.raises(DataError, match=r"test\.csv: no Volume column .*needs Date, Open"):
        validate_bars(raw_frame().drop(columns="Volume"), "TEST", "test.csv")


def test_text_in_a_price_names_row_date_and_cell() -> None:
    frame = raw_frame().astype({"Close": object})
    frame.loc[12, "Close"] = "n/a!"
    with pytest.raises(DataError, match=r"row 12 \(2021-01-18\) has 'n/a!' in Close, not a number"):
        validate_bars(frame, "TEST", "test.csv")


def test_nan_in_a_price_is_refused() -> None:
    frame = raw_frame()
    frame.loc[5, "High"] = np.nan
    with pytest.raises(DataError, match=r"2021-01-07 has no value \(NaN\) in High; fill"):
        validate_bars(frame, "TEST", "test.csv")


def test_row_with_no_prices_is_dropped_with_a_warning() -> None:
    frame = raw_frame()
    frame.loc[5, ["Open", "High", "Low", "Close"]] = np.nan
    with pytest.warns(DataWarning, match="dropped 1 row"):
        bars = validate_bars(frame, "TEST", "test.csv")
    assert len(bars) == 79


@pytest.mark.parametrize("value", [0.0, -3.0])
def test_non_positive_price_is_refused(value: float) -> None:
    frame = raw_frame()
    frame.loc[9, "Low"] = value
    with pytest.raises(DataError, match="prices must be positive"):
        validate_bars(frame, "TEST", "test.csv")


def test_negative_volume_is_refused() -> None:
    frame = raw_frame()
    frame.loc[9, "Volume"] = -1
    with pytest.raises(DataError, match="negative Volume"):
        validate_bars(frame, "TEST", "test.csv")


def test_unsorted_rows_are_sorted_with_a_warning() -> None:
    frame = raw_frame().iloc[::-1]
    with pytest.warns(DataWarning, match="not in date order; sorted"):
        bars = validate_bars(frame, "TEST", "test.csv")
    assert (np.diff(bars.dates.astype(int)) > 0).all()
    assert bars.close[0] == 100.0


def test_duplicate_dates_are_refused() -> None:
    frame = pd.concat([raw_frame(), raw_frame().iloc[[3]]])
    with pytest.raises(DataError, match="2 rows are dated 2021-01-07"):
        validate_bars(frame, "TEST", "test.csv")


def test_high_below_close_is_refused_beyond_rounding() -> None:
    frame = raw_frame()
    frame.loc[7, "High"] = frame.loc[7, "Close"] * 0.98
    with pytest.raises(DataError, match=r"High .* is below the open or close"):
        validate_bars(frame, "TEST", "test.csv")


def test_rounding_noise_in_ohlc_is_repaired_with_a_warning() -> None:
    frame = raw_frame()
    frame.loc[7, "Low"] = frame.loc[7, "Open"] * 1.0001
    with pytest.warns(DataWarning, match="widened High/Low on 1 session"):
        bars = validate_bars(frame, "TEST", "test.csv")
    assert bars.low[5] == min(bars.open[5], bars.close[5])


def test_too_little_history_is_refused() -> None:
    with pytest.raises(InsufficientHistory, match=r"only 30 sessions .* at least 60"):
        validate_bars(raw_frame(30), "TEST", "test.csv")


def test_bad_date_is_refused() -> None:
    frame = raw_frame()
    frame.loc[4, "Date"] = "yesterday"
    with pytest.raises(DataError, match="row 4 has 'yesterday' as its date"):
        validate_bars(frame, "TEST", "test.csv")


def test_timezone_aware_timestamps_keep_their_exchange_date() -> None:
    frame = raw_frame()
    frame["Date"] = frame["Date"] + " 00:00:00-05:00"
    bars = validate_bars(frame, "TEST", "test.csv")
    assert str(bars.dates[0]) == "2021-01-04"


def test_until_hides_later_bars_and_refuses_dates_before_the_data() -> None:
    bars = validate_bars(raw_frame(), "TEST", "test.csv")
    assert str(bars.until("2021-01-10").last_date) == "2021-01-08"  # a Sunday → Friday
    with pytest.raises(DataError, match="no session on or before 2020-12-31"):
        bars.until("2020-12-31")


def test_infinite_prices_and_fuzzy_dates_are_refused() -> None:
    frame = raw_frame().astype({"Close": object})
    frame.loc[9, "Close"] = "1e309"  # overflows to inf
    with pytest.raises(DataError, match="too large to be real in Close"):
        validate_bars(frame, "TEST", "test.csv")
    frame = raw_frame()
    frame.loc[3, "Date"] = "-0"  # a fuzzy parser would read year 0
    with pytest.raises(DataError, match="row 3 has '-0' as its date"):
        validate_bars(frame, "TEST", "test.csv")
    frame = raw_frame()
    frame["Date"] = pd.to_datetime(frame["Date"]).dt.strftime("%m/%d/%Y")
    assert str(validate_bars(frame, "TEST", "test.csv").dates[0]) == "2021-01-04"
