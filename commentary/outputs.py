"""The output stage: an article in the format asked for (Markdown, text, HTML, JSON)."""

from __future__ import annotations

from typing import Any

from .ledger import dumps, title_of
from .pipeline import Article
from .render import to_text

FORMATS = ("markdown", "text", "html", "json")


def render_output(article: Article, fmt: str, charts: bool = False) -> str:
    """The article as ``fmt``; JSON carries the facts ledger and the article. HTML carries a
    chart per instrument when ``charts`` is set."""
    if fmt == "markdown":
        return article.markdown
    if fmt == "text":
        return to_text(article.markdown)
    if fmt == "html":
        return standalone_html(article, chart_images(article) if charts else None)
    return dumps(ledger_of(article))


def chart_images(article: Article) -> dict[str, bytes]:
    """A PNG per instrument, drawn from the same ledger entry the text was written from."""
    from .charts import chart_spec, render_png

    ledger = ledger_of(article)
    entries = {entry["symbol"]: entry for entry in ledger["instruments"]}
    return {
        item.instrument.symbol: render_png(chart_spec(item.bars, entries[item.instrument.symbol]))
        for item in article.analysis.instruments
    }


def ledger_of(article: Article) -> dict[str, Any]:
    """The JSON contract's document for an article: the facts ledger plus the article (a new
    top-level dict, so a caller may add keys; the values are the article's own)."""
    return dict(article.ledger)


def standalone_html(article: Article, charts: dict[str, bytes] | None = None) -> str:
    """The article as a standalone HTML5 page (``commentary.page``), charts inline if given."""
    from .page import standalone_page

    instruments = {item.instrument.symbol: item.instrument for item in article.analysis.instruments}
    return standalone_page(article.markdown, title_of(article.markdown), charts, instruments)
