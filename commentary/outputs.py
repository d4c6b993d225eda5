"""The output stage: an article in the format asked for (Markdown, text, HTML, JSON)."""

from __future__ import annotations

import html
from typing import Any

from .ledger import build_ledger, dumps
from .pipeline import Article
from .render import to_text

FORMATS = ("markdown", "text", "html", "json")


def render_output(article: Article, fmt: str) -> str:
    """The article as ``fmt``; JSON carries the facts ledger and the article."""
    if fmt == "markdown":
        return article.markdown
    if fmt == "text":
        return to_text(article.markdown)
    if fmt == "html":
        return standalone_html(article)
    return dumps(ledger_of(article))


def ledger_of(article: Article) -> dict[str, Any]:
    """The JSON contract's document for an article: the facts ledger plus the article."""
    ledger = build_ledger(article.analysis, article.facts)
    ledger["article"] = {"title": title_of(article.markdown), "markdown": article.markdown}
    return ledger


def title_of(markdown: str) -> str:
    first = markdown.splitlines()[0] if markdown else ""
    return first.lstrip("# ").strip()


def standalone_html(article: Article) -> str:
    """A minimal standalone page; the styled, chart-carrying page is the delivery issue's."""
    import markdown

    # Playbook text (names, notes, byline) is the user's: neutralise raw HTML and entities before
    # Markdown sees it, so nothing typed into a playbook can become markup. Only < and & matter:
    # > starts a Markdown quote and is harmless in text.
    source = article.markdown.replace("&", "&amp;").replace("<", "&lt;")
    body = markdown.markdown(source, extensions=["extra"])
    title = html.escape(title_of(article.markdown))
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )
