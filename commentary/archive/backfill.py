"""Backfill: replay a playbook session by session, so a new archive has a past.

Each session's issue is written exactly as ``generate --as-of`` would write it, from the data up
to that session only (and the issues archived before it: "since the last issue" compares with
the last one, the scorecard line grades the calls before it), and recorded. A session already in
the archive is skipped, so a backfill that was stopped part-way (or run twice) completes without
duplicates; a session that cannot be written (too little history, a data problem) is reported
and the rest go on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from ..calendars import calendar_for
from ..changes import ArchiveMemory
from ..errors import CommentaryError
from ..pipeline import write_article
from ..playbooks import Playbook
from ..sources import Source
from .store import Archive


@dataclass
class BackfillReport:
    written: list[date] = field(default_factory=list)
    skipped: list[date] = field(default_factory=list)
    failed: dict[date, str] = field(default_factory=dict)


def sessions_between(start: date, end: date) -> list[date]:
    """The NYSE sessions from ``start`` to ``end``, both included."""
    lo, hi = np.datetime64(start, "D"), np.datetime64(end, "D")
    days = calendar_for("XNYS", lo, hi).days
    chosen = days[(days >= lo) & (days <= hi)]
    return [day.astype(object) for day in chosen]


def backfill(
    archive: Archive,
    identity: str,
    book: Playbook,
    source: Source,
    start: date,
    end: date,
    *,
    progress: Callable[[date, str], None] = lambda day, outcome: None,
) -> BackfillReport:
    """Write and record ``book``'s issue for every session from ``start`` to ``end``."""
    report = BackfillReport()
    for day in sessions_between(start, end):
        if archive.latest(identity, day, persona=book.persona) is not None:
            report.skipped.append(day)
            progress(day, "skipped")
            continue
        try:
            article = write_article(book, source, day, memory=ArchiveMemory(archive, identity))
        except CommentaryError as error:
            report.failed[day] = str(error)
            progress(day, "failed")
            continue
        archive.record(identity, article.analysis.as_of, book.persona, article.ledger,
                       article.markdown, ("backfill", day.isoformat()))  # fmt: skip
        report.written.append(day)
        progress(day, "written")
    return report
