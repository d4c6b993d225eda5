"""Editor's items: the desk's own news set beside the price story (a listing, a news item, a
note), with the facts the editor declares and the ones the bars support."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

ItemKind = Literal["listing", "news", "note"]
KINDS: tuple[ItemKind, ...] = ("listing", "news", "note")
#: The units a declared fact may carry: dollars, percent, shares, index points, or a plain count.
UNITS = ("$", "%", "shares", "points", "count")


@dataclass(frozen=True)
class Declared:
    """A figure the editor states, with its unit: ``offer_price = { value = 51, unit = "$" }``."""

    name: str
    value: float
    unit: str


@dataclass(frozen=True)
class Item:
    """One editor's item, as written in the playbook or the ``--items`` file."""

    kind: ItemKind
    title: str
    declared: tuple[Declared, ...] = ()
    #: Who or what the item is about ("Arm"); the symbol's name when there is a symbol.
    name: str = ""
    symbol: str | None = None
    text: str = ""
    source_name: str = ""
    source_url: str = ""
    #: The session the item belongs to: set only in that session's article (None: every one).
    date: dt.date | None = None
    #: Where it was written ("items.toml line 3"), for messages.
    origin: str = ""

    def value(self, name: str) -> float | None:
        return next((d.value for d in self.declared if d.name == name), None)


@dataclass(frozen=True)
class Computed:
    """What the bars support about an item's symbol (``None`` where they cannot yet)."""

    sessions: int = 0
    first_date: str | None = None
    first_open: float | None = None
    first_close: float | None = None
    last_date: str | None = None
    last_close: float | None = None
    #: The first open and close against the declared offer price, in %.
    opening_pop_pct: float | None = None
    first_day_pct: float | None = None
    #: From the first close to the last, and the benchmark over the same sessions, in %.
    since_listing_pct: float | None = None
    benchmark_since_pct: float | None = None
    #: Declared shares × the last close (or the declared close), in dollars.
    valuation: float | None = None
    #: Indicators the history is still too short for, with the sessions each needs.
    too_new_for: tuple[tuple[str, int], ...] = field(default_factory=tuple)
