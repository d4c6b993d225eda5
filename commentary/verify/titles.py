"""A comparison's title names who has the edge ("Amazon vs. the S&P: Winning the Race"): it is
read back against the pair's verdict lean. The words are ``templates/technical-trader/_race.md``'s
``title`` alternatives; ``tests/test_verify_bindings.py`` reads the template so that every one
of them is in this table."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

#: Titles that also say the session went against the pair's lean (``_race.md``: 150 basis
#: points or more): the leader lost the day, or the laggard won it.
AHEAD_BUT_NOT_TODAY = ("Ahead, but Not Today", "Still Ahead, Despite Today",
                       "A Lead Trimmed Today", "Leading, if Not Today",
                       "A Lead That Gave Some Back")  # fmt: skip
BEHIND_BUT_NOT_TODAY = ("Behind, but Not Today", "Still Behind, Despite Today",
                        "A Gap Narrowed Today", "Trailing, if Not Today",
                        "A Deficit Trimmed Today")  # fmt: skip

#: Each comparison title's words -> the lean it claims for the section's first side.
TITLE_LEANS: dict[str, str] = {
    **dict.fromkeys(
        ("Relative Strength", "The Stronger Hand", "The Front Runner", "Setting the Pace",
         "Out in Front", "Holding the Edge", "Winning the Race", "The Better Chart",
         "The Upper Hand", "On Top in This Pair"),
        "bullish",
    ),
    **dict.fromkeys(
        ("Relative Weakness", "The Weaker Hand", "Still Behind", "Falling Behind",
         "Playing Catch-Up", "Losing the Race", "The Laggard Here", "Off the Pace",
         "The Weaker Chart", "Second in This Pair"),
        "bearish",
    ),
    **dict.fromkeys(AHEAD_BUT_NOT_TODAY, "bullish"),
    **dict.fromkeys(BEHIND_BUT_NOT_TODAY, "bearish"),
    **dict.fromkeys(
        ("Relative Performance", "Neck and Neck", "No Clear Leader", "Too Close to Call",
         "No Edge Either Way", "Side by Side", "An Even Race", "No Separation Yet"),
        "neutral",
    ),
}  # fmt: skip
#: The sign those titles give the day's spread (basis points, the first side against the second).
TITLE_DAY_SIGN: dict[str, int] = {
    **dict.fromkeys(AHEAD_BUT_NOT_TODAY, -1),
    **dict.fromkeys(BEHIND_BUT_NOT_TODAY, 1),
}


def comparison_title_problems(
    lines: list[str], ledger: dict[str, Any], names: dict[str, str]
) -> Iterator[tuple[str, str]]:
    """(title, reason) for each comparison title among the article's ``lines`` (``to_lines``)
    whose words claim another lean than the pair's verdict. A title whose words are not in the
    table (a user's own template) claims nothing here."""
    verdicts = {v["subject"]: v["lean"] for v in (ledger.get("verdicts") or {}).get("sections", [])}
    symbols = {name: symbol for symbol, name in names.items()}
    spreads = {
        (c.get("symbol"), c.get("benchmark")): (c.get("states") or {}).get("spread_today_bps")
        for c in ledger.get("comparisons") or []
    }
    for line in lines:
        if not line.startswith("## ") or " vs. " not in line or ": " not in line:
            continue
        head, _, words = line[3:].rpartition(": ")
        first, _, second = head.partition(" vs. ")
        pair = (symbols.get(first.strip()), symbols.get(second.strip().removeprefix("the ")))
        claimed = TITLE_LEANS.get(words.strip())
        verdict = verdicts.get(f"{pair[0]} vs {pair[1]}")
        if claimed and verdict and claimed != verdict:
            yield line[3:], f"the title says the pair is {claimed}; its verdict is {verdict}"
        sign = TITLE_DAY_SIGN.get(words.strip())
        spread = spreads.get(pair)
        if sign and (spread is None or spread * sign <= 0):
            said = "the title says the session went against the pair's lean"
            yield line[3:], f"{said}; the day's spread was {spread} basis points"
