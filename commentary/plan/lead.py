"""The opening of an article: the story (headline facts), the lead's sentences, the other
instruments' sessions that the lead ties to it, and the discourse memory that keeps a fact the
lead said out of its section."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ..rules import Fact
from .model import SIGN, Section, Sentence, with_contrasts
from .story import (
    RACE_DETAIL,
    RARE,
    RARE_DAY,
    is_context,
    is_regime,
    is_standing,
    news_weight,
    turned_today,
    turned_weight,
)

#: Facts below this salience are left out of a paragraph that has enough without them, and do
#: not make a second headline clause.
MINOR = 0.3
#: Below this, no fact is news enough to lead; the day's move does.
QUIET = 0.5
#: A session that is neither big nor rare: no second headline clause.
ORDINARY_DAY = ("performance.day.gain", "performance.day.loss")
#: Stories whose headline carries no session clause: they are a move over days already, or the
#: session itself. Any other story's headline gives the day's move ("Hits a Record High on a
#: 1.0% Gain"), unless the move rounds to nothing.
NO_DAY_CLAUSE = ("day_move", "run_rank", "returns", "pop", "ytd_gap", "streak", "straight")
DAY_CLAUSE_MIN_PCT = 0.05


def lead_of(
    sections: Sequence[Section], headline: Sequence[Fact], detail: str = "story"
) -> tuple[Sentence, ...]:
    """The headline's facts as sentences; a session that is the story brings its base rate (how
    the instrument did after such days, beside how it does on any day). ``detail`` is the
    playbook's: a full-detail page quotes every reading in the lead too (the close in the day's
    move)."""
    lead: list[Sentence] = []
    no_edge: list[Sentence] = []
    for clause, fact in enumerate(headline, 1):
        message = message_of(sections, fact)
        lead.append(
            Sentence(message, (fact,), fact.subject, lead=True, detail=detail, headlined=clause)
        )
        day = next((s.day for s in sections if s.subject == _symbol(fact)), None)
        if day is not None and day is not fact:
            # A story that is not the session (a rally, a record, a month) still says what the
            # session did: the reader's first question is what happened today. When the
            # headline gives that move ("on a 1.0% Gain"), the sentence gives the close instead.
            carried = (
                clause == 1
                and message not in NO_DAY_CLAUSE
                and abs(float(day.values.get("change_pct", 0.0))) >= DAY_CLAUSE_MIN_PCT
            )
            lead.append(
                Sentence("day_move", (day,), day.subject, lead=True, detail=detail,
                         headlined=4 if carried else 0)
            )  # fmt: skip
        if fact.topic != "performance.day" or fact is not headline[0]:
            continue
        facts = section_of(sections, fact).facts
        rate = next((f for f in facts if f.topic == "performance.base_rate"), None)
        if rate is not None:
            said = Sentence("base_rate", (rate,), rate.subject, lead=True, detail=detail)
            # History with no edge is not news: it closes the lead instead of standing between
            # the story and its second instrument (the editor's finding, reviews 4 and 5).
            (no_edge if rate.values.get("edge") == "none" else lead).append(said)
    return (*lead, *no_edge)


def others_of(sections: Sequence[Section], headline: Sequence[Fact]) -> tuple[Fact, ...]:
    """The other instruments' sessions, for the lead's sentence that ties them to the story:
    each instrument section's day move that the headline does not already carry, biggest
    move first."""
    told = {_symbol(f) for f in headline}
    # A section whose only sentence is its session keeps it: said in the lead, the section
    # would have nothing left but the same sentence again. So does a rare session: "Elsewhere,
    # Amazon sold off hard" gave away its largest gap down since 2016 on March 16, 2020, and
    # set the day that Amazon beat the index by 6.6 points among the index's losers.
    moves = [
        s.day
        for s in sections
        if s.kind == "instrument"
        and s.subject not in told
        and s.day is not None
        and len(s.facts) > 1
        and "rare_" not in s.day.id
    ]
    if not headline or not moves:
        return ()
    return tuple(sorted(moves, key=lambda f: -abs(float(f.values.get("change_pct", 0.0)))))


def without(section: Section, said: set[tuple[str, str]]) -> Section:
    """``section`` without the sentences whose facts (subject, id) the lead already said. A
    channel sentence goes when the lead said any of its horizons: it tells one trend, and the
    section would tell it again ("over the short, medium and long term" after the lead's
    "over the medium term")."""

    def told(sentence: Sentence) -> bool:
        ids = {(f.subject, f.id) for f in sentence.facts}
        one_trend = sentence.message == "channels" and bool(ids & said)
        return ids <= said or one_trend

    kept = tuple(
        paragraph
        for paragraph in (with_contrasts([s for s in p if not told(s)]) for p in section.paragraphs)
        if paragraph
    )
    if not kept:
        # Everything was in the lead: the section keeps its title (the lead's news) and its
        # bottom line, and does not say the lead's sentences a second time.
        return replace(section, paragraphs=())
    if kept == section.paragraphs:
        return section
    # The title names what the section now says first, not the lead's news again.
    lean = SIGN[section.bottom_line.lean]
    left = [f for p in kept for sentence in p for f in sentence.facts]
    agreeing = [f for f in left if SIGN[f.polarity] * lean >= 0] or left
    if section.kind != "instrument":
        return replace(section, paragraphs=kept)
    theme = max(agreeing, key=lambda f: _title_weight(f) * turned_weight(f, section.session))
    return replace(section, paragraphs=kept, theme=theme)


def titled(section: Section) -> Section:
    """``section`` with the sentence that states its theme marked as said by the title (the
    title gives a rank; the sentence then gives the figure)."""
    theme = section.theme
    if theme is None or section.kind != "instrument":
        return section
    paragraphs = tuple(
        tuple(replace(s, headlined=3) if theme in s.facts and not s.headlined else s for s in p)
        for p in section.paragraphs
    )
    return replace(section, paragraphs=paragraphs)


#: A price crossing an average: what an ordinary big day did on the chart.
AVERAGE_CROSS = "averages.price."


def headline_of(ranked: Sequence[Fact], sessions: Sequence[Fact] = ()) -> tuple[Fact, ...]:
    """The two most salient facts about different subjects (one if only one subject speaks).
    ``sessions``: every instrument's day fact, said or not (a run the day turned against is no
    second headline)."""
    if not ranked:
        return ()
    first = ranked[0]
    if news_weight(first) < QUIET:
        # A quiet day: nothing rare happened, so the session itself is the story.
        first = next((f for f in ranked if f.topic == "performance.day"), first)
    elif first.topic == "levels.break":
        # A level that gave way on a rare day is how the day shows on the chart: the day leads
        # ("S&P 500 Plunges 6.7%, Its Worst Session Since December 2008", not "Breaks Below").
        first = next(
            (
                f
                for f in ranked
                if _symbol(f) == _symbol(first) and f.id.startswith("performance.day.rare")
            ),
            first,
        )
    if first.topic == "performance.day" and not first.id.startswith(RARE_DAY):
        # A session big only by its size gives way to what it did on the chart, and rides in
        # the headline's day clause: "S&P 500 Closes Above Its 50-Day Average for the First
        # Time Since Feb. 21 on a 2.7% Gain", not "S&P 500 Jumps 2.7%" (April 17, 2020).
        first = next(
            (f for f in ranked if f.topic.startswith(AVERAGE_CROSS) and f.subject == first.subject),
            first,
        )
    # Two themes about two instruments: a comparison is about its symbol. An ordinary session
    # ("S&P Adds 0.1%") is no second headline: the lead ties it to the story instead.
    second = next(
        (
            f
            for f in ranked[1:]
            if _symbol(f) != _symbol(first)
            and f.salience >= MINOR
            and f.id not in ORDINARY_DAY
            and not (is_standing(f) and not is_regime(f))  # a channel, an RSI zone, a year
            and not _turned_today(f, sessions)
            and f.topic != RACE_DETAIL
        ),
        None,
    )
    if first.topic == "performance.day":
        # After one session, the day's biggest other big move: "S&P 500 Plunges 12.0%, Its Worst
        # Session in Data Back to 2000; Nvidia Sheds 18.5%", not Amazon's rarer 8.0% gap.
        moves = [
            f for f in ranked[1:]
            if f.topic == "performance.day" and _symbol(f) != _symbol(first)
            and news_weight(f) >= RARE
        ]  # fmt: skip
        if moves:
            second = max(moves, key=lambda f: abs(float(f.values.get("change_pct", 0.0))))
    return (first,) if second is None else (first, second)


def _turned_today(fact: Fact, sessions: Sequence[Fact]) -> bool:
    """``story.turned_today`` against its instrument's session among ``sessions``."""
    return turned_today(fact, next((f for f in sessions if f.subject == fact.subject), None))


def _symbol(fact: Fact) -> str:
    return fact.subject.split(" vs ")[0]


def message_of(sections: Sequence[Section], fact: Fact) -> str:
    """The paragraph message that phrases ``fact`` in its section."""
    for section in sections:
        for paragraph in section.paragraphs:
            for sentence in paragraph:
                if fact in sentence.facts:
                    return sentence.message
    return fact.message


def section_of(sections: Sequence[Section], fact: Fact) -> Section:
    return next(s for s in sections if s.subject == fact.subject)


def _title_weight(fact: Fact) -> float:
    """What the title of a section the lead emptied names: the newest of what is left, never a
    base rate (context for its session; two sections of 2018-12-26 were "What History Says")."""
    return 0.0 if is_context(fact) else news_weight(fact)
