"""An article as an email issue: content for every subscriber, sent once each or dry-run."""

from __future__ import annotations

import datetime as dt
import email.utils
import html
import re
import zoneinfo
from pathlib import Path

from .errors import UsageError
from .ledger import title_of
from .mailing import IssueContent, Sender, html_fragment
from .outputs import chart_images
from .pipeline import Article
from .render import to_text

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def issue_content(article: Article, issue_id: str, charts: bool = True) -> IssueContent:
    """The issue's subject, HTML, plain text and the lead instrument's chart."""
    markdown_text = article.markdown
    title = title_of(markdown_text)
    body = markdown_text.split("\n", 1)[1] if markdown_text.startswith("# ") else markdown_text
    lead = article.plan.final.instrument
    png = chart_images(article).get(lead.symbol) if charts else None
    return IssueContent(
        issue_id=issue_id,
        subject=title,
        html_body=f"<h1>{html.escape(title, quote=False)}</h1>\n{html_fragment(body)}",
        plain_text=f"{title}\n\n{to_text(body).strip()}\n",
        chart_png=png,
        chart_alt=f"Chart of {lead.name}: candles, averages and the levels the text names",
    )


def new_york_now() -> dt.datetime:
    """The time in New York: the daily job's "today" is the exchange's date, not the data's."""
    return dt.datetime.now(NEW_YORK)


def issue_id(series: str, as_of: dt.date) -> str:
    """
    >>> issue_id("The Market Pulse", dt.date(2020, 4, 17))
    'the-market-pulse-2020-04-17'
    """
    return re.sub(r"[^a-z0-9]+", "-", series.lower()).strip("-") + f"-{as_of.isoformat()}"


def parse_sender(text: str) -> Sender:
    """``"Desk <desk@example.com>"`` or a bare address, or ``UsageError``."""
    name, address = email.utils.parseaddr(text)
    if "@" not in address:
        raise UsageError(
            f"{text!r} is not a sender address; write it as 'Name <desk@example.com>'."
        )
    return Sender(address=address, name=name)


def default_ledger() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("commentary")) / "sent.sqlite3"
