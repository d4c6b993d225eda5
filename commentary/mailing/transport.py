"""The SMTP side of ``send_issue``: one reusable connection and one transaction per recipient.

``_transact`` runs MAIL, RCPT and DATA itself (rather than ``smtplib.sendmail``) so that it knows
whether the terminating dot went out: a connection lost before it means the server certainly did
not take the message; lost after it, the message is in doubt (see ``commentary.mailing.ledger``).
"""

from __future__ import annotations

import ipaddress
import logging
import os
import re
import smtplib
import ssl
from collections.abc import Callable, Iterable, Sequence
from email.message import EmailMessage
from typing import Literal

from .errors import DeliveryError, MailingConfigError
from .message import POLICY
from .report import SendReport
from .subscribers import Subscriber

log = logging.getLogger("commentary.mailing")
# A library logs and leaves the printing to its application: without a handler of its own,
# Python's last-resort handler would print every warning to stderr beside the CLI's own lines.
log.addHandler(logging.NullHandler())
#: ``extra`` for records whose news the ``SendReport`` carries too (a refusal, an in-doubt row):
#: a front end that prints the report skips them, so each is shown once.
REPORTED = {"reported": True}

USER_VARIABLE, PASSWORD_VARIABLE = "COMMENTARY_SMTP_USER", "COMMENTARY_SMTP_PASSWORD"
#: Seconds to wait for the reply to the terminating dot: RFC 5321 section 4.5.3.2.6 suggests ten
#: minutes. Giving up sooner turns a slow but successful delivery into an in-doubt row that a
#: person must settle, so this one wait is long; every other step keeps the short ``timeout``.
FINAL_REPLY_TIMEOUT = 600.0
Security = Literal["starttls", "ssl", "none"]


class NotTaken(Exception):
    """The server answered, and not with acceptance: the message was certainly not taken."""

    def __init__(self, code: int, reply: bytes) -> None:
        super().__init__(code)
        self.code, self.reply = code, reply.decode("utf-8", "replace")


class Lost(Exception):
    """The connection failed; ``after_dot``: the whole message had been sent (in doubt)."""

    def __init__(self, after_dot: bool, reason: str) -> None:
        super().__init__(reason)
        self.after_dot, self.reason = after_dot, reason


def smtp_credentials(host: str, security: Security) -> tuple[str, str] | None:
    """(user, password) from the environment, or ``None`` when neither variable is set."""
    user, password = os.environ.get(USER_VARIABLE, ""), os.environ.get(PASSWORD_VARIABLE, "")
    if not user and not password:
        return None
    if not user or not password:
        missing = USER_VARIABLE if not user else PASSWORD_VARIABLE
        raise MailingConfigError(f"{missing} is not set; set both SMTP variables or neither.")
    if security == "none" and not _is_loopback(host):
        raise MailingConfigError(
            f"Refusing to send SMTP credentials unencrypted to {host}; "
            "use security 'starttls' or 'ssl'."
        )
    return user, password


class Session:
    """One SMTP connection, reopened after a failure until ``max_reconnects`` are used up."""

    def __init__(
        self,
        host: str,
        port: int,
        security: Security,
        timeout: float,
        context: ssl.SSLContext | None,
        max_reconnects: int,
        sleep: Callable[[float], None],
    ) -> None:
        self.host, self.port, self.security, self.timeout = host, port, security, timeout
        self.context, self.max_reconnects, self.sleep = context, max_reconnects, sleep
        self.credentials: tuple[str, str] | None = None
        self.failures = 0
        self._tls = False
        self._connection: smtplib.SMTP | None = None

    def scrub(self, text: str) -> str:
        for secret in self.credentials or ():
            text = text.replace(secret, "***")
        return text

    def connection(self, report: SendReport, rest: Sequence[Subscriber]) -> smtplib.SMTP:
        """The open connection, (re)connecting first; ``rest``: the recipients not yet sent."""
        while self._connection is None:
            if self.failures:
                self.sleep(min(2.0**self.failures, 30.0))
                report.reconnects += 1
            try:
                self._connection = self._open()
            except smtplib.SMTPAuthenticationError as error:
                report.remaining = [person.email for person in rest]
                raise DeliveryError(
                    f"{self.host}:{self.port} refused the SMTP login ({error.smtp_code}); "
                    f"check {USER_VARIABLE} and {PASSWORD_VARIABLE}.",
                    report,
                ) from None
            except smtplib.SMTPNotSupportedError:
                report.remaining = [person.email for person in rest]
                step = "STARTTLS" if self.security == "starttls" and not self._tls else "AUTH"
                raise DeliveryError(
                    f"{self.host}:{self.port} does not offer {step}; nothing was sent. "
                    "Use a server that does, or another security setting.",
                    report,
                ) from None
            except ssl.SSLCertVerificationError as error:
                report.remaining = [person.email for person in rest]
                raise DeliveryError(
                    f"TLS to {self.host}:{self.port} failed ({error.verify_message}); "
                    "check the host name and its certificate.",
                    report,
                ) from None
            except OSError as error:
                self.failed(f"cannot connect ({type(error).__name__})", report, rest)
        return self._connection

    def _open(self) -> smtplib.SMTP:
        context = self.context or ssl.create_default_context()
        if self.security == "ssl":
            connection: smtplib.SMTP = smtplib.SMTP_SSL(
                self.host, self.port, timeout=self.timeout, context=context
            )
        else:
            connection = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        self._tls = self.security == "ssl"
        try:
            connection.ehlo_or_helo_if_needed()
            if self.security == "starttls":
                connection.starttls(context=context)
                self._tls = True
                connection.ehlo()
            if self.credentials is not None:
                connection.login(*self.credentials)
        except BaseException:
            connection.close()
            raise
        return connection

    def failed(self, reason: str, report: SendReport, rest: Iterable[Subscriber]) -> None:
        """Drop the connection; stop with ``DeliveryError`` once reconnects are used up."""
        self.close()
        self.failures += 1
        reason = self.scrub(reason)
        log.warning("SMTP %s:%s: %s (attempt %d)", self.host, self.port, reason, self.failures)
        if self.failures > self.max_reconnects:
            report.remaining = [person.email for person in rest]
            raise DeliveryError(
                f"Sending stopped after {self.failures} failed attempts with {self.host}:"
                f"{self.port} ({reason}); {len(report.sent)} sent in this run, "
                f"{len(report.remaining)} not yet sent, {len(report.in_doubt)} in doubt. "
                "The ledger is consistent: fix the server or network and run again.",
                report,
            )

    def reset(self) -> None:
        if self._connection is not None:
            try:
                self._connection.rset()
            except (OSError, smtplib.SMTPException):
                self.close()

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            connection.quit()
        except (OSError, smtplib.SMTPException):
            connection.close()


def transact(
    connection: smtplib.SMTP,
    sender: str,
    recipient: str,
    payload: bytes,
    final_reply_timeout: float = FINAL_REPLY_TIMEOUT,
) -> None:
    """MAIL, RCPT, DATA; tracks whether the terminating dot went out (the ambiguous window).

    The reply to the dot gets ``final_reply_timeout`` seconds instead of the connection's own.
    """
    dot_sent = False
    try:
        code, reply = connection.mail(sender)
        if code != 250:
            raise NotTaken(code, reply)
        code, reply = connection.rcpt(recipient)
        if code not in (250, 251):
            raise NotTaken(code, reply)
        code, reply = connection.docmd("DATA")
        if code != 354:
            raise NotTaken(code, reply)
        connection.send(payload)
        dot_sent = True
        code, reply = _reply_within(connection, final_reply_timeout)
    except NotTaken:
        raise
    except OSError as error:  # includes SMTPServerDisconnected and timeouts
        raise Lost(dot_sent, f"connection lost ({type(error).__name__})") from None
    if code != 250:
        raise NotTaken(code, reply)


def _reply_within(connection: smtplib.SMTP, seconds: float) -> tuple[int, bytes]:
    sock = connection.sock
    if sock is None:
        raise smtplib.SMTPServerDisconnected("the connection closed")
    usual = sock.gettimeout()
    sock.settimeout(seconds)
    try:
        return connection.getreply()
    finally:
        sock.settimeout(usual)


def wire_bytes(message: EmailMessage) -> bytes:
    """The DATA payload: CRLF line ends, dot-stuffed, terminated by ``.``."""
    data = message.as_bytes(policy=POLICY)
    data = re.sub(rb"\r\n|\r|\n", b"\r\n", data)
    data = re.sub(rb"(?m)^\.", b"..", data)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data + b".\r\n"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
