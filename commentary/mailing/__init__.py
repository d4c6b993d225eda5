"""Email delivery: subscribers, per-recipient messages, a sent-ledger and an SMTP sender."""

from __future__ import annotations

from .errors import (
    DeliveryError,
    HeaderInjection,
    LedgerError,
    MailingConfigError,
    MailingError,
    MessageTooLarge,
)
from .ledger import LedgerEntry, SentLedger
from .message import (
    HTML_LIMIT,
    SECRET_VARIABLE,
    Chart,
    IssueContent,
    Sender,
    Unsubscribe,
    build_message,
    html_fragment,
    make_builder,
)
from .report import SendReport
from .send import send_issue, write_dry_run
from .subscribers import Subscriber, parse_subscribers, read_subscribers
from .transport import smtp_credentials

__all__ = [
    "HTML_LIMIT",
    "SECRET_VARIABLE",
    "Chart",
    "DeliveryError",
    "HeaderInjection",
    "IssueContent",
    "LedgerEntry",
    "LedgerError",
    "MailingConfigError",
    "MailingError",
    "MessageTooLarge",
    "SendReport",
    "Sender",
    "SentLedger",
    "Subscriber",
    "Unsubscribe",
    "build_message",
    "html_fragment",
    "make_builder",
    "parse_subscribers",
    "read_subscribers",
    "send_issue",
    "smtp_credentials",
    "write_dry_run",
]
