"""The round-trip verifier: generated articles verify in every format; planted errors are caught."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from commentary.cli import cli
from commentary.outputs import ledger_of, render_output
from commentary.pipeline import Article, write_article
from commentary.playbooks import load_playbook
from commentary.verify import verify


def article_on(playbook: str, as_of: str) -> Article:
    """Every reading the rules found (``detail = "full"``): the errors planted below sit in
    readings (RSI, the averages, the rating) a story article leaves out, and the verifier must
    still catch them wherever a playbook or a user's template prints them."""
    book = dataclasses.replace(load_playbook(playbook), detail="full")
    return write_article(book, as_of=dt.date.fromisoformat(as_of))


@pytest.fixture(scope="module")
def pulse() -> Article:
    return article_on("default", "2020-04-17")


@pytest.mark.parametrize("fmt", ["markdown", "text", "html"])
@pytest.mark.parametrize(
    ("playbook", "as_of"),
    [
        ("default", "2020-03-23"),
        ("mega-caps", "2016-06-24"),
        ("tech-vs-broad-market", "2008-08-11"),
    ],
)
def test_generated_articles_verify_in_every_format(playbook: str, as_of: str, fmt: str) -> None:
    article = article_on(playbook, as_of)
    assert verify(render_output(article, fmt), ledger_of(article)) == []


def caught(article: Article, original: str, planted: str) -> list[str]:
    """Plant one error; return the mismatches found in the sentence that holds it."""
    assert original in article.markdown, original
    text = article.markdown.replace(original, planted, 1)
    return [m.reason for m in verify(text, ledger_of(article)) if planted in m.sentence]


def test_a_wrong_number_is_caught(pulse: Article) -> None:
    reasons = caught(pulse, "RSI is rising at 57.4", "RSI is rising at 58.4")
    assert reasons == ["'58.4' is not S&P 500's RSI (57.36)"]


def test_a_wrong_decimal_after_an_indicator_name_is_caught(pulse: Article) -> None:
    """ "RSI 14" names a window, but "RSI 58.4" is a reading: it must not be cut to ".4"."""
    original = "RSI is rising at 57.4"
    assert caught(pulse, original, "The RSI 57.4 reading") == []
    wrong = caught(pulse, original, "The RSI 58.4 reading")
    assert "58.4 matches no value in the ledger" in wrong


def test_swapped_above_and_below_are_caught(pulse: Article) -> None:
    original = "the 50-day average (2,863.09) is below the 200-day (3,012.69)"
    reasons = caught(pulse, original, original.replace("below", "above"))
    assert any("says the 50-day is above the 200-day" in r for r in reasons), reasons
    reasons = caught(pulse, "3.5% below its all-time high", "3.5% above its all-time high")
    assert reasons and "3.5%" in reasons[0]


def test_a_levels_line_naming_both_averages_claims_no_order(pulse: Article) -> None:
    """The brief's levels line once read as "the 50-day is above the 200-day" (refused)."""
    line = "watch 2,863.09 (the 50-day average); wrong above 3,012.69 (the 200-day average)"
    original = "the 50-day average (2,863.09) is below the 200-day (3,012.69)"
    assert not [r for r in caught(pulse, original, line) if "50-day is" in r]
    planted = "the 50-day over the 200-day"
    assert any("says the 50-day is over" in r for r in caught(pulse, original, planted))


def test_a_golden_cross_on_death_cross_data_is_caught(pulse: Article) -> None:
    reasons = caught(
        pulse, "a death-cross configuration since", "a golden-cross configuration since"
    )
    assert any("says 'golden cross' but S&P 500's 50/200-day configuration is death cross" in r
               for r in reasons), reasons  # fmt: skip


def test_nearly_for_a_value_above_the_round_number_is_caught() -> None:
    """The voice sample's "nearly 15%" for 15.3 %: here "nearly 13%" for 13.x %."""
    article = article_on("default", "2020-03-23")
    assert "put on more than 13%" in article.markdown
    assert caught(article, "put on more than 13%", "put on nearly 13%")
    assert not caught(article, "put on more than 13%", "put on about 13%")


def test_a_streak_off_by_one_is_caught() -> None:
    article = article_on("tech-vs-broad-market", "2008-08-11")
    streak = article.analysis.comparisons[0].relative.current
    assert streak is not None and streak.sessions == 4
    said = re.search(
        r"\b(four|4) (straight sessions|sessions in a row)|\b4-session", article.markdown
    )
    assert said is not None
    original = said.group(0)
    planted = original.replace("four", "five").replace("4", "5")
    reasons = caught(article, original, planted)
    assert any("the current streak is 4" in r for r in reasons)


def test_a_streak_in_each_of_the_last_sessions_is_checked_as_a_streak() -> None:
    article = article_on("default", "2020-03-23")
    original = "in each of the last six sessions"
    for wrong in ("seven", "7"):
        reasons = caught(article, original, original.replace("six", wrong))
        assert any("the current streak is 6" in r for r in reasons), reasons


def test_an_index_level_quoted_in_dollars_is_caught(pulse: Article) -> None:
    reasons = caught(pulse, "ended the session at 2,874.56,", "ended the session at $2,874.56,")
    assert any("an index level quoted as a price" in r for r in reasons), reasons


def test_check_command_reports_each_mismatch_and_exits_1(tmp_path: Path, pulse: Article) -> None:
    ledger = tmp_path / "ledger.json"
    ledger.write_text(json.dumps(ledger_of(pulse)))
    good = tmp_path / "article.md"
    good.write_text(pulse.markdown)
    result = CliRunner().invoke(cli, ["check", str(good), "--facts", str(ledger)])
    assert result.exit_code == 0, result.stderr
    assert "every claim agrees with" in result.stdout
    bad = tmp_path / "bad.html"
    bad.write_text(render_output(pulse, "html").replace("57.4", "75.4"))
    result = CliRunner().invoke(cli, ["check", str(bad), "--facts", str(ledger)])
    assert result.exit_code == 1
    assert "makes 1 claim(s) its ledger does not support" in result.stderr
    assert "'75.4' is not S&P 500's RSI (57.36)" in result.stderr


def test_check_refuses_a_file_that_is_not_a_ledger(tmp_path: Path) -> None:
    article, ledger = tmp_path / "a.md", tmp_path / "l.json"
    article.write_text("# x\n")
    ledger.write_text("[1, 2]")
    result = CliRunner().invoke(cli, ["check", str(article), "--facts", str(ledger)])
    assert result.exit_code == 1
    assert "is JSON but not a commentary ledger" in result.stderr


def test_generate_verifies_before_writing_and_no_verify_says_so(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    result = CliRunner().invoke(
        cli, ["generate", "--playbook", "mega-caps", "--output", str(target)]
    )
    assert result.exit_code == 0 and target.read_text().startswith("# ")
    result = CliRunner().invoke(cli, ["generate", "--playbook", "mega-caps", "--no-verify"])
    assert result.exit_code == 0
    assert "warning: --no-verify: the article was not checked" in result.stderr


SWAPS = [("RSI is rising", "RSI is falling"), ("RSI is falling", "RSI is rising"),
         ("histogram rising", "histogram falling"), ("histogram falling", "histogram rising"),
         ("Heavy volume", "Thin volume"), ("trend is strong", "trend is absent")]  # fmt: skip


@pytest.mark.parametrize(("original", "planted"), SWAPS)
def test_swapped_reading_words_are_caught(original: str, planted: str) -> None:
    """Direction and strength words about readings are checked, not just the numbers."""
    for playbook, as_of in (("mega-caps", "2016-06-24"), ("mega-caps", "2019-12-31"),
                            ("default", "2020-03-23"), ("default", "2020-04-17"),
                            ("tech-vs-broad-market", "2008-10-10"),
                            ("tech-vs-broad-market", "2018-12-31")):  # fmt: skip
        article = article_on(playbook, as_of)
        if original in article.markdown:
            assert caught(article, original, planted), (playbook, as_of)
            return
    pytest.skip(f"no bundled article says {original!r}")


def test_a_wrong_order_of_averages_and_a_wrong_place_in_the_channel_are_caught() -> None:
    """Claims without numbers are checked too: the order of a mixed stack, the channel place."""
    article = article_on("mega-caps", "2016-06-24")
    mixed = re.search(r"(the \w+-day|the close) (on top|leads)", article.markdown)
    assert mixed is not None
    text = article.markdown
    order = re.findall(
        r"the (close|5-day|50-day|200-day)\b", text[mixed.start() : text.index(".", mixed.start())]
    )
    swapped = (
        text[mixed.start() :]
        .replace(order[0], "@", 1)
        .replace(order[1], order[0], 1)
        .replace("@", order[1], 1)
    )
    reasons = [m.reason for m in verify(text[: mixed.start()] + swapped, ledger_of(article))]
    assert any("orders the averages" in r for r in reasons)
    place = article_on("default", "2020-04-17")
    assert "sits mid-channel" in place.markdown
    assert any(
        "channel position" in r
        for r in caught(place, "sits mid-channel", "sits near its upper line")
    )
