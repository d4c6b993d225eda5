"""Ticker symbols: what a valid one looks like, and what we call the well-known ones.

Symbols end up in file names (``DIR/<SYMBOL>.csv``, the price cache), so a symbol is checked
here before any source sees it: letters, digits and ``^ . - = _`` only, so it can never name a
path outside its directory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from .errors import UsageError

Kind = Literal["index", "etf", "stock"]

_SYMBOL = re.compile(r"^\^?[A-Z0-9][A-Z0-9.\-=_]{0,19}$")


@dataclass(frozen=True)
class Instrument:
    """How an article names a symbol and quotes its level."""

    symbol: str
    name: str
    kind: Kind

    @property
    def units(self) -> Literal["points", "$"]:
        """Indices are quoted in points; ETFs and stocks in dollars."""
        return "points" if self.kind == "index" else "$"


_KNOWN: dict[str, tuple[str, Kind]] = {
    "^GSPC": ("S&P 500", "index"),
    "^IXIC": ("Nasdaq Composite", "index"),
    "^DJI": ("Dow Jones Industrial Average", "index"),
    "^RUT": ("Russell 2000", "index"),
    "^NDX": ("Nasdaq-100", "index"),
    "SPY": ("SPDR S&P 500 ETF", "etf"),
    "QQQ": ("Invesco QQQ Trust", "etf"),
    "IWM": ("iShares Russell 2000 ETF", "etf"),
    "DIA": ("SPDR Dow Jones Industrial Average ETF", "etf"),
    "AAPL": ("Apple", "stock"),
    "AMZN": ("Amazon", "stock"),
    "GOOG": ("Alphabet", "stock"),
    "META": ("Meta Platforms", "stock"),
    "NFLX": ("Netflix", "stock"),
    "NVDA": ("Nvidia", "stock"),
    "MSFT": ("Microsoft", "stock"),
}


def normalise_symbol(text: str) -> str:
    """Upper-case and check a symbol, or raise ``UsageError``.

    >>> normalise_symbol(" aapl ")
    'AAPL'
    >>> normalise_symbol("../etc/passwd")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    commentary.errors.UsageError: '../etc/passwd' is not a ticker symbol; ...
    """
    symbol = text.strip().upper()
    if not _SYMBOL.match(symbol):
        raise UsageError(
            f"{text!r} is not a ticker symbol; use letters, digits and ^ . - = _ only "
            "(for example AAPL or ^GSPC)."
        )
    return symbol


def describe(symbol: str) -> Instrument:
    """Display name and kind of a symbol: known ones by name, ``^X`` as an index, else a stock."""
    if symbol in _KNOWN:
        name, kind = _KNOWN[symbol]
        return Instrument(symbol, name, kind)
    return Instrument(symbol, symbol, "index" if symbol.startswith("^") else "stock")
