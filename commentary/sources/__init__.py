"""The source stage: symbols in, validated ``Bars`` out.

Every source satisfies ``Source``; tests swap in their own. yfinance is imported only by
``YFinanceSource`` when it fetches, never on the samples or CSV path.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from ..bars import Bars
from ..errors import UsageError
from ..settings import DEFAULT_SETTINGS, Settings
from .csvfile import CsvSource, read_price_csv

SOURCE_NAMES = ("samples", "csv", "yfinance", "store")


class Source(Protocol):
    """Anything that turns a symbol into validated bars."""

    name: str
    #: Whether the data is meant to be current (judged against now) or historical.
    live: bool

    def load(self, symbol: str) -> Bars:
        """Validated bars for ``symbol``; raises ``SymbolNotFound`` or ``DataError``."""
        ...


def open_source(
    name: str | None = None,
    data_dir: str | Path | None = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> Source:
    """The source a user named: ``samples`` (default), ``csv`` (needs ``data_dir``) or ``yfinance``.

    Naming only ``data_dir`` means ``csv``.
    """
    if name is None:
        name = "csv" if data_dir is not None else "samples"
    if name == "samples":
        if data_dir is not None:
            raise UsageError("--data-dir goes with --source csv, not with the bundled samples.")
        return CsvSource.samples(settings)
    if name == "csv":
        if data_dir is None:
            raise UsageError("--source csv needs --data-dir DIR holding one <SYMBOL>.csv a symbol.")
        return CsvSource(Path(data_dir), settings)
    if name == "store":
        if data_dir is None:
            raise UsageError("--source store needs --data-dir STORE (a folder made by the store).")
        from .store import UniverseStore

        return UniverseStore(Path(data_dir), settings)
    if name == "yfinance":
        from ..config import fetch_deadline
        from .yahoo import YFinanceSource

        return YFinanceSource(settings=settings, deadline=fetch_deadline())
    raise UsageError(f"unknown source {name!r}; choose one of {', '.join(SOURCE_NAMES)}.")


__all__ = ["SOURCE_NAMES", "CsvSource", "Source", "open_source", "read_price_csv"]
