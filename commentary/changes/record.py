"""Change facts and the scorecard line in the ledger, where the verifier binds them."""

from __future__ import annotations

from typing import Any

from .model import Changes


def record_changes(ledger: dict[str, Any], changes: Changes) -> None:
    """Add to ``ledger``: ``since`` (the issue compared with: its archive row, or the previous
    session recomputed), each instrument's change facts beside its other facts, ``old_news``
    and ``superseded`` (subject and fact id), and ``scorecard`` (with the rows it counts)."""
    from ..ledger import fact_entry

    ledger["since"] = changes.since.entry() if changes.since else None
    for entry in ledger.get("instruments", []):
        entry["facts"].extend(fact_entry(f) for f in changes.for_subject(entry["symbol"]))
    ledger["old_news"] = [list(pair) for pair in sorted(changes.old_news)]
    ledger["superseded"] = [list(pair) for pair in sorted(changes.superseded)]
    ledger["scorecard"] = changes.scorecard
