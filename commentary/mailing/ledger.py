"""The sent-ledger: who has received which issue, so that reruns neither repeat nor skip anyone.

One SQLite table, ``sent(issue_id, email, message_id, status, sent_at)``, primary key
``(issue_id, email)`` (the address lower-cased), WAL journal, ``synchronous=FULL`` so that a
committed mark survives a power cut. ``sent_at`` is when the row last changed state (ISO 8601).

The protocol, per recipient, around one SMTP transaction:

1. ``mark_sending`` commits ``status='sending'`` with the Message-ID *before* the transaction.
   It refuses (``LedgerError``) if the row is already ``sending`` or ``sent``: that check and the
   write are one ``BEGIN IMMEDIATE`` transaction, so two concurrent runs cannot both claim it.
2. ``mark_sent`` commits ``status='sent'`` only after the server answered 250 to the message.
3. ``mark_failed`` commits ``status='failed'`` when the server certainly did not take the message
   (a reply other than 250, or the connection lost before the terminating dot was sent); a failed
   row is pending again and the next run sends it.

The one truly ambiguous window is between sending the terminating ``.`` and committing
``sent``: the server may have accepted the message (and will deliver it) while we never saw its
reply or crashed before the commit. Such a row stays ``sending``. The policy is **never
double-send**: ``pending`` does not return ``sending`` rows, and ``in_doubt`` lists them (with the
Message-ID to search for in the server's or recipient's logs) for manual review; ``resolve`` then
records the verdict (``delivered=True`` marks it sent, ``False`` makes it pending again).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..sqlitefile import SqliteFile
from .errors import LedgerError
from .subscribers import Subscriber

SENDING, SENT, FAILED = "sending", "sent", "failed"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sent (
    issue_id   TEXT NOT NULL,
    email      TEXT NOT NULL,
    message_id TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'failed')),
    sent_at    TEXT NOT NULL,
    PRIMARY KEY (issue_id, email)
)
"""


@dataclass(frozen=True)
class LedgerEntry:
    issue_id: str
    email: str
    message_id: str
    status: str
    sent_at: str


class SentLedger(SqliteFile):
    """The ledger at ``path`` (created on first use). Use as a context manager or ``close()``."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, (_SCHEMA,), what="sent-ledger", fix="give a new file path",
                         error=LedgerError, synchronous="FULL", timeout=30.0)  # fmt: skip

    def entries(self, issue_id: str) -> dict[str, LedgerEntry]:
        """Every row of an issue, by lower-cased address."""
        rows = self._db.execute(
            "SELECT issue_id, email, message_id, status, sent_at FROM sent WHERE issue_id = ?",
            (issue_id,),
        ).fetchall()
        return {row[1]: LedgerEntry(*row) for row in rows}

    def pending(self, issue_id: str, recipients: Iterable[Subscriber]) -> list[Subscriber]:
        """The recipients still to send, in order: no row yet, or a row marked ``failed``.

        ``sent`` rows are done and ``sending`` rows are in doubt (see ``in_doubt``): neither is
        returned, so a rerun never sends anyone the issue a second time.
        """
        known = self.entries(issue_id)
        return [
            person
            for person in recipients
            if person.key not in known or known[person.key].status == FAILED
        ]

    def in_doubt(self, issue_id: str | None = None) -> list[LedgerEntry]:
        """Rows left ``sending`` by an interrupted run (of one issue, or of every issue when
        ``issue_id`` is None): maybe delivered; review by Message-ID, oldest first."""
        query = "SELECT issue_id, email, message_id, status, sent_at FROM sent WHERE status = ?"
        arguments: tuple[str, ...] = (SENDING,)
        if issue_id is not None:
            query, arguments = query + " AND issue_id = ?", (SENDING, issue_id)
        rows = self._db.execute(query + " ORDER BY sent_at, issue_id, email", arguments)
        return [LedgerEntry(*row) for row in rows.fetchall()]

    def mark_sending(self, issue_id: str, email: str, message_id: str, now: datetime) -> None:
        """Claim a recipient before the SMTP transaction; refuses if already sending or sent."""
        key = email.lower()
        with self._transaction() as db:
            row = db.execute(
                "SELECT status FROM sent WHERE issue_id = ? AND email = ?", (issue_id, key)
            ).fetchone()
            if row is not None and row[0] != FAILED:
                raise LedgerError(
                    f"{email} is already marked {row[0]!r} for issue {issue_id} in {self.path}; "
                    "it is not sent again (settle an in-doubt row with `commentary email resolve`)."
                )
            db.execute(
                "INSERT OR REPLACE INTO sent (issue_id, email, message_id, status, sent_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (issue_id, key, message_id, SENDING, now.isoformat()),
            )

    def mark_sent(self, issue_id: str, email: str, now: datetime) -> None:
        """Record that the server accepted the message (it answered 250 to the data)."""
        self._move(issue_id, email, SENT, now)

    def mark_failed(self, issue_id: str, email: str, now: datetime) -> None:
        """Record that the server certainly did not take the message: pending again."""
        self._move(issue_id, email, FAILED, now)

    def resolve(self, issue_id: str, email: str, *, delivered: bool, now: datetime) -> None:
        """Settle an in-doubt row after manual review: sent, or pending again."""
        self._move(issue_id, email, SENT if delivered else FAILED, now)

    def _move(self, issue_id: str, email: str, status: str, now: datetime) -> None:
        with self._transaction() as db:
            cursor = db.execute(
                "UPDATE sent SET status = ?, sent_at = ? "
                "WHERE issue_id = ? AND email = ? AND status = ?",
                (status, now.isoformat(), issue_id, email.lower(), SENDING),
            )
            if cursor.rowcount != 1:
                raise LedgerError(
                    f"{email} is not marked 'sending' (in doubt) for issue {issue_id} in "
                    f"{self.path}, so it cannot be marked {status!r}; `commentary email doubts` "
                    "lists the rows in doubt."
                )
