"""The issue today is compared with: the last archived issue of the playbook, or the analysis
recomputed as of the previous session when there is none (or no archive at all)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from ..analysis import Analysis, InstrumentAnalysis
from ..bars import Bars
from ..errors import CommentaryError
from ..reuse import Reuse, unshared
from ..settings import Settings
from .model import Since

if TYPE_CHECKING:
    from ..archive import Archive
    from ..archive.scorecard import Grade
    from ..rules import RuleBook

#: An archived issue older than this many sessions is not "the last issue" any more (a playbook
#: not written for weeks): today is compared with the previous session instead.
MAX_SESSIONS = 10


class Memory(Protocol):
    """Where the previous issues of a playbook are kept (``ArchiveMemory``)."""

    @property
    def playbook(self) -> str:
        """The playbook's name in the archive."""
        ...

    def previous(self, as_of: dt.date) -> tuple[Since, dict[str, Any]] | None:
        """The newest issue before ``as_of`` and its ledger, or None."""
        ...

    def graded(
        self, bars: Mapping[str, Bars], as_of: dt.date, horizon: int
    ) -> list[tuple[int, Grade]]:
        """Every call before ``as_of`` the bars can judge, with its issue's row id."""
        ...


@dataclass(frozen=True)
class ArchiveMemory:
    """The archive's issues of one playbook (any persona: the facts are the same)."""

    archive: Archive
    playbook: str

    def previous(self, as_of: dt.date) -> tuple[Since, dict[str, Any]] | None:
        issue = self.archive.latest(self.playbook, as_of, before=True)
        if issue is None:
            return None
        since = Since("archive", issue.as_of, self.playbook, issue.id, issue.version,
                      issue.inputs_sha256)  # fmt: skip
        return since, self.archive.ledger_of(issue.id)

    def graded(
        self, bars: Mapping[str, Bars], as_of: dt.date, horizon: int
    ) -> list[tuple[int, Grade]]:
        from ..archive.scorecard import grade

        newest = {i.as_of: i.id for i in self.archive.issues(self.playbook) if i.as_of < as_of}
        grades = grade(self.archive, self.playbook, bars, (horizon,), as_of=as_of)
        return [(newest[g.issue_date], g) for g in grades if g.issue_date in newest]


def sessions_since(bars: Bars, day: dt.date) -> int:
    """Sessions in ``bars`` after ``day`` (up to their last)."""
    dates = bars.dates.astype("datetime64[D]")
    return int(np.count_nonzero(dates > np.datetime64(day, "D")))


def previous_issue(
    analysis: Analysis, settings: Settings, rules: RuleBook, memory: Memory | None,
    reuse: Reuse | None = None,
) -> tuple[Since, dict[str, Any]] | None:  # fmt: skip
    """The archived issue to compare with when there is a recent one, else the previous
    session recomputed; None when neither exists (the data starts today)."""
    lead = analysis.instruments[0].bars
    if memory is not None:
        found = memory.previous(analysis.as_of)
        if found is not None:
            since, ledger = found
            gap = sessions_since(lead, since.as_of)
            if 0 < gap <= MAX_SESSIONS:
                return Since(since.source, since.as_of, since.playbook, since.issue,
                             since.version, since.inputs_sha256, gap), ledger  # fmt: skip
    return previous_session(analysis, settings, rules, reuse)


class _Held:
    """The bars already loaded, as a source (the previous session is cut from them)."""

    name = "held"
    live = False

    def __init__(self, bars: Mapping[str, Bars]) -> None:
        self.bars = bars

    def load(self, symbol: str) -> Bars:
        return self.bars[symbol]


def previous_session(
    analysis: Analysis, settings: Settings, rules: RuleBook, reuse: Reuse | None = None
) -> tuple[Since, dict[str, Any]] | None:
    """What the comparison with today reads of the session before ``analysis``'s, recomputed
    from the same bars: per instrument its close, support and resistance, momentum and the facts
    on the topics whose repeat is not news (``news.EVENTS``), in the ledger's shape.

    Only that: the rest of a ledger (the events stage, the comparisons, the other topics' facts)
    cost as much again and nothing reads it. A batch's ``reuse`` keeps its benchmarks' previous
    session too: every ticker's page compares with it."""
    from ..ledger import fact_entry, jsonable
    from ..pipeline import analyse
    from .news import EVENTS

    dates = analysis.instruments[0].bars.dates.astype("datetime64[D]")
    if dates.size < 2:
        return None
    day: dt.date = dates[-2].astype(object)
    bars = {i.instrument.symbol: i.bars for i in analysis.instruments}
    book = rules.on_topics(frozenset(EVENTS))
    shared = reuse or unshared
    try:
        before = analyse(
            list(bars), source=_Held(bars), as_of=day, settings=settings,
            names={i.instrument.symbol: i.instrument for i in analysis.instruments},
            reuse=reuse, events=book.reads_events,
        )  # fmt: skip
    except CommentaryError:
        return None  # too little history the session before: nothing to compare with

    def entry(item: InstrumentAnalysis) -> dict[str, Any]:
        states, symbol = item.states, item.instrument.symbol
        facts = book.evaluate(states, symbol, states.date, settings)
        return {
            "symbol": symbol,
            "date": states.date.isoformat(),
            "close": states.close,
            "states": {"levels": jsonable(states.levels), "momentum": jsonable(states.momentum)},
            "facts": [fact_entry(f) for f in facts],
        }

    instruments = [shared("previous session's entry", i.bars, partial(entry, i))
                   for i in before.instruments]  # fmt: skip
    return Since("previous session", day), {"as_of": day.isoformat(), "instruments": instruments}
