"""The archive of issues written (``store``), the backfill that gives it a past, and the
scorecard that grades its calls. Read and written only by ``pipeline``'s callers (the commands),
never inside a stage: an issue's numbers never come from the archive."""

from __future__ import annotations

from .store import Archive, ArchiveError, Issue, default_archive, inputs_digest

__all__ = ["Archive", "ArchiveError", "Issue", "default_archive", "inputs_digest"]
