"""What an article may speak about: every instrument as of the article's date, or it is out.

The quality gate decides which instruments are stale (``commentary.quality``). ``--allow-stale``
leaves those out instead of refusing the article, and with them every comparison they take part
in. A comparison is also left out when the sessions both series share end before the article's
date (one side a session or two behind): its streaks and year-to-date figures would be of another
day. Each omission becomes a ``LeftOut`` with one sentence for the reader; nothing is dropped
silently.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from .analysis import Analysis, LeftOut
from .errors import DataError
from .playbooks import Playbook
from .quality import QualityIssue


def leave_out_stale(analysis: Analysis, stale: Sequence[QualityIssue]) -> Analysis:
    """``analysis`` without the ``stale`` instruments and every comparison that is not as of
    the article's date (the last session of the instruments kept)."""
    gone = {issue.symbol: issue for issue in stale}
    kept = tuple(i for i in analysis.instruments if i.instrument.symbol not in gone)
    if not kept:
        listed = ", ".join(f"{s} (ends {i.last_date})" for s, i in gone.items())
        raise DataError(
            f"every instrument is stale ({listed}), so nothing is left to write about; "
            "pass an --as-of date the data reaches."
        )
    as_of = max(i.states.date for i in kept)
    names = {i.instrument.symbol: i.instrument.name for i in analysis.instruments}
    left_out: list[LeftOut] = []
    for symbol, issue in gone.items():
        last = issue.last_date or as_of
        partners = [
            names.get(other, other)
            for p in analysis.comparisons
            for other in (p.relative.symbol, p.relative.benchmark)
            if symbol in (p.relative.symbol, p.relative.benchmark) and other != symbol
        ]
        also = f", and so are its comparisons with {_and(partners)}" if partners else ""
        note = (
            f"{names.get(symbol, symbol)} is left out: its data ends on {last}, too long before "
            f"{as_of} to report as of this close{also}."
        )
        left_out.append(LeftOut("instrument", symbol, names.get(symbol, symbol), last, note))
    comparisons = []
    for pair in analysis.comparisons:
        relative = pair.relative
        if relative.symbol in gone or relative.benchmark in gone:
            subject = f"{relative.symbol} vs {relative.benchmark}"
            name = f"{names[relative.symbol]} vs. {names[relative.benchmark]}"
            left_out.append(LeftOut("comparison", subject, name, relative.date, ""))
        elif relative.date < as_of:
            left_out.append(_behind(relative.symbol, relative.benchmark, relative.date, as_of,
                                    names))  # fmt: skip
        else:
            comparisons.append(pair)
    return dataclasses.replace(
        analysis,
        as_of=as_of,
        instruments=kept,
        comparisons=tuple(comparisons),
        quality=tuple(i for i in analysis.quality if i.symbol not in gone),
        left_out=tuple(left_out),
    )


def _behind(
    symbol: str, benchmark: str, last: dt.date, as_of: dt.date, names: dict[str, str]
) -> LeftOut:
    pair = f"{names.get(symbol, symbol)} vs. {names.get(benchmark, benchmark)}"
    note = (
        f"{pair} is left out: the sessions both have end on {last}, before this article's "
        f"close on {as_of}, and a comparison is made on one close."
    )
    return LeftOut("comparison", f"{symbol} vs {benchmark}", pair, last, note)


def playbook_for(playbook: Playbook, analysis: Analysis) -> Playbook:
    """``playbook`` with only the instruments and comparisons ``analysis`` kept."""
    symbols = {i.instrument.symbol for i in analysis.instruments}
    pairs = {(p.relative.symbol, p.relative.benchmark) for p in analysis.comparisons}
    return dataclasses.replace(
        playbook,
        instruments=tuple(i for i in playbook.instruments if i.symbol in symbols),
        comparisons=tuple(c for c in playbook.comparisons if (c.symbol, c.benchmark) in pairs),
    )


def _and(items: Sequence[str]) -> str:
    """
    >>> _and(["Apple"]), _and(["Apple", "Nvidia"]), _and(["A", "B", "C"])
    ('Apple', 'Apple and Nvidia', 'A, B and C')
    """
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"
