"""Malformed CSV input, fuzzed: a clear error or valid bars, never a traceback (bounded in time)."""

from __future__ import annotations

import tempfile
import warnings
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commentary.bars import Bars
from commentary.cli import cli
from commentary.errors import CommentaryError, DataWarning
from commentary.sources import CsvSource

SAMPLE = (Path(__file__).resolve().parent.parent / "samples" / "data" / "AAPL.csv").read_text()
LINES = SAMPLE.splitlines()[:121]

CELLS = st.sampled_from(["", "NaN", "abc", "-1", "0", "1e309", "12,5", "  ", "null", "2020-13-45",
                         "\x00", "🙂", "9" * 40, "-0", "inf", "1e300", "1e-300", "1e308",
                         "2013-01-02XYZ", "2013-01-02 00:00:00-05:00", "x" * 140_000])  # fmt: skip


HEADERS = st.sampled_from(
    ["date;open;high;low;close;volume", "", "x,y,z", "Date,Open,High,Low,Close",
     "DATE,OPEN,HIGH,LOW,CLOSE,VOLUME", "Date,Open,High,Low,Close,close,Volume",
     "Date,Open,High,Low,Close,Close,Volume"]
)  # fmt: skip


@st.composite
def malformed_csv(draw: st.DrawFn) -> bytes:
    lines = list(LINES)
    for _ in range(draw(st.integers(0, 6))):
        action = draw(st.sampled_from(["cell", "drop_line", "duplicate", "swap", "truncate",
                                       "header", "column", "blank"]))  # fmt: skip
        row = draw(st.integers(0, len(lines) - 1)) if lines else 0
        if not lines:
            break
        if action == "cell":
            cells = lines[row].split(",")
            cells[draw(st.integers(0, len(cells) - 1))] = draw(CELLS)
            lines[row] = ",".join(cells)
        elif action == "drop_line":
            del lines[row]
        elif action == "duplicate":
            lines.insert(row, lines[row])
        elif action == "swap" and len(lines) > 2:
            other = draw(st.integers(1, len(lines) - 1))
            lines[row], lines[other] = lines[other], lines[row]
        elif action == "truncate":
            lines = lines[: draw(st.integers(0, len(lines)))]
        elif action == "header":
            lines[0] = draw(HEADERS)
        elif action == "column":
            lines = [",".join(line.split(",")[:-1]) for line in lines]
        elif action == "blank":
            lines.insert(row, "")
    text = "\n".join(lines).encode("utf-8")
    if draw(st.booleans()) and draw(st.booleans()):
        text = text.replace(b"2013", b"\xff\xfe2013", 1)  # not UTF-8
    return text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(content=malformed_csv())
def test_any_malformed_csv_gives_bars_or_one_clear_error(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "X.csv"
        path.write_bytes(content)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DataWarning)  # safe repairs are allowed
                bars = CsvSource(Path(folder)).load("X")
        except CommentaryError as error:
            message = str(error)
            assert message and "\n" not in message and "Traceback" not in message
            assert str(path) in message or "X" in message
        else:
            assert isinstance(bars, Bars) and len(bars) >= 60


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(content=malformed_csv())
def test_the_cli_never_shows_a_traceback_on_malformed_csv(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "X.csv").write_bytes(content)
        output = Path(folder) / "out.md"
        result = CliRunner().invoke(
            cli, ["generate", "X", "--data-dir", folder, "--output", str(output)]
        )
        assert result.exit_code in (0, 1), result.output
        assert "Traceback" not in result.stderr
        if result.exit_code == 1:
            errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
            assert len(errors) == 1, result.stderr
            assert not output.exists()  # nothing half-written
