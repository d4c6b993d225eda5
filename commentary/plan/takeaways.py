"""What a section's facts mean to a trader, in one sentence without a figure.

The facts say what happened; an editor adds what it means: "the trend is not the problem; the
stretch is." The situation is read here from the section's facts and its lean, so the sentence is
true by construction; its words are the templates' (``_takeaway.md``), one ``variants`` block per
situation. A sentence carries no number, no record and no label a reader could check against a
figure: it interprets, it does not claim.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from ..rules import Fact, Polarity

#: A section says at most this many takeaways, the most telling first: two lessons stacked in
#: one paragraph read as a lecture, and can pull against each other ("a snapback" beside "rallies
#: get sold").
MOST = 1


def situations(facts: Sequence[Fact], lean: Polarity) -> tuple[str, ...]:
    """The situations a section's facts describe, most telling first (at most ``MOST``)."""
    day = next((f for f in facts if f.topic == "performance.day"), None)
    change = float(day.values.get("change_pct", 0.0)) if day is not None else 0.0
    return situations_of({f.id for f in facts}, change, lean.value)[:MOST]


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
