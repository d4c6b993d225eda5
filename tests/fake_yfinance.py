"""A stand-in for the yfinance module: the surface YFinanceSource uses, and no network.

``FakeYFinance(outcomes)`` answers each ``Ticker(symbol).history(...)`` call with the next outcome
(a frame is returned, an exception raised); the last outcome repeats forever. Every call is
recorded with its symbol, its keyword arguments and yfinance's ``hide_exceptions`` setting at the
time. ``tests/test_yahoo.py`` checks that these exception names and their hierarchy match the real
``yfinance.exceptions``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd


class YFException(Exception):
    pass


class YFTickerMissingError(YFException):
    pass


class YFTzMissingError(YFTickerMissingError):
    pass


class YFPricesMissingError(YFTickerMissingError):
    pass


class YFRateLimitError(YFException):
    pass


EXCEPTIONS = {
    cls.__name__: cls
    for cls in (
        YFException,
        YFTickerMissingError,
        YFTzMissingError,
        YFPricesMissingError,
        YFRateLimitError,
    )
}


def price_frame(
    sessions: int = 80, start: str = "2024-01-02", tz: str = "America/New_York"
) -> pd.DataFrame:
    """A frame like ``Ticker.history(auto_adjust=False)``: tz-aware index, Adj Close apart."""
    index = pd.bdate_range(start, periods=sessions, tz=tz, name="Date")
    close = 100.0 + np.arange(sessions) * 0.37 + 1 / 3  # 1/3: full float precision must survive
    return pd.DataFrame(
        {
            "Open": close - 0.5,
            "High": close + 1.0,
            "Low": close - 1.5,
            "Close": close,
            "Adj Close": close * 0.9,  # what auto_adjust=True would have put in Close
            "Volume": 1_000_000.0 + np.arange(sessions),
        },
        index=index,
    )


@dataclass
class Call:
    symbol: str
    kwargs: dict[str, Any]
    hide_exceptions: Any


@dataclass
class FakeYFinance:
    outcomes: list[pd.DataFrame | BaseException] = field(default_factory=lambda: [price_frame()])
    with_config: bool = True
    calls: list[Call] = field(default_factory=list)
    #: What real yfinance logs on each failed try, if anything.
    log: str | None = None

    def __post_init__(self) -> None:
        self.exceptions = SimpleNamespace(**EXCEPTIONS)
        if self.with_config:
            self.config = SimpleNamespace(debug=SimpleNamespace(hide_exceptions=True))

    def Ticker(self, symbol: str) -> _Ticker:
        return _Ticker(self, symbol)


@dataclass
class _Ticker:
    client: FakeYFinance
    symbol: str

    def history(self, **kwargs: Any) -> pd.DataFrame:
        config = getattr(self.client, "config", None)
        hidden = config.debug.hide_exceptions if config is not None else None
        self.client.calls.append(Call(self.symbol, kwargs, hidden))
        outcomes = self.client.outcomes
        outcome = outcomes.pop(0) if len(outcomes) > 1 else outcomes[0]
        if isinstance(outcome, BaseException):
            if self.client.log:
                import logging

                logging.getLogger("yfinance").error(self.client.log)
            raise outcome
        return outcome.copy()
