"""Prices from CSV files: ``DIR/<SYMBOL>.csv``, the bundled samples, yfinance's own export."""

from __future__ import annotations

import csv
import dataclasses
import io
import tomllib
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from ..bars import Bars, validate_bars
from ..errors import DataError, SymbolNotFound, did_you_mean
from ..inputs import read_text_file
from ..resources import samples_data_dir
from ..settings import DEFAULT_SETTINGS, Settings
from ..symbols import normalise_symbol
from .clean_csv import parse_clean_csv

if TYPE_CHECKING:
    import pandas as pd

#: Larger files are not daily bars of one symbol: four centuries of sessions at full float
#: precision (every date the bars stage accepts) is about 16 MB, a century about 3 MB. The full
#: check holds every cell as text: reading peaks at 11 to 13 bytes of memory per byte of file
#: (``benchmarks/csv_memory.py``), so this bound keeps one file under about 400 MB; at the former
#: 200 MB a file just under the bound took 1.3 to 4.8 GB.
MAX_FILE_BYTES = 32 * 1024 * 1024


def read_price_csv(path: Path) -> pd.DataFrame:
    """Read a price CSV as text cells, indexed by file line number for error messages.

    Accepts yfinance's export with its extra header rows (``Price,Adj Close,...`` then
    ``Ticker,...`` then ``Date,,,``), a UTF-8 byte-order mark, and column names in any case.
    """
    return price_table(read_csv_text(path), path)


def read_csv_text(path: Path) -> str:
    """The file's text, or a ``DataError`` saying why it cannot be prices.

    Only a regular file is read (a FIFO named ``X.csv`` would block forever), up to
    ``MAX_FILE_BYTES``.
    """
    text = read_text_file(
        path,
        what="a price CSV",
        max_bytes=MAX_FILE_BYTES,
        too_large="split it one file a symbol",
    )
    if not text.strip():
        raise DataError(f"{path}: the file is empty; export the prices again.")
    return text


def price_table(text: str, path: Path) -> pd.DataFrame:
    """The CSV ``text`` as a frame of text cells (pandas: for the full check)."""
    import pandas as pd

    from ..validation import refuse_repeated_columns

    # pandas renames a repeated name ("Close", "Close.1"): look at the header as written.
    try:
        header = next(csv.reader([text.split("\n", 1)[0]], skipinitialspace=True), [])
    except csv.Error:
        header = []
    refuse_repeated_columns(header, str(path))
    try:
        with warnings.catch_warnings():
            # Rows longer than the header would silently lose cells: make that an error.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(
                io.StringIO(text), dtype=str, skipinitialspace=True, index_col=False
            )
    except (pd.errors.ParserError, pd.errors.ParserWarning, csv.Error, ValueError) as error:
        reason = str(error).strip().splitlines()[0]
        raise DataError(
            f"{path}: not a readable CSV ({reason}); save it as comma-separated values with "
            "one header row and the same number of fields on every row."
        ) from None
    frame.index = pd.RangeIndex(2, len(frame) + 2)  # line numbers: the header is line 1
    return _drop_yfinance_header_rows(frame)


def _drop_yfinance_header_rows(frame: pd.DataFrame) -> pd.DataFrame:
    if len(frame.columns) == 0 or str(frame.columns[0]).strip().lower() != "price":
        return frame
    first = frame.iloc[:, 0].astype("string").str.strip().str.lower()
    header_rows = first.isin(["ticker", "date", "datetime"])
    # Only the rows right under the header are header rows.
    leading = header_rows.cumprod().astype(bool)
    frame = frame[~leading.to_numpy()]
    return frame.rename(columns={frame.columns[0]: "Date"})


#: The file in a price folder that declares which of its files are split-adjusted.
DECLARATION = "prices.toml"


def _read_declaration(path: Path) -> bool | frozenset[str]:
    if not path.is_file():
        return False
    try:
        value = tomllib.loads(path.read_text(encoding="utf-8")).get("split_adjusted", False)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise DataError(
            f"{path}: cannot read the declaration ({error}); fix or delete it."
        ) from None
    if isinstance(value, bool):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return frozenset(normalise_symbol(v) for v in value)
    raise DataError(
        f'{path}: split_adjusted must be true, false or a list of symbols such as ["AAPL", "NVDA"].'
    )


class CsvSource:
    """Reads ``<directory>/<SYMBOL>.csv``; the file name's case does not matter."""

    #: Files hold history as of when they were written, not live quotes: judged against --as-of.
    live = False

    def __init__(self, directory: Path, settings: Settings = DEFAULT_SETTINGS, name: str = "csv"):
        self.directory = directory
        self.settings = settings
        self.name = name
        self._adjusted: bool | frozenset[str] | None = None

    @classmethod
    def samples(cls, settings: Settings = DEFAULT_SETTINGS) -> CsvSource:
        """The real historical data bundled with commentary (see ``samples/data/PROVENANCE.md``)."""
        return cls(samples_data_dir(), settings, name="samples")

    def symbols(self) -> list[str]:
        """The symbols this directory holds a file for."""
        if not self.directory.is_dir():
            return []
        return sorted(p.stem.upper() for p in self.directory.glob("*.csv"))

    def path_for(self, symbol: str) -> Path:
        symbol = normalise_symbol(symbol)
        if not self.directory.is_dir():
            raise SymbolNotFound(
                f"{self.directory} is not a directory; "
                "pass --data-dir DIR holding <SYMBOL>.csv files."
            )
        for path in self.directory.glob("*.csv"):
            if path.stem.upper() == symbol:
                return path
        where = "the bundled samples" if self.name == "samples" else str(self.directory)
        raise SymbolNotFound(
            f"no {symbol}.csv in {where}.{did_you_mean(symbol, self.symbols())} "
            f"Available: {', '.join(self.symbols()) or 'none'}."
        )

    def load(self, symbol: str) -> Bars:
        path = self.path_for(symbol)
        symbol, text = normalise_symbol(symbol), read_csv_text(path)
        bars = parse_clean_csv(text, symbol, str(path), self.settings.data)
        if bars is None:
            bars = validate_bars(price_table(text, path), symbol, str(path), self.settings.data)
        adjusted = self.split_adjusted()
        if adjusted is True or (adjusted is not False and symbol in adjusted):
            return dataclasses.replace(bars, adjusted=True)
        return bars

    def split_adjusted(self) -> bool | frozenset[str]:
        """Which files hold split-adjusted prices, as ``<directory>/prices.toml`` declares::

            split_adjusted = ["AAPL", "NVDA"]   # or true: every file; default: none

        A CSV file cannot say whether its prices were adjusted, so without the declaration they
        count as unadjusted (``adjusted: false`` in the ledger).
        """
        if self._adjusted is None:
            self._adjusted = _read_declaration(self.directory / DECLARATION)
        return self._adjusted
