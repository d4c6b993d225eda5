"""What changed since the last issue, and the article's line from the record of our calls.

``what_changed`` compares today's analysis with the previous issue of the same playbook (from the
archive when the caller gives one, else recomputed as of the previous session) and returns
``Changes``: change facts per subject, the facts that are no longer news, and the scorecard line.
The planner reads them (``plan_article(..., changes=...)``); ``record_changes`` writes them into
the ledger, where the verifier binds their numbers like every other fact's.
"""

from __future__ import annotations

from .model import Changes, Since
from .news import demote_old_news, not_news
from .previous import ArchiveMemory, Memory
from .record import record_changes
from .scoreline import scorecard_line
from .summary import what_changed

__all__ = [
    "ArchiveMemory",
    "Changes",
    "Memory",
    "Since",
    "demote_old_news",
    "not_news",
    "record_changes",
    "scorecard_line",
    "what_changed",
]
