"""The JSON contract (DESIGN.md): instruments, their indicators, states and facts; comparisons.

Values are unrounded; NaN and infinities become ``null``. Keys may be added, never changed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import math
from enum import Enum
from typing import Any

import numpy as np

from . import __version__
from .analysis import Analysis, FactSheet, InstrumentAnalysis
from .plan import ArticlePlan, BottomLine
from .reuse import Share, unshared
from .rules import Fact
from .states import PairStates


def jsonable(value: Any) -> Any:
    """Dataclasses, enums, dates and numpy scalars as plain JSON values."""
    kind: Any = type(value)
    # Plain values first, by exact type: a ledger holds thousands of them (an enum or numpy
    # scalar is never exactly one of these types, so it takes the slower path below).
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is float:
        return value if math.isfinite(value) else None
    if kind is dict:
        return {str(k): jsonable(v) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [jsonable(v) for v in value]
    names = _field_names(kind)
    if names is not None:
        return {name: jsonable(getattr(value, name)) for name in names}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return jsonable(value.item())
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


@functools.cache
def _field_names(kind: Any) -> tuple[str, ...] | None:
    """A dataclass's field names (None for any other type), looked up once per class."""
    if dataclasses.is_dataclass(kind):
        return tuple(f.name for f in dataclasses.fields(kind))
    return None


def fact_entry(fact: Fact) -> dict[str, Any]:
    """A fact as the JSON contract shows it (exact values, the ledger sentence)."""
    return {
        "id": fact.id,
        "section": fact.section,
        "polarity": fact.polarity.value,
        "salience": fact.salience,
        "topic": fact.topic,
        "message": fact.message,
        "values": jsonable(dict(fact.values)),
        "text": fact.text,
        "provenance": {
            "as_of": fact.as_of.isoformat(),
            "rule": fact.id,
            "origin": fact.rule_origin,
        },
    }


def instrument_entry(item: InstrumentAnalysis, facts: tuple[Fact, ...] = ()) -> dict[str, Any]:
    states = item.states
    return {
        "symbol": item.instrument.symbol,
        "name": item.instrument.name,
        "kind": item.instrument.kind,
        "units": item.instrument.units,
        "date": states.date.isoformat(),
        "close": states.close,
        "stale": states.stale,
        "adjusted": item.bars.adjusted,
        "sessions": states.sessions,
        "indicators": item.indicators.latest(),
        "states": jsonable(states),
        "facts": [fact_entry(f) for f in facts],
    }


def comparison_entry(pair: PairStates, facts: tuple[Fact, ...] = ()) -> dict[str, Any]:
    relative = pair.relative
    states = jsonable(relative)
    states["is_record"] = relative.is_record
    states["matches_record"] = relative.matches_record
    if relative.divergence is not None:
        states["divergence"]["benchmark_record"] = relative.divergence.benchmark_record
    return {
        "symbol": relative.symbol,
        "benchmark": relative.benchmark,
        "states": states,
        "facts": [fact_entry(f) for f in facts],
    }


def build_ledger(
    analysis: Analysis, facts: FactSheet | None = None, share: Share | None = None
) -> dict[str, Any]:
    """The JSON contract's document; ``facts`` lists stay empty without a fact sheet. A batch's
    ``share`` converts a benchmark's entry (thousands of values) once, not for every page. Each
    ledger gets its own copy of the entry's top level and facts list (the pipeline adds a chart
    there, and the changes' facts); what lies deeper is shared and only read."""
    sheet = facts or FactSheet({}, {})
    shared = share or unshared

    def entry(item: InstrumentAnalysis) -> dict[str, Any]:
        symbol = item.instrument.symbol
        made = functools.partial(instrument_entry, item, sheet.for_symbol(symbol))
        own = dict(shared(f"ledger entry as {item.instrument!r}", item.bars, made))
        own["facts"] = list(own["facts"])
        return own

    return {
        "as_of": analysis.as_of.isoformat(),
        "generator": f"commentary {__version__}",
        "instruments": [entry(item) for item in analysis.instruments],
        "comparisons": [
            comparison_entry(p, sheet.for_pair(p.relative.symbol, p.relative.benchmark))
            for p in analysis.comparisons
        ],
        "data_quality": [jsonable(issue) for issue in analysis.quality],
        "left_out": [jsonable(left) for left in analysis.left_out],
    }


def title_of(markdown: str) -> str:
    """An article's title: its first line without the heading mark, as the reader sees it
    (Markdown escapes in playbook text resolved: it is a subject line, a page title, a post's
    front matter)."""
    from .render.plaintext import unescape_markdown

    first = markdown.splitlines()[0] if markdown else ""
    return unescape_markdown(first.lstrip("# ").strip())


def verdict_entry(line: BottomLine, kind: str) -> dict[str, Any]:
    """A bottom line's lean with the inputs it was derived from (docs/verdicts.md)."""
    return {
        "subject": line.subject,
        "symbol": line.instrument.symbol,
        "kind": kind,
        "lean": line.lean.value,
        "balance": line.balance,
        "rating": None,
        "key_level": jsonable(line.key) if line.key else None,
        #: The level that proves the call wrong, with its distance in ATRs (``atr``).
        "other_level": jsonable(line.other) if line.other else None,
        #: Named when a side has no level within reach ("bear market", "uptrend", ...).
        "regime": line.regime,
        "close": line.close,
    }


def verdicts(plan: ArticlePlan, analysis: Analysis) -> dict[str, Any]:
    """Every section's lean and the closing bottom line's, with the rating they answer to."""
    ratings = {item.instrument.symbol: item.states.rating.value for item in analysis.instruments}
    sections = []
    for section in plan.sections:
        entry = verdict_entry(section.bottom_line, section.kind)
        if section.kind == "instrument":
            entry["rating"] = ratings.get(section.subject)
        sections.append(entry)
    final = verdict_entry(plan.final, "final")
    final["rating"] = ratings.get(plan.final.subject)
    return {"sections": sections, "final": final}


def article_ledger(
    analysis: Analysis, facts: FactSheet, markdown: str, plan: ArticlePlan | None = None,
    share: Share | None = None,
) -> dict[str, Any]:  # fmt: skip
    """The JSON contract's document for an article: the facts ledger plus the article, and the
    plan's verdicts when the plan is given."""
    ledger = build_ledger(analysis, facts, share)
    if plan is not None:
        ledger["verdicts"] = verdicts(plan, analysis)
    ledger["article"] = {"title": title_of(markdown), "markdown": markdown}
    return ledger


def dumps(document: dict[str, Any], *, compact: bool = False) -> str:
    """JSON text: indented for people, or ``compact`` on one line (json's C encoder runs only
    without indentation: about six times faster, for the batch's thousands of ledgers)."""
    if compact:
        return json.dumps(document, separators=(",", ":"), allow_nan=False) + "\n"
    return json.dumps(document, indent=2, allow_nan=False) + "\n"
