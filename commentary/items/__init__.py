"""Editor's items: parsed from TOML (``parse``), measured from the bars and the declared facts
(``listing``), framed against the day's story (``frame``) and checked (``verify.items``)."""

from __future__ import annotations

from .frame import ItemPlan, StoryMove, frame_item, item_entry, story_move
from .listing import compute
from .model import KINDS, Computed, Declared, Item
from .parse import load_items, parse_items

__all__ = [
    "KINDS",
    "Computed",
    "Declared",
    "Item",
    "ItemPlan",
    "StoryMove",
    "compute",
    "frame_item",
    "item_entry",
    "load_items",
    "parse_items",
    "story_move",
]
