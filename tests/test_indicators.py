"""Our wiring of TA-Lib: names, alignment with the bars, warm-up nulls, no NaN ever fed in."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import talib

from commentary.bars import Bars
from commentary.indicators import CONTRACT_KEYS, SERIES_KEYS, compute_indicators

#: The first defined index of each series under TA-Lib's default lookbacks.
WARM_UP = {
    "rsi_14": 14, "macd": 33, "macd_signal": 33, "macd_hist": 33,
    "sma_5": 4, "sma_20": 19, "sma_50": 49, "sma_200": 199, "ema_20": 19,
    "atr_14": 14, "adx_14": 27, "bb_upper": 19, "bb_middle": 19, "bb_lower": 19,
    "stoch_k": 17, "stoch_d": 17, "obv": 0,
}  # fmt: skip


def test_series_have_the_contract_names_and_the_bars_length(gspc: Bars) -> None:
    indicators = compute_indicators(gspc)
    assert set(indicators.series) == set(SERIES_KEYS)
    assert SERIES_KEYS[: len(CONTRACT_KEYS)] == CONTRACT_KEYS
    assert all(series.shape == gspc.close.shape for series in indicators.series.values())
    assert indicators.dates is gspc.dates


@pytest.mark.parametrize("key", SERIES_KEYS)
def test_each_series_is_null_exactly_during_its_warm_up(gspc: Bars, key: str) -> None:
    series = compute_indicators(gspc).series[key]
    first = WARM_UP[key]
    assert np.isnan(series[:first]).all()
    assert not np.isnan(series[first:]).any()


def test_values_equal_talib_called_directly_on_the_same_bars(gspc: Bars) -> None:
    frame = compute_indicators(gspc).to_frame()
    h, lo, c = gspc.high, gspc.low, gspc.close
    expected = {
        "rsi_14": talib.RSI(c, 14),
        "macd_signal": talib.MACD(c, 12, 26, 9)[1],
        "sma_200": talib.SMA(c, 200),
        "ema_20": talib.EMA(c, 20),
        "atr_14": talib.ATR(h, lo, c, 14),
        "adx_14": talib.ADX(h, lo, c, 14),
        "bb_lower": talib.BBANDS(c, 20, 2, 2)[2],
        "stoch_d": talib.STOCH(h, lo, c, 14, 3, 0, 3, 0)[1],
        "obv": talib.OBV(c, gspc.volume),
    }
    for key, values in expected.items():
        pd.testing.assert_series_equal(frame[key], pd.Series(values, index=frame.index, name=key))


def test_dates_line_up_with_the_bars(gspc: Bars) -> None:
    frame = compute_indicators(gspc).to_frame()
    row = frame.loc["2008-10-10"]
    position = int(np.flatnonzero(gspc.dates == np.datetime64("2008-10-10"))[0])
    assert row["sma_5"] == pytest.approx(gspc.close[position - 4 : position + 1].mean(), rel=1e-12)


def test_latest_reports_null_while_a_series_warms_up(gspc: Bars) -> None:
    latest = compute_indicators(gspc.head(120)).latest()
    assert list(latest) == list(CONTRACT_KEYS)
    assert latest["sma_200"] is None
    assert latest["rsi_14"] is not None


def test_bollinger_bands_use_the_population_deviation(gspc: Bars) -> None:
    """TA-Lib (and Bollinger) use ddof=0; pandas' default ddof=1 would be 2.6 % wider."""
    frame = compute_indicators(gspc).to_frame()
    close = pd.Series(gspc.close, index=frame.index)
    width = 2 * 2 * close.rolling(20).std(ddof=0)
    pd.testing.assert_series_equal(
        (frame["bb_upper"] - frame["bb_lower"]).iloc[19:],
        width.iloc[19:],
        check_names=False,
        rtol=1e-8,
    )
