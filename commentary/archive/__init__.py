"""The archive of issues written (``store``), the backfill that gives it a past, and the
scorecard that grades its calls. Written only by ``pipeline``'s callers (the commands); read by
the pipeline only through ``changes.ArchiveMemory``, for what an issue says about its past (the
last issue's ledger, the scorecard line), each read named in the new issue's ledger."""

from __future__ import annotations

from .store import Archive, ArchiveError, Issue, default_archive, inputs_digest

__all__ = ["Archive", "ArchiveError", "Issue", "default_archive", "inputs_digest"]
