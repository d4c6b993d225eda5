"""Batch sinks: the whole universe in one Parquet, SQLite or JSON Lines file, atomic and
resumable by ticker, each row the same article and ledger a file-per-ticker run writes."""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from commentary.batch import article_path, ledger_path, run_batch
from commentary.cli import cli
from commentary.sources import CsvSource
from tests.conftest import build_bars
from tests.test_batch import Synthetic

SINKS = ("parquet", "sqlite", "jsonl")
SAMPLE_PAIRS = [("AAPL", "^GSPC"), ("AMZN", "^GSPC"), ("NFLX", "^GSPC"), ("NVDA", "^GSPC")]
#: Synthetic tickers: enough for several chunks per worker and an interruption in the middle.
COUNT = 120


def read_rows(path: Path, kind: str) -> list[dict[str, Any]]:
    """The target's rows, read with each format's own library (not the sink's reader)."""
    if kind == "parquet":
        return pq.read_table(path).to_pylist()
    if kind == "sqlite":
        with contextlib.closing(sqlite3.connect(path)) as db:
            db.row_factory = sqlite3.Row
            return [dict(row) for row in db.execute("SELECT * FROM articles")]
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def assert_rows_match_files(rows: list[dict[str, Any]], folder: Path, symbols: list[str]) -> None:
    """One row per symbol, in the universe's order, each the file-per-ticker run's bytes."""
    assert [row["symbol"] for row in rows] == symbols
    for row in rows:
        symbol = row["symbol"]
        article = article_path(folder, symbol, "markdown").read_bytes()
        assert row["markdown"].encode("utf-8") == article, symbol
        assert row["ledger"].encode("utf-8") == ledger_path(folder, symbol).read_bytes(), symbol
        assert row["article_sha256"] == hashlib.sha256(article).hexdigest()
        ledger = json.loads(row["ledger"])
        assert row["as_of"] == ledger["as_of"] and row["title"] == ledger["article"]["title"]


@pytest.fixture(scope="module")
def samples_by_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("files")
    report = run_batch(SAMPLE_PAIRS, CsvSource.samples(), out, as_of="2020-04-17")
    assert len(report.done) == 4
    return out


@pytest.fixture(scope="module")
def synthetic_by_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = Synthetic(COUNT)
    out = tmp_path_factory.mktemp("synthetic")
    pairs = [(s, "^BENCH") for s in source.bars if s != "^BENCH"]
    assert len(run_batch(pairs, source, out, workers=2).done) == COUNT
    return out


@pytest.mark.parametrize("kind", SINKS)
def test_each_sink_holds_the_samples_articles_byte_for_byte(
    kind: str, tmp_path: Path, samples_by_file: Path
) -> None:
    universe = tmp_path / "universe.csv"
    universe.write_text("AAPL\nAMZN\nNFLX\nNVDA\n")
    target = tmp_path / f"site.{kind}"
    result = CliRunner().invoke(cli, ["batch", "--universe", str(universe), "--out", str(target),
                                      "--benchmark", "^GSPC", "--as-of", "2020-04-17",
                                      "--sink", kind])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("4 written, 0 already done, 0 failed")
    assert_rows_match_files(
        read_rows(target, kind), samples_by_file, ["AAPL", "AMZN", "NFLX", "NVDA"]
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name, "universe.csv"]


@pytest.mark.parametrize("kind", SINKS)
def test_an_interrupted_sink_resumes_by_ticker_and_readers_see_only_complete_files(
    kind: str, tmp_path: Path, synthetic_by_file: Path
) -> None:
    source = Synthetic(COUNT)
    healthy = source.bars["T050"]
    source.bars["T050"] = build_bars(np.full(400, 40.0), symbol="T050", start="2018-01-02")
    pairs = [(s, "^BENCH") for s in source.bars if s != "^BENCH"]
    symbols = [s for s, _ in pairs]
    target = tmp_path / f"universe.{kind}"
    staging = tmp_path / f".universe.{kind}.staging.sqlite"
    seen: list[bytes | None] = []
    progress: list[int] = []

    def look(count: int) -> None:  # a reader opening the target while the run goes on
        progress.append(count)
        seen.append(target.read_bytes() if target.exists() else None)

    def interrupt(count: int) -> None:  # Ctrl-C once 40 tickers are through
        look(count)
        if sum(progress) >= 40:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch(pairs, source, target, progress=interrupt, sink=kind)
    assert not target.exists() and set(seen) == {None}
    with contextlib.closing(sqlite3.connect(staging)) as db:
        staged = sorted(symbol for (symbol,) in db.execute("SELECT symbol FROM rows"))
    assert 40 <= len(staged) < COUNT - 1 and "T050" not in staged

    seen.clear()
    report = run_batch(pairs, source, target, workers=2, progress=look, sink=kind)
    assert sorted(report.skipped) == staged  # nothing complete is redone
    assert len(report.done) == COUNT - 1 - len(staged)
    assert list(report.failed) == ["T050"] and "never moves" in report.failed["T050"]
    assert set(seen) == {None} and not staging.exists()
    first = target.read_bytes()
    assert [row["symbol"] for row in read_rows(target, kind)] == [s for s in symbols if s != "T050"]

    source.bars["T050"] = healthy  # the data is fixed: the rerun redoes only that ticker
    seen.clear()
    report = run_batch(pairs, source, target, workers=2, progress=look, sink=kind)
    assert report.done == ["T050"] and len(report.skipped) == COUNT - 1 and not report.failed
    assert set(seen) == {first}  # mid-run, the previous complete file
    assert_rows_match_files(read_rows(target, kind), synthetic_by_file, symbols)


def test_a_staged_row_that_does_not_match_its_ledger_is_redone(
    tmp_path: Path, samples_by_file: Path
) -> None:
    target = tmp_path / "site.jsonl"
    progress: list[int] = []

    def interrupt(count: int) -> None:  # Ctrl-C after the last ticker, before the file
        progress.append(count)
        if sum(progress) == 4:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch(SAMPLE_PAIRS, CsvSource.samples(), target, as_of="2020-04-17",
                  progress=interrupt, sink="jsonl")  # fmt: skip
    staging = tmp_path / ".site.jsonl.staging.sqlite"
    with contextlib.closing(sqlite3.connect(staging)) as db:
        assert db.execute("SELECT count(*) FROM rows").fetchone()[0] == 4
        db.execute("UPDATE rows SET article = 'half' WHERE symbol = 'AMZN'")
        db.commit()
    report = run_batch(SAMPLE_PAIRS, CsvSource.samples(), target, as_of="2020-04-17",
                       sink="jsonl")  # fmt: skip
    assert report.done == ["AMZN"] and sorted(report.skipped) == ["AAPL", "NFLX", "NVDA"]
    assert_rows_match_files(read_rows(target, "jsonl"), samples_by_file,
                            ["AAPL", "AMZN", "NFLX", "NVDA"])  # fmt: skip


def test_the_dask_run_gives_the_same_rows_as_the_local_run(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    local, remote = tmp_path / "local.parquet", tmp_path / "dask.parquet"
    run_batch(SAMPLE_PAIRS, CsvSource.samples(), local, as_of="2020-04-17", sink="parquet")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:  # fmt: skip
        report = run_batch(SAMPLE_PAIRS, CsvSource.samples(), remote, as_of="2020-04-17",
                           dask=cluster.scheduler_address, sink="parquet")  # fmt: skip
    assert len(report.done) == 4
    assert read_rows(remote, "parquet") == read_rows(local, "parquet")


def test_a_sink_with_a_failed_ticker_prints_the_summary_and_exits_1(tmp_path: Path) -> None:
    universe = tmp_path / "universe.csv"
    universe.write_text("AAPL\nMISSING\n")
    target = tmp_path / "site.sqlite"
    result = CliRunner().invoke(cli, ["batch", "--universe", str(universe), "--out", str(target),
                                      "--benchmark", "^GSPC", "--as-of", "2020-04-17",
                                      "--sink", "sqlite"])  # fmt: skip
    assert result.exit_code == 1
    assert result.stdout.startswith("1 written, 0 already done, 1 failed")
    assert "skipped MISSING: no MISSING.csv" in result.stderr
    assert [row["symbol"] for row in read_rows(target, "sqlite")] == ["AAPL"]


def test_a_sink_into_a_folder_is_refused_in_one_line(tmp_path: Path) -> None:
    universe = tmp_path / "universe.csv"
    universe.write_text("AAPL\n")
    result = CliRunner().invoke(cli, ["batch", "--universe", str(universe), "--out",
                                      str(tmp_path), "--sink", "parquet"])  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "is a folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_rerun_in_another_format_redoes_every_ticker(tmp_path: Path) -> None:
    target = tmp_path / "site.parquet"
    pairs = SAMPLE_PAIRS[:2]
    run_batch(pairs, CsvSource.samples(), target, as_of="2020-04-17", sink="parquet")
    report = run_batch(pairs, CsvSource.samples(), target, as_of="2020-04-17", fmt="html",
                       sink="parquet")  # fmt: skip
    assert report.done == ["AAPL", "AMZN"] and not report.skipped
    rows = read_rows(target, "parquet")
    assert all(row["html"].startswith("<") and "markdown" not in row for row in rows)


def test_a_sink_through_a_symlink_replaces_the_file_it_names_and_keeps_its_mode(
    tmp_path: Path,
) -> None:
    real, link = tmp_path / "real.jsonl", tmp_path / "link.jsonl"
    pairs = SAMPLE_PAIRS[:1]
    run_batch(pairs, CsvSource.samples(), real, as_of="2020-04-17", sink="jsonl")
    real.chmod(0o640)
    link.symlink_to(real)
    report = run_batch(pairs + SAMPLE_PAIRS[1:2], CsvSource.samples(), link, as_of="2020-04-17",
                       sink="jsonl")  # fmt: skip
    assert report.done == ["AMZN"] and report.skipped == ["AAPL"]
    assert link.is_symlink() and (real.stat().st_mode & 0o777) == 0o640
    assert [row["symbol"] for row in read_rows(real, "jsonl")] == ["AAPL", "AMZN"]


def test_a_staging_file_that_is_not_a_database_is_started_anew(tmp_path: Path) -> None:
    target = tmp_path / "site.sqlite"
    (tmp_path / ".site.sqlite.staging.sqlite").write_bytes(b"garbage left by a crash" * 100)
    report = run_batch(SAMPLE_PAIRS[:1], CsvSource.samples(), target, as_of="2020-04-17",
                       sink="sqlite")  # fmt: skip
    assert report.done == ["AAPL"]
    assert [row["symbol"] for row in read_rows(target, "sqlite")] == ["AAPL"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site.sqlite"]
