"""The pandas-free fast path for clean CSV files agrees with the full check, and never stands in
for it when a file needs repairing or refusing; the CLI writes an article without pandas."""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from commentary.bars import COLUMNS, Bars, validate_bars
from commentary.errors import CommentaryError
from commentary.settings import DEFAULT_SETTINGS
from commentary.sources.clean_csv import parse_clean_csv
from commentary.sources.csvfile import price_table
from tests.test_fuzz import LINES, malformed_csv

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "data"


def full_check(text: str) -> tuple[Bars | None, list[str]]:
    """The pandas path's bars (None if it refuses) and the warnings it gives."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            bars = validate_bars(price_table(text, Path("X.csv")), "X", "X.csv")
        except CommentaryError:
            bars = None
    return bars, [str(w.message) for w in caught]


def fast_path(text: str) -> Bars | None:
    return parse_clean_csv(text, "X", "X.csv", DEFAULT_SETTINGS.data)


def same_bars(one: Bars, other: Bars) -> bool:
    return all(
        np.array_equal(getattr(one, name), getattr(other, name)) for name in ("dates", *COLUMNS)
    )


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.csv")), ids=lambda p: p.stem)
def test_every_bundled_sample_takes_the_fast_path_with_identical_bars(path: Path) -> None:
    text = path.read_text(encoding="utf-8-sig")
    fast, (full, caught) = fast_path(text), full_check(text)
    assert fast is not None and full is not None and not caught
    assert same_bars(fast, full)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(content=malformed_csv())
def test_the_fast_path_accepts_only_what_the_full_check_passes_unchanged(content: bytes) -> None:
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return  # refused before either path reads it
    full, caught = full_check(text)
    try:
        fast = fast_path(text)
    except CommentaryError:  # a clean file too short: the same refusal as the full check
        assert full is None
        return
    if fast is not None:
        assert full is not None and not caught, caught
        assert same_bars(fast, full)


@pytest.mark.parametrize(
    "change",
    [
        lambda lines: [lines[0].upper(), *lines[1:]],  # header case
        lambda lines: [line.replace(",", ", ") for line in lines],  # spaces after commas
        lambda lines: [lines[0], *(f"{row[:10]} 00:00:00-05:00{row[10:]}" for row in lines[1:])],
    ],
    ids=["upper-case header", "spaces after commas", "yfinance time stamps"],
)
def test_harmless_layout_differences_stay_on_the_fast_path(change: object) -> None:
    text = "\n".join(change(LINES))  # type: ignore[operator]
    fast, (full, _) = fast_path(text), full_check(text)
    assert fast is not None and full is not None and same_bars(fast, full)


def test_long_digit_runs_before_a_bad_cell_are_rejected_at_once() -> None:
    """A pattern that can split a digit run several ways backtracks exponentially here."""
    rows = [f"2020-01-{day:02d},{'9' * 40},{'9' * 40},1,5,100" for day in range(1, 30)]
    text = "\n".join(["Date,Open,High,Low,Close,Volume", *rows, "2020-01-30,1,1,1,abc,1"])
    assert fast_path(text) is None


def test_the_command_line_writes_an_article_without_importing_pandas(tmp_path: Path) -> None:
    probe = (
        "import atexit, runpy, sys\n"
        "atexit.register(lambda: print('pandas' in sys.modules, file=sys.stderr))\n"
        f"sys.argv = ['commentary', 'generate', '--output', {str(tmp_path / 'a.md')!r}]\n"
        "runpy.run_module('commentary', run_name='__main__')\n"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stderr.strip().splitlines()[-1] == "False"
    assert (tmp_path / "a.md").read_text().startswith("# ")
