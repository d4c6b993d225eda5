"""Sending an issue over SMTP, one connection, rate-limited, resumable through the sent-ledger.

Credentials come only from ``COMMENTARY_SMTP_USER`` and ``COMMENTARY_SMTP_PASSWORD`` and never
appear in a log line or an exception message. Each recipient gets one SMTP transaction (MAIL,
RCPT, DATA) between ``mark_sending`` and ``mark_sent``; see ``ledger`` for the one ambiguous
window (the server may have accepted the message but its reply never arrived) and its policy:
such a recipient is reported as in doubt and never sent the issue a second time.
"""

from __future__ import annotations

import re
import ssl
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import getaddresses
from pathlib import Path

from ..files import write_atomic
from .errors import MailingConfigError, MailingError
from .ledger import FAILED, SENT, SentLedger
from .message import POLICY
from .report import SendReport
from .subscribers import Subscriber
from .transport import (
    FINAL_REPLY_TIMEOUT,
    REPORTED,
    Lost,
    NotTaken,
    Security,
    Session,
    log,
    smtp_credentials,
    transact,
    wire_bytes,
)

MessageSource = Callable[[Subscriber], EmailMessage] | Mapping[str, EmailMessage]


def send_issue(
    messages: MessageSource,
    recipients: Sequence[Subscriber],
    *,
    issue_id: str,
    host: str,
    port: int,
    security: Security,
    ledger: SentLedger,
    rate_per_second: float,
    sleep: Callable[[float], None] = time.sleep,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    clock: Callable[[], float] = time.monotonic,
    max_reconnects: int = 3,
    timeout: float = 30.0,
    ssl_context: ssl.SSLContext | None = None,
    envelope_from: str | None = None,
    earlier_ids: Sequence[str] = (),
    final_reply_timeout: float = FINAL_REPLY_TIMEOUT,
) -> SendReport:
    """Send issue ``issue_id`` to every recipient the ledger has not seen; see the module doc.

    ``messages`` is a builder (``Subscriber -> EmailMessage``, called just before each send) or
    a mapping from lower-cased address to message. Raises ``DeliveryError`` (carrying the report)
    after ``max_reconnects`` consecutive failed attempts; the ledger is consistent and a rerun
    continues with the recipients not yet sent. ``timeout`` bounds connecting and each reply;
    the reply to a whole message gets ``final_reply_timeout`` (see ``FINAL_REPLY_TIMEOUT``).

    ``earlier_ids`` are ids the same issue may have been recorded under by an earlier version
    (``commentary.newsletter.legacy_issue_id``): a recipient ``sent`` or ``sending`` under one of
    them counts as already sent or in doubt here too, so an upgrade never sends a second copy.
    """
    if security not in ("starttls", "ssl", "none"):
        raise MailingConfigError(f"Unknown SMTP security {security!r}; use starttls, ssl or none.")
    if not rate_per_second > 0:
        raise MailingConfigError("rate_per_second must be positive.")
    if not final_reply_timeout > 0:
        raise MailingConfigError("final_reply_timeout must be positive.")
    keys = [person.key for person in recipients]
    if len(set(keys)) != len(keys):
        twice = sorted({key for key in keys if keys.count(key) > 1})
        raise MailingError(f"Recipients listed twice: {', '.join(twice)}; remove the duplicates.")
    session = Session(host, port, security, timeout, ssl_context, max_reconnects, sleep)
    session.credentials = smtp_credentials(host, security)
    report = SendReport(issue_id)
    ids = list(dict.fromkeys([issue_id, *earlier_ids]))
    for known_as in ids:
        report.in_doubt.extend(ledger.in_doubt(known_as))
    for entry in report.in_doubt:
        log.warning("in doubt, not resent: %s %s %s", entry.issue_id, entry.email,
                    entry.message_id, extra=REPORTED)  # fmt: skip
    # Rows that stop a send (sent, or in doubt); this issue's own rows win over earlier ids'.
    entries = {
        key: entry
        for known_as in reversed(ids)
        for key, entry in ledger.entries(known_as).items()
        if entry.status != FAILED
    }
    todo = [p for p in ledger.pending(issue_id, recipients) if p.key not in entries]
    waiting = {person.key for person in todo}
    report.already_sent = [
        p.email for p in recipients if p.key not in waiting and entries[p.key].status == SENT
    ]
    interval, last_start = 1.0 / rate_per_second, None
    try:
        for index, person in enumerate(todo):
            message = messages(person) if callable(messages) else messages[person.key]
            sender = envelope_from or _single_address(message, "From")
            if _single_address(message, "To").lower() != person.key:
                raise MailingError(f"The message built for {person.email} is addressed elsewhere.")
            message_id = str(message["Message-ID"])
            payload = wire_bytes(message)
            while True:
                if last_start is not None:
                    wait = last_start + interval - clock()
                    if wait > 0:
                        sleep(wait)
                connection = session.connection(report, todo[index:])
                last_start = clock()
                ledger.mark_sending(issue_id, person.email, message_id, now())
                try:
                    transact(connection, sender, person.email, payload, final_reply_timeout)
                except NotTaken as refusal:
                    ledger.mark_failed(issue_id, person.email, now())
                    text = session.scrub(f"{refusal.code} {refusal.reply}")
                    if refusal.code >= 500:
                        report.refused[person.email] = text
                        log.warning("refused: %s %s: %s", issue_id, person.email, text,
                                    extra=REPORTED)  # fmt: skip
                        session.reset()
                        break
                    session.failed(f"the server answered {text}", report, todo[index:])
                    continue
                except Lost as lost:
                    if not lost.after_dot:
                        ledger.mark_failed(issue_id, person.email, now())
                        session.failed(lost.reason, report, todo[index:])
                        continue
                    report.in_doubt.append(ledger.entries(issue_id)[person.key])
                    log.warning("in doubt: %s %s %s", issue_id, person.email, message_id,
                                extra=REPORTED)  # fmt: skip
                    session.failed(lost.reason, report, todo[index + 1 :])
                    break
                ledger.mark_sent(issue_id, person.email, now())
                report.sent.append(person.email)
                session.failures = 0
                log.info("sent %s to %s (%s)", issue_id, person.email, message_id)
                break
    finally:
        session.close()
    return report


def write_dry_run(directory: Path, messages: Iterable[EmailMessage]) -> list[Path]:
    """Write each message to ``directory/NNNN-<address>.eml`` atomically; the paths written."""
    paths = []
    for number, message in enumerate(messages, start=1):
        address = _single_address(message, "To")
        path = directory / f"{number:04d}-{re.sub(r'[^A-Za-z0-9._@+-]', '_', address)}.eml"
        write_atomic(path, message.as_bytes(policy=POLICY))
        paths.append(path)
    return paths


def _single_address(message: EmailMessage, header: str) -> str:
    pairs = getaddresses([str(message[header] or "")])
    if len(pairs) != 1 or not pairs[0][1]:
        raise MailingError(f"The message needs exactly one {header} address.")
    return pairs[0][1]
