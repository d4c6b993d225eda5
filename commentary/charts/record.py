"""What each instrument's chart must show: every level, channel and event its text names.

The record is built from the plan, the same structure the templates write from: the facts of the
instrument's section (its paragraphs), its bottom line's two levels and its line in the levels to
watch. It goes into the ledger beside the instrument (``chart``), and the chart draws exactly the
record, so a test can hold the chart to the text and a reader of the ledger can see what was drawn.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..plan import ArticlePlan, KeyLevel, Section
from ..render.numbers import level, quote
from ..rules import Fact
from ..symbols import Instrument

#: Level kinds, in the order a legend lists them, with the words a label starts with.
LEVEL_KINDS = {
    "broken level": "Broken level",
    "support": "Support",
    "resistance": "Resistance",
    "52-week low": "52-week low",
    "52-week high": "52-week high",
    "all-time high": "All-time high",
}
#: Facts that are events of the session they happen on, marked on the last bar.
EVENTS = {
    "levels.break.above": "Breakout",
    "levels.break.below": "Breakdown",
    "levels.high.new_all_time": "New all-time high",
    "levels.high.new_52_week": "New 52-week high",
    "levels.low.new_52_week": "New 52-week low",
    "averages.cross.golden_fresh": "Golden cross",
    "averages.cross.death_fresh": "Death cross",
    # The news issue's events of the session (commentary/events): the story, marked.
    "performance.day.reversal_from_low": "Reversal from a 52-week low",
    "performance.day.rare_gap_up": "Largest gap up",
    "performance.day.rare_gap_down": "Largest gap down",
    "performance.day.rare_gain": "Best session",
    "performance.day.rare_loss": "Worst session",
    "performance.drawdown.correction_new": "Correction",
    "performance.recovery.bull_new": "New bull market",
    # What changed since the last issue (commentary/changes): a level crossed again.
    "changes.level.recross.above": "Back above",
    "changes.level.recross.below": "Back below",
}


def chart_records(plan: ArticlePlan) -> dict[str, dict[str, Any]]:
    """The chart record of every instrument with a section, by symbol (JSON-ready)."""
    records: dict[str, dict[str, Any]] = {}
    for section in plan.sections:
        if section.kind != "instrument":
            continue
        instrument = section.instrument
        close = section.bottom_line.close
        levels: dict[tuple[str, float], dict[str, Any]] = {}
        for kind, price in _named_levels(plan, section):
            key = (kind, round(price, 6))
            if key not in levels:
                levels[key] = {"kind": kind, "price": price,
                               "label": _label(kind, price, instrument, close)}  # fmt: skip
        facts = [*_told_facts(plan, section), *section.changes]
        records[instrument.symbol] = {
            "levels": sorted(
                levels.values(), key=lambda e: (list(LEVEL_KINDS).index(e["kind"]), e["price"])
            ),
            "channels": sorted(
                {str(f.values["horizon"]) for f in facts if f.message == "channel"},
                key=("long", "medium", "short").index,
            ),
            "events": [{"fact": f.id, "label": _event_label(f)} for f in facts if f.id in EVENTS],
        }
    return records


def _event_label(fact: Fact) -> str:
    """The event's words; a ranked session says how far back it ranks, as the text does."""
    label = EVENTS[fact.id]
    if fact.id in ("performance.day.rare_gain", "performance.day.rare_loss"):
        since = fact.values.get("since")
        if since:
            year, month = str(since)[:4], int(str(since)[5:7])
            return f"{label} since {_MONTHS[month - 1]} {year}"
        return f"{label} in the data"
    return label


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _told_facts(plan: ArticlePlan, section: Section) -> Iterator[Fact]:
    """What the article says about the section's instrument: the lead's facts first (the lead
    states them once, so the section leaves them out), then the section's."""
    seen: set[str] = set()
    told = [f for s in plan.lead for f in s.facts] + list(plan.others)
    for fact in [*told, *_section_facts(section)]:
        if fact.subject == section.subject and fact.id not in seen:
            seen.add(fact.id)
            yield fact


def _section_facts(section: Section) -> Iterator[Fact]:
    seen: set[str] = set()
    for paragraph in section.paragraphs:
        for sentence in paragraph:
            for fact in sentence.facts:
                if fact.id not in seen:
                    seen.add(fact.id)
                    yield fact


def _named_levels(plan: ArticlePlan, section: Section) -> Iterator[tuple[str, float]]:
    """(kind, price) of every level the section's text, bottom line and watch line name."""
    for fact in _told_facts(plan, section):
        values = fact.values
        if fact.message in ("support", "resistance"):
            yield fact.message, float(values["level"])
        elif fact.message == "level_break":
            yield "broken level", float(values["level"])
        elif fact.message == "all_time_high":
            yield "all-time high", float(values["high"])
        elif fact.message == "low_52w":
            yield "52-week low", float(values["low"])
        elif fact.message == "high_52w":
            yield "52-week high", float(values["high"])
    for fact in section.changes:  # a level crossed again, or past since the last issue
        if fact.message in ("level_recross", "level_crossed"):
            yield "broken level", float(fact.values["level"])
    bottom = section.bottom_line
    for key in (bottom.key, bottom.other):
        if key is not None:
            yield _kind(key), key.price
    symbol = section.instrument.symbol
    for item in plan.watch:
        if item.instrument.symbol == symbol:
            for key in (item.support, item.resistance, *item.supports, *item.resistances):
                if key is not None:
                    yield _kind(key), key.price
            yield "all-time high", item.all_time_high


def _kind(key: KeyLevel) -> str:
    """The legend's kind: a watched level that has no colour of its own (a recent close, the
    day's low, the 200-day) is drawn as the support or resistance it acts as."""
    kind = str(key.kind)
    if kind in LEVEL_KINDS:
        return kind
    return "resistance" if key.above else "support"


def _label(kind: str, price: float, instrument: Instrument, close: float) -> str:
    """The legend's words for a level, rounded the way the text rounds it."""
    if kind in ("all-time high", "52-week low", "52-week high"):
        return f"{LEVEL_KINDS[kind]} {quote(price, instrument)}"
    if kind == "broken level":
        side = "Breakout" if close > price else "Breakdown"
        return f"{side} level near {level(price, instrument, close)}"
    return f"{LEVEL_KINDS[kind]} near {level(price, instrument, close)}"
