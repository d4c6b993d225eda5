"""The pipeline top-down: sources → bars → indicators → states → events → facts → plan → text.

Each step is a pure function of the previous one; only ``analyse`` touches a source.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .analysis import Analysis, FactSheet, InstrumentAnalysis
from .bars import Bars, require_sessions
from .calendars import calendar_for
from .changes import Memory, record_changes, what_changed
from .charts.record import chart_records
from .coverage import leave_out_stale, playbook_for
from .errors import CommentaryError, DataWarning, UsageError
from .events import detect_events
from .indicators import compute_indicators
from .ledger import article_ledger, build_ledger
from .plan import ArticlePlan, plan_article
from .plan.calls import calls_of
from .plan.economy import economize
from .playbooks import Playbook
from .quality import DEFAULT_QUALITY, QualitySettings, assess, refuse_if_needed
from .render import render_article
from .render.environment import persona_folder
from .render.metrics import article_figures, figures
from .reuse import Reuse, unshared
from .rules import RuleBook
from .settings import DEFAULT_SETTINGS, Settings
from .sources import Source, open_source
from .states import classify, classify_pair
from .symbols import Instrument, describe, normalise_symbol
from .verify import check_article

if TYPE_CHECKING:
    from .items import ItemPlan


def derive_facts(
    analysis: Analysis,
    rules: RuleBook,
    settings: Settings = DEFAULT_SETTINGS,
    reuse: Reuse | None = None,
) -> FactSheet:
    """Run the rules over every instrument's and every comparison's states."""
    shared = reuse or unshared
    symbols = {
        item.instrument.symbol: shared(
            "facts",
            item.bars,
            partial(
                rules.evaluate, item.states, item.instrument.symbol, item.states.date, settings
            ),
        )
        for item in analysis.instruments
    }
    pairs = {
        (p.relative.symbol, p.relative.benchmark): rules.evaluate(
            p, f"{p.relative.symbol} vs {p.relative.benchmark}", p.relative.date, settings
        )
        for p in analysis.comparisons
    }
    return FactSheet(symbols, pairs)


def parse_day(text: str | None) -> dt.date | None:
    """``YYYY-MM-DD`` as a date, or ``UsageError`` saying how to write it.

    >>> parse_day("2018-12-31")
    datetime.date(2018, 12, 31)
    """
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"{text!r} is not a date; write it as YYYY-MM-DD, e.g. 2018-12-31."
        ) from None


def load(
    symbols: Sequence[str],
    source: Source,
    as_of: dt.date | None = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> dict[str, Bars]:
    """Bars for each symbol, all cut at one as-of session so no stage can see later bars.

    Without ``as_of`` the cut is the earliest last session among the symbols, so an article
    never mixes dates; a warning names the symbols whose later data is set aside.
    """
    loaded = {symbol: source.load(symbol) for symbol in dict.fromkeys(symbols)}
    cut = np.datetime64(as_of, "D") if as_of else min(b.last_date for b in loaded.values())
    if as_of is None:
        later = {s: b.last_date for s, b in loaded.items() if b.last_date > cut}
        if later:
            shortest = ", ".join(s for s, b in loaded.items() if b.last_date == cut)
            behind = "; ".join(
                f"{s} runs {_sessions_between(cut, last)} to {last}" for s, last in later.items()
            )
            warnings.warn(
                f"reporting as of {cut}, where {shortest} data ends, so the article is behind "
                f"later data: {behind} (pass --as-of to choose the date).",
                DataWarning,
                stacklevel=2,
            )
    bars = {symbol: b.until(cut) for symbol, b in loaded.items()}
    for b in bars.values():
        require_sessions(b, settings.data.min_sessions)
    return bars


def _sessions_between(first: np.datetime64, last: np.datetime64) -> str:
    """ "12 NYSE sessions further": the sessions after ``first`` up to ``last``."""
    cal = calendar_for("XNYS", first, last)
    n = int(np.count_nonzero((cal.days > first) & (cal.days <= last)))
    return f"{n} {cal.label} session{'s' if n != 1 else ''} further"


def analyse(
    symbols: Sequence[str],
    benchmark: str | None = None,
    source: Source | None = None,
    as_of: dt.date | None = None,
    settings: Settings = DEFAULT_SETTINGS,
    pairs: Sequence[tuple[str, str]] = (),
    names: Mapping[str, Instrument] | None = None,
    reuse: Reuse | None = None,
    events: bool = True,
) -> Analysis:
    """Indicators and states for ``symbols`` (and the benchmark), and each symbol against it.

    ``pairs`` adds (symbol, benchmark) comparisons; ``names`` overrides how symbols are called.
    Without ``events`` the states carry none (``states.events`` is None): the previous session
    needs only what its comparison with today reads.
    """
    wanted = [normalise_symbol(s) for s in symbols]
    bench = normalise_symbol(benchmark) if benchmark else None
    if not wanted:
        raise UsageError("name at least one symbol, e.g. ^GSPC.")
    comparisons_wanted = [(s, bench) for s in wanted if bench and s != bench]
    comparisons_wanted += [(normalise_symbol(a), normalise_symbol(b)) for a, b in pairs]
    everyone = list(dict.fromkeys([*wanted, *(s for pair in comparisons_wanted for s in pair)]))
    bars = load(everyone, source or open_source(settings=settings), as_of, settings)
    shared = reuse or unshared

    def instrument_analysis(instrument: Instrument) -> InstrumentAnalysis:
        series = bars[instrument.symbol]
        indicators = compute_indicators(series)
        states = classify(series, indicators, settings)
        if events:
            states = dataclasses.replace(states, events=detect_events(series, indicators, settings))
        return InstrumentAnalysis(instrument, series, indicators, states)

    named = [(names or {}).get(symbol) or describe(symbol) for symbol in everyone]
    stage = "analysis" if events else "analysis without events"
    instruments = [
        shared(f"{stage} as {i!r}", bars[i.symbol], partial(instrument_analysis, i)) for i in named
    ]
    comparisons = tuple(
        classify_pair(bars[a], bars[b]) for a, b in dict.fromkeys(comparisons_wanted)
    )
    return Analysis(
        as_of=max(i.states.date for i in instruments),
        instruments=tuple(instruments),
        comparisons=comparisons,
    )


def fact_ledger(
    symbols: Sequence[str],
    benchmark: str | None,
    source: Source,
    as_of: dt.date | None = None,
    settings: Settings = DEFAULT_SETTINGS,
    rules: RuleBook | None = None,
    allow_stale: bool = False,
) -> dict[str, Any]:
    """The facts ledger of ``symbols`` (each against ``benchmark``): the same analysis, quality
    gate and rules as ``write_article`` on the playbook those arguments imply, without prose."""
    analysis = analyse(symbols, benchmark, source, as_of, settings)
    analysis = check_quality(
        analysis, getattr(source, "live", False), as_of, allow_stale=allow_stale
    )
    rules = rules or RuleBook.load()
    facts = derive_facts(analysis, rules, settings)
    ledger = build_ledger(analysis, facts)
    # The change facts too, against the previous session: the same facts ``generate`` states.
    record_changes(ledger, what_changed(analysis, facts, settings, rules))
    return ledger


@dataclass(frozen=True)
class Article:
    """A generated article with everything it was written from."""

    analysis: Analysis
    facts: FactSheet
    plan: ArticlePlan
    markdown: str
    #: The JSON contract's document for this article (what ``verify`` checked it against).
    ledger: dict[str, Any]


def plan_items(
    playbook: Playbook, plan: ArticlePlan, facts: FactSheet, source: Source | None,
    analysis: Analysis,
) -> tuple[ItemPlan, ...]:  # fmt: skip
    """Each editor's item measured from its symbol's bars (cut at the article's date, when the
    source has them) and framed against the day's story."""
    # Editor's items are rare: a playbook without them never loads their modules.
    from .items import compute, frame_item, story_move

    story = story_move(plan, facts)
    index = next((i for i in analysis.instruments if i.instrument.kind == "index"), None)
    listings = _short_history(source or open_source(None, None))
    planned = []
    for item in playbook.items:
        if item.date is not None and item.date != analysis.as_of:
            continue  # a dated item belongs to its own session's article only
        bars = None
        if item.symbol is not None:
            try:
                bars = listings.load(item.symbol).until(analysis.as_of)
            except CommentaryError:
                bars = None  # said in the section: the figures are as declared
        computed = compute(item, bars, index.bars if index else None)
        planned.append(frame_item(item, computed, story, index.instrument if index else None))
    return tuple(planned)


def _short_history(source: Source) -> Source:
    """The source, reading files of any length: a new listing has days, not months, of history
    (what it is too young for is said, never computed)."""
    from .sources.csvfile import CsvSource

    if isinstance(source, CsvSource):
        data = dataclasses.replace(source.settings.data, min_sessions=1)
        relaxed = dataclasses.replace(source.settings, data=data)
        return CsvSource(source.directory, relaxed, name=source.name)
    return source


def check_quality(
    analysis: Analysis,
    live: bool,
    as_of: dt.date | None,
    now: dt.datetime | None = None,
    strict: bool = False,
    reuse: Reuse | None = None,
    quality: QualitySettings = DEFAULT_QUALITY,
    allow_stale: bool = False,
) -> Analysis:
    """Run the data-quality gate over every instrument (and each against its benchmark):
    refuse what cannot be published (everything, when ``strict``), keep the rest as issues.

    A stale instrument is refused, or with ``allow_stale`` left out together with its
    comparisons; a comparison whose shared sessions end before the article's date is left out.
    """
    bars = {item.instrument.symbol: item.bars for item in analysis.instruments}
    benchmarks = {p.relative.symbol: p.relative.benchmark for p in analysis.comparisons}
    shared = reuse or unshared
    # Historical data without --as-of is judged against the session the article is written for.
    judged_as_of = as_of if as_of is not None or live else analysis.as_of

    def against(symbol: str) -> Bars | None:
        return bars.get(benchmarks.get(symbol, ""))

    issues = [
        issue
        for symbol, series in bars.items()
        for issue in shared(
            f"quality against {benchmarks.get(symbol)} as of {judged_as_of} by {quality}",
            series,
            partial(assess, series, now=now, as_of=judged_as_of, live=live,
                    benchmark=against(symbol), settings=quality),
        )
    ]  # fmt: skip
    stale = [i for i in issues if allow_stale and i.kind == "stale" and i.severity == "refuse"]
    gone = {i.symbol for i in stale}
    refuse_if_needed([i for i in issues if i.symbol not in gone], strict)
    return leave_out_stale(dataclasses.replace(analysis, quality=tuple(issues)), stale)


def write_article(
    playbook: Playbook,
    source: Source | None = None,
    as_of: dt.date | None = None,
    settings: Settings = DEFAULT_SETTINGS,
    rules: RuleBook | None = None,
    persona: str | None = None,
    now: dt.datetime | None = None,
    strict: bool = False,
    templates: Path | None = None,
    verify: bool = True,
    reuse: Reuse | None = None,
    quality: QualitySettings = DEFAULT_QUALITY,
    allow_stale: bool = False,
    memory: Memory | None = None,
    check: Callable[..., Any] | None = None,
) -> Article:
    """The whole pipeline for one playbook: bars to Markdown, every claim checked.

    Live data (a source with ``live = True``, such as yfinance) is judged against ``now``;
    historical data against ``as_of``. ``templates`` is a user's template folder (sandboxed).
    With ``verify`` (the default) the Markdown is read back against its ledger and a failing
    article raises ``VerificationError`` instead of being returned (``check``: how it is read back,
    ``verify.check_article`` or the batch's ``verify.check_bound``). A stale instrument is
    refused (``StaleData``), or left out with its comparisons when ``allow_stale``.
    ``memory`` (the archive's issues of this playbook) gives "since the last issue" its last
    issue and the scorecard line; without it the article compares with the previous session.
    """
    # The persona first: a name that is not there should not cost a whole analysis to find out.
    persona_folder(persona or playbook.persona, templates)
    source = source or open_source(settings=settings)
    analysis = analyse(
        [i.symbol for i in playbook.instruments],
        source=source,
        as_of=as_of,
        settings=settings,
        pairs=[(c.symbol, c.benchmark) for c in playbook.comparisons],
        names={i.symbol: i for i in playbook.instruments},
        reuse=reuse,
    )
    live = getattr(source, "live", False)
    analysis = check_quality(analysis, live, as_of, now, strict, reuse, quality, allow_stale)
    rules = rules or RuleBook.load()
    facts = derive_facts(analysis, rules, settings, reuse)
    changes = what_changed(analysis, facts, settings, rules, memory, reuse)
    plan = plan_article(analysis, facts, playbook_for(playbook, analysis), changes)
    if playbook.items:
        items = plan_items(playbook, plan, facts, source, analysis)
        plan = dataclasses.replace(plan, items=items)
    if playbook.detail == "full":  # a full page quotes every reading: nothing is cut
        markdown = render_article(plan, persona, templates)
    else:
        # The budget counts every figure, a name's digits ("S&P 500") included, as the issue
        # counts the seed's 3.4; the short names (referring.py) keep those few.
        plan, markdown = economize(
            plan,
            lambda cut, heard: render_article(cut, persona, templates, heard=heard),
            article_figures,
            figures,
            settings.writing.numbers_per_100_words,
        )
    ledger = article_ledger(analysis, facts, markdown, plan, reuse)
    record_changes(ledger, changes)
    if plan.items:  # before the check: an item's numbers are checked against its own entry
        from .items import item_entry

        ledger["items"] = [item_entry(p) for p in plan.items]
    if verify:
        (check or check_article)(markdown, ledger, settings=settings)
    # What each chart draws, recorded beside its instrument (after the check: the record holds
    # the facts' own values and labels, nothing the prose could be matched against anew).
    records = chart_records(plan)
    for entry in ledger["instruments"]:
        if entry["symbol"] in records:
            entry["chart"] = records[entry["symbol"]]
    ledger["calls"] = calls_of(plan)
    return Article(analysis, facts, plan, markdown, ledger)
