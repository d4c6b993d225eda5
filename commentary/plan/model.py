"""What the planner hands the templates: the article's structure, with facts in reading order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from ..rules import Fact, Polarity
from ..symbols import Instrument


@dataclass(frozen=True)
class Sentence:
    """One sentence: a message type phrased from one or more related facts.

    ``contrast`` counts the turns in polarity so far in the paragraph when this sentence turns
    ("However, ...": 1 for the first, 2 for the second, so each gets its own word); 0 otherwise.
    """

    message: str
    facts: tuple[Fact, ...]
    subject: str
    contrast: int = 0
    #: A lead sentence restates a fact its section also states, in other words.
    lead: bool = False
    #: The playbook's ``detail``: "full" pages quote every reading, the close included.
    detail: str = "story"
    #: Which heading already carries this fact: 1 the headline's first clause (figure and
    #: rarity), 2 its second clause (figure only), 3 the section's title (rarity), 4 the
    #: headline's session clause ("Hits a Record High on a 1.0% Gain": the day's move only),
    #: 0 none. The sentence then adds what the heading left out.
    headlined: int = 0

    @property
    def rank_said(self) -> bool:
        """A heading above gave the fact's rank ("Its Worst Session in Data Back to 2000")."""
        return self.headlined in (1, 3)

    @property
    def key(self) -> str:
        """What the phrasing variant is chosen by, with the seed and date."""
        return "+".join(f.id for f in self.facts)

    def fact(self, topic_prefix: str) -> Fact | None:
        """The first fact whose id starts with ``topic_prefix``."""
        return next((f for f in self.facts if f.id.startswith(topic_prefix)), None)


#: A polarity as a sign: +1 bullish, -1 bearish, 0 neutral.
SIGN = {Polarity.BULLISH: 1, Polarity.BEARISH: -1, Polarity.NEUTRAL: 0}


#: Readings that say a price is stretched, by the side it is stretched to. Two of them on the
#: same side tell one story whatever their polarities: "98.5% above the 200-day average. Even
#: so, the RSI is overbought" set a bullish reading against a bearish one that agree.
STRETCHED = {
    "averages.extreme.sma_200_high": 1, "momentum.extreme.rsi_high": 1,
    "momentum.rsi.overbought": 1, "momentum.bollinger.above": 1,
    "averages.extreme.sma_200_low": -1, "momentum.extreme.rsi_low": -1,
    "momentum.rsi.oversold": -1, "momentum.bollinger.below": -1,
}  # fmt: skip


def _stretched(sentence: Sentence) -> int:
    sides = {STRETCHED.get(f.id, 0) for f in sentence.facts}
    return sides.pop() if len(sides) == 1 else 0


def with_contrasts(sentences: Sequence[Sentence]) -> tuple[Sentence, ...]:
    """A paragraph's sentences, each marked with the contrast word its place earns: a turn in
    polarity from the sentence before it, at most one a paragraph (a second reads as rote
    "however"s), and none between two readings stretched the same way (``STRETCHED``)."""
    out = []
    previous = turns = stretch = 0
    for sentence in sentences:
        side, stretch = stretch, _stretched(sentence)
        if side and side == stretch:
            out.append(replace(sentence, contrast=0))
            continue
        group = sentence.facts
        # Performance is context, not a signal; a sentence mixing polarities carries its own
        # "but". Neither takes or sets up a contrast word.
        context = all(f.section == "performance" for f in group)
        mixed = {f.polarity for f in group} >= {Polarity.BULLISH, Polarity.BEARISH}
        total = sum(SIGN[f.polarity] * f.salience for f in group)
        sign = 0 if context or mixed else (total > 0) - (total < 0)
        turns += previous * sign < 0
        contrast = 1 if previous * sign < 0 and turns == 1 else 0
        out.append(replace(sentence, contrast=contrast))
        previous = sign or previous
    return tuple(out)


@dataclass(frozen=True)
class KeyLevel:
    """A price the bottom line turns on, and what kind of level it is.

    ``kind`` is one of ``states.trade_levels.PRIORITY`` ("prior close", "recent close", "day's
    low", "gap edge", "50-day average", "20% line", "swing low", "support", "all-time high",
    "broken level", ...); the templates name it ("Thursday's close", "today's low").
    """

    price: float
    kind: str
    above: bool
    touches: int = 0
    #: The session the level comes from; None for a moving average or a broken cluster.
    date: dt.date | None = None
    #: Distance from the close in average daily ranges (ATR 14), always positive.
    atr: float | None = None
    #: ``date`` falls in the week before the article's session: the day's name identifies it
    #: ("Thursday's close"); older ones are named by their date ("the March 10 close").
    recent: bool = False
    #: ``date`` is named without its year ("the Dec. 27 close"): it falls in the article's own
    #: year, or within ``YEARLESS_DAYS`` before the session (a January issue's "Dec. 27"). The
    #: verifier reads a date without its year the same way.
    yearless: bool = False


@dataclass(frozen=True)
class BottomLine:
    subject: str
    instrument: Instrument
    close: float
    lean: Polarity
    #: Net polarity of the section's facts weighted by salience, from -1 to +1.
    balance: float
    #: The level that decides the call: the nearest within reach in the lean's direction
    #: (resistance for a bullish lean, support for a bearish one; the nearer side when balanced).
    #: None when no level is within reach there.
    key: KeyLevel | None
    #: The level that proves the call wrong: the nearest within reach on the other side of the
    #: close from ``key`` (docs/levels.md).
    other: KeyLevel | None
    theme: Fact | None
    #: The standing regime a bottom line names when no level is within reach: "bear market",
    #: "correction", "uptrend", "downtrend" or "" (unknown).
    regime: str = ""
    #: What a comparison's lean rests on: "streak" (the current run of sessions) or "year" (the
    #: year-to-date gap); "" for an instrument or an even pair.
    basis: str = ""
    #: A comparison's year-to-date gap in percentage points (symbol minus benchmark); None for
    #: an instrument, or before the pair's first session of the year.
    ytd_gap: float | None = None
    #: A comparison's current run of sessions: how many in a row one side has won, positive when
    #: the symbol outperformed (too short to be a streak fact, it still tells an even pair).
    run: int = 0
    #: A comparison's leader in a bear market has closed back above its bear-market line (the
    #: regime lasts until a 20% rise from the low): "still in a bear market" alone undersold an
    #: Amazon up for the year (March 23, 2020, review 6).
    leader_above_bear_line: bool = False


@dataclass(frozen=True)
class Section:
    kind: Literal["instrument", "comparison"]
    subject: str
    instrument: Instrument
    benchmark: Instrument | None
    theme: Fact | None
    paragraphs: tuple[tuple[Sentence, ...], ...]
    bottom_line: BottomLine
    #: A comparison's race: the day's return gap in basis points (the pair's
    #: ``spread_today_bps``); None for an instrument section.
    spread_bps: float | None = None
    #: What changed since the last issue (``commentary.changes``): change facts, in order.
    changes: tuple[Fact, ...] = ()
    #: What the facts mean to a trader (``plan.takeaways``): situations the templates phrase,
    #: the ones among ``situations`` that the article states (``takeaways.spoken``).
    takeaways: tuple[str, ...] = ()
    #: Every situation the section's facts describe, stated or not, most telling first.
    situations: tuple[str, ...] = ()
    #: The takeaway's situation is stated only by a change sentence ("back above 2,450"): it
    #: follows that sentence.
    takeaway_with_changes: bool = False
    #: The instrument's session (its day fact), said or not: a run it went against titles
    #: nothing (``story.turned_today``).
    session: Fact | None = None

    @property
    def facts(self) -> tuple[Fact, ...]:
        """Every fact the section's paragraphs state, in reading order."""
        return tuple(f for p in self.paragraphs for sentence in p for f in sentence.facts)

    @property
    def day(self) -> Fact | None:
        """The session's move, when the section states it."""
        return next((f for f in self.facts if f.topic == "performance.day"), None)

    def says(self, topic: str) -> bool:
        """Whether the section's paragraphs state a fact on ``topic`` (after the economy's cuts:
        a bottom line whose reason went says it in words)."""
        return any(f.topic == topic for f in self.facts)


@dataclass(frozen=True)
class WatchItem:
    instrument: Instrument
    close: float
    support: KeyLevel | None
    resistance: KeyLevel | None
    all_time_high: float
    all_time_high_pct: float
    history_start: dt.date
    #: The nearest levels within reach below and above the close, nearest first (at most two).
    supports: tuple[KeyLevel, ...] = ()
    resistances: tuple[KeyLevel, ...] = ()
    regime: str = ""
    #: Percent from the market cycle's high (``Drawdown.regime_from_peak_pct``), the yardstick
    #: of the regime; None without a drawdown. It differs from ``all_time_high_pct`` when the
    #: record belongs to an earlier cycle (the Nasdaq's 2000 high in 2008).
    cycle_pct: float | None = None
    #: The close is above the bear-market line (``Drawdown.above_bear_line``); False without a
    #: drawdown measured (``cycle_pct`` None).
    above_bear_line: bool = False


@dataclass(frozen=True)
class ArticlePlan:
    series: str
    persona: str
    byline: str
    as_of: dt.date
    seed: int
    headline: tuple[Fact, ...]
    lead: tuple[Sentence, ...]
    sections: tuple[Section, ...]
    watch: tuple[WatchItem, ...]
    #: The bottom line for traders: the lead section's, and the second headline subject's.
    final: BottomLine
    final_also: BottomLine | None
    notes: tuple[str, ...]
    #: Data-quality notes shown to the reader ("data as of the close on ...").
    data_notes: tuple[str, ...] = ()
    #: Editor's items (``items.ItemPlan``), set after the main sections.
    items: tuple[Any, ...] = ()
    #: The other instruments' day moves, biggest first, for the lead's sentence that ties them
    #: to the story (their sections do not repeat them).
    others: tuple[Fact, ...] = ()
    #: Every instrument's day move, for a headline whose story is not the day itself (its
    #: figure keeps two sessions' headlines apart: "Apple Hits a Record High on a 1.2% Gain").
    days: tuple[Fact, ...] = ()
    #: What the dateline says about the prices: "split-adjusted prices", "split-adjusted prices
    #: for Apple", or "" when no price quoted is adjusted.
    prices: str = ""
    #: The issue this one is compared with (``changes.Since``), or None.
    since: Any = None
    #: The scorecard line's values (``changes.scoreline``), or None without graded calls.
    scorecard: dict[str, Any] | None = None
    #: Set by the economy's last pass (``plan.economy``) on an article still over its budget
    #: of figures: the levels list gives the nearest level on each side, not the one after it,
    #: the lesser sessions are sized in words ("Nvidia edged higher"), and the closing paragraph
    #: ranks the charts from their peaks without the figures.
    tight: bool = False
    #: Set by the editor's pass on a tight article still over budget once cut: a bottom line
    #: names the level that proves its call wrong without the price when the name says which it
    #: is ("a close above Wednesday's close").
    spare: bool = False
    #: Whether a comparison's race gives the two sessions behind its margin ("it fell 5.37%
    #: against the index's 11.98%"). The editor's pass takes them out first when the article is over
    #: its budget of figures: they are the figures a reader can best do without.
    race_moves: bool = True

    def says(self, subject: str, topic: str) -> bool:
        """Whether the lead or a section states a fact of ``topic`` about ``subject``: the
        closing paragraph then refers to it without quoting its figure again."""
        facts = [
            *(f for x in self.lead for f in x.facts),
            *(f for s in self.sections for f in s.facts),
        ]
        return any(f.subject == subject and f.topic == topic for f in facts)
