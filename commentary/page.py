"""The standalone HTML page: the article through Python-Markdown, one stylesheet, charts inline.

Everything the page shows comes from the article and its charts; playbook text (names, notes,
byline) can never become markup: it reaches the Markdown escaped (commentary.render.plaintext),
and raw HTML is neutralised before Markdown sees it.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Mapping

import jinja2
from markupsafe import Markup

from . import __version__
from .resources import bundled
from .symbols import Instrument

#: A backslash escape of ASCII punctuation, and the ones Python-Markdown (with the tables
#: extension) resolves itself.
_FOREIGN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_KNOWN = frozenset("\\`*_{}[]()>#+-.!|")


def html_body(markdown_text: str) -> str:
    """The article as an HTML fragment (tables, attribute lists and heading ids enabled)."""
    import markdown

    # Only < and & can start markup or entities; > begins a Markdown quote and is harmless.
    # Playbook text arrives with CommonMark's escapes (commentary.render.plaintext); those
    # Python-Markdown does not know (\< \& \~) become the bare character, which is inert here
    # once < and & are neutralised.
    source = _FOREIGN_ESCAPE.sub(lambda m: m[1] if m[1] not in _KNOWN else m[0], markdown_text)
    source = source.replace("&", "&amp;").replace("<", "&lt;")
    # smarty: curly quotes and dashes, on the page and in the email alike (the verifier reads
    # them back as the plain characters, verify.reading).
    return markdown.markdown(
        source,
        extensions=["tables", "attr_list", "toc", "sane_lists", "smarty"],
        extension_configs={"smarty": {"smart_angled_quotes": False, "smart_ellipses": False}},
    )


def embed_charts(
    body: str, charts: Mapping[str, bytes], instruments: Mapping[str, Instrument]
) -> str:
    """Place each instrument's chart right under its section heading, as an inline image."""
    for symbol, png in charts.items():
        instrument = instruments[symbol]
        name = html.escape(instrument.name, quote=False)
        source = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        alt = html.escape(f"Chart of {instrument.name}: candles, 50- and 200-day averages, levels")
        # Drawn at 2x: the attributes give the size in CSS px, the stylesheet scales it down.
        width, height = (size // 2 for size in png_size(png))
        figure = (
            f'<figure class="chart"><img src="{source}" alt="{alt}" width="{width}" '
            f'height="{height}"><figcaption>{name} ({html.escape(symbol)}): the levels, '
            "channels and events the text names.</figcaption></figure>"
        )
        heading = re.compile(rf"(<h2[^>]*>{re.escape(name)}:[^<]*</h2>)")
        found = heading.search(body)
        if found:
            body = body[: found.end()] + "\n" + figure + body[found.end() :]
    return body


def png_size(png: bytes) -> tuple[int, int]:
    """A PNG's width and height from its header."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def standalone_page(
    markdown_text: str,
    title: str,
    charts: Mapping[str, bytes] | None = None,
    instruments: Mapping[str, Instrument] | None = None,
) -> str:
    """A complete, responsive HTML5 page."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(bundled("templates") / "html"),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    body = html_body(markdown_text)
    if charts:
        body = embed_charts(body, charts, instruments or {})
    first_paragraph = re.search(r"<p>(?!<em>)(.+?)</p>", body, flags=re.S)
    description = re.sub(r"<[^>]+>", "", first_paragraph.group(1)) if first_paragraph else title
    stylesheet = (bundled("templates") / "html" / "page.css").read_text(encoding="utf-8")
    return env.get_template("page.html").render(
        title=title,
        description=html.unescape(description)[:300],
        generator=f"commentary {__version__}",
        stylesheet=Markup(stylesheet),
        body=Markup(body),
        # The article's last line is the disclaimer: the footer does not say it again.
        footer="Written by commentary from price data.",
    )
