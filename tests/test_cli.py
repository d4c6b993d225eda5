"""The command line, through click's CliRunner: exact output, exit codes, one-line errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import talib
from click.testing import CliRunner, Result

from commentary.bars import Bars
from commentary.cli import cli
from commentary.indicators import CONTRACT_KEYS

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "data"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def test_indicators_csv_equals_talib_on_the_same_bars(gspc: Bars) -> None:
    result = run("indicators", "^GSPC", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    frame = pd.read_csv(io.StringIO(result.stdout), index_col="date")
    assert list(frame.columns[:5]) == ["open", "high", "low", "close", "volume"]
    assert len(frame) == len(gspc)
    np.testing.assert_array_equal(frame["close"].to_numpy(), gspc.close)
    np.testing.assert_array_equal(frame["rsi_14"].to_numpy(), talib.RSI(gspc.close, 14))
    *_, hist = talib.MACD(gspc.close, 12, 26, 9)
    np.testing.assert_array_equal(frame["macd_hist"].to_numpy(), hist)
    adx = talib.ADX(gspc.high, gspc.low, gspc.close, 14)
    np.testing.assert_array_equal(frame["adx_14"].to_numpy(), adx)


def test_indicators_as_of_makes_that_session_the_last_row() -> None:
    result = run("indicators", "^GSPC", "--as-of", "2008-10-10", "--start", "2008-10-01")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1].startswith("2008-10-01,")
    assert lines[-1].startswith("2008-10-10,")


def test_indicators_json_has_nulls_during_warm_up() -> None:
    result = run("indicators", "^GSPC", "--end", "2000-03-01", "--format", "json")
    rows = json.loads(result.stdout)["rows"]
    assert rows[0]["date"] == "2000-01-03" and rows[0]["sma_5"] is None
    assert rows[-1]["date"] == "2000-03-01" and rows[-1]["sma_200"] is None
    assert rows[-1]["rsi_14"] is not None


def test_facts_json_follows_the_contract() -> None:
    result = run(
        "facts", "^IXIC", "--benchmark", "^GSPC", "--as-of", "2018-12-31", "--format", "json"
    )
    assert result.exit_code == 0, result.stderr
    ledger = json.loads(result.stdout)
    assert ledger["as_of"] == "2018-12-31"
    assert ledger["generator"] == "commentary 0.1.0"
    first = ledger["instruments"][0]
    assert [i["symbol"] for i in ledger["instruments"]] == ["^IXIC", "^GSPC"]
    assert {"symbol", "name", "date", "close", "indicators", "facts"} <= set(first)
    assert (first["name"], first["date"], first["close"]) == (
        "Nasdaq Composite",
        "2018-12-31",
        6635.279785,
    )
    assert list(first["indicators"]) == list(CONTRACT_KEYS)
    assert all(isinstance(v, float) for v in first["indicators"].values())
    comparison = ledger["comparisons"][0]
    assert (comparison["symbol"], comparison["benchmark"]) == ("^IXIC", "^GSPC")
    assert comparison["facts"] and first["facts"]  # the rules run here too
    assert "article" not in ledger


def test_facts_table_is_readable() -> None:
    result = run("facts", "^GSPC", "--as-of", "2018-12-31")
    assert result.exit_code == 0
    assert "S&P 500 (^GSPC)  close 2,506.85" in result.stdout
    assert "death cross" in result.stdout


def test_reports_use_the_last_common_session_and_say_so() -> None:
    result = run("facts", "^IXIC", "^GSPC", "--format", "json")
    assert json.loads(result.stdout)["as_of"] == "2018-12-31"
    assert result.stderr.startswith(
        "warning: reporting as of 2018-12-31, where ^IXIC data ends, so the article is behind "
        "later data: ^GSPC runs 326 NYSE sessions further to 2020-04-17"
    )


def write_csv(directory: Path, edit: str) -> Path:
    frame = pd.read_csv(SAMPLES / "AAPL.csv").head(100)
    if edit == "missing column":
        frame = frame.drop(columns="Low")
    elif edit == "text in a price":
        frame["Close"] = frame["Close"].astype(object)
        frame.loc[40, "Close"] = "12,34"
    elif edit == "duplicate dates":
        frame.loc[41, "Date"] = frame.loc[40, "Date"]
    elif edit == "nan in a price":
        frame.loc[40, "Open"] = np.nan
    elif edit == "negative price":
        frame.loc[40, "Low"] = -1.0
    elif edit == "30 rows":
        frame = frame.head(30)
    elif edit == "unsorted":
        frame = frame.iloc[::-1]
    path = directory / "AAPL.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            "missing column",
            "no Low column (found: Date, Open, High, Close, Adj Close, Volume); the file needs",
        ),
        (
            "text in a price",
            "row 42 (2013-03-01) has '12,34' in Close, not a number; correct that cell",
        ),
        ("duplicate dates", "2 rows are dated 2013-03-01; keep the one correct row"),
        ("nan in a price", "2013-03-01 has no value (NaN) in Open; fill that cell"),
        ("negative price", "2013-03-01 has -1 in Low, and prices must be positive"),
        ("30 rows", "only 30 sessions up to 2013-02-13, and at least 60 are needed"),
    ],
)
def test_bad_csv_gets_one_line_naming_file_problem_and_fix(
    tmp_path: Path, edit: str, message: str
) -> None:
    path = write_csv(tmp_path, edit)
    result = run("facts", "AAPL", "--data-dir", str(tmp_path))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"error: {path}: {message}" + result.stderr.split(message, 1)[1]
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_unsorted_csv_is_sorted_with_a_one_line_warning(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "unsorted")
    result = run("facts", "AAPL", "--data-dir", str(tmp_path), "--format", "json")
    assert result.exit_code == 0
    assert result.stderr == f"warning: {path}: rows were not in date order; sorted them.\n"
    assert json.loads(result.stdout)["instruments"][0]["date"] == "2013-05-24"


def test_unknown_symbol_and_bad_date_are_one_line_errors() -> None:
    result = run("facts", "^GSCP")
    assert (result.exit_code, result.stderr.splitlines()[0][:44]) == (
        1,
        "error: no ^GSCP.csv in the bundled samples. ",
    )
    assert "Did you mean ^GSPC?" in result.stderr
    result = run("facts", "^GSPC", "--as-of", "2018-02-30")
    assert result.exit_code == 1
    assert (
        result.stderr
        == "error: '2018-02-30' is not a date; write it as YYYY-MM-DD, e.g. 2018-12-31.\n"
    )
    result = run("facts", "^GSPC", "--as-of", "1990-01-02")
    assert result.exit_code == 1
    assert "has no session on or before 1990-01-02" in result.stderr


def test_usage_errors_exit_2() -> None:
    assert run("facts").exit_code == 2
    assert run("facts", "^GSPC", "--format", "yaml").exit_code == 2


def test_output_file_is_written_whole(tmp_path: Path) -> None:
    target = tmp_path / "ledger.json"
    result = run("facts", "AAPL", "--format", "json", "--output", str(target))
    assert result.exit_code == 0
    assert json.loads(target.read_text())["instruments"][0]["symbol"] == "AAPL"
    assert [p.name for p in tmp_path.iterdir()] == ["ledger.json"]


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "commentary", "facts", "NFLX", "--as-of", "2020-04-17"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("As of 2020-04-17")


def test_generate_with_no_arguments_prints_the_default_article() -> None:
    result = run("generate")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# ")
    assert "*The Market Pulse · Data as of the close on April 17, 2020" in result.stdout
    assert "## Key Levels to Watch" in result.stdout
    assert result.stdout.count("**The bottom line:**") == 5


def test_generate_symbols_without_a_playbook() -> None:
    result = run("generate", "AMZN", "--benchmark", "^GSPC", "--as-of", "2020-04-17")
    assert result.exit_code == 0, result.stderr
    assert "## Amazon: " in result.stdout
    assert "## S&P 500: " in result.stdout
    assert "## Amazon vs. the S&P: " in result.stdout
    assert result.stderr == ""


def test_generate_json_carries_the_ledger_and_the_article() -> None:
    result = run("generate", "--playbook", "tech-vs-broad-market", "--format", "json")
    document = json.loads(result.stdout)
    assert document["as_of"] == "2018-12-31"
    assert document["article"]["markdown"].startswith("# " + document["article"]["title"])
    facts = document["instruments"][0]["facts"]
    assert facts and {"id", "section", "polarity", "salience", "values", "text"} <= set(facts[0])
    rsi = next(f for f in facts if f["id"].startswith("momentum.rsi."))
    assert rsi["values"]["rsi_14"] == document["instruments"][0]["indicators"]["rsi_14"]


def test_generate_text_and_html_formats() -> None:
    text = run("generate", "--playbook", "tech-vs-broad-market", "--format", "text").stdout
    assert "**" not in text and not text.startswith("#")
    page = run("generate", "--playbook", "tech-vs-broad-market", "--format", "html").stdout
    assert page.startswith("<!DOCTYPE html>") and "<h2 id=" in page and "S&amp;P 500" in page


def test_generate_seed_changes_the_words_not_the_facts() -> None:
    first = run("generate", "--playbook", "mega-caps", "--seed", "1", "--format", "json").stdout
    second = run("generate", "--playbook", "mega-caps", "--seed", "2", "--format", "json").stdout
    a, b = json.loads(first), json.loads(second)
    assert a["instruments"] == b["instruments"]
    assert a["article"]["markdown"] != b["article"]["markdown"]


def test_generate_refuses_unknown_playbooks_and_personas() -> None:
    result = run("generate", "--playbook", "mega-cap")
    assert result.exit_code == 1
    assert "no bundled playbook named 'mega-cap'. Did you mean mega-caps?" in result.stderr
    result = run("generate", "--persona", "nope")
    assert result.exit_code == 1 and "no persona 'nope'" in result.stderr
    assert run("generate", "AAPL", "--playbook", "default").exit_code == 2


def test_a_bad_playbook_lists_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        'title = ""\ntitel = "x"\n[[instrument]]\nsymbol = "../x"\n'
        '[[instrument]]\nsymbol = "AAPL"\nkind = "bond"\n'
    )
    result = run("generate", "--playbook", str(path))
    assert result.exit_code == 1
    message = result.stderr
    assert message.startswith(f"error: {path}: 5 problem(s): ")
    for part in (
        "unknown key 'titel'",
        "title must be a non-empty string",
        "byline must be",
        "instrument 1: '../x' is not a ticker symbol",
        "kind must be index, etf or stock",
    ):
        assert part in message


def test_data_quality_notes_reach_the_article_and_strict_refuses_them() -> None:
    result = run("generate", "--playbook", "tech-vs-broad-market", "--as-of", "2018-12-31")
    assert result.exit_code == 0
    # The zero volume of 2018-01-09 is outside every window a figure depends on: no note
    # (tests/test_truth_notes.py shows the notes that matter), but strict still refuses it.
    assert "Data note" not in result.stdout and "fill the volume" not in result.stdout
    result = run(
        "generate", "--playbook", "tech-vs-broad-market", "--as-of", "2018-12-31", "--strict"
    )
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "error: Cannot publish in strict mode: ^IXIC: the data has zero"
    )
    assert result.stdout == ""


def test_an_as_of_past_the_data_is_narrated_not_refused() -> None:
    result = run(
        "generate", "AMZN", "--benchmark", "^GSPC", "--as-of", "2020-04-22", "--format", "json"
    )
    ledger = json.loads(result.stdout)
    dates = {i["symbol"]: i["date"] for i in ledger["instruments"]}
    assert dates == {"AMZN": "2020-04-22", "^GSPC": "2020-04-17"}
    kinds = {(q["symbol"], q["kind"], q["severity"]) for q in ledger["data_quality"]}
    assert ("^GSPC", "stale", "note") in kinds
    assert "Data note:" in ledger["article"]["markdown"]


def test_an_unadjusted_split_is_refused(tmp_path: Path) -> None:
    frame = pd.read_csv(SAMPLES / "NVDA.csv").head(300)
    for column in ("Open", "High", "Low", "Close"):
        frame.loc[200:, column] = frame.loc[200:, column] / 4  # a 4-for-1 split nobody adjusted
    frame.to_csv(tmp_path / "NVDA.csv", index=False)
    result = run("generate", "NVDA", "--data-dir", str(tmp_path))
    assert result.exit_code == 1
    assert "4-for-1 split" in result.stderr and "split-adjusted prices" in result.stderr


def test_quiet_prints_results_only(tmp_path: Path) -> None:
    target = tmp_path / "article.md"
    loud = run("generate", "--playbook", "mega-caps", "--output", str(target))
    assert loud.stderr.startswith("warning: reporting as of 2020-04-17, where ^GSPC data ends")
    quiet = run("--quiet", "generate", "--playbook", "mega-caps", "--output", str(target))
    assert quiet.exit_code == 0 and quiet.stderr == "" and target.is_file()
    failing = run("-q", "generate", "NOPE")
    assert failing.exit_code == 1 and failing.stderr.startswith("error: ")


def test_the_default_command_warns_nothing_on_the_bundled_samples() -> None:
    """The bundled series end on different days; the default playbook names its date on them
    (samples_as_of), so a plain `commentary generate` prints the article and no warning."""
    result = CliRunner().invoke(cli, ["generate"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert "as of the close on April 17, 2020" in result.stdout
