"""An article as an email issue: content for every subscriber, sent once each or dry-run."""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import re
import zoneinfo
from pathlib import Path

from .errors import UsageError
from .ledger import title_of
from .mailing import Chart, IssueContent, MailingConfigError, Sender, html_fragment
from .mailing.subscribers import check_address, check_header_text
from .mailing.transport import FINAL_REPLY_TIMEOUT
from .outputs import chart_images, section_titles
from .pipeline import Article
from .playbooks import Playbook, playbook_dir
from .render import to_text, unescape_markdown

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def issue_content(
    article: Article,
    issue_id: str,
    charts: bool = True,
    *,
    view_url: str | None = None,
    postal_address: str = "",
    list_domain: str = "",
) -> IssueContent:
    """The issue's subject, HTML and plain text, a compact chart under each instrument's section,
    the preheader (the lead's first sentence), the web address and the postal address."""
    markdown_text = article.markdown
    title = title_of(markdown_text)
    body = markdown_text.split("\n", 1)[1] if markdown_text.startswith("# ") else markdown_text
    images = chart_images(article, compact=True) if charts else {}
    titles = section_titles(article)
    names = {i.instrument.symbol: i.instrument.name for i in article.analysis.instruments}
    drawn = tuple(
        Chart(
            titles[symbol],
            png,
            f"Chart of {names[symbol]}: the levels, channels and events its section names",
        )
        for symbol, png in images.items()
        if symbol in titles
    )
    label = issue_id.rsplit("-", 4)[0] or "newsletter"
    return IssueContent(
        issue_id=issue_id,
        subject=title,
        html_body=html_fragment(markdown_text),  # the title too, with the page's typography
        plain_text=f"{title}\n\n{to_text(body).strip()}\n",
        charts=drawn,
        preheader=preheader(article),
        view_url=view_url.replace("{date}", article.analysis.as_of.isoformat()).replace(
            "{issue}", issue_id
        )
        if view_url
        else None,
        list_name=unescape_markdown(article.plan.series),
        list_label=f"{label}.{list_domain}" if list_domain else "",
        postal_address=postal_address,
    )


def preheader(article: Article, limit: int = 110) -> str:
    """The lead's first sentence as plain text (an inbox shows it beside the subject)."""
    paragraphs = [p for p in to_text(article.markdown).split("\n\n")[2:] if p.strip()]
    first = next((p for p in paragraphs if not p.startswith((">", "Data note"))), "")
    sentence = re.split(r"(?<=[.!?])\s", first.strip(), maxsplit=1)[0]
    # The page's typography (page.py's smarty): "Amazon’s", as in the body under it.
    sentence = _APOSTROPHE.sub("’", sentence)
    return sentence if len(sentence) <= limit else sentence[:limit].rsplit(" ", 1)[0] + "…"


_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)|(?<=s)'(?=\s)")


def new_york_now() -> dt.datetime:
    """The time in New York: the daily job's "today" is the exchange's date, not the data's."""
    return dt.datetime.now(NEW_YORK)


def issue_id(book: Playbook, as_of: dt.date) -> str:
    """The sent-ledger's name for the issue of ``book`` on ``as_of``: one per newsletter and day.

    The newsletter is the playbook file, not its display text: a bundled playbook by its name,
    any other by its resolved path (symlinks and relative spellings give the same id). Two files
    titled "Tech Weekly" and "Tech: Weekly!" (or two all-Cyrillic titles) are two newsletters;
    editing a playbook's title, byline or instruments keeps its id, so fixing a typo between two
    runs of the same issue never sends it to everyone again. The id reads as the file's stem,
    the date and a hash of the identity.

    >>> from commentary.playbooks import load_playbook
    >>> issue_id(load_playbook("mega-caps"), dt.date(2020, 4, 17))
    'mega-caps-2020-04-17-04b4e0c0b5'
    """
    identity = playbook_identity(book)
    stem = Path(identity.partition(":")[2]).stem
    words = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")[:40].rstrip("-") or "playbook"
    digest = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:10]
    return f"{words}-{as_of.isoformat()}-{digest}"


def playbook_identity(book: Playbook) -> str:
    """``bundled:<name>`` for a bundled playbook, ``file:<resolved path>`` for any other.

    A bundled playbook is named, not located, so upgrading or moving the installation keeps it.
    """
    if not book.origin:
        return f"title:{book.title}"
    path = Path(book.origin).resolve()
    if path.parent == playbook_dir().resolve():
        return f"bundled:{path.stem}"
    return f"file:{path}"


def legacy_issue_id(title: str, as_of: dt.date) -> str:
    """The id commentary 0.1 gave an issue: the title's ASCII letters and digits, and the date.

    Two newsletters could share it; ``send_issue`` reads rows under it (``earlier_ids``) so a
    ledger written before the change still stops a second copy of those issues.

    >>> legacy_issue_id("The Market Pulse", dt.date(2020, 4, 17))
    'the-market-pulse-2020-04-17'
    """
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") + f"-{as_of.isoformat()}"


def parse_sender(text: str) -> Sender:
    """``"Desk <desk@example.com>"`` or a bare address, or ``UsageError``.

    Raises ``HeaderInjection`` (before any article is written) for a name or address that could
    not go into a header as given: a control character or an RFC 2047 encoded word.
    """
    name, address = email.utils.parseaddr(text)
    if "@" not in address:
        raise UsageError(
            f"{text!r} is not a sender address; write it as 'Name <desk@example.com>'."
        )
    check_header_text("sender name", name)
    check_address("sender address", address)
    return Sender(address=address, name=name)


def parse_timeout(value: object) -> float:
    """Seconds to wait for the final reply: ``value`` (a flag or config value) or the default.

    >>> parse_timeout(None), parse_timeout("45")
    (600.0, 45.0)
    """
    if value is None:
        return FINAL_REPLY_TIMEOUT
    try:
        seconds = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        seconds = float("nan")
    if not 0 < seconds < float("inf"):
        raise MailingConfigError(
            f"The final reply timeout {value!r} is not a number of seconds above 0; "
            f"give one like {FINAL_REPLY_TIMEOUT:.0f} (RFC 5321's ten minutes)."
        )
    return seconds


def default_ledger() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("commentary")) / "sent.sqlite3"
