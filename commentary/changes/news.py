"""Freshness across issues: a fact the last issue already reported is a standing condition,
not news; a level break the change facts phrase as a repeat is not news either."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from ..analysis import FactSheet
from ..rules import Fact
from .model import Since

#: Event topics, and how an event is known again in the next issue: by its age (sessions since
#: it happened, which grows by the sessions between the issues) or by its level.
EVENTS = {"averages.cross": "age", "momentum.macd": "age", "levels.break": "level"}
#: A standing condition keeps its place in the article but ranks no higher than this (the
#: planner's ``MINOR``: kept in its paragraph, never the headline).
STANDING_SALIENCE = 0.3
SAME_LEVEL = 0.005


def not_news(
    previous: dict[str, Any], facts: FactSheet, since: Since
) -> frozenset[tuple[str, str]]:
    """(subject, fact id) of today's event facts that the previous issue already reported."""
    before: dict[tuple[str, str], dict[str, Any]] = {}
    for entry in previous.get("instruments", []):
        for fact in entry.get("facts", []):
            before[(entry["symbol"], fact["id"])] = fact["values"]
    old = set()
    for symbol, symbol_facts in facts.symbols.items():
        for fact in symbol_facts:
            known = EVENTS.get(fact.topic)
            values = before.get((symbol, fact.id))
            if known is None or values is None:
                continue
            same = (
                _same_age(values.get("age"), fact.values.get("age"), since)
                if known == "age"
                else _same_level(values.get("level"), fact.values.get("level"))
            )
            if same:
                old.add((symbol, fact.id))
    return frozenset(old)


def _same_age(before: Any, now: Any, since: Since) -> bool:
    return isinstance(before, int) and isinstance(now, int) and before + since.sessions == now


def _same_level(before: Any, now: Any) -> bool:
    if not isinstance(before, int | float) or not isinstance(now, int | float):
        return False
    return abs(float(before) - float(now)) <= SAME_LEVEL * abs(float(now))


def demote_old_news(
    facts: Iterable[Fact], subject: str, old_news: frozenset[tuple[str, str]],
    superseded: frozenset[tuple[str, str]],
) -> tuple[Fact, ...]:  # fmt: skip
    """``facts`` as the planner should weigh them: a superseded fact left out (a change fact
    says it), an old one kept as a standing condition at ``STANDING_SALIENCE`` at most."""
    kept = []
    for fact in facts:
        if (subject, fact.id) in superseded:
            continue
        if (subject, fact.id) in old_news and fact.salience > STANDING_SALIENCE:
            fact = dataclasses.replace(fact, salience=STANDING_SALIENCE)
        kept.append(fact)
    return tuple(kept)
