"""An article as a blog post: charts beside it, front matter from the article, and the feed."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from pathlib import Path

from .blog import BlogError, Flavor, Post, build_feed, make_slug, scan_posts
from .blog.feed import read_post
from .blog.publish import render_post, write_files
from .errors import UsageError
from .files import write_atomic
from .ledger import title_of
from .outputs import chart_images
from .pipeline import Article
from .render import to_text
from .render.plaintext import escape_markdown

#: Where each generator copies a file to the site's root (for the feed).
FEED_PATHS: dict[str, str] = {
    "hugo": "static/feed.xml",
    "jekyll": "feed.xml",
    "pelican": "content/extra/feed.xml",
    "mkdocs": "docs/feed.xml",
}
#: Posts are dated at the close of the session they describe, so a rerun dates them the same.
CLOSE = dt.time(16, 0)
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def chart_name(symbol: str) -> str:
    """
    >>> chart_name("^GSPC"), chart_name("BRK.B")
    ('gspc.png', 'brk-b.png')
    """
    return re.sub(r"[^a-z0-9]+", "-", symbol.lower()).strip("-") + ".png"


def article_post(article: Article, *, charts: bool = True, draft: bool = True) -> Post:
    """The post for ``article``: its Markdown with a chart under each instrument's heading."""
    title = title_of(article.markdown)
    images = chart_images(article) if charts else {}
    body = article.markdown
    for item in article.analysis.instruments:
        # The name as the article's Markdown has it: playbook text arrives escaped.
        symbol, name = item.instrument.symbol, escape_markdown(item.instrument.name)
        if symbol in images:
            body = _chart_under_heading(body, name, f"![Chart of {name}]({chart_name(symbol)})")
    lead = next(
        (p for p in to_text(article.markdown).split("\n\n")[2:] if p and not p.startswith(">")),
        title,
    )
    summary = lead if len(lead) <= 200 else lead[:200].rsplit(" ", 1)[0] + "…"
    as_of = article.analysis.as_of
    return Post(
        title=title,
        body=body,
        as_of=as_of,
        published=dt.datetime.combine(as_of, CLOSE, tzinfo=NEW_YORK),
        slug=make_slug(title, as_of),
        tags=(*(i.instrument.name for i in article.analysis.instruments), "technical analysis"),
        summary=summary,
        data_as_of=max(i.states.date for i in article.analysis.instruments),
        draft=draft,
        charts=tuple((chart_name(s), png) for s, png in images.items()),
    )


def _chart_under_heading(body: str, name: str, link: str) -> str:
    """``body`` with ``link`` under the first ``## <name>:`` heading.

    The replacement is a function, never a template: a name holding a backslash or ``\\g<0>`` is
    text to insert, not a backreference.

    >>> _chart_under_heading("## A: up\\nText", "A", "![A](a.png)")
    '## A: up\\n\\n![A](a.png)\\nText'
    """
    heading = re.compile(rf"^## {re.escape(name)}:[^\n]*\n", re.MULTILINE)
    return heading.sub(lambda match: f"{match.group(0)}\n{link}\n", body, count=1)


def publish_article(
    post: Post, site: Path, flavor: Flavor, site_url: str | None, author: str,
    feed_title: str = "Technical commentary",
) -> tuple[list[Path], Path | None]:  # fmt: skip
    """Write the post where ``flavor`` expects it and rebuild the feed of every published post
    (titled ``feed_title``, the playbook's title, each entry carrying the whole article).

    Returns the files written and the feed's path (None when there is no published post yet or
    no site URL to link to). Everything is prepared in memory first (the post, its charts and the
    feed built from the posts as they will be on disk), so a refusal writes nothing: the site
    never holds a new post beside a stale feed.
    """
    try:
        files = render_post(post, site, flavor)
        feed = None
        if site_url is not None:
            feed = _feed(files[0], site, flavor, site_url, author, feed_title)
    except BlogError as error:
        raise UsageError(f"cannot publish to {site}: {error}") from None
    written = write_files(site, files)
    if feed is None:
        return written, None
    path = site / FEED_PATHS[flavor]
    write_atomic(path, feed)
    return written, path


def _feed(
    post_file: tuple[Path, bytes], site: Path, flavor: Flavor, site_url: str, author: str,
    title: str,
) -> bytes | None:  # fmt: skip
    """The feed of every published post once ``post_file`` is written; None without one."""
    path, data = post_file
    new = read_post(data.decode("utf-8"), path, flavor)
    posts = [p for p in scan_posts(site, flavor) if p.path.resolve() != path.resolve()]
    posts += [new] if new is not None else []
    if not any(not p.draft for p in posts):
        return None
    return build_feed(posts, site_url, title, author, flavor=flavor,
                      feed_url=f"{site_url.rstrip('/')}/feed.xml")  # fmt: skip
