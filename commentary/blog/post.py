"""A blog post: the article plus what a static-site generator needs to file it.

Everything that ends up in a path or in a front-matter line is checked here, once, so the writers
never see a slug that could leave the site, a chart name with a slash, or a title that breaks
a line.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, get_args

Flavor = Literal["hugo", "jekyll", "pelican", "mkdocs"]
FLAVORS: tuple[Flavor, ...] = get_args(Flavor)

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
CHART_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*\.(?:png|svg|jpe?g|webp)")
MAX_SLUG = 100
_TITLE_WORDS = 60
CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\x85]")


class BlogError(ValueError):
    """A post that cannot be published safely; the message names the field and the fix."""


@dataclass(frozen=True)
class Post:
    """One article as a blog post.

    ``body`` is the article's Markdown; its image links name charts by their bare file name
    (``![AMZN](amzn.png)``) and each flavor rewrites them to where it stores the images.
    ``published`` is when the post is dated (timezone-aware); ``as_of`` the article's session and
    ``data_as_of`` the last bar of data behind it.
    """

    title: str
    body: str
    as_of: date
    published: datetime
    slug: str
    tags: tuple[str, ...]
    summary: str
    data_as_of: date
    draft: bool = True
    charts: tuple[tuple[str, bytes], ...] = ()

    def __post_init__(self) -> None:
        check_slug(self.slug)
        if self.published.tzinfo is None or self.published.utcoffset() is None:
            raise BlogError(
                f"published {self.published.isoformat()} has no timezone; "
                "give a timezone-aware datetime"
            )
        _single_line("title", self.title, required=True)
        _single_line("summary", self.summary, required=False)
        for tag in self.tags:
            _single_line("tag", tag, required=True)
            if "," in tag:
                raise BlogError(f"tag {tag!r} contains a comma; Pelican separates tags by commas")
        names = [name for name, _ in self.charts]
        for name in names:
            if not CHART_NAME.fullmatch(name):
                raise BlogError(
                    f"chart file name {name!r} is not a plain image file name; "
                    "use letters, digits, '-', '_' and an image extension"
                )
        if len(set(names)) != len(names):
            raise BlogError("two charts share a file name; give each chart its own name")


def _single_line(field: str, value: str, *, required: bool) -> None:
    if required and not value.strip():
        raise BlogError(f"the post's {field} is empty")
    if CONTROL.search(value):
        raise BlogError(f"the post's {field} {value!r} contains a line break or control character")


def check_slug(slug: str) -> str:
    """Return ``slug`` if it is lowercase ``[a-z0-9-]`` words, else raise :class:`BlogError`.

    >>> check_slug("the-market-pulse-2020-04-17")
    'the-market-pulse-2020-04-17'
    """
    if len(slug) > MAX_SLUG or not SLUG.fullmatch(slug):
        raise BlogError(
            f"slug {slug!r} is not safe; use lowercase letters, digits and single hyphens "
            f"(at most {MAX_SLUG} characters), e.g. make_slug(title, as_of)"
        )
    return slug


def make_slug(title: str, as_of: date) -> str:
    """A safe slug from the title and the session date, unique per date.

    >>> make_slug('The "Market" Pulse: Ça va?', date(2020, 4, 17))
    'the-market-pulse-ca-va-2020-04-17'
    >>> make_slug("../../etc/passwd", date(2020, 4, 17))
    'etc-passwd-2020-04-17'
    >>> make_slug("Nasdaq Composite and S&P 500 Both Fall Hard, Extending Their Losing Streaks",
    ...           date(2020, 4, 17))
    'nasdaq-composite-and-s-p-500-both-fall-hard-extending-their-2020-04-17'
    """
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    words = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    if len(words) > _TITLE_WORDS:  # cut at a word boundary, never inside a word
        cut = words[: _TITLE_WORDS + 1]
        words = cut[: cut.rfind("-")] if "-" in cut else words[:_TITLE_WORDS]
    words = words.strip("-") or "post"
    return check_slug(f"{words}-{as_of.isoformat()}")
