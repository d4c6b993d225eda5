"""Framing an editor's item against the day's story, and its ledger entry.

The story is the article's lead: the instrument its headline is about and that instrument's move
on the day. The rules (docs/items.md):

- ``bigger``: the item's own move (a listing's first-day move against its offer, else its last
  session) is larger, in size, than the story's move today.
- ``with_story``: the item's move has the story's sign.
- The **verdict**: a listing that popped 10% or more on a day the story fell 1% or more is a
  *signal* (appetite for risk survived the selling); an item beside a story move of 1% or more
  is otherwise *noise* against the dominant price action; on a quiet tape it is *context*.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from ..analysis import FactSheet
from ..plan import ArticlePlan
from ..symbols import Instrument, describe
from .model import Computed, Item

Verdict = Literal["signal", "noise", "context"]
SIGNAL_POP_PCT, NOISE_STORY_PCT = 10.0, 1.0
_HEADINGS = {"listing": "A Distraction or a Signal?", "news": "What It Means for the Tape"}


@dataclass(frozen=True)
class StoryMove:
    """The day's story: the headline's instrument and its move on the day, in %."""

    instrument: Instrument
    change_pct: float


@dataclass(frozen=True)
class ItemPlan:
    item: Item
    #: The instrument the item is about (its symbol's), or None for an item without a symbol.
    instrument: Instrument | None
    computed: Computed
    story: StoryMove | None
    #: What "since listing" is measured against (the playbook's first index), if anything.
    benchmark: Instrument | None
    heading: str
    move_pct: float | None
    bigger: bool | None
    with_story: bool | None
    verdict: Verdict

    @property
    def name(self) -> str:
        """Who the item is about: the declared name, the symbol's name, or "the news"."""
        if self.item.name:
            return self.item.name
        if self.instrument is not None:
            return self.instrument.name
        return "the listing" if self.item.kind == "listing" else "the news"

    @property
    def valuation_billion(self) -> float | None:
        value = self.computed.valuation
        return None if value is None else value / 1e9


def story_move(plan: ArticlePlan, facts: FactSheet) -> StoryMove | None:
    """The headline instrument's move today, from its ``day_move`` fact."""
    symbols = [f.subject.partition(" vs ")[0] for f in plan.headline]
    symbols += [s.instrument.symbol for s in plan.sections]
    for symbol in symbols:
        day = next((f for f in facts.for_symbol(symbol) if f.message == "day_move"), None)
        if day is not None:
            section = next(s for s in plan.sections if s.instrument.symbol == symbol)
            return StoryMove(section.instrument, float(day.values["change_pct"]))
    return None


def frame_item(
    item: Item, computed: Computed, story: StoryMove | None, benchmark: Instrument | None = None
) -> ItemPlan:
    move = computed.first_day_pct if computed.sessions <= 1 else computed.since_listing_pct
    if move is None:
        move = computed.first_day_pct
    bigger = with_story = None
    if move is not None and story is not None:
        bigger = abs(move) > abs(story.change_pct)
        with_story = (move > 0) == (story.change_pct > 0)
    verdict: Verdict = "context"
    pop = computed.first_day_pct
    if item.kind == "listing" and pop is not None and pop >= SIGNAL_POP_PCT and story is not None \
            and story.change_pct <= -NOISE_STORY_PCT:  # fmt: skip
        verdict = "signal"
    elif story is not None and abs(story.change_pct) >= NOISE_STORY_PCT:
        verdict = "noise"
    heading = f"{item.title}: {_HEADINGS[item.kind]}" if item.kind in _HEADINGS else item.title
    return ItemPlan(item=item, instrument=describe(item.symbol) if item.symbol else None,
                    computed=computed, story=story, benchmark=benchmark, heading=heading,
                    move_pct=move,
                    bigger=bigger, with_story=with_story, verdict=verdict)  # fmt: skip


def item_entry(plan: ItemPlan) -> dict[str, Any]:
    """The item in the ledger: what the editor declared (with the source), what was computed,
    the story it was framed against and the verdict."""
    item = plan.item
    return {
        "kind": item.kind,
        "title": item.title,
        "name": plan.name,
        "heading": plan.heading,
        "symbol": item.symbol,
        "text": item.text,
        "source": {"name": item.source_name, "url": item.source_url},
        "declared": {d.name: {"value": d.value, "unit": d.unit} for d in item.declared},
        "computed": {**asdict(plan.computed), "valuation_billion": plan.valuation_billion,
                     "too_new_for": [list(x) for x in plan.computed.too_new_for]},
        "story": None if plan.story is None else {
            "symbol": plan.story.instrument.symbol, "name": plan.story.instrument.name,
            "change_pct": plan.story.change_pct},
        "benchmark": None if plan.benchmark is None else plan.benchmark.name,
        "move_pct": plan.move_pct,
        "bigger": plan.bigger,
        "with_story": plan.with_story,
        "verdict": plan.verdict,
    }  # fmt: skip
