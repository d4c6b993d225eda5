"""One email per subscriber: text and HTML alternatives, the chart inline, one-click unsubscribe.

Structure::

    multipart/alternative
    ├── text/plain                      the article as text + the footer (postal address,
    │                                   unsubscribe)
    └── multipart/related               (just text/html when there is no chart)
        ├── text/html                   CSS inlined; a hidden preheader, a "view in browser"
        │                               link when there is a web address, each chart under its
        │                               own section (<img src="cid:...">), the footer
        └── image/png ...               one per chart: Content-ID, Content-Disposition: inline

Every header value is checked for CR/LF and RFC 2047 encoded words before anything is built
(``HeaderInjection``); the message itself uses ``email.policy.SMTP``, which refuses line breaks
too. Last, the header block exactly as it will go on the wire is read back: it must hold the
headers ``build_message`` sets, each once, and one ``To`` address, or nothing is sent.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid
from urllib.parse import urlsplit

import css_inline

from .errors import HeaderInjection, MailingConfigError, MessageTooLarge
from .subscribers import Subscriber, check_address, check_header_text

SECRET_VARIABLE = "COMMENTARY_UNSUBSCRIBE_SECRET"
HTML_LIMIT = 90 * 1024
# SMTP's CRLF policy; raw List-Unsubscribe values are written as given (refolding would turn the
# long URLs into RFC 2047 encoded words, which no mail client recognises as a List-Unsubscribe).
POLICY = SMTP.clone(refold_source="none")
#: The headers of every message, in order, as ``build_message`` sets them (lower case).
WIRE_HEADERS = (
    "subject", "from", "to", "date", "message-id", "list-id", "list-unsubscribe",
    "list-unsubscribe-post", "x-commentary-issue", "mime-version", "content-type",
)  # fmt: skip

#: The web page's typography (templates/html/page.css) in the values mail clients understand: the
#: same font stack, sizes, line height and colours, without CSS variables or rem units.
FONT = ('-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, '
        "sans-serif")  # fmt: skip
STYLESHEET = (
    f"""
body {{ margin: 0; padding: 0; background: #ffffff; color: #1d2330;
       font-family: {FONT}; font-size: 17px; line-height: 1.6; }}
.wrapper {{ max-width: 704px; margin: 0 auto; padding: 0 18px; }}
h1 {{ font-size: 28px; line-height: 1.25; margin: 8px 0 12px 0; }}
h2 {{ font-size: 22px; line-height: 1.3; margin: 35px 0 10px 0; padding-top: 10px;
      border-top: 1px solid #e3e6eb; }}
h3 {{ font-size: 17px; margin: 18px 0 6px 0; }}
p, li {{ font-size: 17px; line-height: 1.6; }}
a {{ color: #0b6bcb; }}
.view {{ font-size: 13px; color: #5b6475; margin: 8px 0; }}"""
    + """
table { border-collapse: collapse; }
th, td { border: 1px solid #d0d7de; padding: 4px 8px; font-size: 14px; }
img.chart { display: block; max-width: 100%; height: auto; margin: 12px 0; border: 0; }
.footer { margin-top: 32px; padding-top: 12px; border-top: 1px solid #e3e6eb;
          color: #5b6475; font-size: 13px; line-height: 1.4; }
.footer p { font-size: 13px; }
"""
)


def html_fragment(markdown_text: str) -> str:
    """The article as an HTML fragment; raw HTML and entities in the Markdown stay text.

    The same conversion as the standalone page (``commentary.page.html_body``).
    """
    from ..page import html_body

    return html_body(markdown_text)


@dataclass(frozen=True)
class Chart:
    """A chart and the section it belongs under: its ``<h2>`` text, as the HTML body has it."""

    heading: str
    png: bytes
    alt: str


@dataclass(frozen=True)
class IssueContent:
    """What every subscriber of one issue receives (before personalisation)."""

    issue_id: str
    subject: str
    html_body: str
    plain_text: str
    charts: tuple[Chart, ...] = ()
    #: The line inboxes show beside the subject (hidden in the message itself).
    preheader: str = ""
    #: The issue on the web ("view in browser"), when the newsletter has a web address.
    view_url: str | None = None
    #: ``List-Id``: the newsletter's name and its label (``mega-caps.desk.example.com``).
    list_name: str = ""
    list_label: str = ""
    #: The sender's postal address: CAN-SPAM asks for one in every commercial message.
    postal_address: str = ""


@dataclass(frozen=True)
class Sender:
    """The From: address and display name."""

    address: str
    name: str = ""


@dataclass(frozen=True)
class Unsubscribe:
    """Where unsubscribe requests go: an https URL (one-click POST) and a mailto address."""

    url: str
    mailto: str
    secret: str

    def __post_init__(self) -> None:
        check_header_text("unsubscribe URL", self.url)
        parts = urlsplit(self.url)
        if parts.scheme != "https" or not parts.netloc or any(c in self.url for c in " <>,\"'"):
            raise MailingConfigError(
                f"The unsubscribe URL {self.url!r} is not a plain https URL; "
                "give one like https://example.com/unsubscribe."
            )
        check_address("unsubscribe mailto address", self.mailto)
        if not self.secret:
            raise MailingConfigError("The unsubscribe secret is empty; set a long random one.")

    @classmethod
    def from_env(cls, url: str, mailto: str, variable: str = SECRET_VARIABLE) -> Unsubscribe:
        """The secret from the environment variable ``variable``; a clear error when unset."""
        secret = os.environ.get(variable, "")
        if not secret:
            raise MailingConfigError(
                f"{variable} is not set; export a long random secret (e.g. the output of "
                "`python -c 'import secrets; print(secrets.token_hex(32))'`) and keep it stable: "
                "it signs every unsubscribe link."
            )
        return cls(url=url, mailto=mailto, secret=secret)

    def token(self, address: str) -> str:
        """HMAC-SHA256 of the lower-cased address: the same for every issue, unguessable."""
        key = self.secret.encode("utf-8")
        return hmac.new(key, address.lower().encode("utf-8"), hashlib.sha256).hexdigest()

    def link(self, address: str) -> str:
        joiner = "&" if urlsplit(self.url).query else "?"
        return f"{self.url}{joiner}token={self.token(address)}"

    def header(self, address: str) -> str:
        """The List-Unsubscribe value: the one-click URL, then the mailto fallback."""
        mailto = f"mailto:{self.mailto}?subject=unsubscribe-{self.token(address)}"
        return f"<{self.link(address)}>,\r\n <{mailto}>"


def build_message(
    issue: IssueContent,
    subscriber: Subscriber,
    *,
    sender: Sender,
    unsubscribe: Unsubscribe,
    now: datetime,
    msgid_domain: str | None = None,
) -> EmailMessage:
    """The email for one subscriber; raises before building anything on an unsafe header value."""
    check_header_text("subject", issue.subject)
    check_header_text("issue id", issue.issue_id)
    check_header_text("sender name", sender.name)
    check_address("sender address", sender.address)
    check_header_text("subscriber name", subscriber.name)
    check_address("subscriber address", subscriber.email)
    domain = msgid_domain if msgid_domain is not None else sender.address.rpartition("@")[2]
    check_header_text("Message-ID domain", domain)
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware (e.g. datetime.now(UTC))")

    check_header_text("list name", issue.list_name)
    check_header_text("list label", issue.list_label)
    link = unsubscribe.link(subscriber.email)
    cids = [make_msgid(domain=domain) for _ in issue.charts]
    document = _html_document(issue, subscriber, link, cids)
    size = len(document.encode("utf-8"))
    if size >= HTML_LIMIT:
        raise MessageTooLarge(
            f"The HTML part of issue {issue.issue_id} is {size / 1024:.0f} KB, over the "
            f"{HTML_LIMIT // 1024} KB limit (mail clients clip longer messages); "
            "shorten the article."
        )

    message = EmailMessage(policy=POLICY)
    message["Subject"] = issue.subject
    message["From"] = _address(sender.name, sender.address)
    message["To"] = _address(subscriber.name, subscriber.email)
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(domain=domain)
    label = issue.list_label or f"{issue.issue_id.rsplit('-', 4)[0]}.{domain}"
    message["List-Id"] = f"{issue.list_name or issue.subject} <{label}>"
    message.set_raw("List-Unsubscribe", unsubscribe.header(subscriber.email))
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["X-Commentary-Issue"] = issue.issue_id
    message.set_content(_text_body(issue, subscriber, link))
    message.add_alternative(document, subtype="html")
    if issue.charts:
        html_part = next(p for p in message.iter_parts() if p.get_content_type() == "text/html")
        for n, (chart, cid) in enumerate(zip(issue.charts, cids, strict=True), 1):
            html_part.add_related(chart.png, "image", "png", cid=cid, disposition="inline",
                                  filename=f"chart-{n}.png")  # fmt: skip
    check_wire_headers(message, subscriber.email)
    return message


def check_wire_headers(message: EmailMessage, recipient: str) -> None:
    """Raise ``HeaderInjection`` unless the header block, as written on the wire, is the one
    ``build_message`` meant: the headers of ``WIRE_HEADERS`` once each and ``recipient`` alone in
    ``To``. This checks what the library produces after it decodes and re-encodes each value,
    so a value that turned into a new header line on the way is caught here, before sending.
    """
    block = b"".join(POLICY.fold_binary(name, value) for name, value in message.items())
    names = [
        line.partition(b":")[0].decode("ascii", "replace").strip()
        for line in block.split(b"\r\n")
        if line and line[:1] not in (b" ", b"\t")
    ]
    if tuple(name.lower() for name in names) != WIRE_HEADERS:
        extra = [name for name in names if name.lower() not in WIRE_HEADERS] or names
        raise HeaderInjection(
            f"The message for {recipient} would carry unexpected header lines "
            f"({', '.join(extra)}); a name, address or subject holds text that mail programs "
            "read as headers: fix that value."
        )
    to = message["To"]
    addresses = [address.addr_spec for address in getattr(to, "addresses", ())]
    if [address.lower() for address in addresses] != [recipient.lower()]:
        raise HeaderInjection(
            f"The message for {recipient} would be addressed to {', '.join(addresses) or 'nobody'};"
            " fix the subscriber's name or address."
        )


def _address(name: str, address: str) -> Address:
    local, _, domain = address.rpartition("@")
    return Address(display_name=name, username=local, domain=domain)


def _text_body(issue: IssueContent, subscriber: Subscriber, link: str) -> str:
    view = f"View this issue in your browser: {issue.view_url}\n\n" if issue.view_url else ""
    postal = f"{issue.postal_address}\n" if issue.postal_address else ""
    return (
        f"{view}{issue.plain_text.rstrip()}\n\n-- \n{postal}"
        f"You receive this because {subscriber.email} subscribed.\n"
        f"Unsubscribe: {link}\n"
    )


def _html_document(issue: IssueContent, subscriber: Subscriber, link: str, cids: list[str]) -> str:
    body = issue.html_body
    for chart, cid in zip(issue.charts, cids, strict=True):
        image = (
            f'<img class="chart" src="cid:{html.escape(cid[1:-1])}" alt="{html.escape(chart.alt)}">'
        )
        heading = re.compile(rf"(<h2[^>]*>{re.escape(html.escape(chart.heading, quote=False))}"
                             r"</h2>)")  # fmt: skip
        found = heading.search(body)
        if found:
            body = f"{body[: found.end()]}\n{image}\n{body[found.end() :]}"
    top = ""
    if issue.preheader:  # hidden: the line an inbox shows beside the subject
        top += (
            '<div style="display:none;max-height:0;overflow:hidden;mso-hide:all">'
            f"{html.escape(issue.preheader)}</div>\n"
        )
    if issue.view_url:
        top += (
            f'<p class="view"><a href="{html.escape(issue.view_url)}">View this issue in your '
            "browser</a></p>\n"
        )
    postal = f"<p>{html.escape(issue.postal_address)}</p>" if issue.postal_address else ""
    footer = (
        f'<div class="footer">{postal}<p>You receive this because '
        f'{html.escape(subscriber.email)} subscribed. <a href="{html.escape(link)}">'
        "Unsubscribe</a></p></div>"
    )
    document = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(issue.subject)}</title>\n<style>{STYLESHEET}</style>\n</head>\n"
        f'<body>\n<div class="wrapper">\n{top}{body}\n{footer}\n</div>\n</body>\n</html>\n'
    )
    return css_inline.CSSInliner(load_remote_stylesheets=False).inline(document)


def make_builder(
    issue: IssueContent,
    *,
    sender: Sender,
    unsubscribe: Unsubscribe,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    msgid_domain: str | None = None,
) -> Callable[[Subscriber], EmailMessage]:
    """A per-recipient builder for ``send_issue``: each message is dated when it is built."""

    def build(subscriber: Subscriber) -> EmailMessage:
        return build_message(
            issue,
            subscriber,
            sender=sender,
            unsubscribe=unsubscribe,
            now=now(),
            msgid_domain=msgid_domain,
        )

    return build
