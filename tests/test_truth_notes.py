"""Data notes only where they matter (issue 10, item 5)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner, Result

from commentary.cli import cli
from commentary.resources import samples_data_dir


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def _zero_volume(folder: Path, sessions_ago: int) -> Path:
    rows = list(csv.reader((samples_data_dir() / "AAPL.csv").read_text().splitlines()))
    rows[-1 - sessions_ago][-1] = "0"
    with (folder / "AAPL.csv").open("w", newline="") as file:
        csv.writer(file).writerows(rows)
    return folder


FULL_APPLE = """title = "Apple"
persona = "technical-trader"
byline = "The desk"
detail = "full"

[[instrument]]
symbol = "AAPL"
"""


def test_zero_volume_inside_the_volume_window_is_noted(tmp_path: Path) -> None:
    """Noted when the article prints a volume figure (full detail prints the volume reading);
    a story that leaves volume out has nothing the zero would change."""
    folder = _zero_volume(tmp_path, 0)
    note = "> **Data note:** Apple: the data has zero volume on 2023-09-21"
    playbook = tmp_path / "apple.toml"
    playbook.write_text(FULL_APPLE)
    args = ("--data-dir", str(folder), "--format", "json")
    ledger = json.loads(run("generate", "--playbook", str(playbook), *args).stdout)
    assert any(f["id"].startswith("volume.") for f in ledger["instruments"][0]["facts"])
    assert "volume" in ledger["article"]["markdown"].split("## Key Levels")[0].lower()
    assert note in ledger["article"]["markdown"]
    story = json.loads(run("generate", "AAPL", *args).stdout)
    assert "volume" not in story["article"]["markdown"].lower()
    assert "Data note" not in story["article"]["markdown"]


def test_zero_volume_no_figure_depends_on_stays_in_the_ledger(tmp_path: Path) -> None:
    folder = _zero_volume(tmp_path, 99)  # 2023-05-01: in the year, outside the volume average
    ledger = json.loads(
        run("generate", "AAPL", "--data-dir", str(folder), "--format", "json").stdout
    )
    assert [(q["kind"], q["dates"]) for q in ledger["data_quality"]] == [
        ("zero_volume", ["2023-05-01"])
    ]
    assert "Data note" not in ledger["article"]["markdown"]


def test_the_nasdaq_zero_volume_of_january_is_no_note_in_december() -> None:
    args = ("generate", "--playbook", "tech-vs-broad-market", "--as-of", "2018-12-31")
    ledger = json.loads(run(*args, "--format", "json").stdout)
    assert ("^IXIC", "zero_volume") in {(q["symbol"], q["kind"]) for q in ledger["data_quality"]}
    assert "Data note" not in ledger["article"]["markdown"]


def test_stale_data_is_always_noted() -> None:
    result = run("generate", "AMZN", "^GSPC", "--as-of", "2020-04-21")
    assert "> **Data note:** S&P 500: the data ends on 2020-04-17" in result.stdout
