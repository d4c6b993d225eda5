"""Adjusted prices are labelled (issue 10, item 4)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner, Result

from commentary.cli import cli
from commentary.resources import samples_data_dir


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def test_the_bundled_stocks_are_split_adjusted_and_the_indices_are_not() -> None:
    result = run("generate", "--as-of", "2020-04-17", "--format", "json")
    ledger = json.loads(result.stdout)
    adjusted = {i["symbol"]: i["adjusted"] for i in ledger["instruments"]}
    assert adjusted == {"^GSPC": False, "AMZN": True, "NVDA": True}
    dateline = ledger["article"]["markdown"].splitlines()[2]
    assert "· Split-adjusted prices ·" in dateline


def test_an_article_of_indices_says_nothing_about_adjustment() -> None:
    article = run("generate", "--playbook", "tech-vs-broad-market", "--as-of", "2018-12-31").stdout
    assert "adjusted" not in article.lower()


def test_a_mixed_article_names_the_adjusted_instruments(tmp_path: Path) -> None:
    for symbol in ("AAPL", "NVDA"):
        shutil.copy(samples_data_dir() / f"{symbol}.csv", tmp_path / f"{symbol}.csv")
    (tmp_path / "prices.toml").write_text('split_adjusted = ["NVDA"]\n')
    result = run("generate", "AAPL", "NVDA", "--data-dir", str(tmp_path), "--format", "json")
    ledger = json.loads(result.stdout)
    assert {i["symbol"]: i["adjusted"] for i in ledger["instruments"]} == {
        "AAPL": False, "NVDA": True
    }  # fmt: skip
    assert "· Split-adjusted prices for Nvidia ·" in ledger["article"]["markdown"]


def test_csv_files_without_a_declaration_are_unadjusted(tmp_path: Path) -> None:
    shutil.copy(samples_data_dir() / "NVDA.csv", tmp_path / "NVDA.csv")
    ledger = json.loads(
        run("facts", "NVDA", "--data-dir", str(tmp_path), "--format", "json").stdout
    )
    assert ledger["instruments"][0]["adjusted"] is False
    morning = run("generate", "NVDA", "--data-dir", str(tmp_path), "--persona", "morning-brief")
    assert "adjusted" not in morning.stdout


def test_a_bad_declaration_is_one_clear_error(tmp_path: Path) -> None:
    shutil.copy(samples_data_dir() / "NVDA.csv", tmp_path / "NVDA.csv")
    (tmp_path / "prices.toml").write_text('split_adjusted = "yes"\n')
    result = run("generate", "NVDA", "--data-dir", str(tmp_path))
    assert result.exit_code == 1
    assert "split_adjusted must be true, false or a list of symbols" in result.stderr


def test_yfinance_stocks_are_split_adjusted_and_its_indices_are_not(tmp_path: Path) -> None:
    # Yahoo's Close (auto_adjust=False) is "adjusted for splits"; only Adj Close adds dividends.
    from tests.fake_yfinance import FakeYFinance, price_frame
    from tests.test_yahoo import make_source

    source, _ = make_source(tmp_path, FakeYFinance([price_frame()]))
    assert source.load("AAPL").adjusted is True
    assert source.load("^GSPC").adjusted is False
