"""The article's line from the record of our calls: "Of the last 20 levels flagged here for the
S&P 500, 14 held over the following five sessions; the S&P 500 rose in 12 of those 20 windows
anyway." Graded by ``archive.scorecard`` from the archive's rows and the bars up to the
article's date; the rows are named in the ledger so anyone can recount them."""

from __future__ import annotations

from typing import Any

from ..analysis import Analysis
from .previous import Memory

#: The horizon the line grades at (the scorecard's first default), how many of the newest
#: graded levels it counts, and the fewest it needs to say anything.
HORIZON = 5
LAST = 20
FEWEST = 5


def scorecard_line(memory: Memory, analysis: Analysis) -> dict[str, Any] | None:
    """The line's values for the article's first instrument, or None with too few graded
    levels (or none at all) in the archive."""
    lead = analysis.instruments[0]
    symbol = lead.instrument.symbol
    graded = memory.graded({symbol: lead.bars}, analysis.as_of, HORIZON)
    levels = [(row, g) for row, g in graded if g.subject == symbol and g.held is not None]
    levels = levels[-LAST:]
    if len(levels) < FEWEST:
        return None
    return {
        "subject": symbol, "name": lead.instrument.name, "playbook": memory.playbook,
        "horizon": HORIZON, "levels": len(levels),
        "held": sum(1 for _, g in levels if g.held),
        "rose": sum(1 for _, g in levels if g.rose),
        "first": levels[0][1].issue_date.isoformat(), "last": levels[-1][1].issue_date.isoformat(),
        "rows": [
            {"issue": row, "as_of": g.issue_date.isoformat(), "level": g.level, "side": g.side,
             "end_date": g.end_date.isoformat(), "held": g.held,
             "forward_pct": g.forward_pct}
            for row, g in levels
        ],
    }  # fmt: skip
