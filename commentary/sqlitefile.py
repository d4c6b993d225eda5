"""A SQLite file the commands share with concurrent runs: the sent-ledger and the issue archive.

Opened once in WAL mode (readers never block the writer), closed by ``close()`` or ``with``;
every write is one ``BEGIN IMMEDIATE`` transaction, so two runs at once serialise on the file
instead of racing between a read and a write.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Self

from .errors import CommentaryError


class SqliteFile:
    """The database at ``path`` (created on first use with ``schema``).

    ``what`` names it in messages ("sent-ledger"), ``fix`` says what to do about an unusable
    one, and ``error`` is the exception raised then; ``synchronous`` is SQLite's setting (FULL
    where a committed row must survive a power cut).
    """

    def __init__(
        self,
        path: Path,
        schema: Sequence[str],
        *,
        what: str,
        fix: str,
        error: type[CommentaryError],
        synchronous: str,
        timeout: float,
    ) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, isolation_level=None, timeout=timeout)
        except (OSError, sqlite3.Error) as problem:
            raise error(f"{path}: cannot open the {what} ({problem}); {fix}.") from None
        try:
            self._set_up(schema, synchronous, timeout)
        except sqlite3.DatabaseError as problem:
            self._db.close()
            raise error(f"{path} is not a usable {what} ({problem}); {fix}.") from None

    def _set_up(self, schema: Sequence[str], synchronous: str, timeout: float) -> None:
        """WAL mode and the schema. Two processes opening a new file at once can see "database
        is locked" from the switch to WAL without SQLite's busy wait, so that is retried until
        ``timeout``, as the busy wait would."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute(f"PRAGMA synchronous={synchronous}")
                for statement in schema:
                    self._db.execute(statement)
                return
            except sqlite3.OperationalError as problem:
                if "locked" not in str(problem) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")
