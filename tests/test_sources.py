"""CSV and bundled-sample sources."""

from __future__ import annotations

from pathlib import Path

import pytest

from commentary.bars import Bars
from commentary.errors import DataError, SymbolNotFound, UsageError
from commentary.sources import CsvSource, open_source, read_price_csv

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "data"


def sample_lines(symbol: str = "AAPL", rows: int = 100) -> list[str]:
    return (SAMPLES / f"{symbol}.csv").read_text().splitlines()[: rows + 1]


def test_samples_are_the_default_source_and_hold_the_provenance_listed_symbols() -> None:
    source = open_source()
    assert source.name == "samples"
    assert isinstance(source, CsvSource)
    assert source.symbols() == ["AAPL", "AMZN", "GOOG", "META", "NFLX", "NVDA", "^GSPC", "^IXIC"]


def test_samples_load_real_closes_not_adjusted_ones(samples: CsvSource) -> None:
    bars = samples.load("nvda")
    assert bars.symbol == "NVDA"
    assert str(bars.dates[0]) == "2013-01-02"
    assert bars.close[0] == pytest.approx(3.180000066757202)  # Adj Close is 2.936...


def test_sample_gaps_for_market_closures_are_kept(gspc: Bars) -> None:
    days = {str(d) for d in gspc.dates}
    assert "2001-09-10" in days and "2001-09-17" in days
    assert not {"2001-09-11", "2001-09-14", "2012-10-29", "2012-10-30"} & days


def test_yfinance_export_with_extra_header_rows_is_accepted(tmp_path: Path) -> None:
    body = [line.split(",") for line in sample_lines()[1:]]
    rows = [
        "Price,Adj Close,Close,High,Low,Open,Volume",
        "Ticker,AAPL,AAPL,AAPL,AAPL,AAPL,AAPL",
        "Date,,,,,,",
        *(f"{d} 00:00:00-05:00,{a},{c},{h},{lo},{o},{v}" for d, o, h, lo, c, a, v in body),
    ]
    (tmp_path / "AAPL.csv").write_text("\n".join(rows) + "\n")
    bars = CsvSource(tmp_path).load("AAPL")
    reference = CsvSource.samples().load("AAPL").head(100)
    assert (bars.dates == reference.dates).all()
    assert (bars.close == reference.close).all()


def test_file_name_case_and_byte_order_mark_do_not_matter(tmp_path: Path) -> None:
    (tmp_path / "aapl.csv").write_text("\ufeff" + "\n".join(sample_lines()).lower())
    assert len(CsvSource(tmp_path).load("AAPL")) == 100


def test_unknown_symbol_suggests_the_closest(samples: CsvSource) -> None:
    with pytest.raises(
        SymbolNotFound, match=r"no \^GSCP\.csv in the bundled samples\. Did you mean \^GSPC\?"
    ):
        samples.load("^GSCP")


@pytest.mark.parametrize("symbol", ["../AAPL", "/etc/passwd", "AA PL", "a\x00b", "..", ""])
def test_symbols_that_could_leave_the_directory_are_refused(
    samples: CsvSource, symbol: str
) -> None:
    with pytest.raises(UsageError, match="is not a ticker symbol"):
        samples.load(symbol)


def test_non_utf8_file_is_refused_with_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "X.csv"
    path.write_bytes("Date,Open\n2020-01-02,caf\xe9\n".encode("latin-1"))
    with pytest.raises(DataError, match=r"not UTF-8 text .* save it as UTF-8"):
        read_price_csv(path)


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "X.csv"
    path.write_text("  \n")
    with pytest.raises(DataError, match="the file is empty"):
        read_price_csv(path)


def test_header_only_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "X.csv").write_text("Date,Open,High,Low,Close,Volume\n")
    with pytest.raises(DataError, match="no price rows"):
        CsvSource(tmp_path).load("X")


def test_source_arguments_that_do_not_fit_together(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="--source csv needs --data-dir"):
        open_source("csv")
    with pytest.raises(UsageError, match="--data-dir goes with --source csv"):
        open_source("samples", tmp_path)
    assert open_source(data_dir=tmp_path).name == "csv"
