"""The verifier reads the news phrases back: ranks, "since", base rates, regimes."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from commentary.pipeline import Article, write_article
from commentary.playbooks import load_playbook
from commentary.verify import verify

#: The lead as the templates phrase it when no heading carries the rank and the base rate shows an
#: edge: the same facts with every figure, so each can be planted wrong.
FIGURED = {
    "The S&P 500 plunged 11.98%, wiping out Friday's 9.3% gain.": (
        "The S&P 500 plunged 11.98%, its worst session in data back to 2000."
    ),
    "History offers no edge here: in the 12 earlier episodes when the S&P fell 4% or more "
    "(a cluster of such days counted as one), it stood higher a month later about as often as in "
    "any month.": (
        "After the 12 earlier episodes in which the S&P fell 4% or more (a cluster of such "
        "days counted as one), it was higher a month later in 7 of them, against 62% of all months."
    ),
    "below its record close, a fall that took 18 sessions.": (
        "below its record close, a fall that took 18 sessions, the fastest fall this deep in data "
        "back to 2000."
    ),
}


@pytest.fixture(scope="module")
def crash() -> Article:
    written = write_article(load_playbook("default"), as_of=dt.date(2020, 3, 16))
    text = written.markdown
    for said, figured in FIGURED.items():
        assert said in text, said
        text = text.replace(said, figured)
    return dataclasses.replace(written, markdown=text)


def caught(article: Article, original: str, planted: str) -> list[str]:
    assert original in article.markdown, original
    text = article.markdown.replace(original, planted)
    return [m.reason for m in verify(text, article.ledger) if planted in m.sentence]


def test_the_true_article_passes(crash: Article) -> None:
    assert verify(crash.markdown, crash.ledger) == []


def test_no_edge_said_where_the_odds_differ_is_caught(crash: Article) -> None:
    """ "About as often as in any month" is the base rate's edge, read back as one."""
    text = crash.markdown.replace(
        "in 7 of them, against 62% of all months", "about as often as in any month"
    )
    assert verify(text, crash.ledger) == []
    shown = dataclasses.replace(crash, markdown=text)
    reasons = caught(
        shown, "about as often as in any month", "with better odds than an ordinary month"
    )
    assert any("base rate" in r for r in reasons), reasons


def test_a_false_since_is_caught(crash: Article) -> None:
    reasons = caught(
        crash, "its worst session in data back to 2000", "its worst session since March 2009"
    )
    assert any("no event in the ledger ranks so" in r for r in reasons)


def test_best_for_worst_is_caught(crash: Article) -> None:
    reasons = caught(
        crash, "its worst session in data back to 2000", "its best session in data back to 2000"
    )
    assert any("no event in the ledger ranks so" in r for r in reasons)


def test_a_wrong_count_of_cases_is_caught(crash: Article) -> None:
    reasons = caught(crash, "later in 7 of them", "later in 8 of them")
    assert "'8' is not S&P 500's base rate (7)" in reasons


def test_a_wrong_baseline_is_caught(crash: Article) -> None:
    reasons = caught(crash, "against 62%", "against 72%")
    assert "'72%' is not S&P 500's base rate (61.83)" in reasons


def test_a_bear_market_that_is_not_is_caught() -> None:
    calm = write_article(load_playbook("default"), as_of=dt.date(2020, 4, 17))
    sentence = "The S&P 500 closed at 2,874.56."
    text = calm.markdown + f"\n{sentence[:-1]}, a bear market.\n"
    reasons = [m.reason for m in verify(text, calm.ledger)]
    assert any("says bear market" in r for r in reasons)


def test_a_slower_fall_cannot_be_called_the_fastest(crash: Article) -> None:
    text = crash.markdown.replace(
        "the fastest fall this deep", "the 2nd fastest of 3 declines this deep"
    )
    reasons = [m.reason for m in verify(text, crash.ledger)]
    assert any("speed rank differs" in r for r in reasons)
