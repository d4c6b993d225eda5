"""Claims about rarity and history ("the worst session in data back to 2000", "the best week
since March 2009", "the fastest fall this deep", "higher in 7 of 12", "62% of the time", "a bear
market") checked against the events the ledger carries in each subject's ``states.events``.

A claim holds when one of the sentence's subjects has an event that says it; a sentence about
several subjects is checked against any of them (the other checks bind numbers to subjects).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .bindings import MONTHS
from .evidence import Subject

_MONTHS = tuple(month.lower() for month in MONTHS)
_SHORT = {"jan.": 1, "feb.": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
          "aug.": 8, "sept.": 9, "oct.": 10, "nov.": 11, "dec.": 12}  # fmt: skip
_WHEN = (
    r"(?:in data back to (?P<start>\d{4})"
    rf"|since (?P<month>{'|'.join(_MONTHS)}) (?P<year>\d{{4}})"
    rf"|since (?P<smonth>{'|'.join(re.escape(k) for k in _SHORT)}) (?P<day>\d{{1,2}})\b)"
)
#: (words before the "since" phrase, the events that can back it, which way is extreme).
_RANKED = (
    (r"\b(best|worst) session", ("session.change",)),
    (r"\b(best|worst) week", ("runs.week",)),  # "week-long run" too
    (r"\blongest (winning|losing) streak", ("runs.straight_rank",)),
    (r"\b(winning|losing) streak has reached", ("runs.straight_rank",)),
    (r"\b(best|worst) month", ("runs.month",)),  # "month-long run" too
    (r"\blargest (?:opening |such )?gap", ("session.gap",)),
    (r"\brsi\b[^.;:]*?\b(lowest|highest)\b", ("extremes.rsi",)),
    (r"\bwidest\b", ("extremes.atr",)),
    (r"\b(furthest|most stretched)\b", ("extremes.from_sma_200",)),
)
_DIRECTION = {"best": "high", "highest": "high", "worst": "low", "lowest": "low",
              "winning": "high", "losing": "low"}  # fmt: skip
#: What a sentence without any news claim lacks (most sentences: checked with one search).
_MAY_CLAIM = re.compile(
    r"since|data back to|% of the time| of \d|fastest|bear market|correction|bull market"
    r"|(?:is|are) (?:above|below) (?:its|their)|furthest|further|given up|its all-time high"
    r"|bear-market territory|bear-market line|long-run average|one-year|its rising channel"
    r"|its falling channel"
)
_SHARE = re.compile(r"(\d+)% of the time")
_K_OF_N = re.compile(r"\bin (\d+) of (\d+)\b")
_NTH_FASTEST = re.compile(r"\bthe (\d+)(?:st|nd|rd|th) fastest of (\d+) declines")
#: A bear market's close back above its 20% line today (``drawdown.reclaimed_line``).
#: Said as done, not as a condition ("the picture improves if Nvidia gets back above the
#: bear-market line" claims nothing).
_RECLAIMED = re.compile(r"(?:closed|climbs|:) back above (?:its|the) bear-market line")
#: A correction said to sit a point from a bear market: 19% to 20% below its record close
#: (read in lower case, as every claim here).
_BRINK = re.compile(
    r"within a point of bear-market territory|just above the bear-market line"
    r"|just shy of a bear market"
)


def _at(events: dict[str, Any] | None, path: str) -> Any:
    value: Any = events
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _events(subjects: list[Subject]) -> list[dict[str, Any]]:
    return [s.states.get("events") or {} for s in subjects]


def _since_holds(rarity: dict[str, Any], match: re.Match[str], as_of: str) -> bool:
    since = rarity.get("since")
    if match.group("start"):
        return since is None and str(rarity.get("history_start", ""))[:4] == match.group("start")
    if since is None:
        return False
    year, month, day = (int(x) for x in since.split("-"))
    if match.group("month"):
        return (_MONTHS.index(match.group("month")) + 1, int(match.group("year"))) == (month, year)
    same_year = as_of[:4] == str(year)
    return same_year and (_SHORT[match.group("smonth")], int(match.group("day"))) == (month, day)


def news_claims(
    sentence: str, subjects: list[Subject], group: list[Subject] | None = None
) -> Iterator[str]:
    """Every rarity, base-rate or regime claim in ``sentence`` its subjects' events do not back;
    a ranking of the charts from their peaks is checked over ``group`` (every instrument of the
    article), or over the subjects without it."""
    text = sentence.lower()
    if not _MAY_CLAIM.search(text):
        return
    events = _events(subjects)
    as_of = next((str(s.entry.get("date", "")) for s in subjects), "")
    ranked = "since" in text or "data back to" in text
    for words, paths in _RANKED if ranked else ():
        for match in re.finditer(rf"{words}[^.;:]*?{_WHEN}", text):
            direction = _DIRECTION.get(match.group(1) or "") if match.groups()[0] else None
            candidates = [_at(e, p) for e in events for p in paths]
            if not any(
                isinstance(r, dict)
                and (direction is None or r.get("extreme") == direction)
                and _since_holds(r, match, as_of)
                for r in candidates
            ):
                yield f"says {match.group(0)!r}; no event in the ledger ranks so"
    rates: list[dict[str, Any]] = [
        r for r in (e.get("base_rate") for e in events) if isinstance(r, dict)
    ]
    for match in _K_OF_N.finditer(text):
        k, n = int(match.group(1)), int(match.group(2))
        if not any(len(r["cases"]) == n and r["higher"] == k for r in rates):
            yield f"says 'in {k} of {n}'; no base rate in the ledger counts so"
    for match in _SHARE.finditer(text):
        shown = int(match.group(1))
        if not any(round(r["baseline_pct"]) == shown for r in rates):
            yield f"says '{shown}% of the time'; no baseline in the ledger is {shown}%"
    speeds: list[dict[str, Any]] = [
        s for s in (_at(e, "drawdown.speed") for e in events) if isinstance(s, dict)
    ]
    if "fastest fall this deep" in text and not any(s["rank"] == 1 for s in speeds):
        yield "says the fall is the fastest this deep; the ledger's speed rank is not 1"
    for match in _NTH_FASTEST.finditer(text):
        rank, declines = int(match.group(1)), int(match.group(2))
        if not any(s["rank"] == rank and s["declines"] == declines for s in speeds):
            yield f"says {match.group(0)!r}; the ledger's speed rank differs"
    regimes = {_at(e, "drawdown.regime") for e in events}
    # "Just shy of a bear market" says it is not in one (``_BRINK``, checked below).
    if re.search(r"\bbear markets?\b", _BRINK.sub("", text)) and "bear market" not in regimes:
        yield "says bear market; no subject is 20% below its closing high"
    if _BRINK.search(text) and not any(
        -20 < (_at(e, "drawdown.from_peak_pct") or 0) <= -19
        and _at(e, "drawdown.regime") == "correction"
        for e in events
    ):
        yield "says within a point of a bear market; no subject in a correction is 19% to 20% down"
    if _RECLAIMED.search(text) and not any(_at(e, "drawdown.reclaimed_line") for e in events):
        yield "says back above the bear-market line; no subject crossed back above it today"
    if re.search(r"\bin (?:a )?corrections?\b|became a correction", text) and not (
        regimes & {"correction"}
    ):
        yield "says correction; no subject is in a correction"
    if "bull market" in text and not any(_at(e, "drawdown.bull_market") for e in events):
        yield "says bull market; no subject is 20% above a bear market's low"
    yield from _grouped_regimes(sentence, subjects)
    yield from _peak_ranks(sentence, group or subjects)
    yield from _stretched(text, subjects)
    yield from _titled_in_words(text, subjects)


#: A clause that puts the names before it in a regime: "Apple and Netflix are in bear markets",
#: "every chart here is in a new bull market" (the closing paragraph's breadth).
_GROUP_REGIME = re.compile(
    r"\b(?:is|are) (?:still )?in (?:a )?(new bull markets?|bear markets?|corrections?)\b"
)
#: A clause that puts the names before it back above their bear-market lines, inside a bear
#: market that lasts until a 20% rise (``Drawdown.above_bear_line``): "the S&P and Nvidia are in
#: bear markets; Amazon is back above its bear-market line".
_GROUP_ABOVE_LINE = re.compile(r"\b(?:is|are) back above (?:its|their) bear-market lines?\b")


#: A clause that puts the names before it on one side of their 200-day averages: "Apple and
#: Nvidia are below their 200-day averages", "the Nasdaq is above its own" (after a clause that
#: named the average).
_GROUP_SIDE = re.compile(
    r"\b(?:is|are) (above|below) (?:its|their) (?:200-day averages?|own|theirs)\b"
)


def _named(before: str, subjects: list[Subject]) -> list[Subject]:
    """The instruments a breadth clause names before its verb ("every chart" names them all;
    "the index", a pair's short form, names the index)."""
    if re.search(r"every chart|\bboth\b", before, flags=re.IGNORECASE):
        return subjects
    named = [s for s in subjects if s.name in before]
    if not named and re.search(r"\bthe index\b", before, flags=re.IGNORECASE):
        return [s for s in subjects if s.kind == "index"]
    return named


def _grouped_regimes(sentence: str, subjects: list[Subject]) -> Iterator[str]:
    """Each instrument a breadth clause names is in the regime, or on the side of its 200-day
    average, that the clause names (the checks above ask only that some subject of the sentence
    is)."""
    for clause in re.split(r"[;:]", sentence):
        side = _GROUP_SIDE.search(clause)
        if side:
            for subject in _named(clause[: side.start()], subjects):
                if _above_200_day(subject) != (side.group(1) == "above"):
                    yield f"says {subject.name} is {side.group(1)} its 200-day average; it is not"
        above = _GROUP_ABOVE_LINE.search(clause)
        if above:
            named = _named(clause[: above.start()], subjects)
            if not named:
                yield "says a chart is back above its bear-market line without naming it"
            for subject in named:
                events = subject.states.get("events") or {}
                if not (
                    _at(events, "drawdown.regime") == "bear market"
                    and _at(events, "drawdown.above_bear_line")
                ):
                    yield f"says {subject.name} is back above its bear-market line; it is not"
        match = _GROUP_REGIME.search(clause)
        if not match:
            continue
        said = match.group(1)
        for subject in _named(clause[: match.start()], subjects):
            events = subject.states.get("events") or {}
            holds = (
                bool(_at(events, "drawdown.bull_market"))
                if said.startswith("new bull")
                else _at(events, "drawdown.regime")
                == ("bear market" if "bear" in said else "correction")
            )
            if not holds:
                yield f"says {subject.name} is in a {said.removesuffix('s')}; its ledger does not"


#: The closing's ranking from the peaks: who holds up best ("Measured from their peaks, Amazon is
#: holding up best", "Of the group, Amazon sits closest to its peak", "From the top, Amazon has
#: given up the least", "Amazon leads, trading at its all-time high") and who has fallen furthest.
_PEAK_BEST = re.compile(
    r" (?:is holding up (?:best|better)|sits clos(?:est|er) to its peak"
    r"|has given up (?:the least|less)|leads, trading at its all-time high)"
)
_PEAK_WORST = re.compile(
    r" (?:has fallen (?:furthest|further)|(?:furthest|further)\b|has given up (?:the most|more))"
)


def _peak_ranks(sentence: str, group: list[Subject]) -> Iterator[str]:
    """The instrument named as holding up best is the nearest its all-time high of the
    ``group``, and the one named as furthest the furthest from it."""
    depth = {
        s.name: (s.states.get("levels") or {}).get("extremes", {}).get("pct_from_all_time_high")
        for s in group
    }
    known = [d for d in depth.values() if d is not None]
    for pattern, best in ((_PEAK_BEST, True), (_PEAK_WORST, False)):
        for match in pattern.finditer(sentence):
            before = sentence[: match.start()]
            named = next((name for name in depth if before.endswith(name)), None)
            if named is None:
                continue
            mine = depth[named]
            holds = mine is not None and mine == (max(known) if best else min(known))
            if not holds:
                rank = "nearest its peak" if best else "furthest from its peak"
                yield f"says {named} is {rank} of the charts; it is not"


def _stretched(text: str, subjects: list[Subject]) -> Iterator[str]:
    """A title "Stretched to an Extreme Above Its Long-Run Average": the close on that side of
    the 200-day average (the extreme itself is the section's fact)."""
    stretched = re.search(r"stretched to an extreme (above|below) its long-run average", text)
    if stretched is None:
        return
    side = stretched.group(1)
    for subject in subjects:
        if _above_200_day(subject) != (side == "above"):
            yield f"says {subject.name} is stretched {side} its 200-day average; it is not"


def _above_200_day(subject: Subject) -> bool | None:
    """Whether the close is at or above the 200-day average (the side ``plan.levels.regime``
    calls an uptrend); None before the average exists."""
    averages = subject.states.get("averages") or {}
    close, average = averages.get("close"), averages.get("sma_200")
    return None if close is None or average is None else close >= average


def _titled_in_words(text: str, subjects: list[Subject]) -> Iterator[str]:
    """Section titles that say in words what a figure would: "Down to a One-Year Low" (a new
    52-week low today), "Below Its Rising Channel" (the close under a rising channel's floor)."""
    for extreme in re.findall(r"one-year (high|low)", text):
        for subject in subjects:
            extremes = (subject.states.get("levels") or {}).get("extremes", {})
            if not extremes.get(f"new_52w_{extreme}"):
                yield f"says {subject.name} is at a one-year {extreme}; it set no new one today"
    for side, direction in re.findall(r"(below|above) its (rising|falling) channel", text):
        for subject in subjects:
            channels = (subject.states.get("trend") or {}).get("channels", {}).values()
            if not any(
                c["direction"] == direction
                and (c["position"] < 0 if side == "below" else c["position"] > 1)
                for c in channels
            ):
                yield f"says {subject.name} is {side} its {direction} channel; it is not"
