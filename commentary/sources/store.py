"""A local columnar store for whole universes: thousands of series in one Parquet file.

Layout: ``<root>/bars.parquet`` holds every symbol's bars, sorted by (symbol, date), with columns
``symbol`` (dictionary-encoded string), ``date`` (date32) and ``open high low close volume``
(float64). Each row group holds a batch of whole symbols. The index (symbol -> first row, length)
lives in the file's own key-value metadata, so data and index are replaced together by one
``os.replace``: a reader sees the old store or the new one, never a mix. Symbols are data in the
file, never file names, so no symbol can name a path outside ``root``.

pyarrow is imported only when the store is used.
"""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..bars import COLUMNS, Bars
from ..errors import CommentaryError, DataError, OutputError, SymbolNotFound, did_you_mean
from ..files import folder_problem, replacing
from ..settings import DEFAULT_SETTINGS, Settings
from ..symbols import normalise_symbol
from .csvfile import CsvSource

if TYPE_CHECKING:
    import pyarrow as pa  # type: ignore[import-untyped]

FILE_NAME = "bars.parquet"
_INDEX_KEY = b"commentary.store"
_FORMAT = "commentary-store/1"
#: Rows per row group (whole symbols): ~50 ten-year series; a lone load reads one group.
ROW_GROUP_ROWS = 128 * 1024


@dataclass(frozen=True)
class ImportReport:
    """What ``import_csv_dir`` stored, what it refused (one sentence each) and what it repaired."""

    stored: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Index:
    key: tuple[int, int, int]  # (inode, size, mtime_ns) of the file this index was read from
    slices: dict[str, tuple[int, int]]  # symbol -> (first row, number of rows)
    group_starts: np.ndarray  # first row of each row group, plus the total row count
    adjusted: frozenset[str] = frozenset()  # symbols whose prices are split-adjusted


class UniverseStore:
    """Bars of many symbols in ``root/bars.parquet``; satisfies the ``Source`` protocol."""

    live = False

    def __init__(self, root: Path, settings: Settings = DEFAULT_SETTINGS, name: str = "store"):
        self.root = Path(root)
        self.settings = settings
        self.name = name
        self._index: _Index | None = None

    @property
    def path(self) -> Path:
        return self.root / FILE_NAME

    # -- reading ---------------------------------------------------------------------------------

    def symbols(self) -> list[str]:
        """The symbols the store holds, sorted."""
        return sorted(self._read_index().slices) if self.path.exists() else []

    def load(self, symbol: str) -> Bars:
        """Bars of one symbol, reading only the row group(s) that hold it."""
        bars = self.load_many([symbol])[normalise_symbol(symbol)]
        return _bars(bars.symbol, [np.array(a) for a in _arrays(bars)], bars.origin, bars.adjusted)

    def load_many(self, symbols: Iterable[str] | None = None) -> dict[str, Bars]:
        """Bars of ``symbols`` (all when ``None``) in one read; arrays are views of shared
        buffers (``load`` copies, so one series never pins a whole row group)."""
        asked = None if symbols is None else [normalise_symbol(s) for s in symbols]
        index = self._read_index()
        wanted = sorted(index.slices) if asked is None else asked
        for symbol in wanted:
            if symbol not in index.slices:
                raise SymbolNotFound(
                    f"no {symbol} in the store at {self.root}."
                    f"{did_you_mean(symbol, index.slices)} Add it with import_csv_dir or write."
                )
        if not wanted:
            return {}
        starts = index.group_starts
        groups: set[int] = set()
        for symbol in wanted:
            first, length = index.slices[symbol]
            lo = int(np.searchsorted(starts, first, side="right")) - 1
            hi = int(np.searchsorted(starts, first + length, side="left"))
            groups.update(range(lo, hi))
        chosen = sorted(groups)
        columns = self._read_groups(chosen)
        # Map a file row to its row in what was read (the chosen groups, concatenated).
        sizes = np.diff(starts)
        base = {g: int(sizes[chosen[:i]].sum()) - int(starts[g]) for i, g in enumerate(chosen)}
        result: dict[str, Bars] = {}
        for symbol in wanted:
            first, length = index.slices[symbol]
            lo = int(np.searchsorted(starts, first, side="right")) - 1
            row = first + base[lo]
            part = [c[row : row + length] for c in columns]
            if length and not (part[0][1:] > part[0][:-1]).all():
                raise self._corrupt(f"the dates of {symbol} are not strictly increasing")
            result[symbol] = _bars(
                symbol, part, f"store:{self.root}:{symbol}", symbol in index.adjusted
            )
        return result

    def _read_groups(self, groups: list[int]) -> list[np.ndarray]:
        import pyarrow.parquet as pq  # type: ignore[import-untyped]

        names = ["date", *COLUMNS]
        try:
            file = pq.ParquetFile(self.path, memory_map=True)
            table = file.read_row_groups(groups, columns=names, use_threads=True)
        except (OSError, ValueError) as error:  # pyarrow's errors derive from these
            raise self._corrupt(str(error).splitlines()[0]) from None
        out = [_column(table, "date", np.dtype("datetime64[D]"))]
        out.extend(_column(table, name, np.dtype(np.float64)) for name in COLUMNS)
        return out

    def _read_index(self) -> _Index:
        import pyarrow.parquet as pq

        try:
            stat = self.path.stat()
        except FileNotFoundError:
            raise SymbolNotFound(
                f"there is no store at {self.root} (no {FILE_NAME}); "
                "create it with UniverseStore(root).import_csv_dir(DIR)."
            ) from None
        key = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
        if self._index is not None and self._index.key == key:
            return self._index
        try:
            meta = pq.read_metadata(self.path)
            raw = (meta.metadata or {}).get(_INDEX_KEY)
            info = json.loads(raw) if raw is not None else {}
        except (OSError, ValueError) as error:
            raise self._corrupt(str(error).splitlines()[0]) from None
        if info.get("format") != _FORMAT:
            raise self._corrupt(f"it is not in the {_FORMAT} format")
        slices = {s: (int(o), int(n)) for s, o, n in zip(*info["index"], strict=True)}
        rows = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
        starts = np.concatenate([[0], np.cumsum(rows, dtype=np.int64)])
        if sum(n for _, n in slices.values()) != meta.num_rows:
            raise self._corrupt("its index does not match its rows")
        self._index = _Index(key, slices, starts, frozenset(info.get("adjusted", [])))
        return self._index

    def _corrupt(self, reason: str) -> DataError:
        return DataError(
            f"{self.path}: cannot read the store ({reason}); delete it and import the data again."
        )

    # -- writing ---------------------------------------------------------------------------------

    def write(self, bars_by_symbol: Mapping[str, Bars]) -> None:
        """Add or replace these symbols, keeping the others; atomic (one ``os.replace``)."""
        merged = self.load_many() if self.path.exists() else {}
        for symbol, bars in bars_by_symbol.items():
            merged[normalise_symbol(symbol)] = _checked(normalise_symbol(symbol), bars)
        self._write_all(merged)

    def import_csv_dir(self, directory: Path) -> ImportReport:
        """Read every ``*.csv`` in ``directory`` as ``CsvSource`` does and store the good ones."""
        source = CsvSource(Path(directory), self.settings)
        report = ImportReport()
        good: dict[str, Bars] = {}
        stems: dict[str, list[str]] = {}
        for path in sorted(Path(directory).glob("*.csv")):
            stems.setdefault(path.stem.upper(), []).append(path.name)
        for stem, names in stems.items():
            if len(names) > 1:
                report.failed[stem] = (
                    f"{directory}: {' and '.join(names)} both hold {stem}; keep one of them."
                )
                continue
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    good[stem] = source.load(stem)
                except CommentaryError as error:  # DataError, or UsageError for a bad name
                    report.failed[stem] = str(error)
                    continue
            if caught:
                report.warnings[stem] = [str(w.message) for w in caught]
        if good:
            self.write(good)
        report.stored.extend(sorted(good))
        return report

    def _write_all(self, merged: Mapping[str, Bars]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        order = sorted(merged)
        lengths = [len(merged[s]) for s in order]
        offsets = np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)])
        info = {
            "format": _FORMAT,
            "index": [order, offsets[:-1].tolist(), lengths],
            # Which series are split-adjusted, as their source declared (a store adds no key
            # an older reader would refuse: an older store simply has none adjusted).
            "adjusted": [s for s in order if merged[s].adjusted],
        }
        schema = pa.schema(
            [
                ("symbol", pa.dictionary(pa.int32(), pa.string())),
                ("date", pa.date32()),
                *((name, pa.float64()) for name in COLUMNS),
            ],
            metadata={_INDEX_KEY: json.dumps(info, separators=(",", ":")).encode()},
        )
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise OutputError(
                f"cannot create the store folder {self.root}: "
                f"{folder_problem(self.root, error)}; choose another path."
            ) from None
        with (
            replacing(self.path) as handle,
            pq.ParquetWriter(
                handle, schema, compression="snappy", use_dictionary=["symbol"]
            ) as writer,
        ):
            for batch in _batches(order, lengths):
                writer.write_table(_table(pa, schema, order, merged, batch))
        _fsync_dir(self.root)
        self._index = None


def _arrays(bars: Bars) -> list[np.ndarray]:
    return [bars.dates, *(getattr(bars, name) for name in COLUMNS)]


def _bars(symbol: str, arrays: list[np.ndarray], origin: str, adjusted: bool = False) -> Bars:
    dates, open_, high, low, close, volume = arrays
    return Bars(symbol, dates, open_, high, low, close, volume, origin=origin, adjusted=adjusted)


def _batches(order: list[str], lengths: list[int]) -> Iterable[range]:
    """Runs of whole symbols of about ``ROW_GROUP_ROWS`` rows each (one row group each)."""
    start, rows = 0, 0
    for i, n in enumerate(lengths):
        if rows and rows + n > ROW_GROUP_ROWS:
            yield range(start, i)
            start, rows = i, 0
        rows += n
    if start < len(order):
        yield range(start, len(order))


def _table(pa: Any, schema: Any, order: list[str], merged: Mapping[str, Bars], batch: range) -> Any:
    chosen = [merged[order[i]] for i in batch]
    codes = np.repeat(np.arange(len(chosen), dtype=np.int32), [len(b) for b in chosen])
    names = pa.array(order[batch.start : batch.stop], pa.string())
    symbol = pa.DictionaryArray.from_arrays(pa.array(codes), names)
    arrays = [symbol, pa.array(np.concatenate([b.dates for b in chosen]), pa.date32())]
    arrays += [pa.array(np.concatenate([getattr(b, n) for b in chosen])) for n in COLUMNS]
    return pa.Table.from_arrays(arrays, schema=schema)


def _column(table: pa.Table, name: str, dtype: np.dtype[Any]) -> np.ndarray:
    column = table.column(name)
    array = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    values: np.ndarray = array.to_numpy(zero_copy_only=False)
    if values.dtype != dtype:  # pragma: no cover - pyarrow gives exactly these dtypes
        values = values.astype(dtype)
    return values


def _checked(symbol: str, bars: Bars) -> Bars:
    """Refuse what the store could not give back exactly as ``validate_bars`` made it."""
    where, dates = bars.origin or symbol, bars.dates
    fix = "pass bars made by validate_bars"
    if dates.dtype != np.dtype("datetime64[D]") or dates.ndim != 1 or len(dates) == 0:
        raise DataError(f"{where}: the dates are not a non-empty datetime64[D] array; {fix}.")
    if not (dates[1:] > dates[:-1]).all():
        raise DataError(f"{where}: the dates are not strictly increasing; {fix}.")
    for name in COLUMNS:
        values = getattr(bars, name)
        if values.dtype != np.float64 or values.shape != dates.shape:
            raise DataError(f"{where}: {name} is not float64 of the dates' length; {fix}.")
    return bars


def _fsync_dir(directory: Path) -> None:
    if os.name != "posix":  # pragma: no cover - Windows cannot open a directory
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
