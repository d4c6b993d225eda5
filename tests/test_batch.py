"""The batch: an article and ledger per ticker, resumable, one bad ticker reported not fatal."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from commentary.bars import Bars
from commentary.batch import is_done, read_universe, run_batch, safe_name
from commentary.cli import cli
from commentary.errors import SymbolNotFound, UsageError
from commentary.pipeline import write_article
from commentary.playbooks import ticker_playbook
from commentary.reuse import Reuse
from commentary.sources import CsvSource
from tests.conftest import build_bars

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "data"


def universe(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "universe.csv"
    path.write_text(text)
    return path


def test_batch_on_the_samples_writes_verified_articles_and_ledgers(tmp_path: Path) -> None:
    path = universe(tmp_path, "symbol,benchmark\nAAPL\nAMZN\nNFLX,^GSPC\nNVDA\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["batch", "--universe", str(path), "--out", str(out),
                                      "--benchmark", "^GSPC", "--as-of", "2020-04-17"])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("4 written, 0 already done, 0 failed")
    ledger = json.loads((out / "NVDA.json").read_text())
    assert ledger["comparisons"][0]["benchmark"] == "^GSPC"
    assert (out / "NVDA.md").read_text() == ledger["article"]["markdown"]


def test_a_broken_ticker_is_reported_and_the_rest_done(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for name in ("AAPL", "^GSPC"):
        (data / f"{name}.csv").write_text((SAMPLES / f"{name}.csv").read_text())
    (data / "BAD.csv").write_text("Date,Open,High,Low,Close,Volume\n2020-01-02,1,1,1,abc,1\n")
    path = universe(tmp_path, "AAPL\nBAD\nMISSING\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["batch", "--universe", str(path), "--out", str(out),
                                      "--benchmark", "^GSPC", "--data-dir", str(data),
                                      "--as-of", "2020-04-17"])  # fmt: skip
    assert result.exit_code == 1  # reported, the rest written, and cron told
    assert result.stdout.startswith("1 written, 0 already done, 2 failed")
    assert "skipped BAD: " in result.stderr and "'abc' in Close, not a number" in result.stderr
    assert "skipped MISSING: no MISSING.csv" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["AAPL.json", "AAPL.md"]


def test_a_rerun_redoes_only_what_is_missing_or_half_written(tmp_path: Path) -> None:
    pairs = [("AAPL", "^GSPC"), ("AMZN", "^GSPC"), ("NVDA", "^GSPC")]
    out = tmp_path / "out"
    first = run_batch(pairs, CsvSource.samples(), out, as_of="2020-04-17")
    assert (len(first.done), len(first.skipped)) == (3, 0)
    (out / "AMZN.json").unlink()  # interrupted before the ledger
    (out / "NVDA.md").write_text("half")  # a corrupted article
    before = (out / "AAPL.md").stat().st_mtime_ns
    second = run_batch(pairs, CsvSource.samples(), out, as_of="2020-04-17", workers=2)
    assert sorted(second.done) == ["AMZN", "NVDA"] and second.skipped == ["AAPL"]
    assert (out / "AAPL.md").stat().st_mtime_ns == before
    assert all(is_done(out, s, "markdown") for s, _ in pairs)


class Synthetic:
    """A source of seeded random walks: a universe built in the test."""

    name = "synthetic"
    live = False

    def __init__(self, count: int) -> None:
        rng = np.random.default_rng(11)
        self.bars: dict[str, Bars] = {}
        for index in range(count + 1):
            symbol = "^BENCH" if index == 0 else f"T{index:03d}"
            close = 40 * np.exp(np.cumsum(rng.normal(0.0004, 0.015, 400)))
            self.bars[symbol] = build_bars(close, symbol=symbol, start="2018-01-02")

    def load(self, symbol: str) -> Bars:
        if symbol not in self.bars:
            raise SymbolNotFound(symbol)
        return self.bars[symbol]


def test_a_synthetic_universe_completes_with_two_workers(tmp_path: Path) -> None:
    source = Synthetic(40)
    pairs = [(s, "^BENCH") for s in source.bars if s != "^BENCH"]
    report = run_batch(pairs, source, tmp_path / "out", workers=2)
    assert len(report.done) == 40 and not report.failed, report.failed


def test_500_tickers_resume_after_an_interruption_and_report_the_broken_one(
    tmp_path: Path,
) -> None:
    source = Synthetic(500)
    source.bars["T250"] = build_bars(np.full(400, 40.0), symbol="T250", start="2018-01-02")
    pairs = [(s, "^BENCH") for s in source.bars if s != "^BENCH"]
    out = tmp_path / "out"
    progress: list[int] = []

    def interrupt(count: int) -> None:  # Ctrl-C once 200 tickers are through
        progress.append(count)
        if sum(progress) >= 200:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch(pairs, source, out, progress=interrupt)
    finished = sorted(p.stem for p in out.glob("*.json"))
    assert 200 <= len(finished) < 499 and "T250" not in finished
    stamps = {s: (out / f"{s}.md").stat().st_mtime_ns for s in finished}
    report = run_batch(pairs, source, out, workers=2)
    assert sorted(report.skipped) == finished  # nothing finished is redone
    assert len(report.done) == 499 - len(finished)
    assert list(report.failed) == ["T250"] and "never moves" in report.failed["T250"]
    assert all((out / f"{s}.md").stat().st_mtime_ns == stamp for s, stamp in stamps.items())


def test_file_names_are_safe_for_any_symbol() -> None:
    names = {safe_name(s) for s in ("^GSPC", "BRK.B", "CON", "nul.x", "..", "A/B", "A\\B", "€")}
    assert all("/" not in n and "\\" not in n and not n.startswith(".") for n in names)
    assert len(names) == 8


def test_universe_file_problems_are_listed(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"2 bad line\(s\): line 2: .* line 3: "):
        read_universe(universe(tmp_path, "AAPL\n../x\nA B\n"), "^GSPC")
    with pytest.raises(UsageError, match=r"line 3: AAPL is already listed on line 1"):
        read_universe(universe(tmp_path, "AAPL\nMSFT\naapl,^IXIC\n"), "^GSPC")


def test_the_dask_run_equals_the_local_run_file_for_file(tmp_path: Path) -> None:
    """Same universe on a 2-worker LocalCluster and in this process: identical files."""
    distributed = pytest.importorskip("distributed")
    pairs = [("AAPL", "^GSPC"), ("AMZN", "^GSPC"), ("NFLX", "^GSPC"), ("NVDA", "^GSPC")]
    local, remote = tmp_path / "local", tmp_path / "dask"
    run_batch(pairs, CsvSource.samples(), local, as_of="2020-04-17")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:  # fmt: skip
        report = run_batch(pairs, CsvSource.samples(), remote, as_of="2020-04-17",
                           dask=cluster.scheduler_address)  # fmt: skip
    assert len(report.done) == 4
    names = sorted(p.name for p in local.iterdir())
    assert names == sorted(p.name for p in remote.iterdir())
    for name in names:
        assert (local / name).read_bytes() == (remote / name).read_bytes(), name


def test_a_csv_folder_imported_into_the_store_feeds_the_batch(tmp_path: Path) -> None:
    store = tmp_path / "store"
    result = CliRunner().invoke(cli, ["import", str(SAMPLES), "--store", str(store)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"stored 8 series in {store}\n"
    path = universe(tmp_path, "AAPL\nNVDA\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["batch", "--universe", str(path), "--out", str(out),
                                      "--benchmark", "^GSPC", "--as-of", "2020-04-17",
                                      "--source", "store", "--data-dir", str(store)])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("2 written")
    reference = run_batch(
        [("NVDA", "^GSPC")], CsvSource.samples(), tmp_path / "ref", as_of="2020-04-17"
    )
    assert reference.done == ["NVDA"]
    assert (out / "NVDA.md").read_bytes() == (tmp_path / "ref" / "NVDA.md").read_bytes()


def test_work_shared_across_tickers_changes_no_article(tmp_path: Path) -> None:
    """The batch reuses the benchmark's analysis, quality notes, facts, previous session and
    ledger entry across tickers; every article and every ledger must still be what a lone run
    writes. (A shared entry's facts list once gathered every page's changes.)"""
    source = Synthetic(6)
    pairs = [(s, "^BENCH") for s in source.bars if s != "^BENCH"]
    report = run_batch(pairs, source, tmp_path / "out")
    assert len(report.done) == 6
    for symbol, benchmark in pairs:
        book = ticker_playbook(symbol, benchmark, "technical-trader", 0)
        alone = write_article(book, source)
        assert (tmp_path / "out" / f"{symbol}.md").read_text() == alone.markdown
        written = json.loads((tmp_path / "out" / f"{symbol}.json").read_text())
        del written["article_sha256"]
        assert written == json.loads(json.dumps(alone.ledger))


def test_a_shared_benchmarks_ledger_entry_is_each_pages_own(tmp_path: Path) -> None:
    """On 2020-04-17 the S&P 500 re-crossed a level (a "changes" fact its entry gains on every
    page). Shared across pages, the entry's facts list gained it once per page; each page's
    ledger must list it once, as a lone run does."""
    pairs = [("AAPL", "^GSPC"), ("AMZN", "^GSPC"), ("NVDA", "^GSPC")]
    report = run_batch(pairs, CsvSource.samples(), tmp_path, as_of="2020-04-17")
    assert sorted(report.done) == ["AAPL", "AMZN", "NVDA"]
    for symbol, _ in pairs:
        ledger = json.loads((tmp_path / f"{symbol}.json").read_text())
        index = next(e for e in ledger["instruments"] if e["symbol"] == "^GSPC")
        ids = [f["id"] for f in index["facts"]]
        assert ids.count("changes.level.recross.above") == 1, (symbol, ids)


def test_reuse_keeps_only_the_shared_symbols() -> None:
    source = Synthetic(2)
    reuse = Reuse({"^BENCH"})
    calls = []
    for symbol in ("T001", "^BENCH", "T002", "^BENCH"):
        reuse("stage", source.bars[symbol], lambda s=symbol: calls.append(s))  # type: ignore[misc]
    assert calls == ["T001", "^BENCH", "T002"]
    assert [key[1] for key in reuse.kept] == ["^BENCH"]


def test_a_batch_analyses_its_benchmarks_previous_session_once() -> None:
    """Every page compares today with the previous session, the benchmark's included; that
    analysis was computed again for each ticker (a third of "indicators + states"). Shared, the
    second page finds both of the benchmark's sessions kept, and says the same as it does
    alone."""
    source = Synthetic(2)
    reuse = Reuse({"^BENCH"})
    book = ticker_playbook("T001", "^BENCH", "technical-trader", 0)
    write_article(book, source, reuse=reuse)
    kept = {key[3] for key in reuse.kept if key[0].startswith("analysis")}
    assert len(kept) == 2, kept  # today's and the previous session's
    before = len(reuse.kept)  # the second page adds nothing: it finds all it shares
    second = ticker_playbook("T002", "^BENCH", "technical-trader", 0)
    shared = write_article(second, source, reuse=reuse)
    assert len(reuse.kept) == before
    assert shared.markdown == write_article(second, source).markdown


def test_a_symbol_listed_twice_with_and_without_a_benchmark_is_no_crash(tmp_path: Path) -> None:
    source = Synthetic(2)
    report = run_batch([("T001", None), ("T001", "^BENCH"), ("T002", "^BENCH")], source, tmp_path)
    assert not report.failed and sorted(report.done) == ["T001", "T001", "T002"]
