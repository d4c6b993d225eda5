"""What the ledger holds about each subject: every number, date and year, and its states."""

from __future__ import annotations

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

    def add_facts(self, facts: list[dict[str, Any]]) -> None:
        for fact in facts:
            self.add(fact["values"])
            for value in fact["values"].values():
                if isinstance(value, int | float) and not isinstance(value, bool):
                    self.fact_numbers.append(float(value))

    def add(self, value: Any) -> None:
        """Walk a JSON value, collecting numbers, dates and years."""
        if isinstance(value, bool) or value is None:
            return
        if isinstance(value, int | float):
            self.numbers.append(float(value))
            if isinstance(value, int) and 1900 <= value <= 2100:
                self.years.add(value)
        elif isinstance(value, str) and _DAY.match(value):
            day = dt.date.fromisoformat(value)
            self.dates.add(day)
            self.years.add(day.year)
        elif isinstance(value, dict):
            for item in value.values():
                self.add(item)
        elif isinstance(value, list):
            for item in value:
                self.add(item)


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
    ledger: dict[str, Any], symbols: frozenset[str], comparison: bool
) -> tuple[Evidence, list[dict[str, Any]]]:
    """Evidence about ``symbols`` and the comparisons among them (or naming them)."""
    found = Evidence()
    found.add(ledger.get("as_of"))
    for item in ledger["instruments"]:
        if item["symbol"] in symbols:
            found.add({k: v for k, v in item.items() if k not in ("symbol", "name", "kind")})
            found.add_facts(item["facts"])
    # A sentence may name either side of a comparison ("Netflix's 6-session streak", "ahead of
    # the S&P 500 by 45 basis points a day").
    pairs = [
        pair
        for pair in ledger["comparisons"]
        if pair["symbol"] in symbols or pair["benchmark"] in symbols
    ]
    for pair in pairs:
        found.add(pair)
        found.add_facts(pair["facts"])
    for issue in ledger.get("data_quality", []):
        if issue["symbol"] in symbols:
            found.add(issue)
    return found, pairs
