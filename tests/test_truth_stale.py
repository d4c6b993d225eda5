"""Stale data never passes as the article's date (issue 10, items 1 and 6)."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from commentary.cli import cli
from tests.test_mailing import Recorder, smtp_server  # noqa: F401 - the server fixture

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def test_a_stale_instrument_is_refused_in_one_line_naming_it_and_its_last_date() -> None:
    result = run("generate", "--playbook", "mega-caps", "--as-of", "2023-09-21")
    assert result.exit_code == 1
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: Cannot publish: ^GSPC: the data ends on 2020-04-17")
    assert "--as-of 2020-04-17 or earlier" in line and "--allow-stale" in line


def test_allow_stale_leaves_the_instrument_and_its_comparisons_out_and_says_so() -> None:
    args = ("generate", "--playbook", "mega-caps", "--as-of", "2023-09-21", "--allow-stale")
    article = run(*args).stdout
    assert "## S&P 500" not in article and "vs. S&P 500:" not in article
    assert "For the year" not in article  # the 2020 year-to-date figures are gone with them
    note = "> **Data note:** S&P 500 is left out: its data ends on 2020-04-17"
    assert note in article and "its comparisons with Apple, Amazon, Netflix and Nvidia" in article
    ledger = json.loads(run(*args, "--format", "json").stdout)
    assert [i["symbol"] for i in ledger["instruments"]] == ["AAPL", "AMZN", "NFLX", "NVDA"]
    assert {i["date"] for i in ledger["instruments"]} == {"2023-09-21"}
    assert ledger["comparisons"] == []
    left = {(x["kind"], x["subject"], x["last_date"]) for x in ledger["left_out"]}
    assert ("instrument", "^GSPC", "2020-04-17") in left
    assert ("comparison", "AAPL vs ^GSPC", "2020-04-17") in left


def test_every_instrument_stale_is_one_clear_error() -> None:
    result = run("generate", "--playbook", "tech-vs-broad-market", "--as-of", "2023-09-21",
                 "--allow-stale")  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr.startswith("error: every instrument is stale (^IXIC (ends 2018-12-31)")
    assert len(result.stderr.splitlines()) == 1


def test_a_comparison_never_uses_a_window_ending_before_the_articles_date() -> None:
    # ^GSPC ends on 2020-04-17, three sessions before: a note, but the pair's shared sessions
    # end there too, so its streaks and year-to-date gap would be of another day.
    result = run("generate", "AMZN", "--benchmark", "^GSPC", "--as-of", "2020-04-22",
                 "--format", "json")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    ledger = json.loads(result.stdout)
    assert ledger["comparisons"] == []
    (left,) = ledger["left_out"]
    assert (left["kind"], left["subject"], left["last_date"]) == (
        "comparison", "AMZN vs ^GSPC", "2020-04-17"
    )  # fmt: skip
    markdown = ledger["article"]["markdown"]
    assert "vs. S&P 500:" not in markdown
    assert "Amazon vs. S&P 500 is left out: the sessions both have end on 2020-04-17" in markdown


def _daily_config(tmp_path: Path, port: int, subscribers: Path, playbook: str) -> Path:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[daily]\nplaybook = "{playbook}"\nout = "{tmp_path / "drafts"}"\n'
        f'[blog]\nsite = "{tmp_path / "site"}"\nflavor = "hugo"\n'
        f'[email]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n'
        f'sender = "Desk <desk@example.com>"\nsubscribers = "{subscribers}"\n'
        'unsubscribe_url = "https://example.com/u"\nunsubscribe_mailto = "u@example.com"\n'
        'postal_address = "The Desk, 1 Main Street"\n'
    )
    return config


@pytest.fixture
def configured(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    smtp_server,  # noqa: F811
) -> tuple[Path, Recorder]:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COMMENTARY_UNSUBSCRIBE_SECRET", "test-secret")
    subscribers = tmp_path / "subscribers.csv"
    subscribers.write_text("email,name\nann@example.com,Ann\n")
    handler = Recorder()
    config = _daily_config(tmp_path, smtp_server(handler), subscribers, "mega-caps")
    monkeypatch.setenv("COMMENTARY_CONFIG", str(config))
    monkeypatch.setattr("commentary.newsletter.default_ledger", lambda: tmp_path / "sent.db")
    return tmp_path, handler


def _clock(monkeypatch: pytest.MonkeyPatch, when: dt.datetime) -> None:
    monkeypatch.setattr("commentary.newsletter.new_york_now", lambda: when)


def test_daily_without_a_date_refuses_the_bundled_samples_and_writes_nothing(
    configured: tuple[Path, Recorder], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, handler = configured
    _clock(monkeypatch, dt.datetime(2024, 5, 1, 18, 30, tzinfo=NEW_YORK))  # a Wednesday evening
    result = run("daily")
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: the daily issue reports the close of 2024-05-01, but ")
    assert "^GSPC's data ends on 2020-04-17" in line and "--date 2020-04-17" in line
    assert not (folder / "drafts").exists() and not (folder / "site").exists()
    assert handler.received == []


def test_daily_accepts_no_lag_that_generate_would_narrate(
    configured: tuple[Path, Recorder], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, handler = configured
    # ^GSPC is one session behind 2020-04-20: generate writes it with a note, daily refuses.
    assert run("generate", "--playbook", "mega-caps", "--as-of", "2020-04-20").exit_code == 0
    result = run("daily", "--date", "2020-04-20")
    assert result.exit_code == 1 and "^GSPC's data ends on 2020-04-17" in result.stderr
    assert not (folder / "drafts").exists() and handler.received == []


def test_daily_before_the_close_refuses_to_write_todays_issue(
    configured: tuple[Path, Recorder], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, _ = configured
    _clock(monkeypatch, dt.datetime(2020, 4, 17, 11, 0, tzinfo=NEW_YORK))
    result = run("daily")
    assert result.exit_code == 1
    assert "the 2020-04-17 session closes at 16:00 EDT" in result.stderr
    assert not (folder / "drafts").exists()


def test_batch_refuses_a_stale_benchmark_per_ticker_and_allow_stale_drops_it(
    tmp_path: Path,
) -> None:
    universe = tmp_path / "universe.txt"
    universe.write_text("NVDA\n")
    args = ["batch", "--universe", str(universe), "--benchmark", "^GSPC", "--as-of", "2023-09-21"]
    refused = run(*args, "--out", str(tmp_path / "a"))
    assert "skipped NVDA: Cannot publish: ^GSPC: the data ends on 2020-04-17" in refused.stderr
    allowed = run(*args, "--out", str(tmp_path / "b"), "--allow-stale")
    assert allowed.stdout.startswith("1 written"), allowed.stderr
    ledger = json.loads((tmp_path / "b" / "NVDA.json").read_text())
    assert ledger["comparisons"] == [] and ledger["left_out"][0]["subject"] == "^GSPC"
