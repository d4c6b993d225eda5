"""What a section's facts mean to a trader, in one sentence without a figure.

The facts say what happened; an editor adds what it means: "the trend is not the problem; the
stretch is." The situation is read here from the section's facts and its lean, so the sentence is
true by construction; its words are the templates' (``_takeaway.md``), one ``variants`` block per
situation. A sentence carries no number, no record and no label a reader could check against a
figure: it interprets, it does not claim.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace

from ..rules import Fact, Polarity
from .model import Section, Sentence

#: A section says at most this many takeaways, the most telling first: two lessons stacked in
#: one paragraph read as a lecture, and can pull against each other ("a snapback" beside "rallies
#: get sold").
MOST = 1


def situations(facts: Sequence[Fact], lean: Polarity) -> tuple[str, ...]:
    """Every situation a section's facts describe, most telling first: the candidates, before
    ``spoken`` keeps the ones the article says."""
    return situations_of({f.id for f in facts}, _change(facts), lean.value)


def spoken(section: Section, lead: Sequence[Sentence]) -> Section:
    """``section`` with the takeaways (at most ``MOST``) whose situation the article itself
    states, in the section or in the lead. A takeaway about a fact nobody printed reads as a
    non sequitur ("The trend is not the problem; the stretch is." under a page that never says
    the chart is stretched), so one whose facts were left out, or cut by the editor's pass,
    goes with them."""
    if not section.situations:
        return section
    told = [*section.facts, *(f for s in lead for f in s.facts if f.subject == section.subject)]
    if section.theme is not None:
        told.append(section.theme)  # the title names it
    ids = {f.id for f in told}
    lean, change = section.bottom_line.lean.value, _change(told)
    changed = ids | {i for f in section.changes for i in _stated(f)}
    said = situations_of(changed, change, lean)
    kept = tuple(t for t in section.situations if t in said)[:MOST]
    # Said only by a change sentence: the takeaway follows that sentence, not the last paragraph.
    with_changes = bool(kept) and kept[0] not in situations_of(ids, change, lean)
    if (kept, with_changes) == (section.takeaways, section.takeaway_with_changes):
        return section
    return replace(section, takeaways=kept, takeaway_with_changes=with_changes)


def _stated(change: Fact) -> tuple[str, ...]:
    """The situation facts a printed change sentence states: "through the resistance near $92
    the last issue named" states a break; "its RSI has slid into oversold territory" the zone.
    A repeat crossing ("back above 2,825 for the second time in four sessions") states
    no break: a breakout's lesson after it ("now the floor to defend") contradicted it."""
    kind = change.id.removeprefix("changes.")
    if kind.startswith("level.crossed."):
        return (f"levels.break.{kind.rsplit('.', 1)[-1]}",)
    if kind == "zone.rsi" and change.values.get("to_zone") in ("overbought", "oversold"):
        return (f"momentum.rsi.{change.values['to_zone']}",)
    return ()


def _change(facts: Sequence[Fact]) -> float:
    day = next((f for f in facts if f.topic == "performance.day"), None)
    return float(day.values.get("change_pct", 0.0)) if day is not None else 0.0


def situations_of(ids: Collection[str], change: float, lean: str) -> tuple[str, ...]:
    """Every situation the fact ids, the day's change (%) and the lean ("bullish", ...) describe,
    most telling first: the verifier reads a printed takeaway back against the ledger with it."""

    def has(*prefixes: str) -> bool:
        return any(i.startswith(prefixes) for i in ids)

    found = []
    if "performance.day.reversal_from_low" in ids:
        found.append("reversal")
    if lean == "bullish" and has("levels.break.above"):
        found.append("breakout")
    if lean == "bearish" and has("levels.break.below"):
        found.append("breakdown")
    if lean == "bullish" and has(
        "momentum.rsi.overbought", "performance.pop.overextended", "averages.extreme.sma_200_high"
    ):
        found.append("stretched")
    if lean == "bearish" and has(
        "momentum.rsi.oversold", "momentum.extreme.rsi_low", "averages.extreme.sma_200_low"
    ):
        found.append("washed out")
    if lean == "bearish" and "performance.drawdown.bear_speed" in ids and change < 0:
        found.append("falling fast")
    if lean == "bullish" and "levels.high.new_all_time" in ids:
        found.append("record")
    return tuple(found)
