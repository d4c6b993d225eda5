"""The calls an article makes: each instrument section's bottom line as a lean and a level.

They go into the ledger (``calls``) so the archive can grade them later (``archive.scorecard``):
did the level hold, and did the price move the way the lean said?
"""

from __future__ import annotations

from typing import Any

from .model import ArticlePlan


def calls_of(plan: ArticlePlan) -> list[dict[str, Any]]:
    """One entry per instrument section: subject, close, lean and the key level (or None)."""
    calls = []
    for section in plan.sections:
        if section.kind != "instrument":
            continue
        line = section.bottom_line
        key = line.key
        calls.append({
            "subject": section.instrument.symbol,
            "close": line.close,
            "lean": line.lean.value,
            "level": None if key is None else {
                "price": key.price, "kind": key.kind, "side": "above" if key.above else "below",
            },
        })  # fmt: skip
    return calls
