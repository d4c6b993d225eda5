"""The story (issue 12): one story per article, led by the day's real event, in a headline built
from a grammar, with contrast words only where facts pull apart and the lead's facts said once.

The economy and day-to-day figures are printed by ``benchmarks/prose.py``; the guards below pin
what holds today so it cannot slide back (the issue's goals, 6 numbers per 100 words and 15%
day-to-day repetition, are not met yet: see the closing note of wave two).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import itertools
import random
import re
import statistics

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commentary.pipeline import Article, write_article
from commentary.plan import economy
from commentary.playbooks import load_playbook
from commentary.referring import short_names
from commentary.render import metrics, render_article
from commentary.resources import samples_data_dir
from tests.test_articles import GOLDEN, golden_path, golden_playbook

#: Verbs a headline clause may use after its subject (templates/technical-trader/_lead.md).
VERBS = (
    "Plunges|Soars|Jumps|Adds|Sheds|Slips|Gaps|Reverses|Falls|Stays|Enters|Extends|Breaks|Hits|"
    "Presses|Reclaims|Sinks|Logs|Posts|Stretches|Closes|Outpaces|Lags|Flashes|Is|Rallies|Leads|Trails|Holds|"
    "Tests|Climbs|Drops|Dips|Edges Up|Clears|Loses|Has Its|'s Bear Market Deepens"
)


def sessions(playbook: str, last: str, count: int) -> list[dt.date]:
    """The playbook's last ``count`` trading sessions up to ``last``, from its first instrument's
    data (holidays are not sessions)."""
    symbol = load_playbook(playbook).instruments[0].symbol
    rows = csv.reader((samples_data_dir() / f"{symbol}.csv").read_text().splitlines()[1:])
    dates = [row[0] for row in rows if row[0] <= last]
    return [dt.date.fromisoformat(d) for d in dates[-count:]]


def names_of(article: Article) -> list[str]:
    return [i.instrument.name for i in article.analysis.instruments]


def test_a_headline_is_one_sentence_from_the_grammar_never_two_titles_glued() -> None:
    for playbook, as_of, persona in GOLDEN:
        if persona or playbook == "desk-items":
            continue
        written = write_article(golden_playbook(playbook), as_of=dt.date.fromisoformat(as_of))
        headline = written.markdown.splitlines()[0][2:]
        assert " vs. " not in headline and " Meets " not in headline, headline
        assert ":" not in headline, headline  # no "…: What the Charts Say" tail
        clauses = re.split(r"; |, and ", headline)
        assert len(clauses) <= 2, headline
        # A second clause may name an index by its short form ("S&P Adds 0.8%").
        kinds = [(i.instrument.name, i.instrument.kind) for i in written.analysis.instruments]
        said = [*names_of(written), *short_names(kinds).values()]
        names = "|".join(re.escape(n) for n in sorted(said, key=len, reverse=True))
        for clause in clauses:
            assert re.match(rf"(?:{names})(?: | ?)(?:{VERBS})\b|(?:{names}) Follows$", clause), (
                clause
            )


def test_a_headlines_two_clauses_do_not_share_a_verb() -> None:
    """ "Nasdaq Composite Sheds 2.3%; S&P 500 Sheds 2.1%" read as one template twice; the second
    clause takes another verb of the same direction ("S&P 500 Drops 2.1%"), which the verifier
    reads."""
    book = load_playbook("tech-vs-broad-market")
    seen = 0
    for day in sessions("tech-vs-broad-market", "2008-03-14", 10):
        written = write_article(book, as_of=day)
        headline = written.markdown.splitlines()[0][2:]
        clauses = headline.split("; ")
        if len(clauses) < 2:
            continue
        kinds = [(i.instrument.name, i.instrument.kind) for i in written.analysis.instruments]
        said = [*names_of(written), *short_names(kinds).values()]
        names = sorted(said, key=len, reverse=True)
        verbs = [next(c[len(n) :].split()[0] for n in names if c.startswith(n)) for c in clauses]
        assert verbs[0] != verbs[1], headline
        seen += 1
    assert seen >= 3  # the run has two-clause headlines to judge


#: Each bundled playbook and the last session of a ten-session run of it.
RUNS = [("default", "2020-04-17"), ("tech-vs-broad-market", "2018-12-31"),
        ("mega-caps", "2019-12-31")]  # fmt: skip


@pytest.mark.parametrize(
    ("playbook", "last"),
    RUNS,
)
def test_no_two_consecutive_sessions_get_the_same_headline(playbook: str, last: str) -> None:
    book = load_playbook(playbook)
    days = sessions(playbook, last, 10)
    headlines = [write_article(book, as_of=d).markdown.splitlines()[0] for d in days]
    for before, after in itertools.pairwise(headlines):
        assert before != after


@pytest.mark.parametrize(
    ("playbook", "as_of", "headline", "lead"),
    [
        # The headline gives the rarity; the lead the exact figure and the session's shape.
        ("default", "2020-03-16", "S&P 500 Plunges 12.0%, Its Worst Session in Data Back to 2000",
         r"^The S&P 500 (plunged|closed down) 11\.98%, wiping out Friday's 9\.3% gain\. "
         r"(Sellers kept it|The bell found it) near the day's low"),
        # The headline gives the gap and its rank; the lead what became of it.
        ("default", "2020-03-24", "S&P 500 Gaps Up 4.8%, Its Largest Gap in Data Back to 2000",
         r"^The gap (never filled|stayed open)[:,] (and )?the S&P 500 closed up 9\.4% at 2,447"),
        # The 1,170 level gave way on the worst day since 2008: the day leads, not the break; of
        # two indexes' worst sessions since December 2008, the bigger move.
        ("tech-vs-broad-market", "2011-08-08",
         "Nasdaq Composite Plunges 6.9%, Its Worst Session Since December 2008; S&P 500 Sheds 6.7%",
         r"^The Nasdaq Composite (plunged|closed down) 6\.90%\."),
        # Both indexes had their best session since March 2009; the S&P 500's reversal from a
        # 52-week low is the lead's next sentence.
        ("tech-vs-broad-market", "2018-12-26",
         "Nasdaq Composite Soars 5.8%, Its Best Session Since March 2009; S&P 500 Reverses",
         r"The S&P 500 set a 52-week low at 2,346\.58 in the session, then ran 5\.2% off it"),
        # The S&P 500's worst session since August 2011 led with "Nvidia Plunges 8.5%": such a
        # day was common in 2000-02 and 2008-09, and six years unmatched is news.
        ("default", "2018-02-05",
         "S&P 500 Plunges 4.1%, Its Worst Session Since August 2011; Nvidia Sheds 8.5%",
         r"^The S&P 500 (plunged|closed down) 4\.10%\."),
        ("tech-vs-broad-market", "2008-10-10",
         "S&P 500 Falls for the 8th Straight Session, Its Longest Losing Streak in Data Back to "
         "2000",
         r"^The losing streak has taken 22\.9% off the S&P 500's price\."),
    ],
)  # fmt: skip
def test_a_dramatic_date_leads_with_its_event(
    playbook: str, as_of: str, headline: str, lead: str
) -> None:
    """The S&P 500's worst session in the data once led with "Amazon Breaks Below $87"."""
    text = write_article(load_playbook(playbook), as_of=dt.date.fromisoformat(as_of)).markdown
    lines = [line for line in text.splitlines() if line]
    assert lines[0].startswith("# " + headline), lines[0]
    assert re.search(lead, lines[2]), lines[2]  # the lead paragraph, after the dateline


def test_a_fact_the_lead_states_is_not_stated_again_in_its_section() -> None:
    written = write_article(load_playbook("default"), as_of=dt.date(2020, 3, 16))
    lead = written.markdown.split("\n## ")[0]
    body = written.markdown.split("\n## ", 1)[1]
    assert "11.98%" in lead and "11.98%" not in body
    # Nvidia's figure is the headline's ("Nvidia Sheds 18.5%"); the lead adds its rarity.
    assert "worst session since November 2018" in lead
    assert "worst session since November 2018" not in body and "18.45%" not in body


@pytest.mark.parametrize(("playbook", "as_of", "persona"), GOLDEN)
def test_at_most_one_contrast_word_a_paragraph(
    playbook: str, as_of: str, persona: str | None
) -> None:
    text = golden_path(playbook, as_of, persona).read_text(encoding="utf-8")
    assert metrics.contrast_words_per_paragraph(text) <= 1


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    playbook=st.sampled_from(["default", "mega-caps", "tech-vs-broad-market"]),
    offset=st.integers(min_value=0, max_value=1500),
)
def test_at_most_one_contrast_word_a_paragraph_on_any_date(playbook: str, offset: int) -> None:
    start = {"default": dt.date(2015, 1, 2), "mega-caps": dt.date(2015, 1, 2),
             "tech-vs-broad-market": dt.date(2003, 1, 2)}[playbook]  # fmt: skip
    text = write_article(load_playbook(playbook), as_of=start + dt.timedelta(days=offset)).markdown
    assert metrics.contrast_words_per_paragraph(text) <= 1


#: The issue's goal for numbers per 100 words (``settings.writing.numbers_per_100_words``),
#: counted as the issue counts the seed's 3.4: every figure, a name's digits ("S&P 500")
#: included. Met by every golden and by every article of the samples below.
NUMBERS_GOAL = 6.0
ACCEPTANCE = [
    ("default", "2020-03-16"), ("default", "2020-03-23"), ("default", "2020-04-17"),
    ("tech-vs-broad-market", "2008-10-10"), ("tech-vs-broad-market", "2018-12-24"),
    ("tech-vs-broad-market", "2018-12-26"), ("NVDA", "2023-05-26"),
]  # fmt: skip
#: The issue's goal for the share of sentence shapes repeated from the previous session over ten
#: sessions, met by every bundled playbook.
DAY_TO_DAY_GOAL = 0.15


def _density(playbook: str, as_of: str, persona: str | None) -> float:
    text = golden_path(playbook, as_of, persona).read_text(encoding="utf-8")
    return metrics.numbers_per_100_words(text)


@pytest.mark.parametrize(("playbook", "as_of", "persona"), GOLDEN)
def test_every_golden_meets_the_numbers_goal(
    playbook: str, as_of: str, persona: str | None
) -> None:
    assert _density(playbook, as_of, persona) <= NUMBERS_GOAL


@pytest.mark.parametrize(("playbook", "as_of"), ACCEPTANCE)
def test_the_issues_goldens_meet_the_numbers_goal(playbook: str, as_of: str) -> None:
    assert _density(playbook, as_of, None) <= NUMBERS_GOAL


def test_the_median_article_meets_the_numbers_goal() -> None:
    rates = [_density(*g) for g in GOLDEN if g[2] is None]
    assert statistics.median(rates) <= NUMBERS_GOAL, sorted(rates)


#: Where a random date may fall: each playbook's data with a year of history behind it.
_FIRST_DATE = {"default": dt.date(2014, 1, 2), "mega-caps": dt.date(2014, 1, 2),
               "tech-vs-broad-market": dt.date(2003, 1, 2)}  # fmt: skip


#: The goal tests draw a fixed pseudo-random sample (``derandomize``): the figures hold on every
#: date measured (benchmarks/prose.py prints a wider sample), and CI must not turn on the draw.
@settings(max_examples=16, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
@given(
    playbook=st.sampled_from(sorted(_FIRST_DATE)),
    offset=st.integers(min_value=0, max_value=2200),
)
def test_any_article_meets_the_numbers_goal(playbook: str, offset: int) -> None:
    """The editor's pass brings any article within budget, every figure counted: it cuts the
    least newsworthy dense sentences, then renders the article tight (dated levels by their
    price, the levels list by name), then cuts a section down to its last sentence."""
    written = write_article(
        load_playbook(playbook), as_of=_FIRST_DATE[playbook] + dt.timedelta(days=offset)
    )
    assert metrics.numbers_per_100_words(written.markdown) <= NUMBERS_GOAL


#: The brief's sample: four dates a playbook, drawn once (seeded) and the same on every run.
_BRIEF_DATES = [
    (playbook, start + dt.timedelta(days=random.Random(f"{playbook}{n}").randint(0, 2200)))
    for playbook, start in sorted(_FIRST_DATE.items())
    for n in range(4)
] + [
    # Quiet days of the two indexes that ran to 6.3-7.1 before the brief closed on the charts
    # together and sized the lesser sessions in words.
    ("tech-vs-broad-market", dt.date(2008, 9, 10)),
    ("tech-vs-broad-market", dt.date(2003, 9, 3)),
    ("tech-vs-broad-market", dt.date(2005, 1, 11)),
    ("default", dt.date(2018, 11, 13)),
]


#: Dramatic days of the two indexes that ran over the budget (6.0 to 6.9) in one persona or both
#: until the sparest article left the story's move to its headline, a gap's close to its move, an
#: ordinary session to words and an old level to its price, and a second 52-week low took its
#: title in words.
_DRAMATIC_TWO_INDEX_DAYS = ["2004-01-16", "2007-08-17", "2008-09-19", "2008-09-29"]


@pytest.mark.parametrize("persona", ["technical-trader", "morning-brief"])
def test_the_two_indexes_dramatic_days_meet_the_numbers_goal(persona: str) -> None:
    book = dataclasses.replace(load_playbook("tech-vs-broad-market"), persona=persona)
    rates = {
        day: metrics.numbers_per_100_words(
            write_article(book, as_of=dt.date.fromisoformat(day)).markdown
        )
        for day in _DRAMATIC_TWO_INDEX_DAYS
    }
    over = {day: round(rate, 2) for day, rate in rates.items() if rate > NUMBERS_GOAL}
    assert not over, over


def test_no_two_sections_share_a_title() -> None:
    """Both indexes at a 52-week low on 2008-09-29: both sections were titled "52-Week Low". A
    second section's title at the same extreme says it in words ("Down to a One-Year Low");
    this page is the sparest, which says both so ("A One-Year Low, Too" for the second)."""
    text = write_article(load_playbook("tech-vs-broad-market"), as_of=dt.date(2008, 9, 29)).markdown
    titles = [line.partition(": ")[2] for line in text.splitlines() if line.startswith("## ")]
    titles = [t for t in titles if t]
    assert "A One-Year Low, Too" in titles and len(titles) == len(set(titles)), titles


def test_a_channel_title_does_not_contradict_a_fall_through_its_floor() -> None:
    """On 2007-08-17 the Nasdaq fell through the floor of its rising channel; its section was
    titled "Channel Points Higher"."""
    text = write_article(load_playbook("tech-vs-broad-market"), as_of=dt.date(2007, 8, 17)).markdown
    assert "fallen through the floor of its rising" in text
    assert "## Nasdaq Composite: Below Its Rising Channel" in text


def test_the_brief_meets_the_numbers_goal_over_a_sample() -> None:
    """The brief is held to the same budget as the article over a sample of dates, the quiet
    days of two indexes among them (a short list of levels and moves with little prose)."""
    rates = {}
    for playbook, as_of in _BRIEF_DATES:
        book = dataclasses.replace(load_playbook(playbook), persona="morning-brief")
        markdown = write_article(book, as_of=as_of).markdown
        rates[(playbook, str(as_of))] = metrics.numbers_per_100_words(markdown)
    over = {k: round(r, 2) for k, r in rates.items() if r > NUMBERS_GOAL}
    assert not over, over


@pytest.mark.parametrize(
    ("playbook", "last"),
    RUNS,
)
def test_day_to_day_repetition_stays_under_the_guard(playbook: str, last: str) -> None:
    book = load_playbook(playbook)
    written = [write_article(book, as_of=d) for d in sessions(playbook, last, 11)]
    names = names_of(written[0])
    share = metrics.repeated_over([w.markdown for w in written], names)
    assert share <= DAY_TO_DAY_GOAL, share


@pytest.mark.parametrize(("playbook", "as_of", "persona"), GOLDEN)
def test_no_golden_uses_a_sentence_shape_twice(
    playbook: str, as_of: str, persona: str | None
) -> None:
    """The issue's "no sentence template used twice in one article" (the levels list is a table,
    the same shape every row by design)."""
    text = golden_path(playbook, as_of, persona).read_text(encoding="utf-8")
    names = [i.name for i in golden_playbook(playbook).instruments]
    assert metrics.repeated_templates(text, names) == []


def test_the_metrics_count_what_an_editor_counts() -> None:
    """The counter reads prose as the issue counts the seed's 3.4: every figure a reader meets,
    the digits of "S&P 500" included (given ``names``, a name is words); a word is what stands
    between spaces; a sentence with its numbers changed is the same shape."""
    text = "# A Headline\n\n*Dateline 2020*\n\nThe S&P 500 rose 1.2% to 2,874.56. Buyers stayed.\n"
    names = ["S&P 500"]
    # 11 words (A Headline The S&P 500 rose 1.2% to 2,874.56. Buyers stayed.), 3 numbers.
    assert metrics.numbers_per_100_words(text) == pytest.approx(100 * 3 / 11)
    # With the name as words: "Name Name", 11 words and 2 numbers.
    assert metrics.numbers_per_100_words(text, names) == pytest.approx(100 * 2 / 11)
    assert metrics.template_of("The S&P 500 rose 1.2% to 2,874.56.", names) == metrics.template_of(
        "The S&P 500 rose 3.4% to 2,911.00.", names
    )
    assert metrics.contrast_words_per_paragraph("Up. But down.\n\nHowever, up. Still, down.") == 2


@pytest.mark.parametrize(("playbook", "as_of", "persona"), GOLDEN)
def test_a_comparison_title_names_an_index_with_its_article(
    playbook: str, as_of: str, persona: str | None
) -> None:
    """ "Beating the S&P 500", as the prose says it, not "Beating S&P 500"."""
    text = golden_path(playbook, as_of, persona).read_text(encoding="utf-8")
    titles = re.findall(r"^## .+ vs\. .+?: (.+)$", text, flags=re.MULTILINE)
    for title in titles:
        assert not re.search(r"(?<!the )(?:S&P 500|Nasdaq Composite)\b", title), title


def test_a_run_the_bull_market_already_sized_is_given_by_its_length() -> None:
    """Amazon, 2016-03-01: the lead's new bull market is 20.1% off the Feb. 9 low, and the run
    from that low is the same 20.1%; the section gives the run's length, not the figure again."""
    from commentary.playbooks import ticker_playbook

    book = ticker_playbook("AMZN", "^GSPC", "technical-trader", 7)
    text = write_article(book, as_of=dt.date(2016, 3, 1)).markdown
    assert "20.1% above its Feb. 9 closing low" in text
    assert text.count("20.1%") == 1, text
    assert "The run took 14 sessions." in text


def test_a_headline_that_gives_the_move_leaves_the_lead_the_close_quoted_once() -> None:
    """Meta Platforms, 2019-01-02: "Meta Platforms Jumps 3.5%" was followed by "Meta Platforms
    jumped 3.50%." The lead now says where it closed, and the one-stock levels list, which
    printed that close too, names its levels without it."""
    from commentary.playbooks import ticker_playbook

    book = ticker_playbook("META", "^GSPC", "technical-trader", 7)
    text = write_article(book, as_of=dt.date(2019, 1, 2)).markdown
    headline, lead = text.splitlines()[0], text.split("\n\n")[2]
    assert headline == "# Meta Platforms Jumps 3.5%"
    assert "3.50%" not in text
    assert "$135.68" in lead
    assert text.count("$135.68") == 1, text


@pytest.mark.parametrize(("playbook", "as_of", "persona"), GOLDEN)
def test_no_sentence_opens_on_a_figure(playbook: str, as_of: str, persona: str | None) -> None:
    """An editor spells out or rewrites a sentence that would open on digits ("9 sessions and
    counting: ...")."""
    text = golden_path(playbook, as_of, persona).read_text(encoding="utf-8")
    names = [i.name for i in golden_playbook(playbook).instruments]
    opening = [s for s in metrics.sentences(text) if re.match(r"[-+−$]?\d", s)]
    assert not [s for s in opening if not any(s.startswith(n) for n in names)], opening


def test_two_straight_runs_in_one_lead_are_told_two_ways() -> None:
    """2016-11-04: both indexes closed lower nine sessions running. The lead said "has posted
    nine lower closes in a row" of each. Now the first says what its run has cost (the headline
    gave its length), the second its own length, told another way."""
    text = golden_path("tech-vs-broad-market", "2016-11-04", None).read_text(encoding="utf-8")
    lead = text.split("\n\n")[2]
    assert "in a row" not in lead and lead.count("nine") == 1, lead
    assert "The losing streak has taken 5.0% off the Nasdaq Composite's price" in lead
    assert "The S&P 500 has nine straight lower closes of its own" in lead


@pytest.mark.parametrize(("playbook", "as_of", "persona"), GOLDEN)
def test_two_channel_titles_in_one_article_differ_in_shape(
    playbook: str, as_of: str, persona: str | None
) -> None:
    """2018-12-26 titled one section "A Falling Trend Channel" and the next "Falling Channel"."""
    text = golden_path(playbook, as_of, persona).read_text(encoding="utf-8")
    titles = re.findall(r"^## [^:\n]+: (.*Channel.*)$", text, flags=re.MULTILINE)
    shapes = ["verb" if t.startswith("Channel Points") else "noun" for t in titles]
    assert len(shapes) > 2 or len(set(shapes)) == len(shapes), titles


def _page(symbol: str, day: dt.date, budget: float | None = None) -> Article:
    from commentary.playbooks import ticker_playbook
    from commentary.settings import DEFAULT_SETTINGS, WritingSettings

    book = ticker_playbook(symbol, "^GSPC", "technical-trader", 7)
    settings = DEFAULT_SETTINGS
    if budget is not None:
        settings = dataclasses.replace(settings, writing=WritingSettings(budget))
    return write_article(book, as_of=day, settings=settings)


def test_a_universe_page_within_budget_loses_nothing() -> None:
    """Netflix, 2018-01-24: a universe page's benchmark has no section, and the economy counted
    its name ("S&P 500") as a figure, so a page at 5.3 by the editor's count lost sentences."""
    day = dt.date(2018, 1, 24)
    whole = _page("NFLX", day, budget=100.0)
    assert metrics.numbers_per_100_words(whole.markdown) <= NUMBERS_GOAL
    assert _page("NFLX", day).markdown == whole.markdown


def test_a_tight_levels_list_gives_only_the_nearest_level_each_side() -> None:
    """Netflix, 2014-04-03: over budget with nothing left to cut from the prose, the list leaves
    out the next level each side ("then $47.54 (the 200-day average)"). The race is said in
    whole points, tight or not. (2014-04-25 held this test until levels nearer than a quarter of
    a day's range were left out as noise: its second support went with them.)"""
    written = _page("NFLX", dt.date(2014, 4, 3))
    assert written.plan.tight
    row = next(line for line in written.markdown.splitlines() if line.startswith("- **Netflix"))
    assert ", then " not in row
    # 214 basis points, the unit in full on its first use
    assert "trailed the index by more than two percentage points" in written.markdown
    loose = render_article(dataclasses.replace(written.plan, tight=False))
    assert ", then " in next(line for line in loose.splitlines() if line.startswith("- **Netflix"))
    assert "trailed the index by more than two percentage points" in loose


@settings(max_examples=16, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
@given(
    symbol=st.sampled_from(["AAPL", "AMZN", "GOOG", "META", "NFLX", "NVDA"]),
    offset=st.integers(min_value=0, max_value=2100),
)
def test_any_universe_page_meets_the_numbers_goal(symbol: str, offset: int) -> None:
    """A site's page per stock is held to the same budget. It is the hardest case: on a quiet
    day a single ticker has little body under a headline, a bottom line and a levels list
    that each carry figures (NVDA 2019-10-24 measured 6.9 before a tight article could cut a
    section down to its last sentence)."""
    written = _page(symbol, dt.date(2014, 6, 2) + dt.timedelta(days=offset))
    assert metrics.numbers_per_100_words(written.markdown) <= NUMBERS_GOAL


def test_a_tight_page_still_over_budget_cuts_a_section_to_its_last_sentence() -> None:
    """Tech vs. the broad market, 2004-04-30, held to 5.8 figures per 100 words, every figure
    counted: tight, with each section at its last two sentences, it is still over. A tight page
    may then cut a section down to ``TIGHT_KEEP``: the Nasdaq's standing correction ("10.8% below
    its Jan. 26 closing high") goes, the section's theme (its broken channel) stays. Within a
    looser budget (6.6), nothing is cut that far. (This test moved three times as the prose
    changed: from Nvidia's page of 2019-10-24, this playbook's 2007-09-18, whose cut base rate is
    no longer told after the lead's of the same verdict, and its 2008-04-18, whose rising
    channel is no longer said beside a bear market.)"""
    from commentary.settings import DEFAULT_SETTINGS, WritingSettings

    book, day = load_playbook("tech-vs-broad-market"), dt.date(2004, 4, 30)
    looser = dataclasses.replace(DEFAULT_SETTINGS, writing=WritingSettings(6.6))
    loose = write_article(book, as_of=day, settings=looser)
    assert sum(len(p) for p in loose.plan.sections[0].paragraphs) == 2
    # Held to 5.8, a publisher's stricter budget: since the race is said in whole points in
    # words ("by more than a point"), the page fits 6 with each section at two sentences.
    stricter = dataclasses.replace(DEFAULT_SETTINGS, writing=WritingSettings(5.8))
    written = write_article(book, as_of=day, settings=stricter)
    assert written.plan.tight
    assert metrics.numbers_per_100_words(written.markdown) <= 5.8
    assert sum(len(p) for p in written.plan.sections[0].paragraphs) == economy.TIGHT_KEEP
    assert "floor of its rising medium-term channel" in written.markdown
    assert "10.8% below its Jan. 26 closing high" not in written.markdown
    assert "10.8% below its Jan. 26 closing high" in loose.markdown


def test_a_tight_bottom_line_names_a_dated_level_by_the_cheaper_of_name_and_price() -> None:
    """The Market Pulse, 2018-07-27 (6.5 before): three bottom lines each named two dated levels
    with their prices ("the July 17 close at $92.20"), and the list named them again. Tight, a
    bottom line gives one of the two: the name when it carries one figure, as a price does ("a
    close above the July 17 close"; "a close above $92.20" named nothing the list gives, review
    5), the price when the name carries two (March 16, 2020: "2,351.10 is the floor", not "the
    December 24, 2018 closing low"). No sentence opens on a figure. A moving average goes by its
    name: "A close under the 50-day average", not "A close under 2,863.09" on the day the S&P
    500 closed above it (April 17, 2020, review 2)."""
    written = write_article(load_playbook("default"), as_of=dt.date(2018, 7, 27))
    assert written.plan.tight
    text = written.markdown
    assert "firms up on a close above the July 17 close." in text
    assert "resistance at the July 17 close" in text
    assert "$92.20" not in text
    assert not re.search(r"(?:^|\. |\*\* )\$?\d", text.split("## Key Levels")[0], re.M)
    crash = write_article(load_playbook("default"), as_of=dt.date(2020, 3, 16))
    assert crash.plan.tight
    assert "and 2,351.10 is the floor that decides it" in crash.markdown
    assert "December 24, 2018" not in crash.markdown
    rally = write_article(load_playbook("default"), as_of=dt.date(2020, 4, 17))
    assert rally.plan.tight
    assert "A close under the 50-day average" in rally.markdown
    assert "A close under 2,863.09" not in rally.markdown


def test_a_tight_brief_names_every_level_it_prices() -> None:
    """Tech vs. the broad market, brief, 2005-04-04: tight, it said "Reclaiming 1,992.90", and a
    brief has no levels list to say that is the 200-day average. Only an article with the list
    gives a level by its price alone."""
    book = dataclasses.replace(load_playbook("tech-vs-broad-market"), persona="morning-brief")
    written = write_article(book, as_of=dt.date(2005, 4, 4))
    assert written.plan.tight
    assert "Reclaiming the 200-day average at 1,992.90" in written.markdown


def test_an_rsi_that_entered_a_zone_today_is_not_said_to_remain_there() -> None:
    """2018-02-05: "The S&P 500's RSI has fallen to 29.4 since the previous session, into
    oversold territory", then "The RSI remains oversold." It had just entered."""
    text = write_article(load_playbook("default"), as_of=dt.date(2018, 2, 5)).markdown
    assert "The S&P's RSI has fallen to 29.4 since the previous session" in text
    assert "remains oversold" not in text and "has not left oversold" not in text


def test_the_lead_does_not_repeat_what_the_headline_gave() -> None:
    """Mega-caps, 2016-06-24: under "Nvidia Gaps Down 4.1%, Its Largest Gap Since August 2015"
    the lead said again "Nvidia started 4.1% lower, its largest gap since August 2015". The
    Market Pulse brief, 2014-08-18: under "...; Amazon Rallies 8.9% in 11 Sessions" the first
    bullets said "Amazon rose 8.9% in 11 sessions." Each lead now says what the headline left
    out: how the gap ended, whether the run still runs."""
    gap = write_article(load_playbook("mega-caps"), as_of=dt.date(2016, 6, 24)).markdown
    lead = gap.split("\n\n")[2]
    assert "4.1%" not in lead and "since august 2015" not in lead.lower(), lead
    held = r"The gap (never filled|stayed open)[:,] (and )?Nvidia closed down 5\.7% at \$11\.43\."
    assert re.search(held, gap)
    book = dataclasses.replace(load_playbook("default"), persona="morning-brief")
    brief = write_article(book, as_of=dt.date(2014, 8, 18)).markdown
    assert brief.count("8.9%") == 1
    assert "Amazon's run is still going, with today's close its high." in brief


def test_a_headline_session_clause_leaves_the_lead_the_close() -> None:
    """Nvidia, 2016-06-15: "Nvidia Hits a Record High on a 1.0% Gain" was followed by "It ended
    the session up 1.02%."; the lead now gives the close, once in the article."""
    text = _page("NVDA", dt.date(2016, 6, 15)).markdown
    assert text.startswith("# Nvidia Hits a Record High on a 1.0% Gain\n")
    assert "1.02%" not in text
    lead = text.split("\n\n")[2]
    assert re.search(r"(?:closed|finished) at \$11\.84\.", lead), lead
    assert text.count("$11.84") == 1


def test_a_january_race_does_not_fill_in_with_the_year_to_date() -> None:
    """Amazon, 2015-01-26: "There is little between them in 2015: down 0.2% for Amazon, down 0.1%
    for the S&P 500." A year-to-date race three weeks old says nothing; in February it may (on
    Feb. 9 Amazon was up 19.4% for the year, the S&P 500 down 0.6%)."""
    assert "in 2015" not in _page("AMZN", dt.date(2015, 1, 26)).markdown
    later = _page("AMZN", dt.date(2015, 2, 9)).markdown
    assert "Amazon is up 19.4%" in later


def test_a_channel_the_lead_told_is_not_told_again_over_more_horizons() -> None:
    """2018-07-27: the lead's "Over the medium term the S&P 500 holds a rising channel" was
    followed in the index's section by "Regression channels point higher over the short,
    medium and long term": one trend, told twice. A standing channel no longer makes a
    headline's second clause (the S&P's session does), so the section tells it, once."""
    text = write_article(load_playbook("default"), as_of=dt.date(2018, 7, 27)).markdown
    headline, lead = text.splitlines()[0], text.split("\n## ")[0]
    assert "S&P 500 Slips 0.7%" in headline and "channel" not in lead
    body = text.split("## S&P 500:")[1].split("##")[0].split("\n\n", 1)[1]
    told = [s for s in body.split("**The bottom line:**")[0].split(". ") if "channel" in s]
    assert len(told) == 1, body


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    playbook=st.sampled_from(["default", "mega-caps", "tech-vs-broad-market"]),
    offset=st.integers(min_value=0, max_value=1500),
)
def test_the_brief_tells_each_section_in_bullets_closing_on_its_call(
    playbook: str, offset: int
) -> None:
    """The morning brief is the same story in bullets: no bullet twice, and each section's
    last bullet is its call with the levels in their units (the Technical Trader's bottom
    line, read back by the verifier with the rest)."""
    start = {"default": dt.date(2015, 1, 2), "mega-caps": dt.date(2015, 1, 2),
             "tech-vs-broad-market": dt.date(2003, 1, 2)}[playbook]  # fmt: skip
    book = dataclasses.replace(load_playbook(playbook), persona="morning-brief")
    text = write_article(book, as_of=start + dt.timedelta(days=offset)).markdown
    bullets = [line for line in text.splitlines() if line.startswith("- ")]
    assert len(bullets) == len(set(bullets)), bullets
    blocks = re.split(r"\n\n(?=\*\*[^*\n]+\*\*: )", text)[1:]
    assert blocks
    for block in blocks:
        last = [line for line in block.splitlines() if line.startswith("- ")][-1]
        assert last.startswith("- **The bottom line:** "), block


def test_a_low_from_another_year_is_named_by_month_and_year_and_checked() -> None:
    """Nvidia, 2019-04-01: its bull market ran from the Dec. 24, 2018 closing low. "Its Dec. 24
    closing low" read as this year's; it is "its December 2018 closing low", and another month
    is refused."""
    from commentary.outputs import ledger_of
    from commentary.verify import read_back

    written = _page("NVDA", dt.date(2019, 4, 1))
    said = "43.4% above its December 2018 closing low"
    assert said in written.markdown
    wrong = written.markdown.replace(said, said.replace("December", "November"))
    assert read_back(wrong, ledger_of(written)).mismatches


def test_a_session_that_turned_inside_the_day_says_how_deep_it_went() -> None:
    """2008-10-10: the S&P 500 was down 7.7% at its low and closed down 1.18%, the turn the
    exemplar leads with; the lead said only "It slipped 1.18%". A wrong depth is refused."""
    from commentary.outputs import ledger_of
    from commentary.verify import read_back

    written = write_article(load_playbook("tech-vs-broad-market"), as_of=dt.date(2008, 10, 10))
    lead = written.markdown.split("\n\n")[2]
    said = re.search(r"(?:it was|It had been) down 7\.7%(?: at the low)?", lead)
    assert said is not None, lead
    for wrong in (said.group(0).replace("7.7%", "9.7%"), said.group(0).replace("down", "up")):
        planted = written.markdown.replace(said.group(0), wrong, 1)
        assert read_back(planted, ledger_of(written)).mismatches, wrong


def test_breadth_does_not_call_a_new_bull_market_a_bear_market() -> None:
    """2019-06-28: Nvidia's section said "Since Jan. 18 Nvidia has been in a bull market" and the
    closing paragraph "Nvidia is in a bear market" (43.9% below its peak, by the other rule).
    The bull market that began later is the standing regime, as in the section."""
    text = write_article(load_playbook("default"), as_of=dt.date(2019, 6, 28)).markdown
    assert "Nvidia stands 22.8% above its June 3 closing low, a bull market since June 27" in text
    closing = text.split("## Key Levels to Watch")[1]
    assert "Nvidia is in a bear market" not in closing
    assert re.search(r"Nvidia (?:is in a new bull market|are in new bull markets)", closing), (
        closing
    )


def test_a_page_over_budget_once_cut_gives_its_stops_by_name() -> None:
    """Tech vs. the broad market, 2003-12-30: tight and cut, it was still over budget. The
    sparest page names the level that proves a call wrong without its price when the name says
    which it is ("Losing today's low"); the verifier holds the name to a watched level: a
    weekday no watched level comes from ("Losing Friday's close") is refused. (The brief of
    2008-07-11 held this test until the brief's headline came to introduce the S&P 500 to its
    first bullet, which brought it within budget before it was spare.)"""
    from commentary.outputs import ledger_of
    from commentary.verify import read_back

    written = write_article(load_playbook("tech-vs-broad-market"), as_of=dt.date(2003, 12, 30))
    assert written.plan.spare
    said = "Losing today's low, less than one average day's range below"
    assert said in written.markdown
    assert metrics.numbers_per_100_words(written.markdown) <= NUMBERS_GOAL
    ledger = ledger_of(written)
    assert read_back(written.markdown, ledger).mismatches == []
    wrong = written.markdown.replace(said, said.replace("today's low", "Friday's close"))
    assert [m for m in read_back(wrong, ledger).mismatches if "Friday's close" in m.sentence]


def test_a_takeaway_follows_the_change_sentence_that_states_its_situation() -> None:
    """The Nasdaq on 2006-01-03: only "moved above the resistance near 2,200 flagged then" states
    the breakout, so its lesson follows the changes paragraph."""
    text = write_article(load_playbook("tech-vs-broad-market"), as_of=dt.date(2006, 1, 3)).markdown
    paragraph = next(p for p in text.split("\n\n") if "flagged then" in p)
    assert paragraph.endswith(
        "Breakouts that stick tend to do it quickly; a slide back under the broken ceiling would "
        "undo it."
    )


def test_a_second_base_rate_with_the_leads_verdict_is_not_told() -> None:
    """2020-03-16: the lead's "History offers no edge here" for the S&P was followed in Nvidia's
    section by "no real edge" again, in place of Nvidia's own news (its first close under the
    200-day average since August 2019). A full-detail page still quotes both base rates."""
    text = write_article(load_playbook("default"), as_of=dt.date(2020, 3, 16)).markdown
    assert text.count("earlier episodes") == 1 and "History offers no edge here" in text
    assert "Nvidia's first close below its 200-day average since August 2019" in text
    full = dataclasses.replace(load_playbook("default"), detail="full")
    assert write_article(full, as_of=dt.date(2020, 3, 16)).markdown.count("earlier episodes") == 2


def test_a_repeat_crossing_gets_no_breakout_lesson() -> None:
    """ "Back above 2,825 for the second time in four sessions, so treat it as a pivot rather than
    a wall. The level that gave way overhead is now the floor to defend." contradicted itself
    (the editor's finding): a repeat crossing states no break, so no break's lesson follows. A
    page that quotes every reading still tells the repeat."""
    book = dataclasses.replace(load_playbook("default"), detail="full")
    text = write_article(book, as_of=dt.date(2020, 4, 17)).markdown
    assert "is back above 2,825 for the second time in four sessions" in text
    assert "floor to defend" not in text and "now a ceiling" not in text


def test_a_level_changing_hands_gives_way_to_the_days_news() -> None:
    """April 17, 2020: the S&P 500's section opened "Round trip again: the S&P is back above 2,825
    for the second time in four sessions, so treat it as a pivot rather than a wall", above its
    first close over the 50-day average since February (review 2). A level crossed a second
    time is told only when the section has no better news; crossed back once, it is a failed
    breakout, and told (April 15)."""
    book = load_playbook("default")
    rally = write_article(book, as_of=dt.date(2020, 4, 17)).markdown
    assert "back above 2,825" not in rally and "pivot" not in rally
    assert "Reclaims Its 50-Day Average for the First Time Since Feb. 21" in rally
    failed = write_article(book, as_of=dt.date(2020, 4, 15)).markdown
    assert "is back below 2,825 one session after breaking above it" in failed


def test_the_base_rates_counting_note_is_given_once() -> None:
    """Two base rates on 2018-12-26 each said "(a cluster of such days counted as one)". A
    full-detail page prints both (a story page may cut one), so the test can fail."""
    book = dataclasses.replace(load_playbook("tech-vs-broad-market"), detail="full")
    for day in (dt.date(2018, 12, 26), dt.date(2007, 8, 17)):
        text = write_article(book, as_of=day).markdown
        assert text.count("earlier episodes") == 2
        assert text.count("(a cluster of such days counted as one)") == 1


def test_the_closing_repair_line_speaks_of_the_laggard_only() -> None:
    """2020-03-16: "From the top, Amazon has given up the least ... The picture improves if
    Amazon gets back above the breakdown level": repair was asked of the chart holding up best,
    because the laggard's line had been dropped from the closing call."""
    repair = re.compile(
        r"The picture improves if (.+?) gets back|(\S+)'s first sign of repair|Watch (.+?) at "
    )
    seen = 0
    for playbook, last in [*RUNS, ("default", "2020-03-16")]:
        for day in sessions(playbook, last, 5):
            written = write_article(load_playbook(playbook), as_of=day)
            found = repair.search(written.markdown.split("## Key Levels to Watch")[1])
            if found:
                who = next(g for g in found.groups() if g)
                laggard = min(written.plan.watch, key=lambda it: it.all_time_high_pct)
                assert who.split()[-1] in laggard.instrument.name, (day, who)
                seen += 1
    assert seen


@pytest.mark.parametrize(
    ("playbook", "day", "clause"),
    [
        ("tech-vs-broad-market", dt.date(2005, 9, 21), "; S&P 500 Loses 1,220"),
        ("default", dt.date(2015, 4, 9), "; Nvidia Clears $5.50"),
    ],
)
def test_a_second_break_in_a_headline_takes_another_verb_and_is_checked(
    playbook: str, day: dt.date, clause: str
) -> None:
    """ "Breaks Below 2,110 ...; S&P 500 Breaks Below 1,220" took the same verb twice. The
    second clause's "Loses 1,220" is a level rounded for prose, read as "Breaks Below" is."""
    written = write_article(load_playbook(playbook), as_of=day)  # verified on the way
    assert written.markdown.splitlines()[0].endswith(clause)


def test_only_a_young_bull_market_is_titled_new() -> None:
    """Nvidia on 2023-09-14 was eight months into its bull market, titled "New Bull Market";
    the Nasdaq on 2008-12-31, two weeks into one, keeps the word."""
    old = write_article(golden_playbook("desk-items"), as_of=dt.date(2023, 9, 14)).markdown
    assert "Nvidia Extends Its Bull Market" in old.splitlines()[0] and "New Bull Market" not in old
    young = write_article(load_playbook("tech-vs-broad-market"), as_of=dt.date(2008, 12, 31))
    assert "## Nasdaq Composite: New Bull Market" in young.markdown


def test_a_correction_a_point_from_a_bear_market_leads() -> None:
    """December 24, 2018: the S&P 500 closed 19.8% below its record, at the decline's low. The
    headline led with the Nasdaq's 52-week low ("... and S&P 500 Follows") although the S&P fell
    more and sat 0.2 points above the bear-market line (the editor's finding)."""
    book = load_playbook("tech-vs-broad-market")
    text = write_article(book, as_of=dt.date(2018, 12, 24)).markdown
    headline, _, body = text.partition("\n")
    assert headline.startswith("# S&P 500 Closes Just Shy of a Bear Market")
    lead = body.split("\n## ")[0]
    assert "19.8% below its record close, just above the bear-market line" in lead


def test_a_session_is_sized_against_its_own_average_range() -> None:
    """March 23, 2020: Nvidia's 3.4% gain was a third of its 10% average daily range, and the
    article sold it as "Nvidia Jumps 3.4%" and "Nvidia climbed sharply" (review 5). December 26,
    2018: the S&P 500's outside reversal sat under "Falling Channel" and "The bearish case firms
    up", as if the day had not happened; the call still leans bearish, and now says why. Two
    sessions sized in one sentence never read out of the order of their moves."""
    book = load_playbook("default")
    calm = write_article(book, as_of=dt.date(2020, 3, 23)).markdown
    assert "Nvidia Adds 3.4%" in calm.splitlines()[0]
    assert "Nvidia moved higher" in calm and "Nvidia climbed sharply" not in calm
    # Amazon's 3.07% was half its own range: sized in words beside Nvidia's bigger 3.37%, it
    # would be "rallied hard" after "moved higher" (review 6); it gives its figure instead.
    assert "Amazon rose 3.07%" in calm and "Amazon rallied hard" not in calm
    reversal = write_article(load_playbook("tech-vs-broad-market"), as_of=dt.date(2018, 12, 26))
    section = reversal.markdown.split("## S&P 500: ")[1].split("## ")[0]
    assert section.startswith("A Rebound Inside a Falling Channel")
    assert "still leans bearish after the bounce" in section


def test_history_without_an_edge_closes_the_lead() -> None:
    """March 16, 2020: "History offers no edge here: in the 12 earlier episodes..." stood between
    the S&P 500's plunge and Nvidia's worst session since 2018 (reviews 4 and 5). A base rate
    with no edge is the lead's last sentence."""
    lead = write_article(load_playbook("default"), as_of=dt.date(2020, 3, 16)).markdown
    paragraph = lead.split("\n\n")[2]
    assert paragraph.index("Nvidia had its worst session") < paragraph.index("History offers")
    assert paragraph.rstrip().endswith("about as often as in any month.")


def test_a_rally_inside_a_new_bull_market_is_told_by_the_rise_from_the_low() -> None:
    """April 17, 2020: "The S&P rose more than 16% in 11 sessions" hid its 28.5% from the March
    23 closing low, and "Every chart here is in a new bull market" stood without that figure;
    "Buyers pushed Nvidia up 21.2% in just 10 sessions" was a run that ended Thursday, on a day
    Nvidia fell (review 6). A run that began within a month of the low is that rise."""
    text = write_article(load_playbook("default"), as_of=dt.date(2020, 4, 17)).markdown
    assert "28.5% above its March 23 closing low" in text
    assert "in 11 sessions" not in text and "in just 10 sessions" not in text
    assert "48.8% above its March 16 closing low" in text  # Nvidia's rise, in its place
    # A leg that began three months after its low is its own story (Amazon, August 2014).
    book = dataclasses.replace(load_playbook("default"), persona="morning-brief")
    assert (
        "Amazon Rallies 8.9% in 11 Sessions"
        in write_article(book, as_of=dt.date(2014, 8, 18)).markdown
    )


def test_a_run_that_ended_before_today_is_dated_in_every_phrasing() -> None:
    """January 14, 2019: the S&P's 10.4% run peaked on Thursday. Each seed's phrasing dates it
    ("through Thursday"); "Buyers pushed Nvidia up 21.2% in just 10 sessions" told a run that
    had ended as if it ran on (April 17, 2020, review 6)."""
    for seed in range(6):
        book = dataclasses.replace(load_playbook("default"), seed=seed)
        text = write_article(book, as_of=dt.date(2019, 1, 14)).markdown
        runs = [line for line in text.splitlines() if "10" in line and "11 sessions" in line]
        assert runs and all("in 11 sessions through Thursday" in line for line in runs), runs
