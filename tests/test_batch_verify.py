"""The batch's verification: every page's bound claims checked, a random sample read back in full.

A page whose claim disagrees with its ledger is refused whatever the sample rate: the tests
plant a wrong number in the real rendered page and expect the ticker to fail, unwritten.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import commentary.pipeline
from commentary.batch import is_sampled, run_batch
from commentary.cli import cli
from commentary.errors import UsageError, VerificationError
from commentary.outputs import ledger_of
from commentary.sources import CsvSource
from commentary.verify import check_bound, read_back
from commentary.verify.bindings import BINDINGS
from tests.test_verify_bindings import PLANTED, full_article

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "data"
TRUE = "down 1.36%"
FALSE = "down 1.46%"
AS_OF = dt.date(2020, 4, 17)


def planting(original: str, planted: str) -> Callable[..., str]:
    """The real renderer, with one claim in its page changed after rendering."""
    render = commentary.pipeline.render_article

    def render_with_a_false_claim(*args: Any, **kwargs: Any) -> str:
        markdown = render(*args, **kwargs)
        assert original in markdown, original
        return markdown.replace(original, planted, 1)

    return render_with_a_false_claim


@pytest.mark.parametrize("rate", [0.0, 0.5, 1.0])
@pytest.mark.parametrize("sink", [None, "jsonl"])
def test_a_page_whose_claim_disagrees_with_its_ledger_is_refused_at_any_sample_rate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rate: float, sink: str | None
) -> None:
    monkeypatch.setattr(commentary.pipeline, "render_article", planting(TRUE, FALSE))
    out = tmp_path / ("out.jsonl" if sink else "out")
    report = run_batch([("AAPL", "^GSPC")], CsvSource(SAMPLES), out, as_of=AS_OF,
                       sink=sink, verify_sample=rate)  # fmt: skip
    assert report.done == []
    assert "1 claim(s) its ledger does not support" in report.failed["AAPL"]
    written = out.read_text() if sink else "".join(p.name for p in out.iterdir())
    assert "AAPL" not in written


@pytest.mark.parametrize("rate", [0.0, 1.0])
def test_the_same_pages_pass_unplanted_and_the_summary_states_the_sample_rate(
    tmp_path: Path, rate: float
) -> None:
    pairs = [("AAPL", "^GSPC"), ("NVDA", "^GSPC")]
    report = run_batch(pairs, CsvSource(SAMPLES), tmp_path / "out", as_of=AS_OF,
                       verify_sample=rate)  # fmt: skip
    assert report.done == ["AAPL", "NVDA"]
    assert report.read_back == (["AAPL", "NVDA"] if rate else [])
    expected = ("every page read back in full against its ledger" if rate else
                "every page's bound claims checked against its ledger, 0 of 2 read back in full "
                "(sample rate 0.00%)")  # fmt: skip
    assert report.summary().endswith(expected)


def test_the_full_read_back_sample_is_random_per_run_at_the_stated_rate() -> None:
    symbols = [f"T{n:04d}" for n in range(2000)]
    first = {s for s in symbols if is_sampled("run-1", s, 0.05)}
    second = {s for s in symbols if is_sampled("run-2", s, 0.05)}
    assert 60 <= len(first) <= 140 and 60 <= len(second) <= 140  # 100 expected, 5 sigma wide
    assert first != second  # a new run draws a new sample
    assert first == {s for s in symbols if is_sampled("run-1", s, 0.05)}  # each worker agrees


@pytest.mark.parametrize(
    ("kind", "where", "original", "planted"), PLANTED, ids=[p[0] for p in PLANTED]
)
def test_each_planted_error_the_full_read_back_refuses_the_bound_check_refuses(
    kind: str, where: tuple[str, str], original: str, planted: str
) -> None:
    written = full_article(*where)
    text = written.markdown.replace(original, planted, 1)
    ledger = ledger_of(written)
    full, bound = read_back(text, ledger), read_back(text, ledger, full=False)
    if full.mismatches:
        assert bound.mismatches, kind
        with pytest.raises(VerificationError):
            check_bound(text, ledger)
    else:  # refused only as unbound under --strict, in both
        assert full.unbound_claims and bound.unbound_claims, kind


def test_a_sample_rate_outside_0_to_1_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="from 0 to 1"):
        run_batch([("AAPL", None)], CsvSource(SAMPLES), tmp_path / "out", verify_sample=1.5)
    universe = tmp_path / "universe.csv"
    universe.write_text("AAPL\n")
    result = CliRunner().invoke(cli, ["batch", "--universe", str(universe), "--out",
                                      str(tmp_path / "out"), "--verify-sample", "2"])  # fmt: skip
    assert result.exit_code == 2 and "--verify-sample" in result.stderr
    assert not (tmp_path / "out").exists()


def test_the_cli_batch_reads_back_the_sample_and_says_so(tmp_path: Path) -> None:
    universe = tmp_path / "universe.csv"
    universe.write_text("AAPL\nNVDA\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["batch", "--universe", str(universe), "--out", str(out),
                                      "--benchmark", "^GSPC", "--as-of", "2020-04-17",
                                      "--verify-sample", "0"])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "0 of 2 read back in full (sample rate 0.00%)" in result.stdout
    ledger = json.loads((out / "AAPL.json").read_text())
    assert (out / "AAPL.md").read_text() == ledger["article"]["markdown"]


def test_no_binding_consumes_a_number_outside_its_slots() -> None:
    """The per-page check skips the bag for a sentence whose every number a binding reads, and a
    binding's match is blanked before unbound numbers are counted: so a pattern must consume no
    variable number outside a slot (only window names such as "52-week" or "SMA 200")."""
    windows = {"5", "20", "50", "52", "100", "200"}
    for binding in BINDINGS:
        text = re.sub(r"<\w+:\w+>", "", binding.pattern)
        # Look-arounds consume nothing.
        text = re.sub(r"\(\?<?[=!][^()]*(?:\([^()]*\)[^()]*)*\)", "", text)
        assert "\\d" not in text, binding.pattern
        assert set(re.findall(r"(?<!\w)\d+", text)) <= windows, binding.pattern
