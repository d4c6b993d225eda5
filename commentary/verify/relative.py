"""Which side of a comparison a bottom line says leads: "Relative strength sits with X", "X is
the stronger hand against Y". A section's lean alone cannot tell which side such a phrase names,
so the named side is checked against the side the comparison's lean favors."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .binder import Context, _index, _name

#: Phrases naming the side that leads a comparison (True) or the one that lags (False).
_RELATIVE_SIDE: tuple[tuple[re.Pattern[str], bool], ...] = tuple(
    (re.compile(pattern), wins)
    for pattern, wins in (
        (r"Relative strength sits with ⟦(?P<who>[A-Z])⟧", True),
        (r"In this pairing, ⟦(?P<who>[A-Z])⟧ is the stronger hand", True),
        (r"⟦(?P<who>[A-Z])⟧ is the stronger hand against", True),
        (r"⟦(?P<who>[A-Z])⟧ has the relative edge over", True),
        (r"⟦(?P<who>[A-Z])⟧ is winning the comparison", True),
        (r"In this pairing, ⟦(?P<who>[A-Z])⟧ is the laggard", False),
        (r"⟦(?P<who>[A-Z])⟧ is the laggard against", False),
        (r"On relative strength, ⟦(?P<who>[A-Z])⟧ is the weaker", False),
        (r"⟦(?P<who>[A-Z])⟧ is losing the comparison", False),
        (r"⟦(?P<who>[A-Z])⟧ holds the upper hand over", True),
        (r"[Tt]he pairing favors ⟦(?P<who>[A-Z])⟧", True),
        (r"⟦(?P<who>[A-Z])⟧ is out in front of", True),
        (r"[Tt]he edge in this pair belongs to ⟦(?P<who>[A-Z])⟧", True),
        (r"⟦(?P<who>[A-Z])⟧ is running behind", False),
        (r"[Tt]he burden of proof sits with ⟦(?P<who>[A-Z])⟧", False),
        # The day's race against the pair's standing: the side named after the colon.
        (r"the laggard won the day: ⟦(?P<who>[A-Z])⟧", False),
        (r"the leader lost the day: ⟦(?P<who>[A-Z])⟧", True),
        (r"[Ff]avor ⟦(?P<who>[A-Z])⟧ in this pairing", True),
        (r"year-to-date lead belongs to ⟦(?P<who>[A-Z])⟧", True),
        (r"[Rr]ide the streak with ⟦(?P<who>[A-Z])⟧", True),
        (r"[Tt]he (?:gap|streak) favors ⟦(?P<who>[A-Z])⟧", True),
        (r"[Tt]he edge lasts as long as ⟦(?P<who>[A-Z])⟧ keeps outpacing", True),
        (r"A single bad day for ⟦(?P<who>[A-Z])⟧ is noise", True),
        (r"⟦(?P<who>[A-Z])⟧ has to earn a switch", False),
        (r"strong (?:session|sessions|day) for ⟦(?P<who>[A-Z])⟧", False),
        (r"until ⟦(?P<who>[A-Z])⟧ starts winning the daily spread", False),
        (r"a few days of ⟦(?P<who>[A-Z])⟧ outpacing it", False),
        # A leader still in a bear market (``_bottom_line.md``'s ``relative``).
        (r"A lead is not a trend: ⟦(?P<who>[A-Z])⟧", True),
        (r"[Tt]he lead is relative: ⟦(?P<who>[A-Z])⟧", True),
        (r"⟦(?P<who>[A-Z])⟧ is ahead in this pair but", True),
        (r"⟦(?P<who>[A-Z])⟧ leads the pair from inside", True),
        # ... and back above its bear-market line (``relative-bear-line``).
        (
            r"⟦(?P<who>[A-Z])⟧ is back above its bear-market line(?:, but|; the lead)",
            True,
        ),
        # The year's side, when the lean rests on it (also read by ``ytd_side_problems``).
        (r"[Ff]or the year, ⟦(?P<who>[A-Z])⟧ is (?:still )?(?:ahead of|in front of)", True),
        (r"[Ff]or the year, ⟦(?P<who>[A-Z])⟧ is (?:still )?behind", False),
        (r"⟦(?P<who>[A-Z])⟧ is (?:still )?(?:ahead of|in front of) [^.;]*? for the year", True),
        (r"⟦(?P<who>[A-Z])⟧ is (?:still )?behind [^.;]*? for the year", False),
    )
)


def relative_lean_problems(tokens: str, context: Context) -> Iterator[str]:
    """The side a phrase names as the leader must be the side the comparison's lean favors."""
    verdicts = context.ledger.get("verdicts")
    if not verdicts or " vs " not in context.section:
        return
    said = next(
        ((m, wins) for pattern, wins in _RELATIVE_SIDE if (m := pattern.search(tokens))), None
    )
    verdict = next((v for v in verdicts["sections"] if v["subject"] == context.section), None)
    if said is None or verdict is None:
        return
    symbol, benchmark = context.section.split(" vs ")
    match, wins = said
    named = context.symbols[_index(match.group("who"))]
    # A side named as the laggard means the other side leads.
    winner = named if wins else (benchmark if named == symbol else symbol)
    expected = {"bullish": symbol, "bearish": benchmark}.get(verdict["lean"])
    if winner != expected:
        yield f"says relative strength sits with {_name(winner, context)}; it does not"


#: A year-to-date figure set against the other side: "For the year, Apple is up 4.5%, behind
#: the S&P 500", "Nvidia is down 9.6% year to date, in front of the index", "Year to date
#: Nvidia is down 9.6%, which leaves it ahead of the index".
_YTD_SIDE = re.compile(
    r"⟦(?P<who>[A-Z])⟧ is (?:up|down) [^,;]*?(?:year to date)?,? (?:which leaves it )?"
    r"(?P<side>ahead of|in front of|behind) ⟦(?P<other>[A-Z])⟧"
)


#: The side a bottom line puts ahead for the year, without a figure: "For the year, Nvidia is
#: still ahead of the index", "Amazon is behind the S&P 500 for the year".
_YEAR_SIDE = (
    re.compile(
        r"[Ff]or the year, ⟦(?P<who>[A-Z])⟧ is (?:still )?"
        r"(?P<side>ahead of|in front of|behind) ⟦(?P<other>[A-Z])⟧"
    ),
    re.compile(
        r"⟦(?P<who>[A-Z])⟧ is (?:still )?(?P<side>ahead of|in front of|behind) "
        r"⟦(?P<other>[A-Z])⟧ for the year"
    ),
)


def ytd_side_problems(tokens: str, context: Context) -> Iterator[str]:
    """The side a year-to-date sentence puts ahead must be ahead in the comparison's year."""
    if " vs " not in context.section or not re.search(r"year", tokens, flags=re.IGNORECASE):
        return
    symbol, benchmark = context.section.split(" vs ")
    pair = _pair_of(context)
    if pair is None:
        return
    states = pair.get("states", {})
    ytd = {symbol: states.get("ytd_symbol_pct"), benchmark: states.get("ytd_benchmark_pct")}
    said = [m for pattern in (_YTD_SIDE, *_YEAR_SIDE) for m in pattern.finditer(tokens)]
    for match in said:
        who = context.symbols[_index(match.group("who"))]
        other = context.symbols[_index(match.group("other"))]
        mine, theirs = ytd.get(who), ytd.get(other)
        if mine is None or theirs is None:
            continue
        if (mine > theirs) != (match.group("side") != "behind"):
            side, them = match.group("side"), _name(other, context)
            yield f"says {_name(who, context)} is {side} {them} this year; it is not"


#: An even pair's recent run: "the last few sessions have gone to the Nasdaq" (three or more).
_RECENT_SIDE = re.compile(r"[Tt]he last few sessions have gone to ⟦(?P<who>[A-Z])⟧")
#: What "the last few sessions" must be at least.
FEW_SESSIONS = 3


def recent_side_problems(tokens: str, context: Context) -> Iterator[str]:
    """The side said to have won the last few sessions must have won at least three in a row."""
    match = _RECENT_SIDE.search(tokens)
    if match is None or " vs " not in context.section:
        return
    symbol, benchmark = context.section.split(" vs ")
    current = (_pair_of(context) or {}).get("states", {}).get("current") or {}
    winner = symbol if current.get("outperforming") else benchmark
    named = context.symbols[_index(match.group("who"))]
    if int(current.get("sessions") or 0) < FEW_SESSIONS or named != winner:
        yield f"says the last few sessions went to {_name(named, context)}; they did not"


#: A leader's lead for the year called wide ("A lead this wide absorbs a day like this"), and how
#: wide, in percentage points, it must be (the bottom lines say it from 15 points).
_WIDE_LEAD = re.compile(r"lead this wide|gap for the year is wide enough")
WIDE_LEAD_POINTS = 15.0


def wide_lead_problems(tokens: str, context: Context) -> Iterator[str]:
    """A lead for the year called wide must be ``WIDE_LEAD_POINTS`` or more."""
    if " vs " not in context.section or not _WIDE_LEAD.search(tokens):
        return
    gap = (_pair_of(context) or {}).get("states", {}).get("ytd_gap_pct")
    if not isinstance(gap, int | float):
        yield "calls the lead for the year wide; the ledger has no gap for the year"
    elif abs(gap) < WIDE_LEAD_POINTS:
        yield f"calls the lead for the year wide; the gap is {abs(gap):.1f} points"


def _pair_of(context: Context) -> dict[str, Any] | None:
    """The ledger's comparison the sentence's section is about ("AMZN vs ^GSPC")."""
    symbol, benchmark = context.section.split(" vs ")
    return next(
        (c for c in context.ledger.get("comparisons", [])
         if (c["symbol"], c["benchmark"]) == (symbol, benchmark)),
        None,
    )  # fmt: skip
