"""A takeaway ("The trend is not the problem; the stretch is.") claims a situation: a reversal,
a breakout, a stretched run. It is read back against the ledger: the section's facts and lean
must describe the situation its words claim (``plan.takeaways.situations_of``), or the sentence
is refused. The words are ``templates/technical-trader/_takeaway.md``'s; each alternative must
hold its situation's cue (``tests/test_story_memory.py`` reads the template to make sure).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..plan.takeaways import situations_of

#: A phrase of each situation's takeaways, one per alternative.
CUES: dict[str, re.Pattern[str]] = {
    situation: re.compile(pattern)
    for situation, pattern in {
        "reversal": r"A turn like this|Reversals earn trust|lost the day, which is how lows begin",
        "breakout": r"A breakout earns trust|gave way overhead|Breakouts that stick",
        "breakdown": r"A broken floor tends|level that gave way is now a ceiling"
        r"|level that broke",
        "stretched": r"the stretch is\.|chasing it here|Extended runs like this"
        r"|run ahead of itself",
        "washed out": r"ripe for a reflex bounce|Selling this stretched|selling is overdone",
        "falling fast": r"In a fall this fast|Speed is the tell|no need to catch a fall this fast",
        "record": r"no one above|no overhead supply|no chart resistance",
    }.items()
}


def takeaway_problems(text: str, entry: dict[str, Any] | None, lean: str | None) -> Iterator[str]:
    """What is wrong with the takeaways ``text`` holds, for a section whose ledger ``entry`` and
    verdict ``lean`` are given (nothing to check without them)."""
    claimed = [situation for situation, cue in CUES.items() if cue.search(text)]
    if not claimed:
        return
    if entry is None or lean is None:
        yield f"says a {claimed[0]} takeaway outside an instrument's section"
        return
    facts = entry.get("facts", [])
    ids = {f["id"] for f in facts}
    day = next((f for f in facts if f["id"].startswith("performance.day.")), None)
    change = float(day["values"].get("change_pct", 0.0)) if day else 0.0
    actual = situations_of(ids, change, lean)
    for situation in claimed:
        if situation not in actual:
            described = ", ".join(actual) or "none"
            yield f"reads as a {situation} takeaway; the facts describe {described}"
