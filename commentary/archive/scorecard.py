"""The record of our calls: each archived bottom line graded against what the price did next.

The rules (also in docs/archive.md):

- A **call** is an instrument section's bottom line in an archived issue: its lean (bullish,
  bearish or balanced) and its key level, with the close it was made at. For each date the newest
  archived version is the one graded.
- It is graded after ``h`` sessions (default 5 and 21), once the data holds the ``h`` sessions
  after the call's date, and never with a bar after the scorecard's own as-of date.
- **The level held** when no close in those ``h`` sessions crossed it: a level below the close
  (support) holds while every close stays at or above it; a level above (resistance) holds while
  every close stays at or below it.
- **The lean was right** when the close ``h`` sessions later moved its way: up for bullish, down
  for bearish. A balanced call makes no directional claim and is not graded on its lean.
- **The base rate** beside them: in how many of the same windows the instrument rose anyway.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from ..bars import Bars
from .store import Archive


@dataclass(frozen=True)
class Grade:
    """One call graded at one horizon."""

    issue_date: date
    subject: str
    lean: str
    level: float | None
    side: str | None
    horizon: int
    end_date: date
    forward_pct: float
    held: bool | None
    lean_right: bool | None

    @property
    def rose(self) -> bool:
        return self.forward_pct > 0


@dataclass(frozen=True)
class Tally:
    """A horizon's totals, each ``right`` out of ``graded``."""

    horizon: int
    calls: int
    levels: int
    held: int
    leans: int
    right: int
    rose: int


def grade(
    archive: Archive,
    playbook: str,
    bars: Mapping[str, Bars],
    horizons: Sequence[int] = (5, 21),
    since: date | None = None,
    as_of: date | None = None,
) -> list[Grade]:
    """Grade every call of ``playbook`` in the archive that ``bars`` can already judge."""
    newest: dict[date, int] = {}
    for issue in archive.issues(playbook):
        if since is None or issue.as_of >= since:
            newest[issue.as_of] = issue.id  # issues() lists versions oldest first
    grades = []
    for day, issue_id in sorted(newest.items()):
        for call in archive.ledger_of(issue_id).get("calls", []):
            series = bars.get(call["subject"])
            if series is None:
                continue
            for horizon in horizons:
                found = _grade(call, series, day, horizon, as_of)
                if found is not None:
                    grades.append(found)
    return grades


def _grade(
    call: dict[str, Any], series: Bars, day: date, horizon: int, as_of: date | None
) -> Grade | None:
    dates = series.dates.astype("datetime64[D]")
    start = int(np.searchsorted(dates, np.datetime64(day, "D")))
    if start >= dates.size or dates[start] != np.datetime64(day, "D"):
        return None
    end = start + horizon
    if end >= dates.size or (as_of is not None and dates[end] > np.datetime64(as_of, "D")):
        return None
    close = series.close
    forward = float(close[end] / close[start] - 1.0) * 100.0
    level = call.get("level")
    held: bool | None = None
    if level is not None:
        path = close[start + 1 : end + 1]
        if level["side"] == "below":
            held = bool((path >= level["price"]).all())
        else:
            held = bool((path <= level["price"]).all())
    lean = call["lean"]
    right = None if lean == "neutral" else (forward > 0) == (lean == "bullish")
    return Grade(
        issue_date=day, subject=call["subject"], lean=lean,
        level=None if level is None else float(level["price"]),
        side=None if level is None else str(level["side"]), horizon=horizon,
        end_date=dates[end].astype(object), forward_pct=forward, held=held, lean_right=right,
    )  # fmt: skip


def tally(grades: Sequence[Grade]) -> list[Tally]:
    """The totals per horizon, shortest first."""
    totals = []
    for horizon in sorted({g.horizon for g in grades}):
        some = [g for g in grades if g.horizon == horizon]
        levels = [g for g in some if g.held is not None]
        leans = [g for g in some if g.lean_right is not None]
        totals.append(Tally(
            horizon=horizon, calls=len(some), levels=len(levels),
            held=sum(bool(g.held) for g in levels), leans=len(leans),
            right=sum(bool(g.lean_right) for g in leans), rose=sum(g.rose for g in some),
        ))  # fmt: skip
    return totals
