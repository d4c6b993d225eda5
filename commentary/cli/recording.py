"""Recording issues in the archive: ``generate``, ``daily``, ``email``, ``publish`` and
``notify`` keep every issue they write through ``record_issue``; each takes ``--archive FILE``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from ..archive import Archive
    from ..changes import ArchiveMemory
    from ..pipeline import Article
    from ..playbooks import Playbook

F = Callable[..., Any]


def archive_option(command: F) -> F:
    return click.option(
        "--archive", "archive_path", type=click.Path(dir_okay=False, path_type=Path),
        help="The issue archive (SQLite); default: [archive] path, COMMENTARY_ARCHIVE, or "
        "archive.sqlite3 in the user data directory.",
    )(command)  # fmt: skip


def open_archive(path: Path | None) -> Archive:
    from ..archive import Archive, default_archive
    from ..config import load_config

    configured = load_config()["archive"].get("path")
    return Archive(path or (Path(configured).expanduser() if configured else default_archive()))


@contextmanager
def archive_memory(archive_path: Path | None, identity: str) -> Iterator[ArchiveMemory]:
    """The archive's issues of one playbook, for "since the last issue" and the scorecard line
    of the issue about to be written."""
    from ..changes import ArchiveMemory

    with open_archive(archive_path) as archive:
        yield ArchiveMemory(archive, identity)


def playbook_identity(name_or_path: str | None, book: Playbook | None = None) -> str:
    """How the archive names a playbook: a bundled one by name, a file by its full path, an
    ad-hoc article by its symbols ("adhoc:AMZN,^GSPC")."""
    if book is not None and not name_or_path and book.origin in ("", "command line"):
        return "adhoc:" + ",".join(book.symbols)
    name = name_or_path or "default"
    return name if not Path(name).suffix else str(Path(name).expanduser().resolve())


def record_issue(
    archive_path: Path | None, identity: str, article: Article, delivery: tuple[str, str]
) -> None:
    """Keep the issue in the archive, and where it went; a note says when it is a new version
    of an issue already there."""
    with open_archive(archive_path) as archive:
        issue, created = archive.record(identity, article.analysis.as_of, article.plan.persona,
                                        article.ledger, article.markdown, delivery)  # fmt: skip
    from . import _note

    if created and issue.version > 1:  # said only when it matters: the issue changed
        _note(f"note: {identity} {issue.as_of}: archived as version {issue.version}, beside the "
              "earlier version (the data, rules or templates changed).")  # fmt: skip
