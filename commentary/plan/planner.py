"""The planner: facts in, an article's structure out.

Sections come in playbook order: one per instrument, then one per comparison. Inside an
instrument section the facts run performance → trend → levels → momentum → averages → volume,
related facts share a sentence, a turn in polarity gets a contrast word, and a bottom line names
the key level and both scenarios. The headline and lead come from the most salient facts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from ..analysis import Analysis, FactSheet, InstrumentAnalysis
from ..events.drawdown import Drawdown
from ..playbooks import Playbook
from ..quality import QualityIssue
from ..rules import Fact, Polarity
from ..states import PairStates, SymbolStates
from . import levels as trade_levels
from . import takeaways
from .lead import MINOR, headline_of, lead_of, others_of, section_of, titled, without
from .model import (
    SIGN,
    ArticlePlan,
    BottomLine,
    KeyLevel,
    Section,
    Sentence,
    WatchItem,
    with_contrasts,
)
from .notes import issues_that_matter
from .said import changes_told, runs_inside, same_verdict_base_rates
from .story import (
    RACE_DETAIL,
    background,
    carries_a_rally,
    is_regime,
    newsworthy,
    story_weight,
    theme_weight,
    turned_weight,
)
from .verdicts import lean_of

if TYPE_CHECKING:
    from ..changes import Changes

#: Paragraphs of an instrument section, each a list of (topic prefix, message) in reading order.
#: Topics sharing a message are phrased together in one sentence. The first paragraph is what
#: is new today (the session, its rank in history, what it broke or set); the second is the
#: standing picture, cut by ``story.newsworthy`` to what bears on the story.
PARAGRAPHS: tuple[tuple[tuple[str, str], ...], ...] = (
    (("performance.day", "day_move"), ("performance.base_rate", "base_rate"),
     ("levels.close", "record_close"), ("levels.prior_record", "prior_record"),
     ("performance.week", "run_rank"), ("performance.straight", "straight"),
     ("performance.month", "returns"),
     ("performance.quarter", "returns"), ("performance.pop", "pop"),
     ("levels.break", "level_break"), ("levels.high", "high"), ("levels.low", "low_52w"),
     ("averages.price", "average_cross"),
     ("momentum.extreme", "extreme"), ("momentum.macd", "macd"), ("averages.cross", "averages"),
     ("momentum.bollinger", "bollinger"), ("volume", "volume")),
    (("performance.drawdown", "drawdown"), ("performance.recovery", "recovery"),
     ("averages.extreme", "extreme"), ("performance.ytd", "ytd"), ("trend.channel", "channels"),
     ("trend.structure", "structure"), ("momentum.rsi", "rsi")),
    # Only with ``detail = "full"``: the readings a story leaves to the verdict and the levels.
    (("levels.support", "range"), ("levels.resistance", "range")),
    (("rating", "rating"), ("momentum.stochastic", "stochastic"), ("momentum.adx", "adx")),
    (("averages.stacking", "averages"),),
)  # fmt: skip
COMPARISON_PARAGRAPHS: tuple[tuple[tuple[str, str], ...], ...] = (
    (("relative.divergence", "divergence"), ("relative.streak", "streak"),
     ("relative.ytd", "ytd_gap")),
)  # fmt: skip


def plan_article(
    analysis: Analysis, facts: FactSheet, playbook: Playbook, changes: Changes | None = None
) -> ArticlePlan:
    """The whole article's plan; ``changes`` (since the last issue) adds each section's change
    facts and weighs down what the last issue already said."""
    by_symbol = {item.instrument.symbol: item for item in analysis.instruments}
    sections = []
    for instrument in playbook.instruments:
        item = by_symbol[instrument.symbol]
        symbol_facts = facts.for_symbol(instrument.symbol)
        if changes is None:
            sections.append(_instrument_section(item, symbol_facts, playbook.detail))
            continue
        news = changes.news(instrument.symbol, symbol_facts)
        section = _instrument_section(item, symbol_facts, playbook.detail, news)
        told = changes_told(changes.for_subject(section.subject), news, playbook.detail)
        sections.append(replace(section, changes=told))
    for pair in analysis.comparisons:
        relative = pair.relative
        item = by_symbol[relative.symbol]
        sections.append(
            _comparison_section(
                pair, item, by_symbol[relative.benchmark],
                facts.for_pair(relative.symbol, relative.benchmark), playbook.detail,
            )
        )  # fmt: skip
    ranked = sorted((f for s in sections for f in s.facts), key=_news_order)
    headline = headline_of(ranked, [s.session for s in sections if s.session is not None])
    days = tuple(s.day for s in sections if s.day is not None)
    lead = lead_of(sections, headline, playbook.detail)
    others = others_of(sections, headline)
    # Discourse memory at the plan level: a fact the lead states is not stated again in its
    # section (unless the section would be left with nothing to say).
    said = {(f.subject, f.id) for s in lead for f in s.facts} | {(f.subject, f.id) for f in others}
    if playbook.detail != "full":
        said |= same_verdict_base_rates(lead, sections)
        said |= runs_inside(lead, sections)
    sections = [
        takeaways.spoken(
            titled(_refilled(without(s, said), facts, playbook.detail, said, by_symbol)), lead
        )
        for s in sections
    ]
    top = sections[0] if not headline else section_of(sections, headline[0])
    # A comparison's lean is relative ("the laggard"), not a call on the instrument: the closing
    # bottom line trades the instrument, so it takes the instrument section's lean and levels.
    top = next((s for s in sections if s.subject == top.instrument.symbol), top)
    return ArticlePlan(
        series=playbook.title,
        persona=playbook.persona,
        byline=playbook.byline,
        as_of=analysis.as_of,
        seed=playbook.seed,
        headline=headline,
        lead=lead,
        others=others,
        days=days,
        sections=tuple(sections),
        watch=tuple(_watch(by_symbol[i.symbol]) for i in playbook.instruments),
        final=top.bottom_line,
        final_also=_second_bottom_line(sections, headline, top),
        notes=playbook.notes,
        prices=_prices(analysis),
        data_notes=(
            *(left.note for left in analysis.left_out if left.note),
            *(_data_note(issue, analysis) for issue in issues_that_matter(analysis, ranked)),
        ),
        since=changes.since if changes else None,
        scorecard=changes.scorecard if changes else None,
        race_moves=_race_moves(sections, days),
    )


def _race_moves(sections: Sequence[Section], days: Sequence[Fact]) -> bool:
    """Whether a comparison's race can give both its sessions: both sides have a section (a
    universe page's benchmark has none), so the editor's pass has them to take out."""
    moved = {f.subject for f in days}
    return any(
        s.kind == "comparison" and s.instrument.symbol in moved and s.benchmark is not None
        and s.benchmark.symbol in moved
        for s in sections
    )  # fmt: skip


#: What fills a section the lead emptied when its regime (``story.is_regime``) is out of turn:
#: the move over the last month (or quarter).
REFILL_WINDOWS = ("performance.month", "performance.quarter")


def _refilled(
    section: Section,
    facts: FactSheet,
    detail: str,
    said: set[tuple[str, str]],
    by_symbol: dict[str, InstrumentAnalysis],
) -> Section:
    """An instrument section the lead emptied (its only news was the headline's) says the regime
    its chart stands in. "Nvidia: A Higher Close" over a bottom line and nothing else read as a
    gap in the page (March 23, 2020, review 2); the levels it was testing read as a claim that
    support near $50 "held twice" in a week it traded under $50 five times (review 3). Not a
    regime the lead said, and a standing one in its turn (``story.background``). Out of its
    turn, the month's move says where the day sits instead: the section read as a hole again on
    March 23, 2020, the day Nvidia's bear market was out of turn."""
    if section.paragraphs or section.kind != "instrument" or detail == "full":
        return section
    unsaid = [f for f in facts.for_symbol(section.subject) if (f.subject, f.id) not in said]
    regime = background(
        [f for f in unsaid if is_regime(f)], None, by_symbol[section.subject].states.sessions
    )
    chosen = regime or [f for f in unsaid if f.topic in REFILL_WINDOWS][:1]
    if not chosen:
        return section
    topics = {f.topic for f in chosen}
    layout = tuple(p for p in PARAGRAPHS if any(topic in topics for topic, _ in p))
    return replace(section, paragraphs=_sentences(chosen, layout, section.subject))


def _prices(analysis: Analysis) -> str:
    """Whether the prices quoted are split-adjusted (an index level has no splits to adjust)."""
    priced = [i for i in analysis.instruments if i.instrument.kind != "index"]
    adjusted = [i.instrument.name for i in priced if i.bars.adjusted]
    if not adjusted:
        return ""
    if len(adjusted) == len(priced):
        return "split-adjusted prices"
    names = adjusted[0] if len(adjusted) == 1 else f"{', '.join(adjusted[:-1])} and {adjusted[-1]}"
    return f"split-adjusted prices for {names}"


def _data_note(issue: QualityIssue, analysis: Analysis) -> str:
    """A quality note as the reader gets it: the instrument by name, no operator's fix."""
    names = {item.instrument.symbol: item.instrument.name for item in analysis.instruments}
    return f"{names.get(issue.symbol, issue.symbol)}: {issue.note or issue.message}"


def _second_bottom_line(
    sections: Sequence[Section], headline: Sequence[Fact], top: Section
) -> BottomLine | None:
    if len(headline) < 2:
        return None
    second = section_of(sections, headline[1]).bottom_line
    if second.instrument.symbol == top.bottom_line.instrument.symbol or second.key is None:
        return None
    return second


def _sentences(
    facts: Sequence[Fact],
    layout: tuple[tuple[tuple[str, str], ...], ...],
    subject: str,
    detail: str = "story",
) -> tuple[tuple[Sentence, ...], ...]:
    paragraphs = []
    for paragraph in layout:
        groups: dict[str, list[Fact]] = {}
        for prefix, message in paragraph:
            for fact in facts:
                if fact.topic == prefix or fact.topic.startswith(prefix + "."):
                    groups.setdefault(message, []).append(fact)
        chosen = [(m, fs) for m, fs in groups.items() if max(f.salience for f in fs) >= MINOR]
        if not chosen and groups:
            chosen = [max(groups.items(), key=lambda item: max(f.salience for f in item[1]))]
        sentences = [Sentence(m, tuple(group), subject, detail=detail) for m, group in chosen]
        if sentences:
            paragraphs.append(with_contrasts(sentences))
    return tuple(paragraphs)


def _balance(facts: Sequence[Fact]) -> float:
    weight = sum(f.salience for f in facts if f.polarity is not Polarity.NEUTRAL)
    if weight == 0:
        return 0.0
    return sum(SIGN[f.polarity] * f.salience for f in facts) / weight


def _lean(balance: float, rating: float | None = None) -> Polarity:
    return lean_of(balance, rating)


def _instrument_section(
    item: InstrumentAnalysis,
    facts: Sequence[Fact],
    detail: str = "story",
    news: Sequence[Fact] | None = None,
) -> Section:
    """``news``: the facts as news weighs them (``changes``), for the paragraphs and the title;
    a story (``detail``) then keeps what is news today. The lean is always weighed from all of
    ``facts``."""
    subject = item.instrument.symbol
    day = next((f for f in facts if f.topic == "performance.day"), None)
    shown = list(facts if news is None else news)
    if detail == "full":
        theme = _theme(shown or facts, item.states.rating.value, facts)
    else:
        carried = carries_a_rally(shown)
        shown = newsworthy(shown)
        theme = _theme(
            shown or facts, item.states.rating.value, facts,
            lambda f: theme_weight(f) * turned_weight(f, day),
        )  # fmt: skip
        shown = background(shown, theme, item.states.sessions, carried)
    paragraphs = _sentences(shown, PARAGRAPHS, subject, detail)
    line = _bottom_line(item, facts, theme)
    return Section(
        kind="instrument",
        subject=subject,
        instrument=item.instrument,
        benchmark=None,
        theme=theme,
        paragraphs=paragraphs,
        bottom_line=line,
        situations=() if detail == "full" else takeaways.situations(facts, line.lean),
        session=day,
    )


def _theme(
    facts: Sequence[Fact],
    rating: float | None = None,
    weighed: Sequence[Fact] | None = None,
    weight: Callable[[Fact], float] = lambda f: f.salience,
) -> Fact | None:
    """The weightiest fact that agrees with the section's lean (a title must not contradict
    its bottom line), the lean weighed from ``weighed`` when given."""
    lean = SIGN[_lean(_balance(facts if weighed is None else weighed), rating)]
    agreeing = [f for f in facts if SIGN[f.polarity] * lean >= 0]
    return max(agreeing or facts, key=weight, default=None)


def _comparison_section(
    pair: PairStates,
    item: InstrumentAnalysis,
    benchmark: InstrumentAnalysis,
    facts: Sequence[Fact],
    detail: str = "story",
) -> Section:
    subject = f"{pair.relative.symbol} vs {pair.relative.benchmark}"
    theme = max(facts, key=lambda f: f.salience, default=None)
    line = _bottom_line(item, facts, theme)
    lean, basis = _relative_call(pair, facts)
    # The leader's own regime: a lead held in a bear market is relative, not a buy.
    leader = item if lean is Polarity.BULLISH else benchmark
    return Section(
        kind="comparison",
        subject=subject,
        instrument=item.instrument,
        benchmark=benchmark.instrument,
        theme=theme,
        paragraphs=_sentences(
            list(facts) if detail == "full" else _race_facts(facts),
            COMPARISON_PARAGRAPHS,
            subject,
        ),
        spread_bps=pair.relative.spread_today_bps,
        bottom_line=BottomLine(
            subject=subject,
            instrument=item.instrument,
            close=line.close,
            lean=lean,
            balance=line.balance,
            key=line.key,
            other=line.other,
            theme=theme,
            regime="" if lean is Polarity.NEUTRAL else trade_levels.regime(leader.states),
            basis=basis,
            ytd_gap=pair.relative.ytd_gap_pct,
            run=_run(pair),
            leader_above_bear_line=_above_bear_line(leader),
        ),
    )


def _above_bear_line(item: InstrumentAnalysis) -> bool:
    """In a bear market, and closed back above its bear-market line (the regime lasts until a
    20% rise from the low): named apart in the closing's breadth and a pair's bottom line."""
    events = item.states.events
    down = events.drawdown if events is not None else None
    return down is not None and down.regime == "bear market" and down.above_bear_line


def _race_facts(facts: Sequence[Fact]) -> list[Fact]:
    """The race is told by the day's spread, the day's own news in it (a held low) and a
    streak. Without either, the section's lean rests on the year-to-date gap
    (``_relative_call``), and the gap is said: "Nvidia trailed the S&P 500 by a long way ...
    Nvidia holds the upper hand" gave the reader no reason for the verdict. Not in January,
    when the year's race is a few weeks old and says nothing yet."""
    kept = [f for f in facts if f.topic != "relative.ytd"]
    if any(f.as_of.month == 1 for f in facts) or any(
        f.topic in ("relative.streak", RACE_DETAIL) for f in kept
    ):
        return kept
    return list(facts)


def _relative_call(pair: PairStates, facts: Sequence[Fact]) -> tuple[Polarity, str]:
    """Who is winning, and on what: the streak when there is one worth a fact ("streak"), else
    the year-to-date gap ("year"); neutral with no basis ("") when neither says."""
    relative = pair.relative
    if any(f.topic == "relative.streak" for f in facts) and relative.current is not None:
        return (Polarity.BULLISH if relative.current.outperforming else Polarity.BEARISH), "streak"
    ytd = next((f for f in facts if f.topic == "relative.ytd"), None)
    lean = ytd.polarity if ytd is not None else Polarity.NEUTRAL
    return lean, "" if lean is Polarity.NEUTRAL else "year"


def _run(pair: PairStates) -> int:
    """The pair's current run of sessions, signed: positive when the symbol is the one winning."""
    current = pair.relative.current
    if current is None:
        return 0
    return current.sessions if current.outperforming else -current.sessions


def _bottom_line(item: InstrumentAnalysis, facts: Sequence[Fact], theme: Fact | None) -> BottomLine:
    balance = _balance(facts)
    lean = _lean(balance, item.states.rating.value)
    key, other = key_levels(item.states, lean)
    return BottomLine(
        subject=item.instrument.symbol,
        instrument=item.instrument,
        close=item.states.close,
        lean=lean,
        balance=balance,
        key=key,
        other=other,
        theme=theme,
        regime=trade_levels.regime(item.states),
    )


def key_levels(
    states: SymbolStates, lean: Polarity = Polarity.NEUTRAL
) -> tuple[KeyLevel | None, KeyLevel | None]:
    """The level that decides a call with this ``lean`` and the level that proves it wrong,
    chosen among every level a trader watches within reach of the close (``plan.levels``)."""
    return trade_levels.roles(states, lean)


def _watch(item: InstrumentAnalysis) -> WatchItem:
    states = item.states
    supports, resistances = trade_levels.ladder(states)
    extremes = states.levels.extremes
    down = states.events.drawdown if states.events is not None else None
    return WatchItem(
        instrument=item.instrument,
        close=states.close,
        support=supports[0] if supports else None,
        resistance=resistances[0] if resistances else None,
        all_time_high=extremes.all_time_high,
        all_time_high_pct=extremes.pct_from_all_time_high,
        history_start=extremes.history_start,
        supports=supports[:2],
        resistances=resistances[:2],
        regime=trade_levels.regime(states),
        cycle_pct=_cycle_pct(down),
        above_bear_line=_above_bear_line(item),
    )


def _cycle_pct(down: Drawdown | None) -> float | None:
    """The distance from the high a bear market or correction is measured from; None in a new
    bull market, whose cycle high is its own latest close (0%), not a yardstick of damage."""
    if down is None or down.bull_market or down.regime not in ("bear market", "correction"):
        return None
    return down.regime_from_peak_pct


def _news_order(fact: Fact) -> tuple[float, float]:
    """Most newsworthy first; between equals, the bigger move (on 2016-06-24 five charts each had
    a "big loss": the S&P 500's 3.59% is the story's second clause, not Apple's 2.81%)."""
    move = fact.values.get("change_pct")
    return -story_weight(fact), -abs(float(move)) if isinstance(move, int | float) else 0.0
