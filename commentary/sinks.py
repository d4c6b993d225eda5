"""The whole universe in one file: a Parquet table, a SQLite database or JSON Lines.

One row per ticker: ``symbol``, ``as_of``, ``title``, the article's text (a column named for the
format: ``markdown``, ``html`` or ``text``), ``ledger`` (the compact JSON the file-per-ticker
batch writes as ``<name>.json``) and ``article_sha256``.

The target is written once, when the run ends, to a temporary file beside it that is renamed over
it, so a reader sees no file, the previous complete one or the new complete one. Rows arrive
per chunk in a staging SQLite database beside the target (``.<name>.staging.sqlite``), committed
as they come, which makes every sink resumable, Parquet too, though it cannot be appended to: a
rerun skips each ticker whose staged row holds its own ledger vouching for the article's exact
bytes, and finishes the target. A rerun after a complete run stages the target's rows first, so
it redoes only the tickers missing from it (the failed ones). The staging file is removed once
the target is in place.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import sqlite3
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import Any

from .errors import OutputError, UsageError
from .files import folder_problem

SINKS = ("parquet", "sqlite", "jsonl")
_FIELDS = ("symbol", "as_of", "title", "article", "ledger", "article_sha256")


@dataclass(frozen=True)
class Row:
    """One ticker's page as a worker hands it to the parent (small and picklable)."""

    symbol: str
    as_of: str
    title: str
    article: str
    ledger: str
    article_sha256: str

    @classmethod
    def of(cls, symbol: str, text: str, ledger: dict[str, Any], ledger_json: str) -> Row:
        return cls(symbol, str(ledger.get("as_of", "")), str(ledger["article"]["title"]), text,
                   ledger_json, ledger["article_sha256"])  # fmt: skip

    def is_sound(self) -> bool:
        """The ledger names this ticker and vouches for the article's exact bytes, as
        ``batch.is_done`` asks of a ticker's two files."""
        try:
            ledger = json.loads(self.ledger)
            digest = hashlib.sha256(self.article.encode("utf-8")).hexdigest()
            return bool(
                ledger["instruments"][0]["symbol"] == self.symbol
                and digest == ledger["article_sha256"] == self.article_sha256
            )
        except (ValueError, KeyError, TypeError, IndexError, AttributeError):
            return False


class Sink:
    """The staging database of a run that ends in ``target``, in ``kind`` (see ``SINKS``)."""

    def __init__(self, target: Path, kind: str, fmt: str) -> None:
        if kind not in SINKS:
            raise UsageError(f"unknown sink {kind!r}; choose one of {', '.join(SINKS)}.")
        if target.is_dir():
            raise UsageError(f"{target} is a folder; --sink {kind} writes one file: name it.")
        self.target, self.kind, self.column = target, kind, fmt
        self.staging = target.with_name(f".{target.name}.staging.sqlite")
        self._db: sqlite3.Connection | None = None

    def open(self) -> set[str]:
        """Open (or create) the staging database; the symbols already complete in it."""
        try:
            self.target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            reason = folder_problem(self.target.parent, error)
            raise OutputError(
                f"cannot write {self.target}: {reason}; choose another --out."
            ) from None
        fresh = not self.staging.exists()
        try:
            self._db = self._connect()
        except sqlite3.Error as error:
            self.close()
            # Not a database (a crash of the system left it torn): start it anew. Anything
            # else (no permission, no space) is the user's to fix.
            if fresh or type(error) is not sqlite3.DatabaseError:
                raise self._refusal(error) from None
            fresh = True
            try:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{self.staging}{suffix}").unlink(missing_ok=True)
                self._db = self._connect()
            except (OSError, sqlite3.Error) as again:
                raise self._refusal(again) from None
        if fresh and self.target.exists():  # a rerun after a complete run: resume from it
            self.add(self._read_target())
        # Only sound rows stay staged (what the workers add is sound by construction), so the
        # target is written from the staging without reading every ledger again.
        sound = {row.symbol for row in self.rows() if row.is_sound()}
        unsound = [(row.symbol,) for row in self.rows() if row.symbol not in sound]
        self._db.executemany("DELETE FROM rows WHERE symbol = ?", unsound)
        self._db.execute("DELETE FROM rows WHERE format != ?", (self.column,))
        self._db.commit()
        return sound

    def _refusal(self, error: Exception) -> OutputError:
        return OutputError(f"cannot write {self.staging}: {error}; check the folder and its space.")

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.staging)
        self._db = db  # closed by ``close`` if what follows fails
        # WAL with NORMAL sync: a commit is not flushed one by one (a crash may lose the last
        # chunks, which are redone) and the database is never left corrupt.
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute(
            "CREATE TABLE IF NOT EXISTS rows (symbol TEXT PRIMARY KEY, as_of TEXT, title TEXT,"
            " article TEXT, ledger TEXT, article_sha256 TEXT, format TEXT)"
        )
        db.commit()
        return db

    def add(self, rows: Iterable[Row]) -> None:
        """Stage ``rows`` (replacing a ticker's earlier row) and commit: they survive a crash."""
        assert self._db is not None
        try:
            self._db.executemany("INSERT OR REPLACE INTO rows VALUES (?, ?, ?, ?, ?, ?, ?)",
                                 ((*astuple(row), self.column) for row in rows))  # fmt: skip
            self._db.commit()
        except sqlite3.Error as error:
            raise OutputError(f"cannot write {self.staging}: {error}; check its space.") from None

    def rows(self, symbols: Sequence[str] | None = None) -> Iterator[Row]:
        """Staged rows in this run's format (a row of another is redone): all, or those of
        ``symbols`` in that order (sound or not)."""
        assert self._db is not None
        select = f"SELECT {', '.join(_FIELDS)} FROM rows WHERE format = ?"
        if symbols is None:
            for values in self._db.execute(select, (self.column,)):
                yield Row(*values)
            return
        for symbol in symbols:
            found = self._db.execute(f"{select} AND symbol = ?", (self.column, symbol)).fetchone()
            if found is not None:
                yield Row(*found)

    def finish(self, symbols: Sequence[str]) -> int:
        """Write the target (the universe's staged rows, all sound, in its order) in one
        rename, then drop the staging file; how many rows it holds."""
        rows = list(self.rows(list(dict.fromkeys(symbols))))
        _replace(self.target, lambda path: WRITERS[self.kind](path, rows, self.column))
        self.close()
        self.staging.unlink(missing_ok=True)
        return len(rows)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def _read_target(self) -> list[Row]:
        """The rows of a previous complete target; none if it cannot be read (it is rebuilt)."""
        try:
            records = READERS[self.kind](self.target)
            return [Row(*(record[name] for name in _columns(self.column))) for record in records]
        except Exception:  # unreadable, foreign or another format: all is redone, then replaced
            return []


def _replace(target: Path, write: Callable[[Path], None]) -> None:
    """``write`` a temporary file beside ``target``, then rename it over ``target`` (through a
    symlink to the file it names, whose permission bits the new file keeps)."""
    real = Path(os.path.realpath(target))
    temporary = real.with_name(f".{real.name[:200]}.{secrets.token_hex(6)}.tmp")
    try:
        write(temporary)
        with contextlib.suppress(FileNotFoundError):
            os.chmod(temporary, stat.S_IMODE(os.stat(real).st_mode) & 0o777)
        os.replace(temporary, real)
    except (OSError, sqlite3.Error) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise OutputError(f"cannot write {target}: {reason}; check its folder.") from None
    finally:
        temporary.unlink(missing_ok=True)


def _columns(column: str) -> tuple[str, ...]:
    return tuple(column if name == "article" else name for name in _FIELDS)


def _write_jsonl(path: Path, rows: Sequence[Row], column: str) -> None:
    names = _columns(column)
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(dict(zip(names, astuple(row), strict=True))) + "\n")


def _write_sqlite(path: Path, rows: Sequence[Row], column: str) -> None:
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute(
            f"CREATE TABLE articles (symbol TEXT PRIMARY KEY, as_of TEXT, title TEXT, {column} "
            "TEXT, ledger TEXT, article_sha256 TEXT)"
        )
        db.executemany("INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?)", map(astuple, rows))
        db.commit()


def _write_parquet(path: Path, rows: Sequence[Row], column: str) -> None:
    import pyarrow as pa  # type: ignore[import-untyped]
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    values = list(zip(*map(astuple, rows), strict=True)) if rows else [()] * len(_FIELDS)
    table = pa.table(
        {
            name: pa.array(list(v), pa.string())
            for name, v in zip(_columns(column), values, strict=True)
        }
    )
    pq.write_table(table, path)


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line]


def _read_sqlite(path: Path) -> list[dict[str, Any]]:
    uri = path.resolve().as_uri() + "?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
        db.row_factory = sqlite3.Row
        return [dict(row) for row in db.execute("SELECT * FROM articles")]


def _read_parquet(path: Path) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    return pq.read_table(path).to_pylist()  # type: ignore[no-any-return]


WRITERS: dict[str, Callable[[Path, Sequence[Row], str], None]] = {
    "jsonl": _write_jsonl, "sqlite": _write_sqlite, "parquet": _write_parquet,
}  # fmt: skip
READERS: dict[str, Callable[[Path], list[dict[str, Any]]]] = {
    "jsonl": _read_jsonl, "sqlite": _read_sqlite, "parquet": _read_parquet,
}  # fmt: skip
