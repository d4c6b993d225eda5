"""The output stage: an article in the format asked for (Markdown, text, HTML, JSON)."""

from __future__ import annotations

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


def standalone_html(article: Article, charts: dict[str, bytes] | None = None) -> str:
    """The article as a standalone HTML5 page (``commentary.page``), charts inline if given."""
    from .page import standalone_page

    instruments = {item.instrument.symbol: item.instrument for item in article.analysis.instruments}
    return standalone_page(article.markdown, title_of(article.markdown), charts, instruments)
