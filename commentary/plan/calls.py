"""The calls an article makes: each instrument section's bottom line as a lean and a level.

They go into the ledger (``calls``) so the archive can grade them later (``archive.scorecard``):
did the level hold, and did the price move the way the lean said?
"""

from __future__ import annotations

from typing import Any

from .model import ArticlePlan, KeyLevel


def calls_of(plan: ArticlePlan) -> list[dict[str, Any]]:
    """One entry per instrument section: subject, close, lean and the key level (or None)."""
    calls = []
    for section in plan.sections:
        if section.kind != "instrument":
            continue
        line = section.bottom_line
        calls.append({
            "subject": section.instrument.symbol,
            "close": line.close,
            "lean": line.lean.value,
            "level": _level(line.key),
            # The level that proves the call wrong (the scorecard grades ``level``).
            "stop": _level(line.other),
        })  # fmt: skip
    return calls


def _level(level: KeyLevel | None) -> dict[str, Any] | None:
    """A level as the archive keeps it: price, kind ("prior close", "day's low", "gap edge",
    "50-day average", "20% line", "support", ...), side of the close, distance in ATRs."""
    if level is None:
        return None
    return {
        "price": level.price,
        "kind": level.kind,
        "side": "above" if level.above else "below",
        "atr": level.atr,
    }
