"""The article's memory, within an issue and from one issue to the next: a figure is quoted once
and then referred to by name, and the standing picture takes turns instead of being restated
every session."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest

from commentary.outputs import ledger_of
from commentary.pipeline import write_article
from commentary.plan.story import background, is_background, newsworthy
from commentary.playbooks import load_playbook
from commentary.render import metrics
from commentary.verify import read_back
from tests.test_articles import GOLDEN, golden_path, golden_playbook
from tests.test_story import RUNS, sessions

BOTTOM_LINE = re.compile(r"^\*\*The bottom line:\*\* (.*)$", re.MULTILINE)
FINAL = re.compile(r"^\*\*The bottom line for traders:\*\* (.*)$", re.MULTILINE)


@pytest.mark.parametrize(("playbook", "as_of", "persona"), [g for g in GOLDEN if g[2] is None])
def test_the_closing_bottom_line_does_not_requote_a_section_bottom_lines_level(
    playbook: str, as_of: str, persona: str | None
) -> None:
    """ "Stay defensive until it closes above Thursday's close at 2,480.64" once repeated the
    price its section's bottom line had just given; now the level is named, not requoted."""
    text = golden_path(playbook, as_of, persona).read_text(encoding="utf-8")
    for instrument in golden_playbook(playbook).instruments:
        text = text.replace(instrument.name, "Name")  # "S&P 500" holds digits, not a figure
    quoted = {n for line in BOTTOM_LINE.findall(text) for n in metrics.NUMBER.findall(line)}
    final = FINAL.search(text)
    assert final is not None
    prices = {n for n in metrics.NUMBER.findall(final.group(1)) if "," in n or "." in n}
    assert not prices & quoted, (prices & quoted, final.group(1))


def _background(written: object) -> set[tuple[str, str]]:
    """(subject, condition) of every standing condition a section states that is not its theme."""
    said = set()
    for section in written.plan.sections:  # type: ignore[attr-defined]
        for paragraph in section.paragraphs:
            for sentence in paragraph:
                for fact in sentence.facts:
                    theme = section.theme
                    if is_background(fact) and (
                        theme is None or theme.topic[:12] != fact.topic[:12]
                    ):
                        said.add((fact.subject, ".".join(fact.topic.split(".")[:2])))
    return said


@pytest.mark.parametrize(
    ("playbook", "last"),
    RUNS,
)
def test_a_standing_condition_is_not_restated_the_next_session(playbook: str, last: str) -> None:
    """A bear market that began weeks ago, a trend channel, an RSI parked in a zone: the reader of
    yesterday's issue knows them. Outside the section's theme, none is said two sessions running."""
    book = load_playbook(playbook)
    written = [write_article(book, as_of=d, verify=False) for d in sessions(playbook, last, 10)]
    for before, after in itertools.pairwise(written):
        again = _background(before) & _background(after)
        assert not again, (after.analysis.as_of, again)


def test_each_standing_condition_is_said_every_other_session() -> None:
    """Taking turns is not dropping: of two consecutive sessions, each standing condition (Apple's
    channels, its overbought RSI) is said in exactly one, and the theme's in both."""
    written = write_article(
        load_playbook("mega-caps"), as_of=sessions("mega-caps", "2019-12-31", 1)[0]
    )
    facts = newsworthy(written.facts.for_symbol("AAPL"))
    kinds = {f.topic.split(".")[1] for f in facts if is_background(f)}
    assert kinds >= {"channel", "rsi"}, kinds
    theme = next(f for f in facts if f.topic.startswith("trend.channel"))
    for session in (100, 101, 102):
        today, tomorrow = (
            {f.topic.split(".")[1] for f in background(facts, None, n) if is_background(f)}
            for n in (session, session + 1)
        )
        assert today.isdisjoint(tomorrow) and today | tomorrow == kinds
        kept = background(facts, theme, session)
        assert theme in kept and all(
            f in kept for f in facts if f.topic.startswith("trend.channel")
        )


def test_a_level_named_without_its_price_must_be_a_watched_level() -> None:
    """Once quoted, a level is named alone ("the Dec. 17 close"); the date in the name is still
    checked against the levels the ledger watches."""
    written = write_article(load_playbook("tech-vs-broad-market"), as_of=sessions(
        "tech-vs-broad-market", "2018-12-26", 1)[0])  # fmt: skip
    listed = "- **S&P**: support at Monday's high; resistance at the Dec. 17 close."
    assert listed in written.markdown
    planted = written.markdown.replace(listed, listed.replace("Dec. 17", "Dec. 14"))
    report = read_back(planted, ledger_of(written))
    assert any("Dec. 14" in m.sentence for m in report.mismatches), report.mismatches


def test_the_closing_call_is_the_instruments_own_when_a_comparison_leads() -> None:
    """A losing streak against the S&P 500 once made the closing bottom line read "The setup
    leans bearish" on a Nasdaq whose own section found no side with the edge: a relative lean
    is not a call on the instrument (2016-10-31: the comparison leans bearish, the Nasdaq's own
    section is balanced)."""
    written = write_article(
        load_playbook("tech-vs-broad-market"),
        as_of=sessions("tech-vs-broad-market", "2016-10-31", 1)[0],
    )
    assert written.plan.headline[0].subject == "^IXIC vs ^GSPC"
    own = next(s for s in written.plan.sections if s.subject == "^IXIC")
    pair = next(s for s in written.plan.sections if s.subject == "^IXIC vs ^GSPC")
    assert own.bottom_line.lean != pair.bottom_line.lean
    assert written.plan.final.lean == own.bottom_line.lean


def test_a_referring_expression_is_still_bound_to_its_instrument() -> None:
    """ "It finished at 2,741.38." after the lead's sentence on the S&P 500 just shy of a bear
    market: the figure is checked against the S&P 500's close, and a wrong one is refused."""
    written = write_article(load_playbook("default"), as_of=sessions("default", "2020-03-11", 1)[0])
    said = re.search(r"(?:It|The index) (?:finished|closed) at 2,741\.38", written.markdown)
    assert said is not None
    planted = written.markdown.replace(said.group(0), said.group(0).replace("2,741", "2,841"))
    report = read_back(planted, ledger_of(written))
    assert any("2,841.38" in m.reason for m in report.mismatches), report.mismatches


def test_the_index_mid_sentence_binds_to_the_index_the_section_is_about() -> None:
    """ "Since Nov. 21 the index has been in a bull market; it is 27.2% above its Oct. 9
    closing low." was unbound; now it is read as the S&P 500's recovery, and checked."""
    written = write_article(
        load_playbook("tech-vs-broad-market"),
        as_of=sessions("tech-vs-broad-market", "2003-06-06", 1)[0],
    )
    # The lead names the index; its section's variant says "the index" (as it did here).
    said = "The S&P 500 is 27.2% above its October 2002 closing low, in a bull market since"
    assert said in written.markdown
    text = written.markdown.replace(
        said + " November 2002; it is still 35.3% short of its record close.",
        "The S&P 500 slipped. Since November 2002 the index has been in a bull market; it is "
        "27.2% above its October 2002 closing low.",
    )
    assert text != written.markdown
    report = read_back(text, ledger_of(written))
    assert report.mismatches == [] and report.unbound_claims == []
    planted = text.replace("it is 27.2% above", "it is 28.2% above")
    reasons = [m.reason for m in read_back(planted, ledger_of(written)).mismatches]
    assert any("28.2%" in r and "S&P 500" in r for r in reasons), reasons


def test_an_editors_item_in_the_briefs_plain_text_is_checked_against_its_own_figures() -> None:
    """The brief's plain text puts an item's heading and its frame on one line ("Arm's Debut: A
    Distraction or a Signal?: context, not a catalyst"); the item's figures were then read as
    the article's and refused ("$63.59 matches no value in the ledger")."""
    from commentary.outputs import render_output

    written = write_article(
        load_playbook("desk-items"), as_of=sessions("desk-items", "2023-09-14", 1)[0],
        persona="morning-brief",
    )  # fmt: skip
    text = render_output(written, "text")
    assert "$63.59" in text
    report = read_back(text, ledger_of(written))
    assert report.mismatches == [], [m.reason for m in report.mismatches]


def test_a_record_run_of_lower_closes_is_news_and_its_count_and_direction_are_checked() -> None:
    """Into 2008-10-10 the S&P 500 closed lower eight sessions running, the longest losing
    streak in its data; the measure existed but no rule said it."""
    written = write_article(
        load_playbook("tech-vs-broad-market"),
        as_of=sessions("tech-vs-broad-market", "2008-10-10", 1)[0],
    )
    fact = next(f for f in written.facts.for_symbol("^GSPC") if f.topic == "performance.straight")
    assert (
        fact.id.endswith("rare_loss") and fact.values["sessions"] == 8 and fact.values["rank"] == 1
    )
    assert written.markdown.startswith("# S&P 500 Falls for the 8th Straight Session")
    # The headline gives the count; the lead what the run has cost.
    said = re.search(r"Falls for the 8th Straight Session", written.markdown)
    assert said is not None
    assert "The losing streak has taken 22.9% off the S&P 500's price." in written.markdown
    for wrong in (said.group(0).replace("8th", "9th"), said.group(0).replace("Falls", "Rises")):
        planted = written.markdown.replace(said.group(0), wrong, 1)
        report = read_back(planted, ledger_of(written))
        assert report.mismatches, wrong


def test_a_lead_sentence_that_opens_on_the_benchmark_names_its_instrument() -> None:
    """ "8 sessions behind the S&P 500 equals the longest such run on record" opened the lead
    with no word of Netflix, and the verifier bound the streak to another pair's (refused)."""
    written = write_article(
        load_playbook("mega-caps"), as_of=sessions("mega-caps", "2014-03-14", 1)[0]
    )
    assert "For Netflix, a run of eight sessions behind the S&P 500" in written.markdown


def test_a_fall_that_is_the_slowest_of_its_kind_is_not_sold_by_its_pace() -> None:
    """ "the 2nd fastest of 2 declines this deep" is the slowest: true, and no news."""
    written = write_article(
        load_playbook("tech-vs-broad-market"),
        as_of=sessions("tech-vs-broad-market", "2018-12-24", 1)[0],
    )
    said = "## Nasdaq Composite: Bear Market After an 80-Session Fall"
    assert said in written.markdown and "fastest of 2 declines" not in written.markdown
    # The title gives the count, the sentence under it the depth alone; the count is checked.
    assert "the Nasdaq is 23.6% below its record close." in written.markdown
    planted = written.markdown.replace(said, said.replace("80", "81"))
    reasons = [m.reason for m in read_back(planted, ledger_of(written)).mismatches]
    assert any("81" in r for r in reasons), reasons


def test_a_takeaway_is_refused_where_the_facts_do_not_describe_its_situation() -> None:
    """ "Reversals earn trust with a second good day" claims a reversal: planted in a section
    whose facts hold none, it is refused; where they do, it stands."""
    written = write_article(
        load_playbook("tech-vs-broad-market"),
        as_of=sessions("tech-vs-broad-market", "2018-12-26", 1)[0],
    )
    assert read_back(written.markdown, ledger_of(written)).mismatches == []
    claim = "Reversals earn trust with a second good day; a single session is only a start."
    line = "**The bottom line:** Neither side has control of the Nasdaq"
    planted = written.markdown.replace(line, claim + "\n\n" + line)
    assert planted != written.markdown
    reasons = [m.reason for m in read_back(planted, ledger_of(written)).mismatches]
    assert any("reversal takeaway" in r for r in reasons), reasons


def test_a_takeaway_speaks_only_to_a_situation_the_article_states() -> None:
    """On Christmas Eve 2018 the Nasdaq's facts hold an oversold RSI, but the page never says
    it: "Selling this stretched tends to invite a snapback" read as a non sequitur there. The
    takeaway is the fall's pace, which the section does state. A takeaway said through a
    change sentence stands, but not one said by a repeat crossing ("back above 2,825 for the
    second time in four sessions"), which states no breakout."""
    from commentary.verify.takeaways import CUES

    written = write_article(
        load_playbook("tech-vs-broad-market"),
        as_of=sessions("tech-vs-broad-market", "2018-12-24", 1)[0],
    )
    nasdaq = next(s for s in written.plan.sections if s.subject == "^IXIC")
    assert "washed out" in nasdaq.situations
    assert nasdaq.takeaways == ("falling fast",)
    assert not CUES["washed out"].search(written.markdown)
    assert CUES["falling fast"].search(written.markdown)
    rebound = write_article(load_playbook("default"), as_of=dt.date(2020, 4, 17))
    index = next(s for s in rebound.plan.sections if s.subject == "^GSPC")
    assert index.facts and not any(f.id.startswith("levels.break") for f in index.facts)
    assert "breakout" in index.situations and index.takeaways == ()


def test_a_new_high_takeaway_stands_only_where_a_record_was_set() -> None:
    """ "No chart resistance above a new high" is true only at a new all-time high: planted where
    Apple only tests its record (Dec. 31, 2019), it is refused; on Dec. 26 Apple set one."""
    claim = (
        "There is no chart resistance above a new high; the levels that matter are the ones below."
    )
    book = load_playbook("mega-caps")
    testing = write_article(book, as_of=dt.date(2019, 12, 31))
    line = "**The bottom line:** Bulls hold the edge on Apple"
    assert line in testing.markdown
    planted = testing.markdown.replace(line, claim + "\n\n" + line)
    reasons = [m.reason for m in read_back(planted, ledger_of(testing)).mismatches]
    assert any("record takeaway" in r for r in reasons), reasons
    record = write_article(book, as_of=dt.date(2019, 12, 26))
    line = "**The bottom line:** The evidence leans bullish on Apple"
    planted = record.markdown.replace(line, claim + "\n\n" + line)
    assert planted != record.markdown
    assert read_back(planted, ledger_of(record)).mismatches == []


def test_every_takeaway_alternative_holds_its_situations_cue() -> None:
    """The verifier recognises a takeaway by a phrase of each alternative: an alternative an
    editor adds without one would pass unchecked, and fails here."""
    from commentary.resources import bundled
    from commentary.verify.takeaways import CUES

    text = (bundled("templates") / "technical-trader" / "_takeaway.md").read_text(encoding="utf-8")
    block = r"t == '([a-z ]+)' -%\}\n\{% variants [^\n]*%\}\n(.*?)\{% endvariants %\}"
    blocks = re.findall(block, text, re.S)
    assert {situation for situation, _ in blocks} == set(CUES)
    for situation, body in blocks:
        for alternative in body.split("{% or %}"):
            assert CUES[situation].search(alternative.strip()), (situation, alternative)


@pytest.mark.parametrize(
    ("playbook", "as_of", "said", "planted"),
    [
        # The headline gave the figure ("Nvidia Jumps 3.4%"): the lead sizes it in words, in
        # one sentence with the other sessions.
        ("default", "2020-03-23", "Nvidia moved higher, and", "Nvidia edged higher, and"),
        ("default", "2020-03-23", "Nvidia moved higher, and", "Nvidia moved lower, and"),
        # An RSI's move since the last issue in words, with its reading after; the second
        # index's same move is said as a parallel ("has also climbed").
        # (December 26, 2018 held these until a rare session stopped telling its own
        # consequences: the RSI back in neutral territory on a 5% day.)
        ("tech-vs-broad-market", "2018-12-04",
         "S&P's RSI has also slid into the lower half of its range; it reads 46.3.",
         "S&P's RSI has also climbed into the lower half of its range; it reads 46.3."),
        ("tech-vs-broad-market", "2018-12-04",
         "S&P's RSI has also slid into the lower half of its range; it reads 46.3.",
         "S&P's RSI has also slid into the lower half of its range; it reads 48.3."),
        # The session's shape, after the sentence that gave the move.
        ("tech-vs-broad-market", "2018-12-26",
         "It finished near the day's high, still bid at the bell",
         "It finished near the day's low, still bid at the bell"),
        # The headline gave the rally; the lead says when it peaked, or that it is still going.
        ("desk-items", "2019-01-23", "Nvidia's run peaked on Friday.",
         "Nvidia's run is still going, with today's close its high."),
        ("desk-items", "2019-01-23", "Nvidia's run peaked on Friday.",
         "Nvidia's run peaked on Thursday."),
        ("desk-items", "2023-09-05", "Apple's run is still going, with today's close its high.",
         "Apple's run peaked on Friday."),
    ],
)  # fmt: skip
def test_a_lead_sentence_without_a_figure_is_still_checked(
    playbook: str, as_of: str, said: str, planted: str
) -> None:
    written = write_article(load_playbook(playbook), as_of=dt.date.fromisoformat(as_of))
    assert said in written.markdown
    assert read_back(written.markdown, ledger_of(written)).mismatches == []
    wrong = written.markdown.replace(said, planted)
    assert read_back(wrong, ledger_of(written)).mismatches, planted


@pytest.mark.parametrize(
    ("playbook", "as_of", "said", "planted"),
    [
        ("mega-caps", "2020-04-17", "## Apple: Gives Ground", "## Apple: Gains Ground"),
        ("mega-caps", "2020-04-17", "## Apple: Gives Ground", "## Apple: A Sharp Rally"),
        ("mega-caps", "2020-04-17", "## Apple: Gives Ground", "## Apple: Off a Record Close"),
        ("default", "2020-03-16", "## S&P 500: The Fastest Fall in Data Back to 2000",
         "## S&P 500: The Fastest Fall in Data Back to 1990"),
        ("mega-caps", "2016-06-24", "## Apple: Channel Points Lower",
         "## Apple: The Largest Gap Down Since August 2015"),
        ("mega-caps", "2016-06-24", "## Amazon: A Drop Inside a Rising Channel",
         "## Amazon: A Drop Inside a Falling Channel"),
        ("mega-caps", "2016-06-24", "## Amazon: A Drop Inside a Rising Channel",
         "## Amazon: A Rebound Inside a Rising Channel"),
        ("mega-caps", "2020-04-17", "## Nvidia: A Rising Trend Channel",
         "## Nvidia: A Falling Trend Channel"),
        ("tech-vs-broad-market", "2018-12-24", "Bear Market After an 80-Session Fall",
         "Bear Market After an 81-Session Fall"),
    ],
)  # fmt: skip
def test_a_section_title_is_read_as_a_claim(
    playbook: str, as_of: str, said: str, planted: str
) -> None:
    """Section titles were never read back: "Apple: Gives Ground" could have said "Gains Ground"
    on a down day. The title's figure-free words are checked like a sentence's."""
    written = write_article(load_playbook(playbook), as_of=dt.date.fromisoformat(as_of))
    assert said in written.markdown
    wrong = written.markdown.replace(said, planted)
    assert read_back(wrong, ledger_of(written)).mismatches, planted


def test_a_place_in_one_of_several_channels_names_that_channel_and_is_checked() -> None:
    """Netflix, 2018-02-05: above its medium-term channel's upper line but mid-way in its
    short-term one. "Over the short, medium and long term ... price has broken out above its upper
    line" was read as true of any one of them; the sentence now names the channel it means, and
    the place is checked against that channel."""
    written = write_article(load_playbook("mega-caps"), as_of=dt.date(2018, 2, 5))
    said = "has broken out above the medium-term channel's upper line"
    assert said in written.markdown
    assert read_back(written.markdown, ledger_of(written)).mismatches == []
    wrong = written.markdown.replace(said, said.replace("medium", "short"))
    assert read_back(wrong, ledger_of(written)).mismatches


def test_an_items_frame_of_the_story_move_in_words_is_checked() -> None:
    """The lead quotes Amazon's move, so the desk's items say "Amazon barely moved" without the
    figure: the words must still hold (under 1% either way), and were not checked."""
    written = write_article(load_playbook("desk-items"), as_of=dt.date(2023, 9, 14))
    assert "Amazon barely moved, so" in written.markdown
    ledger = ledger_of(written)
    assert read_back(written.markdown, ledger).mismatches == []
    for item in ledger["items"]:
        item["story"]["change_pct"] = -2.5  # a day Amazon did move
    reasons = [m.reason for m in read_back(written.markdown, ledger).mismatches]
    assert any("barely moved" in r for r in reasons), reasons
    wrong = written.markdown.replace("Amazon barely moved, so", "Amazon rose, so")
    reasons = [m.reason for m in read_back(wrong, ledger).mismatches]
    assert any("says Amazon rose" in r for r in reasons), reasons


def test_a_rare_session_does_not_tell_its_own_consequences() -> None:
    """December 26, 2018: under the Nasdaq's best day since 2009, "The Nasdaq's RSI has risen to
    39.3 since the previous session, back into neutral territory. A losing streak of four
    sessions ended today" told the day twice (reviews 6 and 7). On a quiet day the same changes
    are news (December 4, 2018: "The S&P's RSI has also slid into the lower half")."""
    day = dt.date(2018, 12, 26)
    text = write_article(load_playbook("tech-vs-broad-market"), as_of=day).markdown
    assert "RSI has risen to 39.3" not in text and "losing streak of four sessions" not in text
    quiet = write_article(load_playbook("tech-vs-broad-market"), as_of=dt.date(2018, 12, 4))
    assert "RSI has also slid into the lower half" in quiet.markdown
