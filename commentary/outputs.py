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


def chart_images(article: Article, *, compact: bool = False) -> dict[str, bytes]:
    """A PNG per instrument, drawn from the same ledger entry the text was written from and
    titled with its section's heading (``compact``: the single-panel email variant)."""
    from .charts import chart_spec, render_png

    ledger = ledger_of(article)
    entries = {entry["symbol"]: entry for entry in ledger["instruments"]}
    titles = section_titles(article)
    return {
        item.instrument.symbol: render_png(
            chart_spec(
                item.bars, entries[item.instrument.symbol], title=titles.get(item.instrument.symbol)
            ),
            compact=compact,
        )
        for item in article.analysis.instruments
    }


def section_titles(article: Article) -> dict[str, str]:
    """Each instrument's section heading as the reader sees it ("S&P 500: Breaking Above
    2,825"), by symbol: the chart under it says the same story."""
    headings = [
        line[3:].strip() for line in article.markdown.splitlines() if line.startswith("## ")
    ]
    titles: dict[str, str] = {}
    for item in article.analysis.instruments:
        name = item.instrument.name
        found = next((h for h in headings if h.startswith(f"{name}:")), None)
        if found is not None:
            titles[item.instrument.symbol] = found
    return titles


def ledger_of(article: Article) -> dict[str, Any]:
    """The JSON contract's document for an article: the facts ledger plus the article (a new
    top-level dict, so a caller may add keys; the values are the article's own)."""
    return dict(article.ledger)


def standalone_html(article: Article, charts: dict[str, bytes] | None = None) -> str:
    """The article as a standalone HTML5 page (``commentary.page``), charts inline if given."""
    from .page import standalone_page

    instruments = {item.instrument.symbol: item.instrument for item in article.analysis.instruments}
    return standalone_page(article.markdown, title_of(article.markdown), charts, instruments)
