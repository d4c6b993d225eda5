# ruff: noqa: E501 (planted sentences read best whole)
"""The verifier's second version: every number is bound to the ledger field its phrase names.

Every golden and a hypothesis sample of articles are 100 % bound; each kind of false claim an
adversarial pass slipped past the bag-of-numbers check is refused (by a binding, or, for a
sentence whose claim no binding reads, as unbound under ``--strict``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commentary.cli import cli
from commentary.outputs import ledger_of, render_output
from commentary.pipeline import Article, write_article
from commentary.playbooks import adhoc_playbook
from commentary.verify import check_article, read_back
from commentary.verify.binder import _CONSTANT_CUE, _SLOTS
from commentary.verify.bindings import BINDINGS, CONSTANTS
from commentary.verify.relative import _RELATIVE_SIDE
from tests.test_articles import GOLDEN, golden_path, golden_playbook


@functools.cache
def article(
    playbook: str, as_of: str, persona: str | None = None, detail: str = "story"
) -> Article:
    book = (
        adhoc_playbook(["AMZN"], "^GSPC", "technical-trader", 0)
        if playbook == "AMZN"
        else golden_playbook(playbook)
    )
    book = dataclasses.replace(book, detail=detail)
    return write_article(book, as_of=dt.date.fromisoformat(as_of), persona=persona)


def full_article(playbook: str, as_of: str) -> Article:
    """Every reading the rules found (``detail = "full"``): the planted errors below sit in
    sentences a story leaves out, and the verifier must still catch them there."""
    return article(playbook, as_of, None, "full")


@pytest.mark.parametrize(("playbook", "as_of", "persona"), GOLDEN)
def test_every_number_in_every_golden_is_bound(
    playbook: str, as_of: str, persona: str | None
) -> None:
    ledger = ledger_of(article(playbook, as_of, persona))
    text = golden_path(playbook, as_of, persona).read_text(encoding="utf-8")
    for fmt_text in (text, render_output(article(playbook, as_of, persona), "html")):
        report = read_back(fmt_text, ledger)
        assert report.mismatches == []
        assert report.unbound_claims == [], [str(c) for c in report.unbound_claims]
        assert report.bound > 12


_DAY_ZERO = {"default": dt.date(2014, 1, 2), "mega-caps": dt.date(2014, 1, 2),
             "tech-vs-broad-market": dt.date(2002, 1, 2)}  # fmt: skip


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    playbook=st.sampled_from(sorted(_DAY_ZERO)),
    offset=st.integers(min_value=0, max_value=2200),
    persona=st.sampled_from(["technical-trader", "morning-brief"]),
)
def test_every_number_is_bound_on_any_date_playbook_and_persona(
    playbook: str, offset: int, persona: str
) -> None:
    """A template phrase without a binding fails here: its number (or claim word) is unbound."""
    as_of = (_DAY_ZERO[playbook] + dt.timedelta(days=offset)).isoformat()
    written = article(playbook, as_of, persona)
    report = read_back(written.markdown, ledger_of(written))
    assert report.mismatches == []
    assert report.unbound_claims == [], [str(c) for c in report.unbound_claims]


def test_a_phrase_no_binding_reads_is_unbound_and_refused_under_strict() -> None:
    written = full_article("default", "2020-04-17")
    text = written.markdown.replace(
        "Support is layered near $97.50.", "Support is layered near $97.50. It has 12 fans."
    )
    report = read_back(text, ledger_of(written))
    assert report.unbound == 1 and report.mismatches == []
    check_article(text, ledger_of(written))  # the bag check alone lets it pass
    with pytest.raises(Exception, match="no phrase binding reads"):
        check_article(text, ledger_of(written), strict=True)


#: (kind, article, original, planted): each planted claim is false; the verifier must refuse it.
PLANTED = [
    ("the closing lean said as balanced", ("default", "2018-07-27"),
     "On Amazon, the balance of evidence favors the bulls.", "The setup on Amazon is balanced."),
    ("the closing trade said the other way", ("default", "2020-03-16"),
     "Stay defensive until it closes above resistance; under support, the slide has room to run.",
     "Stay with it while it holds support; a close above resistance would extend the move."),
    ("a balanced closing trade said as bearish", ("tech-vs-broad-market", "2016-11-04"),
     "Let it show its hand:", "Stay defensive until it shows its hand:"),
    ("a streak said with 'Its' given the wrong length", ("tech-vs-broad-market", "2018-12-26"),
     "Its losing streak of four sessions also ended today",
     "Its losing streak of five sessions also ended today"),
    ("a later cycle's bear market said from the record close", ("tech-vs-broad-market", "2008-10-10"),
     "sits 42.3% below its October 2007 closing high", "sits 42.3% below its record close"),
    ("a later cycle's high misdated", ("tech-vs-broad-market", "2008-10-10"),
     "sits 42.3% below its October 2007 closing high",
     "sits 42.3% below its September 2007 closing high"),
    ("a later cycle's high given the wrong year", ("tech-vs-broad-market", "2008-10-10"),
     "sits 42.3% below its October 2007 closing high",
     "sits 42.3% below its October 2006 closing high"),
    ("hedged figure moved to another value of the subject", ("default", "2020-04-17"),
     "It rose more than 16% in 11 sessions", "It rose more than 19.9% in 11 sessions"),
    ("year-to-date figures swapped between instruments", ("default", "2020-04-17"),
     "The year-to-date scorecard: Amazon up 28.5%, the index down 11.0%",
     "The year-to-date scorecard: Amazon down 11.0%, the index up 28.5%"),
    ("a month's return quoted as the quarter's", ("default", "2020-04-17"),
     "up 29.8% over the past month and up 26.5% over three months",
     "up 26.5% over the past month and up 29.8% over three months"),
    ("another instrument's RSI (the Nasdaq's, in the S&P 500's section)",
     ("tech-vs-broad-market", "2018-12-31"),
     "RSI is rising at 41.7", "RSI is rising at 42.4"),
    ("another instrument's level quoted as this one's support", ("mega-caps", "2019-12-31"),
     "The nearest support sits near $50", "The nearest support sits near $54"),
    ("a rating of +30 written as -30", ("default", "2020-04-17"),
     "reads positive (+30 of a possible", "reads positive (-30 of a possible"),
    ("a rating of +30 written with a Unicode minus", ("default", "2020-04-17"),
     "reads positive (+30 of a possible", "reads positive (−30 of a possible"),
    ("a negative MACD printed without its sign", ("tech-vs-broad-market", "2018-12-31"),
     "The MACD reads -187.76, below zero", "The MACD reads 187.76, below zero"),
    ("'lost' for a gain", ("default", "2020-04-17"),
     "Since the last close of 2019, it has gained 24.2%",
     "Since the last close of 2019, it has lost 24.2%"),
    ("a close quoted as the all-time high", ("default", "2020-04-17"),
     "ended the session at 2,874.56,", "ended the session at 3,393.52,"),
    ("a close quoted as the support", ("default", "2020-04-17"),
     "left Amazon at $118.75.", "left Amazon at $116.75."),
    ("an index level off in the second decimal", ("default", "2020-04-17"),
     "ended the session at 2,874.56,", "ended the session at 2,874.57,"),
    ("the dateline one day off", ("default", "2020-04-17"),
     "Data as of the close on April 17, 2020", "Data as of the close on April 16, 2020"),
    ("the record's date one day off", ("default", "2020-04-17"),
     "3,393.52 from Feb. 19", "3,393.52 from Feb. 18"),
    ("a count in words above nine", ("default", "2020-04-17"),
     "more than 16% in 11 sessions", "more than 16% in fourteen sessions"),
    ("a touch count", ("default", "2020-04-14"),
     "a level that had turned price four times", "a level that had turned price five times"),
    ("'N sessions ago' for a cross", ("default", "2020-03-20"),
     "since the cross 31 sessions ago", "since the cross 32 sessions ago"),
    ("a base rate's odds said better than chance", ("default", "2020-03-16"),
     "about as often as in any month", "with better odds than an ordinary month"),
    ("a level's distance in ranges, in words, a band too far", ("tech-vs-broad-market",
     "2018-12-26"), "just over one average daily range above",
     "about two average daily ranges above"),
    ("a race's margin said smaller", ("default", "2020-03-16"),
     "Amazon beat the index by more than six percentage points", "Amazon beat the index narrowly"),
    ("a race's margin said a point smaller", ("default", "2020-03-16"),
     "Amazon beat the index by more than six percentage points",
     "Amazon beat the index by more than five percentage points"),
    ("half a point said as more than a point", ("tech-vs-broad-market", "2018-12-24"),
     "by less than a percentage point today:", "by more than a percentage point today:"),
    ("a race's two sessions swapped", ("default", "2020-03-16"),
     "it fell 5.37% against the index's 11.98%", "it fell 11.98% against the index's 5.37%"),
    ("a race's session said the other way", ("default", "2020-03-16"),
     "it fell 18.45% against the index's 11.98%", "it rose 18.45% against the index's 11.98%"),
    ("a race's benchmark session misquoted", ("default", "2020-03-16"),
     "it fell 5.37% against the index's 11.98%", "it fell 5.37% against the index's 10.98%"),
    ("a held closing low dated a day early", ("default", "2020-03-16"),
     "Amazon held above Thursday's closing low of $83.83",
     "Amazon held above Wednesday's closing low of $83.83"),
    ("a held closing low misquoted", ("default", "2020-03-16"),
     "Amazon held above Thursday's closing low of $83.83",
     "Amazon held above Thursday's closing low of $85.83"),
    ("a held closing low said as a high", ("default", "2020-03-16"),
     "held above Thursday's closing low of $83.83: on a day the index made its lowest",
     "stayed below Thursday's closing high of $83.83: on a day the index made its highest"),
    ("a race's winner swapped, margin in points", ("default", "2020-03-16"),
     "Amazon beat the index by more than six percentage points",
     "Amazon trailed the index by more than six percentage points"),
    ("52-week low said as high", ("tech-vs-broad-market", "2008-10-10"),
     "to a fresh 52-week low at 839", "to a fresh 52-week high at 839"),
    ("the MACD crossover's direction", ("default", "2015-08-23"),
     "A bearish MACD crossover", "A bullish MACD crossover"),
    ("below the overbought line", ("AMZN", "2020-04-17"),
     "above the overbought line", "below the overbought line"),
    ("the rating's label", ("default", "2020-04-17"),
     "reads positive (+30", "reads negative (+30"),
    ("the lean", ("default", "2020-04-17"),
     "Bulls hold the edge on the S&P", "Bears hold the edge on the S&P"),
    ("ADX strong said as weak", ("default", "2020-04-17"),
     "Trend strength is strong", "Trend strength is weak"),
    ("buying pressure said as selling", ("default", "2020-04-17"),
     "underlying buying pressure", "underlying selling pressure"),
    ("led said as lagged", ("default", "2020-03-20"),
     "Amazon has outperformed the index", "Amazon has underperformed the index"),
    ("lagged said as led", ("mega-caps", "2019-12-27"),
     "Nvidia has underperformed the index", "Nvidia has outperformed the index"),
    ("behind said as ahead", ("mega-caps", "2019-12-31"),
     "almost a point a day behind", "almost a point a day ahead of"),
    ("a month said as a week", ("default", "2020-04-17"),
     "up 19.9% over the past month", "up 19.9% over the past week"),
    ("three months said as six", ("default", "2020-04-17"),
     "down 13.3% over three months", "down 13.3% over six months"),
    ("'not yet overbought' when overbought", ("default", "2020-04-17"),
     "the RSI has not left overbought territory.",
     "the RSI is not yet overbought."),
    ("'no longer in a death-cross setup' in one", ("mega-caps", "2019-12-31"),
     "the averages are in a death-cross setup", "the averages are no longer in a death-cross setup"),
    ("'dollars' on an index level", ("default", "2020-04-17"),
     "ended the session at 2,874.56,", "ended the session at 2,874.56 dollars,"),
    ("'points' on a price", ("default", "2020-04-17"),
     "left Amazon at $118.75.", "left Amazon at 118.75 points."),
    ("a dropped % sign", ("default", "2020-04-17"),
     "up 19.9% over the past month", "up 19.9 over the past month"),
    ("an added % sign", ("default", "2020-04-17"),
     "ended the session at 2,874.56,", "ended the session at 2,874.56%,"),
    ("a year in words", ("default", "2020-04-17"),
     "Since the last close of 2019", "Since the last close of two thousand eighteen"),
    ("an added record claim", ("default", "2020-04-17"),
     "Support is layered near $97.50.", "Support is layered near $97.50. Amazon set a record high today."),
    ("a level's role swapped in the closing bottom line", ("default", "2020-04-17"),
     "while it holds support; a close above resistance",
     "while it holds resistance; a close above resistance"),
    ("the side of a role swapped in the closing bottom line",
     ("tech-vs-broad-market", "2018-12-31"),
     "until it closes above resistance; under support",
     "until it closes above support; under support"),
    ("a channel's direction over a list of horizons", ("mega-caps", "2019-12-31"),
     "Regression channels point higher over the short, medium and long term",
     "Regression channels point lower over the short, medium and long term"),
    ("a channel's direction over a list of horizons, the horizons first", ("mega-caps",
     "2016-06-24"), "Over the short, medium and long term Nvidia holds a rising channel",
     "Over the short, medium and long term Nvidia holds a falling channel"),
    ("a level from before the week named by its weekday", ("mega-caps", "2016-06-24"),
     "the June 10 close", "Friday's close"),
    ("a watched level's price under another watched level's name", ("tech-vs-broad-market",
     "2018-12-26"), "Reclaiming the Dec. 17 close at 2,545.94",
     "Reclaiming Monday's close at 2,545.94"),
    ("a date from another year without its year", ("mega-caps", "2016-06-24"),
     "in a bear market since August 2015", "in a bear market since Aug. 21"),
    ("a regime's month from another year, a month off", ("mega-caps", "2016-06-24"),
     "in a bear market since August 2015", "in a bear market since July 2015"),
    ("a streak's cost under the headline that gave its length, wrong", ("tech-vs-broad-market",
     "2008-10-10"), "The losing streak has taken 22.9% off", "The losing streak has taken 12.9% off"),
    ("a streak's cost under its headline, the wrong way", ("tech-vs-broad-market", "2008-10-10"),
     "The losing streak has taken 22.9% off the S&P 500's price",
     "The winning streak has added 22.9% to the S&P 500's price"),
    ("a closing low named by a day that is not its own", ("mega-caps", "2016-06-24"),
     "the May 25 closing low", "the May 26 closing low"),
    ("a closing low named by its month alone", ("mega-caps", "2016-06-24"),
     "the May 25 closing low", "the May 2016 closing low"),
    ("a recent closing low given a year it is not in", ("mega-caps", "2016-06-24"),
     "the May 25 closing low", "the May 25, 2015 closing low"),
    ("a base rate's episodes said as that many sessions (34 sessions of 4% losses are 12 "
     "episodes)", ("default", "2020-03-16"), "12 earlier episodes", "12 earlier sessions"),
    ("a base rate's episodes miscounted", ("default", "2020-03-16"), "12 earlier episodes",
     "13 earlier episodes"),
    ("an added volume claim", ("default", "2020-04-17"),
     "Support is layered near $97.50.", "Support is layered near $97.50. Volume ran at twice its normal level."),
]  # fmt: skip


def refusals(written: Article, original: str, planted: str) -> list[str]:
    """What ``check --strict`` says about the sentence holding the planted claim."""
    assert original in written.markdown, original
    text = written.markdown.replace(original, planted, 1)
    report = read_back(text, ledger_of(written))
    marker = planted.split(". ")[-1][:30]
    return [
        m.reason
        for m in report.mismatches + report.unbound_claims
        if marker in m.sentence or planted in m.sentence
    ]


@pytest.mark.parametrize(
    ("kind", "where", "original", "planted"), PLANTED, ids=[p[0] for p in PLANTED]
)
def test_each_kind_of_planted_error_is_refused(
    kind: str, where: tuple[str, str], original: str, planted: str
) -> None:
    written = full_article(*where)
    assert original in written.markdown, f"{kind}: the sentence to plant into is gone"
    assert refusals(written, original, planted), kind


def test_a_level_a_tight_bottom_line_gives_must_be_a_watched_level() -> None:
    """An article over its budget of figures gives a level whose name carries two figures by its
    price alone ("2,351.10 is the floor"), and one whose name carries one by its name ("a close
    above the July 17 close"); either must still be one of the levels watched."""
    for as_of, original, planted in [
        ("2020-03-16", "and 2,351.10 is the floor", "and 2,341.10 is the floor"),
        ("2018-07-27", "firms up on a close above the July 17 close.",
         "firms up on a close above the July 16 close."),
    ]:  # fmt: skip
        written = article("default", as_of)
        assert written.plan.tight
        ledger = ledger_of(written)
        report = read_back(written.markdown, ledger)
        assert report.mismatches == [] and report.unbound_claims == []
        assert original in written.markdown, original
        wrong = read_back(written.markdown.replace(original, planted), ledger)
        assert [m for m in wrong.mismatches if planted in m.sentence], planted


def test_what_became_of_a_gap_is_checked() -> None:
    """2020-03-24: the S&P 500 gapped up 4.8% and never traded back to Friday's close. "The gap
    was filled" (or "Sellers filled the gap") is refused; the true sentence binds."""
    written = article("default", "2020-03-24")
    ledger = ledger_of(written)
    said = re.search(r"The gap (?:never filled|stayed open)", written.markdown)
    assert said is not None and read_back(written.markdown, ledger).mismatches == []
    for wrong in ("The gap was filled", "Sellers filled the gap"):
        report = read_back(written.markdown.replace(said.group(0), wrong, 1), ledger)
        assert [m for m in report.mismatches if wrong in m.sentence], wrong


def test_every_constant_phrase_holds_the_text_its_prefilter_looks_for() -> None:
    """The verifier scans a sentence for constant phrases ("the 50-day", "one ATR") only when
    ``_CONSTANT_CUE`` finds a digit, "±", "six", "one" or "two" in it. A constant added
    without any of them would be skipped: each top-level alternative must hold one."""
    alternatives, depth, current = [], 0, ""
    for char in CONSTANTS:
        depth += char == "("
        depth -= char == ")"
        if char == "|" and depth == 0:
            alternatives.append(current)
            current = ""
        else:
            current += char
    alternatives.append(current)
    assert len(alternatives) > 10
    for alternative in alternatives:
        assert _CONSTANT_CUE.search(alternative), alternative


def test_a_bullish_lean_with_a_rating_at_or_below_minus_30_is_refused() -> None:
    """The batch page for AAPL said "Buyers have the upper hand" with a rating of -47."""
    written = article("tech-vs-broad-market", "2018-12-31")
    ledger = ledger_of(written)
    section = next(v for v in ledger["verdicts"]["sections"] if v["subject"] == "^IXIC")
    assert section["rating"] <= -30 and section["lean"] != "bullish"
    said = re.search(r"\*\*The bottom line:\*\* ([^.]+\.)", written.markdown)
    assert said is not None
    text = written.markdown.replace(said.group(1), "Buyers have the upper hand on the Nasdaq Composite.", 1)  # fmt: skip
    reasons = [m.reason for m in read_back(text, ledger).mismatches]
    assert any("Buyers have the upper hand" in r for r in reasons), reasons
    # Even a ledger that claims the bullish lean cannot vouch for it against a -47 rating.
    section["lean"] = "bullish"
    reasons = [m.reason for m in read_back(text, ledger).mismatches]
    assert any("the technical rating is -47" in r for r in reasons), reasons


def test_check_prints_bound_and_unbound_counts_and_strict_refuses_unbound(
    tmp_path: Path,
) -> None:
    written = full_article("default", "2020-04-17")
    ledger = tmp_path / "ledger.json"
    ledger.write_text(json.dumps(ledger_of(written)))
    good = tmp_path / "good.md"
    good.write_text(written.markdown)
    result = CliRunner().invoke(cli, ["check", str(good), "--facts", str(ledger), "--strict"])
    assert result.exit_code == 0, result.stderr
    assert re.search(r"\d+ claims bound to their ledger fields, 0 unbound\.", result.stdout)
    added = tmp_path / "added.md"
    added.write_text(written.markdown.replace(
        "Support is layered near $97.50.", "Support is layered near $97.50. It has 12 fans."))  # fmt: skip
    result = CliRunner().invoke(cli, ["check", str(added), "--facts", str(ledger)])
    assert result.exit_code == 0 and ", 1 unbound." in result.stdout
    assert "unbound:" in result.stderr
    result = CliRunner().invoke(cli, ["check", str(added), "--facts", str(ledger), "--strict"])
    assert result.exit_code == 1
    assert "no phrase binding reads" in result.stderr


def test_every_digit_run_is_entered_only_at_its_first_digit() -> None:
    """Linear in the length of a digit run (20,000 digits took 12 s): every pattern that reads
    a number starts it behind a guard, so no run is re-read from each of its digits."""
    from commentary.verify import binder, checks

    patterns = [binder._LOOSE_NUMBER.pattern, *(_SLOTS[k] for k in ("pct", "num", "count"))]
    patterns += [checks._STREAK_LENGTH.pattern]
    for pattern in patterns:
        runs = len(re.findall(r"(?<![.,\\])\\d(?:\+|\{1,3\}|\[)", pattern))
        guards = len(re.findall(r"\(\?<!\[?\\d", pattern))
        assert runs and guards >= 1, pattern
    # And a long run is read once: the verifier says one thing about it, not thousands.
    written = full_article("default", "2020-04-17")
    text = written.markdown.replace("Support is layered near $97.50.", "9" * 20_000 + ".")
    report = read_back(text, ledger_of(written))
    assert report.unbound == 1
    assert len([m for m in report.mismatches if "9999" in m.reason]) <= 1


def test_bindings_compile_and_name_their_slots() -> None:
    from commentary.verify.binder import _compiled

    compiled = _compiled()
    assert len(compiled) == len(BINDINGS)
    for binding, pattern in compiled:
        for slot in binding.fields:
            assert slot in pattern.groupindex, (binding.name, slot)


_SIDE_ARTICLES = [("default", "2020-03-16"), ("default", "2020-03-23"), ("default", "2020-04-17"),
                  ("mega-caps", "2019-12-31"), ("mega-caps", "2016-06-24"),
                  ("tech-vs-broad-market", "2016-11-04")]  # fmt: skip


def test_naming_the_other_side_of_a_pairing_is_refused_in_every_phrasing() -> None:
    """Every comparison bottom line that names a side ("Relative strength sits with Nvidia",
    "The pairing favors Amazon", "The burden of proof sits with the S&P 500", ...) is refused
    when the other side is named instead; found by the verifier's own phrase list, so a new
    phrasing is covered the day it is added."""
    swapped = 0
    for playbook, as_of in _SIDE_ARTICLES:
        for detail in ("story", "full"):
            written = article(playbook, as_of, None, detail)
            ledger = ledger_of(written)
            for title, body in re.findall(r"^## ([^\n]+? vs\. [^\n]+?): [^\n]*\n(.*?)(?=^## )", written.markdown,
                                          re.M | re.S):  # fmt: skip
                first, second = _sides(title)
                for sentence in re.findall(r"\*\*The bottom line:\*\* (.*)", body):
                    for part in sentence.split(". "):
                        planted = _swap_side(part, first, second)
                        if planted is None:
                            continue
                        text = written.markdown.replace(part, planted, 1)
                        reasons = [m.reason for m in read_back(text, ledger).mismatches]
                        assert any("relative strength sits with" in r for r in reasons), planted
                        swapped += 1
    assert swapped >= 10


#: The indexes of the bundled playbooks, by the short form an article uses after their names.
_INDEXES = {"S&P": "S&P 500", "Nasdaq": "Nasdaq Composite"}


def _sides(title: str) -> tuple[list[str], list[str]]:
    """Each side of a comparison title ("Amazon vs. the S&P"), as every form the section may
    name it by: its name, its short form, and "index" for the one index of a pair."""
    first, second = (_INDEXES.get(n.removeprefix("the "), n) for n in title.split(" vs. "))
    indexes = [n for n in (first, second) if n in _INDEXES.values()]

    def forms(name: str) -> list[str]:
        short = [k for k, v in _INDEXES.items() if v == name]
        return [name, *short, *(["index"] if indexes == [name] else [])]

    return forms(first), forms(second)


def _swap_side(sentence: str, first: list[str], second: list[str]) -> str | None:
    """The sentence with the side its phrase names swapped for the other side (by its full
    name), or None. ``first`` and ``second``: each side's forms (``_sides``)."""
    every = sorted(first + second, key=len, reverse=True)
    names = f"(?:[Tt]he )?(?:{'|'.join(re.escape(n) for n in every)})(?!\\w)"
    for pattern, _ in _RELATIVE_SIDE:
        phrase = re.compile(pattern.pattern.replace("⟦(?P<who>[A-Z])⟧", f"(?P<who>{names})"))
        found = phrase.search(sentence)
        if found is None:
            continue
        bare = re.sub(r"^[Tt]he ", "", found.group("who"))
        other = second[0] if bare in first else first[0]
        if other in _INDEXES.values():  # an index takes "the"
            other = ("The " if found.start("who") == 0 else "the ") + other
        return sentence[: found.start("who")] + other + sentence[found.end("who") :]
    return None


#: Comparison bottom-line phrasings that name both sides and neither as the leader.
_EVEN = re.compile(
    r"Neither .* has a clear relative edge|relative picture between|no relative edge to trade"
    r"|running even|Neither side of this pairing"
)


def test_every_comparison_bottom_line_that_names_a_side_is_one_the_verifier_reads() -> None:
    """A new phrasing that names a leader ("the burden of proof sits with X") must be added to
    the verifier's list, or a swapped side would pass: this fails until it is."""
    for playbook, as_of in _SIDE_ARTICLES:
        for detail in ("story", "full"):
            written = article(playbook, as_of, None, detail)
            for title, body in re.findall(r"^## ([^\n]+? vs\. [^\n]+?): [^\n]*\n(.*?)(?=^## )",
                                          written.markdown, re.M | re.S):  # fmt: skip
                first, second = _sides(title)
                for sentence in re.findall(r"\*\*The bottom line:\*\* (.*)", body):
                    for part in sentence.split(". "):
                        names = any(n in part for n in first + second)
                        read = _swap_side(part, first, second) is not None or _EVEN.search(part)
                        assert read or not names, part


#: A tight article's lesser sessions and a headline's second verb, said wrong: each is refused.
PLANTED_IN_STORIES = [
    ("a lesser session sized the wrong way", ("default", "2020-04-17"),
     "Elsewhere, Nvidia lost ground.", "Elsewhere, Nvidia gained ground."),
    ("a session given its figure to keep the order", ("default", "2020-03-23"),
     "and Amazon rose 3.07% on the day.", "and Amazon rose 3.7% on the day."),
    ("a lesser session sized too small", ("default", "2020-04-17"),
     "Elsewhere, Nvidia lost ground.", "Elsewhere, Nvidia edged lower."),
    ("one of two sell-offs sized too small", ("mega-caps", "2016-06-24"),
     "Apple fell sharply", "Apple edged lower"),
    ("one of two sell-offs said the wrong way", ("mega-caps", "2016-06-24"),
     "Amazon sold off hard", "Amazon rallied hard"),
    ("a headlined new low quoted at the close", ("tech-vs-broad-market", "2018-12-24"),
     "as low as 6,190.17", "as low as 6,192.92"),
    ("a headlined new low quoted at the other index's", ("tech-vs-broad-market", "2018-12-24"),
     "the Nasdaq Composite as low as 6,190.17", "the Nasdaq Composite as low as 2,351.10"),
    ("a headline's break said on the wrong side", ("tech-vs-broad-market", "2008-04-18"),
     "Nasdaq Composite Breaks Above 2,375", "Nasdaq Composite Breaks Below 2,375"),
    ("a headline's second break said on the wrong side", ("tech-vs-broad-market", "2008-04-18"),
     "S&P 500 Clears 1,360", "S&P 500 Loses 1,360"),
    ("a headlined break's count of touches", ("tech-vs-broad-market", "2008-04-18"),
     "a level that had turned it back four times before",
     "a level that had turned it back five times before"),
    ("a headlined break's count of touches, second clause", ("tech-vs-broad-market", "2008-04-18"),
     "the level had stopped it three times before", "the level had stopped it twice before"),
    ("a comparison's title said the other way", ("default", "2020-03-16"),
     "Winning the Race", "Relative Weakness"),
    ("a correction put on the brink of a bear market it is not near",
     ("tech-vs-broad-market", "2018-12-26"),
     "S&P 500 Reverses From a 52-Week Low", "S&P 500 Closes Just Shy of a Bear Market"),
    ("a record close's run said longer than it is", ("NVDA", "2023-05-26"),
     "was the second in a row", "was the third in a row"),
    ("a record close's run said longer in the headline", ("NVDA", "2023-05-26"),
     "for the Second Straight Session", "for the Fourth Straight Session"),
    ("how long the old record stood, said wrong", ("NVDA", "2023-05-26"),
     "first record since November 2021", "first record since May 2022"),
    ("the day a run of record closes began, said wrong", ("NVDA", "2023-05-26"),
     "Thursday's close was Nvidia's first record", "Wednesday's close was Nvidia's first record"),
    ("a run of record closes titled longer than it is", ("NVDA", "2023-05-26"),
     "Nvidia: Best Week-Long Run Since March 2022", "Nvidia: Third Straight Record Close"),
    ("a record close titled on a session that set none", ("tech-vs-broad-market", "2018-12-24"),
     "S&P 500: Lowest Close Since April 2017", "S&P 500: A Record Close"),
    ("a comparison's title says the session went against a pair it went for",
     ("default", "2020-03-16"), "Winning the Race", "Ahead, but Not Today"),
    ("two indexes' comparison title said as even", ("tech-vs-broad-market", "2018-12-24"),
     "On Top in This Pair", "Neck and Neck"),
    ("a breadth clause puts an instrument in a bear market it is not in", ("mega-caps", "2016-06-24"),
     "Apple and Netflix are in bear markets", "Apple and Amazon are in bear markets"),
    ("a breadth clause puts an instrument in a bull market it is not in", ("mega-caps", "2016-06-24"),
     "Amazon and Nvidia are in new bull markets", "Amazon and Netflix are in new bull markets"),
    ("the day's race names the pair's laggard as its leader", ("mega-caps", "2016-06-24"),
     "the laggard won the day: Apple beat", "the leader lost the day: Apple beat"),
    ("a headline's second verb, the wrong way", ("tech-vs-broad-market", "2008-03-14"),
     "S&P 500 Drops 2.1%", "S&P 500 Climbs 2.1%"),
    ("the closing ranks the charts from their peaks the wrong way", ("mega-caps", "2016-06-24"),
     "Amazon is holding up best, while Netflix", "Netflix is holding up best, while Amazon"),
    ("the closing names a middle chart as holding up best", ("mega-caps", "2016-06-24"),
     "Amazon is holding up best, while Netflix", "Apple is holding up best, while Netflix"),
    ("the sparest levels list prices a level no chart has", ("tech-vs-broad-market", "2008-09-29"),
     "support at 1,963.88;", "support at 1,953.88;"),
    ("a year-to-date race said the wrong way", ("default", "2020-04-17"),
     "For the year, Amazon is up 28.5%, ahead of the index.",
     "For the year, Amazon is up 28.5%, behind the index."),
    ("a year-to-date race said the wrong way, another wording", ("default", "2020-04-17"),
     "Nvidia is up 24.2% year to date, in front of the index.",
     "Nvidia is up 24.2% year to date, behind the index."),
    ("a level broken today named as the other side's", ("default", "2020-03-16"),
     "The former support near $87", "The former resistance near $87"),
    ("a level broken today quoted at another price", ("default", "2020-03-16"),
     "The former support near $87", "The former support near $89"),
    ("an even pair's recent sessions given to the other side", ("tech-vs-broad-market", "2008-10-10"),
     "have gone to the Nasdaq", "have gone to the S&P"),
    ("a lead called wide in a pair running even", ("tech-vs-broad-market", "2008-10-10"),
     "a few more would make it an edge.", "a lead this wide absorbs a day like this."),
    ("a wide lead for the year said of a pair's laggard", ("default", "2020-04-17"),
     "Amazon is out in front of the index.", "The index is out in front of Amazon."),
    ("a streak's average margin said against its side", ("default", "2020-03-23"),
     "more than four points a day in its favor", "more than four points a day against it"),
    ("a second close said near the other end of its range", ("default", "2020-03-16"),
     "It too finished near the day's low.", "It too finished near the day's high."),
    ("an outside reversal said the wrong way", ("tech-vs-broad-market", "2018-12-26"),
     "a lower low than the session before, then a close above that session's high",
     "a higher high than the session before, then a close below that session's low"),
    ("an outside reversal's close said the wrong way", ("tech-vs-broad-market", "2018-12-26"),
     "a lower low than the session before, then a close above that session's high",
     "a lower low than the session before, then a close below that session's high"),
    ("an outside reversal on a day that made none", ("tech-vs-broad-market", "2018-12-24"),
     "The bell found it at the day's low",
     "It made an outside reversal: a lower low than the session before, then a close above that"
     " session's high"),
    ("the index's close in a divergence said to be a record", ("default", "2020-03-16"),
     "the index made its lowest close since December 2018",
     "the index made its lowest close on record"),
    ("a closing low's rank in a title pushed back", ("default", "2020-03-23"),
     "S&P 500: Lowest Close Since December 2016", "S&P 500: Lowest Close Since December 2015"),
    ("a closing low's rank in a title on a chart that made none", ("default", "2020-03-23"),
     "Nvidia: A Higher Close", "Nvidia: Lowest Close Since December 2016"),
    ("a bull market's distance from its record misquoted", ("default", "2020-04-17"),
     "still 15.1% short of its record close", "still 13.1% short of its record close"),
    ("the index's closing low in a divergence ranked too far back", ("default", "2020-03-16"),
     "the index made its lowest close since December 2018",
     "the index made its lowest close since November 2018"),
    ("a close near its low said to be at it", ("tech-vs-broad-market", "2018-12-24"),
     "It too finished near the day's low", "It too finished at the day's low"),
    ("every chart put in a regime none of them is in", ("default", "2020-03-23"),
     "and Nvidia are in bear markets", "and Nvidia are in corrections"),
    ("where the close sat, said the other way", ("tech-vs-broad-market", "2018-12-26"),
     "finished near the day's high, still bid", "finished near the day's low, still bid"),
    ("where the close sat, said the other way, another wording", ("default", "2020-03-16"),
     "The bell found it near the day's low", "The bell found it near the day's high"),
    ("a bottom line's year said the wrong way", ("default", "2020-03-16"),
     "For the year, Amazon is ahead of the index.", "For the year, Amazon is behind the index."),
    ("a bottom line's year said the wrong way, another wording", ("default", "2020-03-16"),
     "Nvidia is ahead of the index for the year, one bad day",
     "Nvidia is behind the index for the year, one bad day"),
    ("a bottom line's year said the wrong way, a third wording", ("mega-caps", "2020-03-16"),
     "Apple is in front of the index for the year, and",
     "Apple is behind the index for the year, and"),
    ("a bottom line's year said the wrong way, a fourth wording", ("mega-caps", "2020-03-16"),
     "For the year, Nvidia is still in front of the index: that",
     "For the year, Nvidia is still behind the index: that"),
    ("a headlined session's direction in the lead's joined sentence", ("default", "2020-03-23"),
     "Nvidia moved higher, and Amazon", "Nvidia moved lower, and Amazon"),
    ("a session sized past its average range in the lead", ("default", "2020-03-23"),
     "Nvidia moved higher, and Amazon", "Nvidia climbed sharply, and Amazon"),
    ("an outside reversal's title said as a drop", ("tech-vs-broad-market", "2018-12-26"),
     "S&P 500: A Rebound Inside", "S&P 500: A Drop Inside"),
    ("the fastest bear market's history in a headline", ("default", "2020-03-23"),
     "the Fastest Bear Market in Data Back to 2000", "the Fastest Bear Market in Data Back to 2001"),
    ("a stretched title said on the wrong side of the average", ("mega-caps", "2019-12-31"),
     "Stretched to an Extreme Above", "Stretched to an Extreme Below"),
    ("a one-year extreme in words said the wrong way", ("tech-vs-broad-market", "2008-09-29"),
     "A One-Year Low, Too", "A One-Year High, Too"),
    ("a channel title said on the wrong side", ("tech-vs-broad-market", "2007-08-17"),
     "Below Its Rising Channel", "Above Its Rising Channel"),
    ("two charts said both in bear markets", ("tech-vs-broad-market", "2018-12-24"),
     "Across these charts, the Nasdaq is in a bear market; the S&P is in a correction.",
     "Breadth is one-sided: both charts covered here are in bear markets."),
    ("two charts said both above their 200-day averages", ("tech-vs-broad-market", "2007-08-17"),
     "Across these charts, the S&P is below its 200-day average; the Nasdaq is above its own.",
     "Both charts here are above their 200-day averages."),
]  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "where", "original", "planted"),
    PLANTED_IN_STORIES,
    ids=[p[0] for p in PLANTED_IN_STORIES],
)
def test_each_kind_of_planted_error_in_a_story_is_refused(
    kind: str, where: tuple[str, str], original: str, planted: str
) -> None:
    written = article(*where)
    assert read_back(written.markdown, ledger_of(written)).mismatches == []
    assert refusals(written, original, planted), kind


def test_a_date_without_its_year_is_this_year_or_recent() -> None:
    """ "The Dec. 22 close" in a January issue is last December's; a yearless date more than
    half a year back is refused (it would read as this year's)."""
    written = article("tech-vs-broad-market", "2007-01-04")
    assert "the Dec. 22 close" in written.markdown
    assert read_back(written.markdown, ledger_of(written)).mismatches == []
    assert refusals(written, "the Dec. 22 close", "the Dec. 21 close")


@pytest.mark.parametrize("persona", [None, "morning-brief"])
def test_the_playbooks_own_words_in_the_dateline_are_not_claims(persona: str | None) -> None:
    """A series called "Top 100 Picks" by "Desk 7" was refused ("100 matches no value in the
    ledger"): the playbook's title and byline are its words, not ours. The date beside them is
    still checked."""
    book = dataclasses.replace(golden_playbook("default"), title="Top 100 Picks", byline="Desk 7")
    written = write_article(book, as_of=dt.date(2020, 4, 17), persona=persona)
    assert "Top 100 Picks" in written.markdown and "By Desk 7" in written.markdown
    report = read_back(written.markdown, ledger_of(written))
    assert report.mismatches == [] and report.unbound_claims == []
    planted = written.markdown.replace("close on April 17, 2020 ·", "close on April 16, 2020 ·", 1)
    assert planted != written.markdown
    assert read_back(planted, ledger_of(written)).mismatches


def test_every_comparison_title_alternative_names_its_lean() -> None:
    """The verifier reads a comparison's title by its words (``verify.titles.TITLE_LEANS``): an
    alternative an editor adds to ``_race.md`` must be added there, under the lean it claims."""
    from commentary.resources import bundled
    from commentary.verify.titles import TITLE_LEANS

    text = (bundled("templates") / "technical-trader" / "_race.md").read_text(encoding="utf-8")
    macro = text.split("{%- macro title(section) -%}")[1].split("{%- endmacro -%}")[0]
    blocks = re.findall(r"lean == '(\w+)'[^%]*-%}\n(.*?)\n|\{%- else -%}\n(.*?)\n", macro)
    found = {}
    for lean, body, neutral in blocks:
        words = re.findall(r"-%}([^{]+?){%-", body or neutral)
        for phrase in words:
            found[phrase.strip()] = lean or "neutral"
    assert len(found) == len(TITLE_LEANS) == 38
    assert found == TITLE_LEANS


def test_a_breadth_clause_puts_each_chart_on_its_own_side_of_the_200_day() -> None:
    """ "The S&P is below its 200-day average; the Nasdaq is above its own": each instrument is
    checked. Before, the clause passed if any instrument of the sentence was on the side it
    named, so the Nasdaq could be put below its average while above it."""
    written = article("tech-vs-broad-market", "2007-08-17")
    said = "the S&P is below its 200-day average; the Nasdaq is above its own"
    assert said in written.markdown
    assert read_back(written.markdown, ledger_of(written)).mismatches == []
    for planted in (
        "the S&P is below its 200-day average; the Nasdaq is below its own",
        "the S&P is above its 200-day average; the Nasdaq is above its own",
    ):
        report = read_back(written.markdown.replace(said, planted), ledger_of(written))
        assert any("200-day average; it is not" in m.reason for m in report.mismatches), planted


def test_a_point_from_a_bear_market_is_checked() -> None:
    """The S&P closed 19.8% below its record on 2018-12-24: "just above the bear-market line".
    Said of the Nasdaq, 23.6% below (already in one), it is refused."""
    written = article("tech-vs-broad-market", "2018-12-24")
    near = ", just above the bear-market line"
    assert "19.8% below its record close" + near in written.markdown
    assert read_back(written.markdown, ledger_of(written)).mismatches == []
    planted = written.markdown.replace(
        "23.6% below its record close", "23.6% below its record close" + near
    )
    reasons = [m.reason for m in read_back(planted, ledger_of(written)).mismatches]
    assert any("within a point of a bear market" in r for r in reasons), reasons


def test_a_record_close_is_read_and_its_run_checked() -> None:
    """Nvidia's record closes of May 25-26, 2023 (``events.records``): every word of the story
    is bound, and a longer run or another old record is a mismatch, not merely unread."""
    written = article("NVDA", "2023-05-26")
    ledger = ledger_of(written)
    report = read_back(written.markdown, ledger)
    assert report.mismatches == [] and report.unbound_claims == []
    for original, planted in (
        ("was the second in a row", "was the third in a row"),
        ("first record since November 2021", "first record since May 2022"),
        ("for the Second Straight Session", "for the Fifth Straight Session"),
    ):
        assert original in written.markdown, original
        text = written.markdown.replace(original, planted, 1)
        assert read_back(text, ledger).mismatches, planted


def test_a_close_across_the_200_day_is_read_with_its_side_and_wait() -> None:
    """Nvidia's first close under its 200-day average since August 2019 (March 16, 2020,
    ``events.crossings``): bound, and the other side, another month or a cross planted on an
    instrument that made none is a mismatch."""
    written = article("default", "2020-03-16")
    ledger = ledger_of(written)
    report = read_back(written.markdown, ledger)
    assert report.mismatches == [] and report.unbound_claims == []
    for original, planted in (
        ("first close below its 200-day average since August 2019",
         "first close above its 200-day average since August 2019"),
        ("first close below its 200-day average since August 2019",
         "first close below its 200-day average since June 2019"),
        ("## Nvidia: A Close Below the Long-Run Average", "## Nvidia: A Close Above the Long-Run Average"),
        ("## Amazon: The Largest Gap Down Since January 2016",
         "## Amazon: A Close Below the Long-Run Average"),
    ):  # fmt: skip
        assert original in written.markdown, original
        text = written.markdown.replace(original, planted, 1)
        assert read_back(text, ledger).mismatches, planted


def test_a_session_that_erased_the_one_before_says_so_and_is_checked() -> None:
    """March 16, 2020: the S&P 500's 12% loss took back all of Friday's 9.3% gain (the issue's
    "the selloff erased Friday's rebound"). The clause is bound; another day, size or sign is a
    mismatch."""
    written = article("default", "2020-03-16")
    ledger = ledger_of(written)
    said = "plunged 11.98%, wiping out Friday's 9.3% gain."
    assert said in written.markdown
    report = read_back(written.markdown, ledger)
    assert report.mismatches == [] and report.unbound_claims == []
    for planted in ("wiping out Thursday's 9.3% gain", "wiping out Friday's 8.3% gain",
                    "wiping out Friday's 9.3% loss"):  # fmt: skip
        text = written.markdown.replace("wiping out Friday's 9.3% gain", planted, 1)
        assert read_back(text, ledger).mismatches, planted


def test_a_close_across_the_50_day_is_read_against_the_50_day() -> None:
    """April 17, 2020: the S&P 500's first close above its 50-day average since February 21.
    Another date, the other side, or the 200-day (which it did not cross) is a mismatch."""
    written = article("default", "2020-04-17")
    ledger = ledger_of(written)
    said = "Reclaims Its 50-Day Average for the First Time Since Feb. 21"
    assert said in written.markdown
    assert read_back(written.markdown, ledger).unbound_claims == []
    for planted in (said.replace("Feb. 21", "Feb. 20"), said.replace("Reclaims", "Closes Below"),
                    said.replace("50-Day", "200-Day")):  # fmt: skip
        text = written.markdown.replace(said, planted, 1)
        assert read_back(text, ledger).mismatches, planted


def test_a_channel_said_broken_is_checked_on_each_horizon_it_names() -> None:
    """Tech vs. the broad market, 2007-08-17: the Nasdaq closed under the floor of its rising
    medium-term channel but inside its long-term one. "Fallen through the floor of its rising
    medium and long-term channel" was printed, and nothing read it."""
    written = article("tech-vs-broad-market", "2007-08-17")
    ledger = ledger_of(written)
    said = "fallen through the floor of its rising medium-term channel"
    assert said in written.markdown
    assert read_back(written.markdown, ledger).mismatches == []
    for planted in ("fallen through the floor of its rising medium and long-term channel",
                    "fallen through the floor of its rising short-term channel"):  # fmt: skip
        text = written.markdown.replace(said, planted, 1)
        assert read_back(text, ledger).mismatches, planted


def test_a_bear_market_line_won_back_is_said_and_checked() -> None:
    """December 26, 2018: the Nasdaq closed back above its bear-market line (6,554 against
    6,487.75), the review's finding; the article never said so. Said of the S&P, which was in a
    correction and crossed no such line, it is refused."""
    written = article("tech-vs-broad-market", "2018-12-26")
    ledger = ledger_of(written)
    said = "The Nasdaq closed back above its bear-market line, 19.2% below its record close."
    assert said in written.markdown
    assert read_back(written.markdown, ledger).mismatches == []
    planted = written.markdown.replace(
        "## S&P 500: A Rebound Inside a Falling Channel",
        "## S&P 500: Back Above the Bear-Market Line",
        1,
    )
    assert planted != written.markdown
    assert read_back(planted, ledger).mismatches


def test_a_record_run_told_from_its_first_day_and_the_week_it_made_are_checked() -> None:
    """Nvidia, May 26, 2023 (review 2): the lead no longer says the headline's run again; it
    tells it from Thursday, the first record close since November 2021. The week's 24.6% came
    nearly all on Thursday. Each part is bound; another day, month, close, count or a week no
    single session carried is a mismatch."""
    written = article("NVDA", "2023-05-26")
    ledger = ledger_of(written)
    text = written.markdown
    report = read_back(text, ledger)
    assert report.mismatches == [] and report.unbound_claims == []
    assert "Thursday's close was Nvidia's first record since November 2021; today's, at $389.46, " \
        "was the second in a row." in text  # fmt: skip
    assert "Over five sessions Nvidia is up 24.6%; nearly all of it came on Thursday." in text
    for original, planted in (
        ("Thursday's close was", "Wednesday's close was"),
        ("since November 2021; today's", "since October 2021; today's"),
        ("at $389.46, was", "at $388.46, was"),
        ("the second in a row", "the third in a row"),
        ("nearly all of it came on Thursday", "nearly all of it came on Wednesday"),
    ):
        wrong = read_back(text.replace(original, planted, 1), ledger)
        assert [m for m in wrong.mismatches if planted in m.sentence], planted
    # A week that no one session carried: the ledger names none, so the claim is refused.
    quiet = article("default", "2020-04-17")
    claim = "Over five sessions the S&P 500 is up 4.3%; nearly all of it came on Thursday."
    planted = quiet.markdown.replace("## Key Levels to Watch", claim + "\n\n## Key Levels to Watch")
    reasons = [m.reason for m in read_back(planted, ledger_of(quiet)).mismatches]
    assert [r for r in reasons if "week carried by a session" in r], reasons


def test_the_day_after_a_record_close_says_it_and_is_checked() -> None:
    """April 17, 2020: Amazon slipped a day after its $120.41 record close, which no issue said
    (reviews 2 and 3). The record is told and becomes the level to clear ("the record close",
    not today's $120.00 high under it); another day, price or a record planted on a chart that
    set none is refused."""
    written = article("default", "2020-04-17")
    ledger = ledger_of(written)
    text = written.markdown
    said = "Amazon set a record close of $120.41 on Thursday."
    assert said in text and "Amazon Slips From a Record" in text.splitlines()[0]
    assert "firms up on a close above Thursday's record close" in text
    report = read_back(text, ledger)
    assert report.mismatches == [] and report.unbound_claims == []
    for planted in (said.replace("Thursday", "Wednesday"), said.replace("120.41", "121.41")):
        wrong = read_back(text.replace(said, planted, 1), ledger)
        assert [m for m in wrong.mismatches if planted in m.sentence], planted
    # Nvidia's close of April 16 was no record: the title on its section is refused.
    moved = text.replace(
        "## Nvidia: A Rising Trend Channel", "## Nvidia: A Day After a Record Close", 1
    )
    assert moved != text
    report = read_back(moved, ledger)
    assert [m for m in report.mismatches + report.unbound_claims if "Day After" in m.sentence]
    # Nor may a level be named as a record close on a chart whose last close set none.
    listed = text.replace(
        "- **Nvidia**: support at today's low",
        "- **Nvidia**: support at Thursday's record close",
        1,
    )
    assert listed != text
    reasons = [m.reason for m in read_back(listed, ledger).mismatches]
    assert [r for r in reasons if "previous close set no record" in r], reasons


def test_a_pared_gap_is_said_by_its_two_figures_and_both_are_checked() -> None:
    """March 16, 2020: Amazon's gap never filled, but the close won back most of it; "the gap
    stayed open" read as a break (reviews 3 and 4). The section gives the open and the close,
    each bound: another size for either is refused."""
    written = article("default", "2020-03-16")
    said = "Amazon opened 8.0% lower and closed down 5.4%."
    assert said in written.markdown and "gap stayed open" not in written.markdown
    for planted in (said.replace("8.0%", "6.0%"), said.replace("5.4%", "8.4%")):
        assert refusals(written, said, planted), planted


def test_a_chart_back_above_its_bear_market_line_must_be_one() -> None:
    """March 23, 2020: Amazon was 12.3% off its cycle high, still in a bear market by the 20%
    rule but up 3% for the year; "every chart here is still in a bear market" lumped it with an
    index 34% down (review 6). The closing now names the charts under the line and the one back
    above it. A ledger in which every chart sits 25% down refuses the clause, and so does the
    clause said of a chart still under its line."""
    import copy

    written = article("default", "2020-03-23")
    said = "The S&P and Nvidia are in bear markets; Amazon is back above its bear-market line."
    assert said in written.markdown
    ledger = ledger_of(written)
    assert read_back(written.markdown, ledger).mismatches == []
    deeper = copy.deepcopy(ledger)
    for entry in deeper["instruments"]:
        drawdown = entry["states"]["events"]["drawdown"]
        drawdown["regime_from_peak_pct"], drawdown["above_bear_line"] = -25.0, False
    reasons = [m.reason for m in read_back(written.markdown, deeper).mismatches]
    assert "says Amazon is back above its bear-market line; it is not" in reasons
    swapped = "The S&P and Amazon are in bear markets; Nvidia is back above its bear-market line."
    reasons = [
        m.reason for m in read_back(written.markdown.replace(said, swapped), ledger).mismatches
    ]
    assert "says Nvidia is back above its bear-market line; it is not" in reasons


def test_a_held_closing_low_is_read_in_either_order() -> None:
    """March 16, 2020: the divergence said index first ("The index made its lowest close since
    December 2018; Amazon held above Thursday's closing low of $83.83") binds like the other
    order, and a wrong rank, date or price in it is refused."""
    written = article("default", "2020-03-16")
    ledger = ledger_of(written)
    said = (
        "Amazon held above Thursday's closing low of $83.83: on a day the index made its lowest"
        " close since December 2018, Amazon did not."
    )
    other = (
        "The index made its lowest close since December 2018; Amazon held above Thursday's"
        " closing low of $83.83."
    )
    assert said in written.markdown
    text = written.markdown.replace(said, other)
    report = read_back(text, ledger)
    assert report.mismatches == [] and report.unbound_claims == []
    for wrong in ("November 2018", "Wednesday's", "$85.83"):
        right = {"November 2018": "December 2018", "Wednesday's": "Thursday's"}.get(wrong, "$83.83")
        planted = read_back(text.replace(other, other.replace(right, wrong)), ledger)
        assert planted.mismatches or planted.unbound_claims, wrong
