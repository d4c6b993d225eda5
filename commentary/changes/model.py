"""What ``what_changed`` hands the planner, the templates and the ledger."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..rules import Fact

#: The message of each change fact (the template macro that phrases it) and its topic.
LEVEL_RECROSS = "level_recross"
LEVEL_CROSSED = "level_crossed"
ZONE_CHANGE = "zone_change"
CROSS_BETWEEN = "cross_between"
STREAK_ENDED = "streak_ended"
#: The fact sheet's origin for change facts (rules name their rule file here).
ORIGIN = "changes"


@dataclass(frozen=True)
class Since:
    """The issue today is compared with.

    ``source`` is ``"archive"`` (an archived issue: ``issue``, ``version``, ``inputs_sha256``
    name its row) or ``"previous session"`` (recomputed from the data as of ``as_of``, the
    session before today's, with no archive row).
    """

    source: str
    as_of: dt.date
    playbook: str = ""
    issue: int | None = None
    version: int | None = None
    inputs_sha256: str | None = None
    #: Sessions from ``as_of`` to today (1 = the previous session).
    sessions: int = 1

    def entry(self) -> dict[str, Any]:
        return {
            "source": self.source, "as_of": self.as_of.isoformat(), "playbook": self.playbook,
            "issue": self.issue, "version": self.version, "inputs_sha256": self.inputs_sha256,
            "sessions": self.sessions,
        }  # fmt: skip


@dataclass(frozen=True)
class Changes:
    """Everything the article says about its own past."""

    since: Since | None = None
    #: Change facts by subject (an instrument's symbol), in reading order.
    facts: dict[str, tuple[Fact, ...]] = field(default_factory=dict)
    #: (subject, fact id) of today's event facts the last issue already reported: standing
    #: conditions, not news (the planner keeps them at a low salience).
    old_news: frozenset[tuple[str, str]] = frozenset()
    #: (subject, fact id) of today's facts a change fact says instead (a level break that is a
    #: repeat crossing): the planner leaves them out.
    superseded: frozenset[tuple[str, str]] = frozenset()
    #: The scorecard line's values (``scoreline.scorecard_line``), or None.
    scorecard: dict[str, Any] | None = None

    def for_subject(self, subject: str) -> tuple[Fact, ...]:
        return self.facts.get(subject, ())

    def news(self, subject: str, facts: tuple[Fact, ...]) -> tuple[Fact, ...]:
        """``subject``'s facts as the planner should weigh them (``news.demote_old_news``)."""
        from .news import demote_old_news

        return demote_old_news(facts, subject, self.old_news, self.superseded)
