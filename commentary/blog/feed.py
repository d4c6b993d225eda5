"""The Atom feed of the blog, and reading back the posts a site already holds.

The feed is a pure function of its posts: ``updated`` is the newest entry's date, never the clock,
so building it twice from the same posts gives the same bytes. Drafts stay out of the feed unless
asked for: a feed must not announce a post the site does not show.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urljoin, urlsplit

import yaml
from feedgen.feed import FeedGenerator  # type: ignore[import-untyped]

from .frontmatter import read_pelican_header, read_yaml_front_matter
from .post import CONTROL, FLAVORS, BlogError, Flavor
from .publish import strip_title


class FeedItem(Protocol):
    """What the feed needs of a post: a :class:`Post` or a :class:`PublishedPost` both fit."""

    @property
    def title(self) -> str: ...
    @property
    def slug(self) -> str: ...
    @property
    def published(self) -> datetime: ...
    @property
    def as_of(self) -> date: ...
    @property
    def summary(self) -> str: ...
    @property
    def tags(self) -> tuple[str, ...]: ...
    @property
    def draft(self) -> bool: ...


@dataclass(frozen=True)
class PublishedPost:
    """A post's metadata as read back from the front matter of a file in the site."""

    title: str
    slug: str
    published: datetime
    as_of: date
    data_as_of: date | None
    tags: tuple[str, ...]
    summary: str
    draft: bool
    path: Path
    #: The post's Markdown as the site holds it (for the entry's full content).
    body: str = ""


def post_url(item: FeedItem, site_url: str, flavor: Flavor | None) -> str:
    """The post's address under each generator's default permalinks (``blog_dir: .`` for MkDocs).

    >>> from datetime import datetime, timezone
    >>> p = PublishedPost("T", "t", datetime(2020, 4, 17, tzinfo=UTC), date(2020, 4, 17),
    ...                   None, (), "", False, Path("x"))
    >>> [post_url(p, "https://ex.org/", f) for f in ("hugo", "jekyll", "pelican", "mkdocs")]
    ['https://ex.org/posts/t/', 'https://ex.org/2020/04/17/t.html', 'https://ex.org/t.html', \
'https://ex.org/2020/04/17/t/']

    Jekyll's URL carries the date once: the slug's own date is left out.
    """
    base = site_url.rstrip("/")
    day = item.published.strftime("%Y/%m/%d")
    words = item.slug.removesuffix(f"-{item.as_of.isoformat()}") or item.slug
    paths = {
        "hugo": f"posts/{item.slug}/",
        "jekyll": f"{day}/{words}.html",
        "pelican": f"{item.slug}.html",
        "mkdocs": f"{day}/{item.slug}/",
    }
    return f"{base}/{paths.get(flavor or '', item.slug + '/')}"


def build_feed(
    posts: Iterable[FeedItem],
    site_url: str,
    title: str,
    author: str,
    *,
    flavor: Flavor | None = None,
    feed_url: str | None = None,
    include_drafts: bool = False,
) -> bytes:
    """An Atom feed of ``posts``, newest first, ``updated`` from the newest entry (UTF-8 bytes).

    Entry ids are tag URIs (``tag:host,YYYY-MM-DD:slug``) that survive a change of permalinks.
    """
    chosen = sorted(
        (post for post in posts if include_drafts or not post.draft),
        key=lambda post: (post.published, post.slug),
        reverse=True,
    )
    if not chosen:
        raise BlogError("no published posts to put in the feed; publish one with draft=False")
    for label, text in (("title", title), ("author (the playbook's byline)", author)):
        if CONTROL.search(text):
            raise BlogError(
                f"the feed's {label} {text!r} contains a line break or control character; remove it"
            )
    base = site_url.rstrip("/")
    host = urlsplit(base).hostname or "localhost"
    feed = FeedGenerator()
    feed.id(base + "/")
    feed.title(title)
    feed.author({"name": author})
    feed.link(href=base + "/", rel="alternate")
    feed.link(href=feed_url or f"{base}/feed.xml", rel="self")
    feed.generator("commentary", version=_version())
    feed.language("en")
    feed.updated(chosen[0].published)
    for post in chosen:
        entry = feed.add_entry(order="append")
        entry.id(f"tag:{host},{post.as_of.isoformat()}:{post.slug}")
        entry.title(post.title)
        entry.link(href=post_url(post, base, flavor), rel="alternate")
        entry.published(post.published)
        entry.updated(post.published)
        if post.summary:
            entry.summary(post.summary)
        content = entry_html(post, base, flavor)
        if content:
            entry.content(content, type="html")
        for tag in post.tags:
            entry.category(term=tag)
    try:
        data: bytes = feed.atom_str(pretty=True, encoding="UTF-8")
    except ValueError as error:  # lxml: text XML cannot carry (a control character, a NUL)
        raise BlogError(
            f"the feed cannot hold a title, summary, tag or author given ({error}); "
            "remove control characters from them"
        ) from None
    return data


#: Where each generator serves a post's charts, under the site's root.
_CHART_FOLDERS = {"hugo": "posts/{slug}/", "jekyll": "assets/{slug}/",
                  "pelican": "images/{slug}/", "mkdocs": "posts/{slug}/"}  # fmt: skip
_LIQUID_URL = re.compile(r"\{\{ '([^']+)' \| relative_url \}\}")
_IMG_SRC = re.compile(r'(<img\b[^>]*?\bsrc=")([^"]+)(")')


def entry_html(post: FeedItem, base: str, flavor: Flavor | None) -> str:
    """The whole article as HTML for the feed entry, its chart links made absolute (a feed
    reader has no page to resolve them against)."""
    body = str(getattr(post, "body", "") or "")
    if not body:
        return ""
    from ..page import html_body

    text = strip_title(body, post.title).replace("{% raw %}", "").replace("{% endraw %}", "")
    text = _LIQUID_URL.sub(lambda m: base + m.group(1), text)  # Jekyll's relative_url
    text = text.replace("{static}/", base + "/")  # Pelican's static files
    page = post_url(post, base, flavor)
    folder = _CHART_FOLDERS.get(flavor or "", "posts/{slug}/").format(slug=post.slug)

    def absolute(match: re.Match[str]) -> str:
        src = html.unescape(match.group(2))
        name = src.removeprefix(f"{post.slug}/")  # MkDocs links charts as <slug>/name
        if "/" not in name and ":" not in name:  # a chart of the post, wherever it was put
            src = f"{base}/{folder}{name}"
        return match.group(1) + urljoin(page, src) + match.group(3)

    return _IMG_SRC.sub(absolute, html_body(text))


def _version() -> str:
    try:
        return version("commentary")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0"


_PATTERNS: dict[str, tuple[str, ...]] = {
    "hugo": ("content/posts/*/index.md", "content/posts/*.md"),
    "jekyll": ("_posts/*.md", "_posts/*.markdown"),
    "pelican": ("content/*.md",),
    "mkdocs": ("docs/posts/*.md", "docs/posts/**/*.md"),
}


def scan_posts(site: Path, flavor: Flavor) -> list[PublishedPost]:
    """The posts already in ``site`` for ``flavor``, oldest first, read from their front matter.

    Files without front matter, or without a title and a date, are not posts and are skipped.
    """
    if flavor not in FLAVORS:
        raise BlogError(f"unknown flavor {flavor!r}; choose one of {', '.join(FLAVORS)}")
    paths = sorted({path for pattern in _PATTERNS[flavor] for path in site.glob(pattern)})
    found = [_read(path, flavor) for path in paths if path.is_file()]
    posts = [post for post in found if post is not None]
    return sorted(posts, key=lambda post: (post.published, post.slug))


def _read(path: Path, flavor: Flavor) -> PublishedPost | None:
    return read_post(path.read_text(encoding="utf-8"), path, flavor)


def read_post(text: str, path: Path, flavor: Flavor) -> PublishedPost | None:
    """The post in ``text`` (the contents of ``path``), or None when it is not a post."""
    meta: dict[str, Any] | None
    body = ""
    if flavor == "pelican":
        parsed = read_pelican_header(text)
        meta = dict(parsed[0]) if parsed else None
        body = parsed[1] if parsed else ""
        if meta is not None:
            meta["tags"] = [tag.strip() for tag in meta.get("tags", "").split(",") if tag.strip()]
            meta["draft"] = meta.get("status", "published").lower() == "draft"
    else:
        try:
            read = read_yaml_front_matter(text)
        except yaml.YAMLError as error:
            raise BlogError(f"{path}: its front matter is not valid YAML ({error})") from None
        meta = read[0] if read else None
        body = read[1] if read else ""
    if meta is None or "title" not in meta or "date" not in meta:
        return None
    published = _datetime(meta["date"], path)
    slug = str(meta.get("slug") or (path.parent.name if path.name == "index.md" else path.stem))
    as_of = _date(meta.get("as_of")) or published.date()
    if flavor == "jekyll" and not slug.endswith(f"-{as_of.isoformat()}"):
        slug = f"{slug}-{as_of.isoformat()}"  # the post's slug; Jekyll's file name drops the date
    draft = meta.get("published") is False if flavor == "jekyll" else bool(meta.get("draft"))
    tags = meta.get("tags") or []
    return PublishedPost(
        title=str(meta["title"]),
        slug=str(slug),
        published=published,
        as_of=as_of,
        data_as_of=_date(meta.get("data_as_of")),
        tags=tuple(str(tag) for tag in (tags if isinstance(tags, list) else [tags])),
        summary=str(meta.get("summary") or meta.get("description") or meta.get("excerpt") or ""),
        draft=draft,
        path=path,
        body=body,
    )


def _datetime(value: Any, path: Path) -> datetime:
    if isinstance(value, dict):  # MkDocs material: date: {created: ...}
        value = value.get("created")
    if isinstance(value, str):
        for layout in ("%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M %z"):
            try:
                value = datetime.strptime(value.strip(), layout)
                break
            except ValueError:
                pass
        else:
            try:
                value = datetime.fromisoformat(value.strip())
            except ValueError:
                raise BlogError(f"{path}: cannot read the date {value!r}; use RFC 3339") from None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    raise BlogError(f"{path}: cannot read the date {value!r}; use RFC 3339")


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None
