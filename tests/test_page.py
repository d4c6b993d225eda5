"""The standalone HTML page: valid HTML5, one stylesheet, escaped user text, charts in place."""

from __future__ import annotations

import base64
import datetime as dt
import re

import html5lib
import pytest

from commentary.outputs import standalone_html
from commentary.pipeline import Article, write_article
from commentary.playbooks import load_playbook

#: The smallest valid PNG: one transparent pixel.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


@pytest.fixture(scope="module")
def article() -> Article:
    return write_article(load_playbook("mega-caps"), as_of=dt.date(2020, 4, 17))


def test_page_is_valid_html5_with_one_stylesheet_and_a_viewport(article: Article) -> None:
    page = standalone_html(article)
    html5lib.HTMLParser(strict=True).parse(page)  # raises on any parse error
    assert page.count("<style>") == 1 and "<link" not in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert re.search(r"<title>[^<]+</title>", page)
    assert page.count("<h2 id=") == len(article.plan.sections) + 1


def test_charts_sit_under_their_instrument_headings(article: Article) -> None:
    page = standalone_html(article, charts={"AAPL": PIXEL, "^GSPC": PIXEL})
    html5lib.HTMLParser(strict=True).parse(page)
    for name in ("Apple", "S&amp;P 500"):
        heading = re.search(
            rf"<h2[^>]*>{re.escape(name)}:[^<]*</h2>\n<figure class=\"chart\">", page
        )
        assert heading, name
    assert page.count('<figure class="chart">') == 2
    assert page.count("data:image/png;base64,") == 2
