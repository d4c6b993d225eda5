"""The columnar universe store: exact round trips, imports, merges, crash safety, scale."""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pytest

from commentary.bars import COLUMNS, Bars
from commentary.errors import DataError, OutputError, SymbolNotFound, UsageError
from commentary.sources import CsvSource
from commentary.sources.store import UniverseStore

pytest.importorskip("pyarrow")


def assert_identical(got: Bars, want: Bars) -> None:
    """Dates and every float column equal bit for bit (not merely ``==``)."""
    assert got.symbol == want.symbol
    assert got.dates.dtype == want.dates.dtype == np.dtype("datetime64[D]")
    assert got.dates.tobytes() == want.dates.tobytes()
    for name in COLUMNS:
        a, b = getattr(got, name), getattr(want, name)
        assert a.dtype == b.dtype == np.float64, name
        assert a.tobytes() == b.tobytes(), name


def walk(symbol: str, rng: np.random.Generator, sessions: int, start: str = "2015-01-02") -> Bars:
    """A seeded random walk of valid bars, with awkward floats (ulp-nudged highs)."""
    first = np.datetime64(start, "D")
    dates = (first + np.arange(sessions)).astype("datetime64[D]")
    close = 50.0 * np.exp(np.cumsum(rng.normal(0.0, 0.02, sessions)))
    open_ = close * (1.0 + rng.normal(0.0, 0.005, sessions))
    high = np.nextafter(np.maximum(open_, close) * 1.01, np.inf)
    low = np.minimum(open_, close) * 0.99
    volume = rng.integers(0, 10**7, sessions).astype(np.float64)
    return Bars(symbol, dates, open_, high, low, close, volume, origin=f"synthetic:{symbol}")


@pytest.fixture
def store(tmp_path: Path) -> UniverseStore:
    return UniverseStore(tmp_path / "store")


def test_samples_round_trip_bit_for_bit(store: UniverseStore) -> None:
    samples = CsvSource.samples()
    originals = {symbol: samples.load(symbol) for symbol in samples.symbols()}
    store.write(originals)
    assert store.symbols() == sorted(originals)
    everything = store.load_many()
    for symbol, bars in originals.items():
        assert_identical(store.load(symbol.lower()), bars)
        assert_identical(everything[symbol], bars)
        assert everything[symbol].origin == f"store:{store.root}:{symbol}"
    # A fresh object (no cached index) reads the same, and the store is one file.
    assert_identical(UniverseStore(store.root).load("^GSPC"), originals["^GSPC"])
    assert [p.name for p in store.root.iterdir()] == ["bars.parquet"]


def test_store_satisfies_the_source_protocol(store: UniverseStore) -> None:
    assert store.name == "store" and store.live is False
    bars = walk("AAPL", np.random.default_rng(0), 300)
    store.write({"AAPL": bars})
    loaded = store.load("AAPL")
    assert_identical(loaded, bars)
    assert not loaded.close.flags.writeable


def test_import_reports_a_broken_file_and_stores_the_rest(
    store: UniverseStore, tmp_path: Path
) -> None:
    samples = CsvSource.samples()
    directory = tmp_path / "csv"
    directory.mkdir()
    for symbol in ("AAPL", "NVDA", "^GSPC"):
        text = (samples.directory / f"{symbol}.csv").read_text()
        (directory / f"{symbol.lower()}.csv").write_text(text)
    lines = (samples.directory / "AMZN.csv").read_text().splitlines()
    lines[5] = lines[5].split(",", 1)[0] + ",abc,1,1,1,1,1"
    (directory / "AMZN.csv").write_text("\n".join(lines) + "\n")
    (directory / "EMPTY.csv").write_text("")

    report = store.import_csv_dir(directory)

    assert report.stored == ["AAPL", "NVDA", "^GSPC"]
    assert set(report.failed) == {"AMZN", "EMPTY"}
    assert "'abc'" in report.failed["AMZN"] and "not a number" in report.failed["AMZN"]
    assert "empty" in report.failed["EMPTY"]
    for message in report.failed.values():
        assert "\n" not in message and message.endswith(".")
    assert store.symbols() == ["AAPL", "NVDA", "^GSPC"]
    assert_identical(store.load("NVDA"), samples.load("NVDA"))


def test_import_records_repairs_as_warnings_not_failures(
    store: UniverseStore, tmp_path: Path
) -> None:
    lines = (CsvSource.samples().directory / "AAPL.csv").read_text().splitlines()
    lines[1], lines[2] = lines[2], lines[1]  # out of order: sorted with a DataWarning
    (tmp_path / "AAPL.csv").write_text("\n".join(lines) + "\n")
    report = store.import_csv_dir(tmp_path)
    assert report.stored == ["AAPL"] and not report.failed
    assert "sorted" in report.warnings["AAPL"][0]


def test_write_merges_and_replaces(store: UniverseStore) -> None:
    rng = np.random.default_rng(7)
    first = {s: walk(s, rng, 400) for s in ("AAA", "BBB", "CCC")}
    store.write(first)
    newer_bbb = walk("BBB", rng, 650, start="2010-06-01")
    ddd = walk("DDD", rng, 120)
    store.write({"bbb": newer_bbb, "DDD": ddd})
    assert store.symbols() == ["AAA", "BBB", "CCC", "DDD"]
    assert_identical(store.load("AAA"), first["AAA"])
    assert_identical(store.load("BBB"), newer_bbb)
    assert_identical(store.load("CCC"), first["CCC"])
    assert_identical(store.load("DDD"), ddd)
    assert len(store.load_many(["DDD", "AAA"])) == 2


def test_unknown_symbol_suggests_the_closest(store: UniverseStore) -> None:
    store.write({"^GSPC": walk("^GSPC", np.random.default_rng(1), 200)})
    with pytest.raises(SymbolNotFound, match=r"no \^GSCP in the store.*Did you mean \^GSPC\?"):
        store.load("^GSCP")
    with pytest.raises(SymbolNotFound, match="Did you mean"):
        store.load_many(["^GSPC", "^gspx"])


def test_missing_store_is_a_clear_error(tmp_path: Path) -> None:
    store = UniverseStore(tmp_path / "nowhere")
    assert store.symbols() == []
    with pytest.raises(SymbolNotFound, match=r"there is no store at .*import_csv_dir"):
        store.load("AAPL")


def test_symbols_are_data_never_paths(store: UniverseStore, tmp_path: Path) -> None:
    bars = walk("X", np.random.default_rng(2), 50)
    with pytest.raises(UsageError, match="not a ticker symbol"):
        store.write({"../../evil": bars})
    with pytest.raises(UsageError, match="not a ticker symbol"):
        store.load("../bars")
    store.write({"BRK.B": bars, "^N225": bars, "ES=F": bars})
    assert sorted(p.name for p in store.root.iterdir()) == ["bars.parquet"]
    assert store.symbols() == ["BRK.B", "ES=F", "^N225"]


def test_bars_that_could_not_round_trip_are_refused(store: UniverseStore) -> None:
    good = walk("AAA", np.random.default_rng(3), 30)
    backwards = Bars("AAA", good.dates[::-1], *(getattr(good, n) for n in COLUMNS))
    with pytest.raises(DataError, match="strictly increasing"):
        store.write({"AAA": backwards})
    as_float32 = Bars("AAA", good.dates, *(getattr(good, n).astype(np.float32) for n in COLUMNS))
    with pytest.raises(DataError, match="float64"):
        store.write({"AAA": as_float32})
    assert not store.path.exists()


def test_a_crash_mid_write_leaves_the_old_store_intact(
    store: UniverseStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = np.random.default_rng(11)
    old = {s: walk(s, rng, 300) for s in ("AAA", "BBB")}
    store.write(old)
    before = store.path.read_bytes()

    def crash(src: object, dst: object) -> None:
        raise OSError("disk unplugged")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OutputError, match=r"bars\.parquet: disk unplugged; "):  # one line, no trace
        store.write({"AAA": walk("AAA", rng, 500), "ZZZ": walk("ZZZ", rng, 100)})
    monkeypatch.undo()

    assert store.path.read_bytes() == before
    assert sorted(p.name for p in store.root.iterdir()) == ["bars.parquet"]  # no temp left
    fresh = UniverseStore(store.root)
    assert fresh.symbols() == ["AAA", "BBB"]
    for symbol, bars in old.items():
        assert_identical(fresh.load(symbol), bars)


def test_a_damaged_file_is_a_data_error(store: UniverseStore) -> None:
    store.write({"AAA": walk("AAA", np.random.default_rng(5), 100)})
    store.path.write_bytes(store.path.read_bytes()[:-100])
    with pytest.raises(DataError, match="cannot read the store"):
        UniverseStore(store.root).load("AAA")


def test_a_universe_of_500_tickers_loads_whole_and_exact(store: UniverseStore) -> None:
    rng = np.random.default_rng(2024)
    universe = {f"T{i:03d}": walk(f"T{i:03d}", rng, 2520) for i in range(500)}
    start = time.perf_counter()
    store.write(universe)
    loaded = UniverseStore(store.root).load_many()
    elapsed = time.perf_counter() - start
    assert list(loaded) == sorted(universe)
    for symbol, bars in universe.items():
        assert_identical(loaded[symbol], bars)
    assert elapsed < 10.0
    some = store.load_many(["T499", "T000", "T250"])
    assert_identical(some["T250"], universe["T250"])
