"""The standard indicators, computed by TA-Lib with its default conventions.

TA-Lib is the field's reference implementation (https://ta-lib.org). Every series is aligned with
the bars (same length, same dates) and NaN during its warm-up. Names are the JSON contract's keys.
"""

from __future__ import annotations

import numpy as np
import talib

from ..bars import Bars

#: The keys of the JSON contract's ``indicators`` object, in contract order.
CONTRACT_KEYS = (
    "rsi_14",
    "macd",
    "macd_signal",
    "macd_hist",
    "sma_5",
    "sma_20",
    "sma_50",
    "sma_200",
    "ema_20",
    "atr_14",
    "adx_14",
    "bb_upper",
    "bb_middle",
    "bb_lower",
    "stoch_k",
    "stoch_d",
)
#: Every series this module computes: the contract keys plus on-balance volume.
SERIES_KEYS = (*CONTRACT_KEYS, "obv")


def standard_indicators(bars: Bars) -> dict[str, np.ndarray]:
    """TA-Lib's RSI 14, MACD 12/26/9, SMA 5/20/50/200, EMA 20, ATR 14, ADX 14, BBANDS 20/2/2,
    STOCH 14/3/3 (slow, SMA smoothing) and OBV over ``bars``.

    References: Wilder (1978) for RSI, ATR and ADX; Appel for MACD; Bollinger (2001); Lane for
    the stochastic oscillator; Granville (1963) for OBV.
    """
    high, low, close, volume = bars.high, bars.low, bars.close, bars.volume
    # BBANDS and STOCH smooth with a simple moving average by default (matype 0), as published.
    macd, macd_signal, macd_hist = talib.MACD(close, fastperiod=12, slowperiod=26, signalperiod=9)
    bb_upper, bb_middle, bb_lower = talib.BBANDS(close, timeperiod=20, nbdevup=2.0, nbdevdn=2.0)
    stoch_k, stoch_d = talib.STOCH(
        high,
        low,
        close,
        fastk_period=14,
        slowk_period=3,
        slowd_period=3,
    )
    return {
        "rsi_14": talib.RSI(close, timeperiod=14),
        "macd": macd,
        "macd_signal": macd_signal,
        "macd_hist": macd_hist,
        "sma_5": talib.SMA(close, timeperiod=5),
        "sma_20": talib.SMA(close, timeperiod=20),
        "sma_50": talib.SMA(close, timeperiod=50),
        "sma_200": talib.SMA(close, timeperiod=200),
        "ema_20": talib.EMA(close, timeperiod=20),
        "atr_14": talib.ATR(high, low, close, timeperiod=14),
        "adx_14": talib.ADX(high, low, close, timeperiod=14),
        "bb_upper": bb_upper,
        "bb_middle": bb_middle,
        "bb_lower": bb_lower,
        "stoch_k": stoch_k,
        "stoch_d": stoch_d,
        "obv": talib.OBV(close, volume),
    }
