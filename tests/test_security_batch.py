"""The batch loses no page: one file name per symbol, whatever the dots and the file system's
case rules; a file it cannot write is one line for that ticker; any failure exits 1."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from commentary.batch import article_path, ledger_path, run_batch, safe_name
from commentary.cli import cli
from commentary.pipeline import write_article
from commentary.playbooks import ticker_playbook
from commentary.sources import CsvSource

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "data"
AS_OF = "2020-04-17"
#: Symbols whose old file names collided (``with_suffix`` ate ``.A``, ``.MD``, ``.JSON``), each
#: given a different sample's prices so that a page holding another symbol's article shows.
COLLIDING = {"BRK": "AAPL", "BRK.A": "AMZN", "BRK.B": "NVDA", "A.MD": "NFLX", "A.JSON": "GOOG",
             "^GSPC": "^GSPC"}  # fmt: skip


def _data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    for symbol, sample in COLLIDING.items():
        shutil.copyfile(SAMPLES / f"{sample}.csv", data / f"{symbol}.csv")
    return data


def _batch(tmp_path: Path, data: Path, out: Path, symbols: list[str]) -> tuple[int, str, str]:
    universe = tmp_path / "universe.csv"
    universe.write_text("\n".join(symbols) + "\n")
    result = CliRunner().invoke(cli, ["batch", "--universe", str(universe), "--out", str(out),
                                      "--benchmark", "^GSPC", "--data-dir", str(data),
                                      "--as-of", AS_OF])  # fmt: skip
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def _alone(data: Path, symbol: str) -> str:
    """The article a run for ``symbol`` alone writes."""
    book = ticker_playbook(symbol, "^GSPC", "technical-trader", 0)
    return write_article(book, CsvSource(data), AS_OF).markdown


def test_dotted_and_suffix_like_symbols_each_get_their_own_page(tmp_path: Path) -> None:
    data, out = _data(tmp_path), tmp_path / "out"
    code, stdout, stderr = _batch(tmp_path, data, out, list(COLLIDING))
    assert code == 0, stderr
    assert stdout.startswith("6 written, 0 already done, 0 failed")
    names = [p.name for p in out.iterdir()]
    assert len(names) == 12 and len({n.lower() for n in names}) == 12  # distinct without case
    for symbol in COLLIDING:
        ledger = json.loads(ledger_path(out, symbol).read_text())
        assert ledger["instruments"][0]["symbol"] == symbol
        page = article_path(out, symbol, "markdown").read_text()
        assert page == ledger["article"]["markdown"] == _alone(data, symbol), symbol
    stamps = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    code, stdout, _ = _batch(tmp_path, data, out, list(COLLIDING))
    assert code == 0 and stdout.startswith("0 written, 6 already done, 0 failed")
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == stamps


def test_a_page_left_under_an_old_shared_name_is_redone_for_its_own_symbol(
    tmp_path: Path,
) -> None:
    """Resume from a folder the old naming wrote: BRK.B's article and ledger sit in BRK.md and
    BRK.json, which is BRK's name now; BRK is rewritten, not taken as done."""
    data, out = _data(tmp_path), tmp_path / "out"
    run_batch([("BRK.B", "^GSPC")], CsvSource(data), out, as_of=AS_OF)
    article_path(out, "BRK.B", "markdown").rename(out / "BRK.md")
    ledger_path(out, "BRK.B").rename(out / "BRK.json")
    report = run_batch([("BRK", "^GSPC"), ("BRK.B", "^GSPC")], CsvSource(data), out, as_of=AS_OF)
    assert sorted(report.done) == ["BRK", "BRK.B"] and not report.skipped
    assert (out / "BRK.md").read_text() == _alone(data, "BRK")
    assert (out / "BRK.B.md").read_text() == _alone(data, "BRK.B")


def test_file_names_are_kept_for_plain_symbols() -> None:
    """What earlier versions wrote for a symbol without dots is still its name (resume works)."""
    assert [safe_name(s) for s in ("AAPL", "^GSPC", "EURUSD=X", "CON")] == [
        "AAPL", "~5EGSPC", "EURUSD~3DX", "_CON",
    ]  # fmt: skip
    assert article_path(Path("o"), "BRK.B", "html") == Path("o/BRK.B.html")


#: Few characters, so that two draws often differ only in case, a dot or an escape.
_PIECES = st.sampled_from([*"aAbB.-_~^=/€", "~5E", "CON", "2E"])
_TRICKY = st.lists(_PIECES, min_size=1, max_size=5).map("".join) | st.text(min_size=1)
#: Ways a second symbol can look like the first: case, or one piece more.
_VARIANTS = [str.lower, str.upper, str.swapcase, lambda t: t + ".", lambda t: "_" + t,
             lambda t: t.replace("^", "~5E"), lambda t: t.replace(".", "")]  # fmt: skip


@given(_TRICKY, _TRICKY, st.sampled_from(_VARIANTS))
def test_file_names_are_distinct_even_ignoring_case(first: str, other: str, variant: Any) -> None:
    for second in (other, variant(first)):
        if first != second:
            assert safe_name(first).lower() != safe_name(second).lower(), (first, second)
    for name in (safe_name(first), safe_name(other)):
        assert name.isascii() and "/" not in name and "\\" not in name
        assert not name.startswith(".") and name.split(".")[0].upper() not in ("CON", "NUL")


def test_names_that_differ_only_in_case_stay_apart() -> None:
    names = [safe_name(s).lower() for s in ("BRK.B", "brk.b", "Brk.B", "A.MD", "a.md", "_CON")]
    assert len(set(names)) == len(names)


def test_an_output_folder_that_cannot_be_created_is_one_line(tmp_path: Path) -> None:
    """A subfolder of something that is not a writable folder (a read-only one, or a file:
    root ignores permissions) stops the run with one sentence, exit 1."""
    blocker = tmp_path / "site"
    blocker.write_text("a file where a folder should be")
    code, stdout, stderr = _batch(tmp_path, _data(tmp_path), blocker / "batch", ["BRK", "A.MD"])
    assert code == 1 and stdout == ""
    assert stderr == (
        f"error: cannot create the output folder {blocker / 'batch'}: {blocker} is a file, "
        "not a folder; choose a writable --out.\n"
    )


def test_a_ticker_whose_file_cannot_be_written_fails_alone_and_the_run_exits_1(
    tmp_path: Path,
) -> None:
    data, out = _data(tmp_path), tmp_path / "out"
    article_path(out, "BRK.A", "markdown").mkdir(parents=True)  # in the way, even for root
    code, stdout, stderr = _batch(tmp_path, data, out, ["BRK", "BRK.A", "BRK.B"])
    assert code == 1
    assert stdout.startswith("2 written, 0 already done, 1 failed")
    assert (
        stderr
        == f"skipped BRK.A: cannot write {out / 'BRK.A.md'}: it is a folder; name a file in it.\n"
    )
    assert article_path(out, "BRK.B", "markdown").read_text() == _alone(data, "BRK.B")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_output_folder_fails_every_ticker_in_one_line_each(tmp_path: Path) -> None:
    data, out = _data(tmp_path), tmp_path / "out"
    out.mkdir()
    out.chmod(0o555)
    try:
        code, stdout, stderr = _batch(tmp_path, data, out, ["BRK", "BRK.A"])
    finally:
        out.chmod(0o755)
    assert code == 1 and stdout.startswith("0 written, 0 already done, 2 failed")
    lines = stderr.splitlines()
    assert [line.split(":")[0] for line in lines] == ["skipped BRK", "skipped BRK.A"]
    assert all("permission denied" in line for line in lines)


def test_every_ticker_failing_exits_1_after_the_summary(tmp_path: Path) -> None:
    code, stdout, stderr = _batch(tmp_path, _data(tmp_path), tmp_path / "out", ["NOPE", "NADA"])
    assert code == 1 and stdout.startswith("0 written, 0 already done, 2 failed")
    assert stderr.count("skipped ") == 2
