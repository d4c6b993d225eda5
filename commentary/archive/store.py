"""The issue archive: every issue written, with its ledger, in one SQLite file.

Two tables::

    issues(id, playbook, as_of, persona, version, inputs_sha256, article_sha256, ledger,
           markdown, created_at)            -- one row per distinct version of an issue
    deliveries(issue, channel, target, at)  -- where each issue went (a file, the blog, email…)

An issue is known by (playbook, as-of date, persona). Writing it again with the same inputs and
the same article changes nothing; when the inputs changed (new data, new rules, new templates)
the new version is kept beside the old one (``version`` counts up), never over it. "Inputs" are
the ledger without its article and generator line, so a new release that writes the same facts
and the same words is the same issue.

Each ``record`` is one ``BEGIN IMMEDIATE`` transaction, so two runs at once (two ``daily`` jobs,
a backfill beside a ``generate``) serialise on the file and never write the same version twice.
The journal is WAL with ``synchronous=NORMAL``: a commit survives a crash of the process; a power
cut may lose the last issues, which the next run writes again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ..errors import CommentaryError
from ..sqlitefile import SqliteFile

_SCHEMA = (
    """
    CREATE TABLE IF NOT EXISTS issues (
        id             INTEGER PRIMARY KEY,
        playbook       TEXT NOT NULL,
        as_of          TEXT NOT NULL,
        persona        TEXT NOT NULL,
        version        INTEGER NOT NULL,
        inputs_sha256  TEXT NOT NULL,
        article_sha256 TEXT NOT NULL,
        ledger         TEXT NOT NULL,
        markdown       TEXT NOT NULL,
        created_at     TEXT NOT NULL,
        UNIQUE (playbook, as_of, persona, version),
        UNIQUE (playbook, as_of, persona, inputs_sha256, article_sha256)
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS deliveries (
        issue   INTEGER NOT NULL REFERENCES issues (id),
        channel TEXT NOT NULL,
        target  TEXT NOT NULL,
        at      TEXT NOT NULL,
        PRIMARY KEY (issue, channel, target)
    )
    """,
)


class ArchiveError(CommentaryError):
    """The archive file cannot be used."""


@dataclass(frozen=True)
class Issue:
    """One archived version of an issue."""

    id: int
    playbook: str
    as_of: date
    persona: str
    version: int
    inputs_sha256: str
    article_sha256: str
    created_at: str

    def ledger(self, archive: Archive) -> dict[str, Any]:
        return archive.ledger_of(self.id)


def inputs_digest(ledger: dict[str, Any]) -> str:
    """SHA-256 of the ledger without its article and generator line (canonical JSON)."""
    inputs = {k: v for k, v in ledger.items() if k not in ("article", "generator")}
    text = json.dumps(inputs, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode()).hexdigest()


def default_archive() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("commentary")) / "archive.sqlite3"


class Archive(SqliteFile):
    """The archive at ``path`` (created on first use). Use as a context manager or ``close()``."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, _SCHEMA, what="archive", fix="give a new --archive FILE",
                         error=ArchiveError, synchronous="NORMAL", timeout=60.0)  # fmt: skip

    def record(
        self,
        playbook: str,
        as_of: date,
        persona: str,
        ledger: dict[str, Any],
        markdown: str,
        delivery: tuple[str, str] | None = None,
    ) -> tuple[Issue, bool]:
        """Keep this issue (and where it went); returns it and whether it is a new version."""
        inputs = inputs_digest(ledger)
        article = hashlib.sha256(markdown.encode()).hexdigest()
        key = (playbook, as_of.isoformat(), persona)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._transaction() as db:
            row = db.execute(
                "SELECT id FROM issues WHERE playbook = ? AND as_of = ? AND persona = ? "
                "AND inputs_sha256 = ? AND article_sha256 = ?",
                (*key, inputs, article),
            ).fetchone()
            created = row is None
            if created:
                version = db.execute(
                    "SELECT COALESCE(MAX(version), 0) + 1 FROM issues "
                    "WHERE playbook = ? AND as_of = ? AND persona = ?",
                    key,
                ).fetchone()[0]
                text = json.dumps(ledger, separators=(",", ":"), allow_nan=False)
                cursor = db.execute(
                    "INSERT INTO issues (playbook, as_of, persona, version, inputs_sha256, "
                    "article_sha256, ledger, markdown, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (*key, version, inputs, article, text, markdown, now),
                )
                issue_id = int(cursor.lastrowid or 0)
            else:
                issue_id = int(row[0])
            if delivery is not None:
                db.execute(
                    "INSERT OR IGNORE INTO deliveries (issue, channel, target, at) "
                    "VALUES (?, ?, ?, ?)",
                    (issue_id, delivery[0], delivery[1], now),
                )
        return self._issue(issue_id), created

    def _issue(self, issue_id: int) -> Issue:
        row = self._db.execute(
            "SELECT id, playbook, as_of, persona, version, inputs_sha256, article_sha256, "
            "created_at FROM issues WHERE id = ?",
            (issue_id,),
        ).fetchone()
        return _row(row)

    def find(self, issue_id: int) -> Issue | None:
        """The row ``issue_id``, or None when the archive has no such row."""
        row = self._db.execute("SELECT id FROM issues WHERE id = ?", (issue_id,)).fetchone()
        return None if row is None else self._issue(issue_id)

    def issues(self, playbook: str | None = None) -> list[Issue]:
        """Every version, oldest date first (and, within a date, oldest version first)."""
        query = (
            "SELECT id, playbook, as_of, persona, version, inputs_sha256, article_sha256, "
            "created_at FROM issues"
        )
        params: tuple[str, ...] = ()
        if playbook is not None:
            query += " WHERE playbook = ?"
            params = (playbook,)
        rows = self._db.execute(query + " ORDER BY as_of, playbook, persona, version", params)
        return [_row(row) for row in rows.fetchall()]

    def latest(self, playbook: str, as_of: date | None = None, *, before: bool = False,
               persona: str | None = None) -> Issue | None:  # fmt: skip
        """The newest version of the issue on ``as_of`` (or, ``before``, the last one before it;
        with no date, the last issue of all)."""
        query = (
            "SELECT id, playbook, as_of, persona, version, inputs_sha256, article_sha256, "
            "created_at FROM issues WHERE playbook = ?"
        )
        params: list[str] = [playbook]
        if as_of is not None:
            query += " AND as_of < ?" if before else " AND as_of = ?"
            params.append(as_of.isoformat())
        if persona is not None:
            query += " AND persona = ?"
            params.append(persona)
        row = self._db.execute(query + " ORDER BY as_of DESC, version DESC LIMIT 1", params)
        found = row.fetchone()
        return _row(found) if found else None

    def ledger_of(self, issue_id: int) -> dict[str, Any]:
        row = self._db.execute("SELECT ledger FROM issues WHERE id = ?", (issue_id,)).fetchone()
        return dict(json.loads(row[0]))

    def markdown_of(self, issue_id: int) -> str:
        row = self._db.execute("SELECT markdown FROM issues WHERE id = ?", (issue_id,)).fetchone()
        return str(row[0])

    def deliveries(self, issue_id: int) -> list[tuple[str, str]]:
        rows = self._db.execute(
            "SELECT channel, target FROM deliveries WHERE issue = ? ORDER BY at, channel, target",
            (issue_id,),
        )
        return [(str(a), str(b)) for a, b in rows.fetchall()]


def _row(row: tuple[Any, ...]) -> Issue:
    return Issue(int(row[0]), str(row[1]), date.fromisoformat(row[2]), str(row[3]), int(row[4]),
                 str(row[5]), str(row[6]), str(row[7]))  # fmt: skip
