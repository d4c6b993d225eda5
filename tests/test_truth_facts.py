"""`commentary facts` carries the facts `generate` writes from (issue 10, item 6)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from commentary.cli import cli


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def _facts(ledger: dict) -> dict[str, list]:  # type: ignore[type-arg]
    found = {i["symbol"]: i["facts"] for i in ledger["instruments"]}
    found |= {f"{c['symbol']} vs {c['benchmark']}": c["facts"] for c in ledger["comparisons"]}
    return found


@pytest.mark.parametrize(
    "inputs",
    [
        ("AMZN", "--benchmark", "^GSPC", "--as-of", "2020-04-17"),
        ("^IXIC", "--benchmark", "^GSPC", "--as-of", "2018-12-31"),
        ("NFLX", "NVDA", "--as-of", "2019-12-31"),
    ],
)
def test_facts_carries_the_same_facts_as_generate_json(inputs: tuple[str, ...]) -> None:
    from_facts = json.loads(run("facts", *inputs, "--format", "json").stdout)
    from_generate = json.loads(run("generate", *inputs, "--format", "json").stdout)
    assert _facts(from_facts) == _facts(from_generate)
    assert all(_facts(from_facts).values())  # every instrument and comparison says something
    assert from_facts["data_quality"] == from_generate["data_quality"]


def test_check_names_the_ledger_to_use_when_given_a_facts_ledger(tmp_path: Path) -> None:
    """A `facts` ledger holds the facts but not the article's plan (its bottom lines' levels and
    leans), so `check` says in one line which ledger to check against, rather than failing a
    true article claim by claim; the ledger `generate --format json` writes passes."""
    inputs = ("AMZN", "--benchmark", "^GSPC", "--as-of", "2020-04-17")
    article, ledger = tmp_path / "article.md", tmp_path / "ledger.json"
    assert run("generate", *inputs, "--output", str(article)).exit_code == 0
    assert run("facts", *inputs, "--output", str(ledger)).exit_code == 0
    result = run("check", str(article), "--facts", str(ledger))
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert "generate --format json" in result.stderr
    full = tmp_path / "full.json"
    assert run("generate", *inputs, "--format", "json", "--output", str(full)).exit_code == 0
    assert run("check", str(article), "--facts", str(full)).exit_code == 0


def test_facts_output_takes_its_format_from_the_extension(tmp_path: Path) -> None:
    target = tmp_path / "facts.json"
    assert run("facts", "AMZN", "--as-of", "2020-04-17", "--output", str(target)).exit_code == 0
    assert json.loads(target.read_text())["instruments"][0]["symbol"] == "AMZN"
    table = tmp_path / "facts.txt"
    assert run("facts", "AMZN", "--as-of", "2020-04-17", "--output", str(table)).exit_code == 0
    assert "Amazon (AMZN)  close $118.75" in table.read_text()


def test_facts_refuses_a_format_the_extension_contradicts(tmp_path: Path) -> None:
    target = tmp_path / "facts.json"
    result = run("facts", "AMZN", "--format", "table", "--output", str(target))
    assert result.exit_code == 2
    assert "--format table does not fit" in result.stderr and not target.exists()
