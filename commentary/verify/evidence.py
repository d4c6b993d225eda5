"""What the ledger holds about each subject: every number, date and year, and its states."""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class Evidence:
    """The ledger's values for a set of subjects, gathered for matching against prose."""

    numbers: list[float] = field(default_factory=list)
    dates: set[dt.date] = field(default_factory=set)
    years: set[int] = field(default_factory=set)
    #: The values of the facts alone: what an approximate phrase ("nearly 15%") can refer to.
    fact_numbers: list[float] = field(default_factory=list)
    # Sentences ask hundreds of "is this number in the ledger?" questions of one Evidence: sorted
    # magnitudes answer each by bisection instead of a scan (rebuilt after any ``add``).
    _index: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    def add_facts(self, facts: list[dict[str, Any]]) -> None:
        for fact in facts:
            self.add(fact["values"])
            for value in fact["values"].values():
                if isinstance(value, int | float) and not isinstance(value, bool):
                    self.fact_numbers.append(float(value))

    def merge(self, other: Evidence) -> None:
        self._index.clear()
        self.numbers += other.numbers
        self.dates |= other.dates
        self.years |= other.years
        self.fact_numbers += other.fact_numbers

    def add(self, value: Any) -> None:
        """Walk a JSON value, collecting numbers, dates and years (iteratively: ledgers nest)."""
        self._index.clear()
        pending = [value]
        while pending:
            item = pending.pop()
            kind = type(item)
            if kind is dict:
                pending.extend(item.values())
            elif kind is list or kind is tuple:
                pending.extend(item)
            elif kind is float or kind is int:
                self.numbers.append(float(item))
                if kind is int and 1900 <= item <= 2100:
                    self.years.add(item)
            elif kind is str:
                if len(item) == 10 and _DAY.match(item):
                    day = dt.date.fromisoformat(item)
                    self.dates.add(day)
                    self.years.add(day.year)
            elif isinstance(item, int | float) and not isinstance(item, bool):
                pending.append(float(item))  # a subclass (an int enum, say) counts as its value

    def magnitudes_between(self, low: float, high: float, sign: int = 0) -> list[float]:
        """The magnitudes within [low, high] of the numbers with ``sign`` (or zero; any number
        for 0), widened by a hair for float noise: callers apply their exact test to these."""
        if "by size" not in self._index:
            ordered = sorted(self.numbers, key=abs)
            self._index["by size"] = ([abs(v) for v in ordered], ordered)
        sizes, values = self._index["by size"]
        low, high = low - 1e-9 * abs(low), high + 1e-9 * abs(high)
        start, stop = bisect.bisect_left(sizes, low), bisect.bisect_right(sizes, high)
        return [abs(v) for v in values[start:stop] if not sign or (v > 0) - (v < 0) in (sign, 0)]

    def rounds_to(self, shown: float, decimals: int, sign: int = 0) -> bool:
        """Some magnitude (of ``sign``) rounds to ``shown`` at ``decimals`` places."""
        half = 0.5 * 10.0**-decimals
        near = self.magnitudes_between(shown - half, shown + half, sign)
        return any(round(v, decimals) == shown for v in near)


@dataclass(frozen=True)
class Subject:
    symbol: str
    name: str
    kind: str
    entry: dict[str, Any]

    @property
    def states(self) -> dict[str, Any]:
        states: dict[str, Any] = self.entry["states"]
        return states


def subjects(ledger: dict[str, Any]) -> dict[str, Subject]:
    return {
        item["symbol"]: Subject(item["symbol"], item["name"], item["kind"], item)
        for item in ledger["instruments"]
    }


def evidence_for(
    ledger: dict[str, Any],
    symbols: frozenset[str],
    comparison: bool,
    parts: dict[int, Evidence] | None = None,
) -> tuple[Evidence, list[dict[str, Any]]]:
    """Evidence about ``symbols`` and the comparisons among them (or naming them).

    ``parts`` keeps each ledger entry's own evidence between calls on the same ledger: an
    article asks about a few overlapping subject sets, and walking an entry is the cost.
    """
    parts = {} if parts is None else parts

    def part(entry: dict[str, Any], skip: tuple[str, ...] = ()) -> Evidence:
        if id(entry) not in parts:
            own = Evidence()
            kept = {k: v for k, v in entry.items() if k not in skip}
            if isinstance(kept.get("states"), dict) and "events" in kept["states"]:
                # Events hold hundreds of ranks and measures; a number may quote one only
                # through a fact that states it (commentary/verify/news.py reads the rest).
                kept["states"] = {k: v for k, v in kept["states"].items() if k != "events"}
            own.add(kept)
            if "facts" in entry:
                own.add_facts(entry["facts"])
            parts[id(entry)] = own
        return parts[id(entry)]

    found = Evidence()
    found.add(ledger.get("as_of"))
    # The dates at which what was left out ends (a data note says why it is out).
    found.add([left["last_date"] for left in ledger.get("left_out", [])])
    # What the article says about its own past (commentary/changes): the date of the issue it
    # compares with, and the scorecard line's counts (not the rows they were counted from).
    found.add((ledger.get("since") or {}).get("as_of"))
    found.add({k: v for k, v in (ledger.get("scorecard") or {}).items() if k != "rows"})
    chosen = [
        part(item, ("symbol", "name", "kind"))
        for item in ledger["instruments"]
        if item["symbol"] in symbols
    ]
    # A sentence may name either side of a comparison ("Netflix's 6-session streak", "ahead of
    # the S&P 500 by 45 basis points a day").
    pairs = [
        pair
        for pair in ledger["comparisons"]
        if pair["symbol"] in symbols or pair["benchmark"] in symbols
    ]
    chosen += [part(pair) for pair in pairs]
    chosen += [
        part(issue) for issue in ledger.get("data_quality", []) if issue["symbol"] in symbols
    ]
    for own in chosen:
        found.merge(own)
    return found, pairs
