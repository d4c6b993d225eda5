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
from .ledger import SENT, SentLedger
from .message import POLICY
from .report import SendReport
from .subscribers import Subscriber
from .transport import (
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
) -> SendReport:
    """Send issue ``issue_id`` to every recipient the ledger has not seen; see the module doc.

    ``messages`` is a builder (``Subscriber -> EmailMessage``, called just before each send) or
    a mapping from lower-cased address to message. Raises ``DeliveryError`` (carrying the report)
    after ``max_reconnects`` consecutive failed attempts; the ledger is consistent and a rerun
    continues with the recipients not yet sent.
    """
    if security not in ("starttls", "ssl", "none"):
        raise MailingConfigError(f"Unknown SMTP security {security!r}; use starttls, ssl or none.")
    if not rate_per_second > 0:
        raise MailingConfigError("rate_per_second must be positive.")
    keys = [person.key for person in recipients]
    if len(set(keys)) != len(keys):
        twice = sorted({key for key in keys if keys.count(key) > 1})
        raise MailingError(f"Recipients listed twice: {', '.join(twice)}; remove the duplicates.")
    session = Session(host, port, security, timeout, ssl_context, max_reconnects, sleep)
    session.credentials = smtp_credentials(host, security)
    report = SendReport(issue_id)
    report.in_doubt.extend(ledger.in_doubt(issue_id))
    for entry in report.in_doubt:
        log.warning("in doubt, not resent: %s %s %s", issue_id, entry.email, entry.message_id)
    todo = ledger.pending(issue_id, recipients)
    entries = ledger.entries(issue_id)
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
                    transact(connection, sender, person.email, payload)
                except NotTaken as refusal:
                    ledger.mark_failed(issue_id, person.email, now())
                    text = session.scrub(f"{refusal.code} {refusal.reply}")
                    if refusal.code >= 500:
                        report.refused[person.email] = text
                        log.warning("refused: %s %s: %s", issue_id, person.email, text)
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
                    log.warning("in doubt: %s %s %s", issue_id, person.email, message_id)
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
