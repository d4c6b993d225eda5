"""Errors of the mailing package, all under ``commentary.errors.CommentaryError``.

::

    MailingError              anything about email delivery the user can fix
    ├── HeaderInjection       CR/LF (or another control character) in a header value
    ├── MessageTooLarge       the HTML part would exceed the size limit
    ├── MailingConfigError    a missing secret, a bad unsubscribe URL, credentials over plain text
    ├── LedgerError           the sent-ledger refused a transition (it would double-send)
    └── DeliveryError         SMTP delivery stopped; ``report`` says who got the issue so far

A subscribers file with bad rows raises ``commentary.errors.DataError`` (every row at once).
No message here ever carries an SMTP user name or password.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import CommentaryError

if TYPE_CHECKING:
    from .report import SendReport


class MailingError(CommentaryError):
    """Base of the mailing package's errors."""


class HeaderInjection(MailingError):
    """A header value (subject, name, address) carries CR, LF or another control character."""


class MessageTooLarge(MailingError):
    """The HTML part is larger than the limit (mail clients clip long messages)."""


class MailingConfigError(MailingError):
    """A setting the mailing needs is missing or unsafe."""


class LedgerError(MailingError):
    """The sent-ledger refused a state change that could send someone the same issue twice."""


class DeliveryError(MailingError):
    """Delivery stopped part-way; the ledger is consistent and a rerun continues."""

    def __init__(self, message: str, report: SendReport | None = None) -> None:
        super().__init__(message)
        self.report = report
