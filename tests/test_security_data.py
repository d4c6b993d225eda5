"""Hostile price files and input paths: one line and exit 1, never a hang, a traceback, a silent
misreading or a price printed as "$0.00" (issue 17: items 8, 9, 11, 12)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner, Result

from commentary.cli import cli
from commentary.errors import DataError
from commentary.render.numbers import level, quote
from commentary.settings import DEFAULT_SETTINGS
from commentary.sources import CsvSource
from commentary.sources.clean_csv import parse_clean_csv
from commentary.sources.csvfile import MAX_FILE_BYTES
from commentary.symbols import Instrument

SAMPLE = (Path(__file__).resolve().parent.parent / "samples" / "data" / "AMZN.csv").read_text()
HEADER, *ROWS = SAMPLE.splitlines()  # Date,Open,High,Low,Close,Adj Close,Volume
#: A zero dollar amount: "$0", "$0.00", "$0.0" (but not "$0.0131").
ZERO_DOLLARS = re.compile(r"\$0(?:\.0*)?(?!\d|\.\d)")


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def one_line_error(result: Result) -> str:
    """The single ``error:`` line of a refused run (and nothing that looks like a traceback)."""
    assert result.exit_code == 1, result.output
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and len(result.stderr.splitlines()) == 1, result.stderr
    return errors[0]


def write_csv(folder: Path, lines: list[str], name: str = "X") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def scaled(factor: float, columns: slice = slice(1, 6)) -> list[str]:
    """The sample with the price columns (or ``columns``) multiplied by ``factor``."""
    lines = [HEADER]
    for row in ROWS:
        cells = row.split(",")
        cells[columns] = [repr(float(cell) * factor) for cell in cells[columns]]
        lines.append(",".join(cells))
    return lines


def generate(folder: Path, *extra: str) -> Result:
    return run("generate", "X", "--data-dir", str(folder), *extra)


# --- 17.8: anything but a regular file is refused, never waited on ----------------------------


def cli_in_subprocess(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The real command in a child process: a FIFO read would block it, and the timeout ends
    the test instead of the test run."""
    return subprocess.run(
        [sys.executable, "-m", "commentary", *args],
        capture_output=True, text=True, timeout=60, cwd=cwd,
    )  # fmt: skip


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_fifo_named_like_a_csv_is_refused_by_generate_batch_and_import(tmp_path: Path) -> None:
    data = tmp_path / "data"
    write_csv(data, [HEADER, *ROWS], "GOOD")
    os.mkfifo(data / "X.csv")
    (tmp_path / "universe.txt").write_text("X\n")

    generated = cli_in_subprocess("generate", "X", "--data-dir", str(data), cwd=tmp_path)
    assert generated.returncode == 1, generated.stderr
    assert generated.stderr.strip().splitlines() == [
        f"error: {data / 'X.csv'} is a named pipe (FIFO), not a regular file; "
        "give the path of a price CSV."
    ]

    batch = cli_in_subprocess("batch", "--universe", "universe.txt", "--out", "out",
                              "--data-dir", str(data), cwd=tmp_path)  # fmt: skip
    assert "skipped X:" in batch.stderr and "named pipe (FIFO)" in batch.stderr, batch.stderr
    assert "Traceback" not in batch.stderr

    imported = cli_in_subprocess("import", str(data), "--store", "store", cwd=tmp_path)
    assert imported.returncode == 1, imported.stderr
    assert "named pipe (FIFO)" in imported.stderr and "Traceback" not in imported.stderr
    assert imported.stdout == "stored 1 series in store\n"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_fifo_given_as_universe_or_article_is_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "universe.txt")
    os.mkfifo(tmp_path / "article.md")
    (tmp_path / "ledger.json").write_text('{"instruments": [], "comparisons": []}')
    for args in (
        ("batch", "--universe", "universe.txt", "--out", "out"),
        ("check", "article.md", "--facts", "ledger.json"),
    ):
        done = cli_in_subprocess(*args, cwd=tmp_path)
        assert done.returncode == 1, done.stderr
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
        assert "named pipe (FIFO), not a regular file" in done.stderr


def test_a_directory_or_device_named_like_a_csv_is_refused(tmp_path: Path) -> None:
    (tmp_path / "X.csv").mkdir()
    assert "is a directory, not a regular file" in one_line_error(generate(tmp_path))
    if Path("/dev/zero").exists():
        (tmp_path / "X.csv").rmdir()
        (tmp_path / "X.csv").symlink_to("/dev/zero")  # would never end
        assert "is a character device" in one_line_error(generate(tmp_path))


# --- 17.9: tracebacks in CSV handling -------------------------------------------------------


def test_a_field_over_128_kib_is_read_or_refused_in_one_line(tmp_path: Path) -> None:
    huge = "a" * (140 * 1024)  # beyond the csv module's field limit of 128 KiB
    ignored = [
        f"{HEADER},Note",
        *(f"{row},{huge if n == 3 else 'x'}" for n, row in enumerate(ROWS)),
    ]
    write_csv(tmp_path / "ignored", ignored)
    result = generate(tmp_path / "ignored", "--output", str(tmp_path / "a.md"))
    assert result.exit_code == 0, result.output  # the column is not used: the file is fine
    assert (tmp_path / "a.md").read_text().startswith("# ")

    cells = ROWS[3].split(",")
    cells[4] = huge
    write_csv(tmp_path / "close", [HEADER, *ROWS[:3], ",".join(cells), *ROWS[4:]])
    assert "in Close, not a number" in one_line_error(generate(tmp_path / "close"))


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([HEADER.replace("Adj Close", "close"), *ROWS], "two columns are named Close"),
        ([HEADER, *(f"{r.split(',')[0]},,,,,,{r.split(',')[6]}" for r in ROWS)],
         "every row's prices are blank or NaN"),
        ([HEADER, *(f"{r.split(',')[0]},nan,nan,nan,nan,nan,1" for r in ROWS)],
         "every row's prices are blank or NaN"),
        (scaled(1e300), "too large to be a real price or volume"),
        (scaled(1e-300), "too small to be a real price or volume"),
    ],
    ids=["Close and close", "every price blank", "every price nan", "prices x 1e300",
         "prices x 1e-300"],
)  # fmt: skip
def test_malformed_price_files_give_one_line_not_a_traceback(
    tmp_path: Path, lines: list[str], message: str
) -> None:
    write_csv(tmp_path, lines)
    assert message in one_line_error(generate(tmp_path, "--output", str(tmp_path / "a.md")))
    assert not (tmp_path / "a.md").exists()


def test_check_refuses_an_article_that_is_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_bytes(b"# Title\n\nThe S&P 500 closed at \xff\xfe 2,506.85.\n")
    (tmp_path / "ledger.json").write_text('{"instruments": [], "comparisons": []}')
    line = one_line_error(
        run("check", str(tmp_path / "a.md"), "--facts", str(tmp_path / "ledger.json"))
    )
    assert "is not UTF-8 text (byte 31)" in line


def test_import_reports_each_bad_file_imports_the_rest_and_exits_1(tmp_path: Path) -> None:
    data = tmp_path / "data"
    write_csv(data, [HEADER, *ROWS], "GOOD")
    write_csv(data, [HEADER, *ROWS[:200]], "ALSO")
    write_csv(data, [f"{HEADER},Note", *(f"{row},{'a' * 140_000}" for row in ROWS[:70])], "BIG")
    write_csv(data, [HEADER.replace("Adj Close", "close"), *ROWS], "TWICE")
    (data / "LATIN.csv").write_bytes(
        SAMPLE.replace("2013-01-03", "2013-01-03\xe9").encode("latin-1")
    )
    store = tmp_path / "store"
    result = run("import", str(data), "--store", str(store))
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert sorted(line.split(":")[0] for line in lines) == ["skipped LATIN", "skipped TWICE"]
    assert result.stdout == f"stored 3 series in {store}\n"  # ALSO, BIG (Note ignored), GOOD
    assert sorted(CsvSource(data).symbols()) == ["ALSO", "BIG", "GOOD", "LATIN", "TWICE"]


# --- 17.11: bad data that was quietly accepted ----------------------------------------------


def test_two_close_columns_with_different_values_are_refused(tmp_path: Path) -> None:
    header = HEADER.replace("Adj Close", "Close")
    rows = [",".join([*r.split(",")[:5], "1.0", r.split(",")[6]]) for r in ROWS]
    write_csv(tmp_path, [header, *rows])
    line = one_line_error(generate(tmp_path))
    assert "two columns are named Close ('Close' and 'Close')" in line
    assert parse_clean_csv("\n".join([header, *rows]), "X", "X.csv", DEFAULT_SETTINGS.data) is None


@pytest.mark.parametrize("cell", ["2013-01-02XYZ", "2013-01-02 junk", "2013-01-021"])
def test_a_date_with_trailing_text_is_refused_by_both_paths(tmp_path: Path, cell: str) -> None:
    lines = [HEADER, ROWS[0].replace("2013-01-02", cell), *ROWS[1:]]
    assert parse_clean_csv("\n".join(lines), "X", "X.csv", DEFAULT_SETTINGS.data) is None
    write_csv(tmp_path, lines)
    assert f"row 2 has {cell!r} as its date" in one_line_error(generate(tmp_path))


def test_yfinance_time_stamps_after_the_date_are_still_read(tmp_path: Path) -> None:
    lines = [HEADER, *(f"{r[:10]} 00:00:00-05:00{r[10:]}" for r in ROWS)]
    bars = parse_clean_csv("\n".join(lines), "X", "X.csv", DEFAULT_SETTINGS.data)
    assert bars is not None and str(bars.dates[0]) == "2013-01-02"


def test_absurd_volume_is_refused_and_no_numpy_warning_leaks(tmp_path: Path) -> None:
    cells = ROWS[-1].split(",")
    cells[6] = "1e308"
    write_csv(tmp_path, [HEADER, *ROWS[:-1], ",".join(cells)])
    result = generate(tmp_path)
    line = one_line_error(result)
    assert "has 1e+308 in Volume, too large to be a real price or volume" in line
    assert "RuntimeWarning" not in result.stderr and "times normal" not in result.stdout


@pytest.mark.parametrize("fmt", ["markdown", "html", "text"])
def test_sub_cent_prices_are_quoted_with_the_digits_they_need_and_verify(
    tmp_path: Path, fmt: str
) -> None:
    write_csv(tmp_path, scaled(1e-6))  # AMZN at about $0.0000131
    output = tmp_path / f"a.{fmt}"
    result = generate(tmp_path, "--format", fmt, "--output", str(output))
    assert result.exit_code == 0, result.output  # generate verified every number it prints
    article = output.read_text()
    assert not ZERO_DOLLARS.search(article), ZERO_DOLLARS.search(article)
    assert "$0.000131" in article  # the close of 2023-09-21 (131.27 x 1e-6)


def test_quotes_levels_and_the_macd_never_print_a_small_value_as_zero() -> None:
    stock = Instrument("X", "X", "stock")
    assert quote(0.0000131272, stock) == "$0.0000131"
    assert quote(0.5, stock) == "$0.50" and quote(173.934, stock) == "$173.93"
    assert level(0.0000131272, stock) not in ("$0", "$0.00")
    assert abs(float(level(0.0000131272, stock)[1:]) / 0.0000131272 - 1) <= 0.005
    from commentary.render.numbers import significant

    assert significant(-0.0000041) == "-0.000004" and significant(0.034) == "0.03"


# --- 17.12: memory ----------------------------------------------------------------------------


def test_a_file_over_the_size_bound_is_refused_without_being_read(tmp_path: Path) -> None:
    path = tmp_path / "X.csv"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk, and no memory unless read
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(DataError, match=r"larger than 32 MB, too large for a price CSV"):
            CsvSource(tmp_path).load("X")
    assert MAX_FILE_BYTES <= 32 * 2**20


def test_four_centuries_of_full_precision_daily_bars_fit_the_size_bound(tmp_path: Path) -> None:
    """The bound refuses no real history: every date the bars stage accepts, each price with
    17 significant digits, a volume and an Adj Close."""
    days = np.arange(np.datetime64("1800-01-01"), np.datetime64("2201-01-01"))
    price = "123.45678901234567"
    row = f",{price},{price},{price},{price},{price},123456789012\n"
    size = len("Date,Open,High,Low,Close,Adj Close,Volume\n") + len(days) * (10 + len(row))
    assert size < MAX_FILE_BYTES
