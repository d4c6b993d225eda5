"""Editor's items: parsed with every problem at once, measured from the bars, framed against the
story, and checked number by number; the editor's words never become markup or template code."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from commentary.cli import cli
from commentary.resources import samples_data_dir

PLAYBOOK = """title = "Desk"
byline = "The desk"

[[instrument]]
symbol = "^GSPC"
name = "S&P 500"
kind = "index"

[[item]]
kind = "listing"
title = "NewCo Lists"
symbol = "NEWCO"
text = "{text}"
[item.facts]
offer_price = {{ value = 20.0, unit = "$" }}
shares_outstanding = {{ value = 100000000, unit = "shares" }}
"""


@pytest.fixture
def listing(tmp_path: Path) -> tuple[Path, list[dict[str, Any]]]:
    """A data folder with the S&P 500 and NEWCO, listed 30 sessions before 2020-04-17."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(samples_data_dir() / "^GSPC.csv", data / "^GSPC.csv")
    with open(data / "^GSPC.csv", newline="") as handle:
        sessions = [row["Date"] for row in csv.DictReader(handle)][-30:]
    rows = []
    for n, day in enumerate(sessions):
        close = 24.0 + n * 0.25
        opening = 22.0 if n == 0 else close - 0.1
        low = min(22.0, close) - 0.5
        rows.append({"Date": day, "Open": opening, "High": close + 0.5, "Low": low,
                     "Close": close, "Volume": 1_000_000})  # fmt: skip
    with open(data / "NEWCO.csv", "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return data, rows


def _generate(tmp_path: Path, data: Path, text: str, *extra: str) -> Any:
    book = tmp_path / "desk.toml"
    book.write_text(PLAYBOOK.format(text=text))
    return CliRunner().invoke(cli, ["generate", "--playbook", str(book), "--data-dir", str(data),
                                    "--as-of", "2020-04-17", *extra])  # fmt: skip


def test_a_new_listing_gets_its_true_figures_and_no_indicator_it_cannot_have(
    tmp_path: Path, listing: tuple[Path, list[dict[str, Any]]]
) -> None:
    data, rows = listing
    result = _generate(tmp_path, data, "Priced at the top of its range.")
    assert result.exit_code == 0, result.output
    section = result.stdout.split("## NewCo Lists: A Distraction or a Signal?")[1]
    section = section.split("## Key Levels")[0]
    first, last = rows[0]["Close"], rows[-1]["Close"]
    assert "opened at $22.00 against an offer price of $20.00, a 10.0% pop." in section
    assert (
        f"closed its first session at ${first:.2f}, up {100 * (first / 20 - 1):.1f}% on" in section
    )
    assert f"about ${1e8 * last / 1e9:.1f} billion" in section
    with open(data / "^GSPC.csv", newline="") as handle:
        index = {row["Date"]: float(row["Close"]) for row in csv.DictReader(handle)}
    bench = 100 * (index[rows[-1]["Date"]] / index[rows[0]["Date"]] - 1)
    since = 100 * (last / first - 1)
    assert (
        f"Since that first close it is up {since:.1f}% in 30 sessions, against a "
        f"{abs(bench):.1f}% {'gain' if bench >= 0 else 'loss'} for the S&P."
    ) in section
    assert "too new for a 50-day average or 200-day average." in section
    assert "RSI" not in section and "NEWCO" not in result.stdout.split("## NewCo")[0]
    ledger = json.loads(_generate(tmp_path, data, "x", "--format", "json").stdout)
    [entry] = ledger["items"]
    assert entry["declared"]["offer_price"] == {"value": 20.0, "unit": "$"}
    assert entry["computed"]["sessions"] == 30 and entry["story"]["symbol"] == "^GSPC"


def test_a_number_in_the_editors_text_that_nothing_backs_is_refused(
    tmp_path: Path, listing: tuple[Path, list[dict[str, Any]]]
) -> None:
    data, _ = listing
    result = _generate(tmp_path, data, "Demand was 35 times the shares on offer.")
    assert result.exit_code == 1
    assert "35 in the item 'NewCo Lists' matches none of its declared or computed figures" in (
        result.stderr
    )
    assert "Demand was 35 times the shares on offer." in result.stderr


def test_html_and_template_syntax_in_the_editors_text_stay_literal(
    tmp_path: Path, listing: tuple[Path, list[dict[str, Any]]]
) -> None:
    data, _ = listing
    hostile = ("<script>alert(document.cookie)</script> {{ config }} {% if x %} "
               "[click](javascript:alert(document.domain)) ![t](http://x.example/t.png) "
               "*loud*")  # fmt: skip
    outputs = {fmt: _generate(tmp_path, data, hostile, "--format", fmt)
               for fmt in ("markdown", "html", "text", "json")}  # fmt: skip
    for fmt, result in outputs.items():
        assert result.exit_code == 0, (fmt, result.output)
    html = outputs["html"].stdout
    assert "<script>alert" not in html and "&lt;script&gt;alert(document.cookie)" in html
    assert "{{ config }} {% if x %}" in html and "[click](javascript:" in html
    assert 'href="javascript' not in html and "<img" not in html.split("NewCo Lists")[1]
    assert "*loud*" in html and "<em>loud</em>" not in html
    text = outputs["text"].stdout
    assert "<script>alert(document.cookie)</script> {{ config }} {% if x %} [click]" in text
    markdown = json.loads(outputs["json"].stdout)["article"]["markdown"]
    assert markdown == outputs["markdown"].stdout and "\\{\\{ config \\}\\}" in markdown


def test_malformed_items_are_reported_all_at_once_with_their_lines(tmp_path: Path) -> None:
    items = tmp_path / "items.toml"
    items.write_text('[[item]]\nkind = "ipo"\ntitle = "A"\n\n[[item]]\nkind = "news"\ntitle = ""\n'
                     '[item.facts]\nrate = { value = "high", unit = "%" }\n')  # fmt: skip
    result = CliRunner().invoke(cli, ["generate", "--as-of", "2020-04-17", "--items", str(items)])
    assert result.exit_code == 1
    message = result.stderr
    assert message.count("\n") == 1 and "3 problem(s)" in message
    assert "line 1: kind must be one of listing, news, note, not 'ipo'" in message
    assert "line 5: title must be a non-empty string" in message
    assert "line 5: fact 'rate': value must be a finite number" in message


def test_an_items_file_adds_to_the_playbook(tmp_path: Path) -> None:
    items = tmp_path / "items.toml"
    items.write_text('[[item]]\nkind = "note"\ntitle = "Housekeeping"\n'
                     'text = "No issue on Monday: the market is closed."\n')  # fmt: skip
    result = CliRunner().invoke(cli, ["generate", "--as-of", "2020-04-17", "--items", str(items)])
    assert result.exit_code == 0, result.output
    assert "## Housekeeping\n\nNo issue on Monday: the market is closed.\n" in result.stdout
    assert result.stdout.index("## Housekeeping") < result.stdout.index("## Key Levels")
