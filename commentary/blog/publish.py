"""Write a post where a static-site generator expects it: Hugo, Jekyll, Pelican or MkDocs.

- hugo: ``content/posts/<slug>/index.md``, a page bundle with the charts beside it; image
  links stay ``a.png``.
- jekyll: ``_posts/YYYY-MM-DD-<words>.md`` (the slug without its date: Jekyll's permalinks add
  the date), charts in ``assets/<slug>/``, links ``{{ '/assets/<slug>/a.png' | relative_url }}``
  so they work under a ``baseurl``; the rest of the body is inside ``{% raw %}``, never Liquid.
- pelican: ``content/<slug>.md`` with Pelican's header, charts in ``content/images/<slug>/``, links
  ``{static}/images/<slug>/a.png``.
- mkdocs: ``docs/posts/<slug>.md``, charts beside it in ``docs/posts/<slug>/``, links
  ``<slug>/a.png``.

MkDocs means the mkdocs-material blog plugin with ``blog_dir: .`` (posts in ``docs/posts/``).
Publishing the same post again writes the same bytes to the same paths; a file whose bytes would
not change is left untouched, so a watching generator does not rebuild for nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ..files import write_atomic
from .frontmatter import pelican_header, yaml_front_matter
from .post import FLAVORS, BlogError, Flavor, Post, check_slug

_IMAGE = re.compile(r'(!\[[^\]\n]*\]\(\s*<?)(?:\./)?([^)\s>]+)(>?(?:\s+"[^"\n]*")?\s*\))')


def publish(post: Post, site: Path, flavor: Flavor) -> list[Path]:
    """Write ``post`` (and its charts) into ``site`` for ``flavor``; the post's path comes first."""
    return write_files(site, render_post(post, site, flavor))


def render_post(post: Post, site: Path, flavor: Flavor) -> list[tuple[Path, bytes]]:
    """Every file ``publish`` would write, as (path, bytes), the post first; writes nothing.

    Each path is checked to stay inside ``site`` here, so a caller can prepare everything else
    (the feed) before the first byte is written.
    """
    if flavor not in FLAVORS:
        raise BlogError(f"unknown flavor {flavor!r}; choose one of {', '.join(FLAVORS)}")
    check_slug(post.slug)
    post_path, chart_dir, link_prefix, document = _LAYOUTS[flavor](post)
    body = strip_title(post.body, post.title)
    if flavor == "jekyll":
        body = _liquid_images(body, post, link_prefix)
    else:
        body = rewrite_images(body, post, link_prefix)
    root = site.resolve()
    files = [(_inside(root, post_path), document(post, body).encode("utf-8"))]
    files += [(_inside(root, f"{chart_dir}/{name}"), png) for name, png in post.charts]
    return files


def write_files(site: Path, files: list[tuple[Path, bytes]]) -> list[Path]:
    """Write ``files`` (from ``render_post``); a file already holding the bytes is left alone."""
    root = site.resolve()
    for path, data in files:
        resolved = _inside(root, str(path.relative_to(root))).resolve()
        if not (resolved.is_file() and resolved.read_bytes() == data):
            write_atomic(resolved, data)
    return [path for path, _ in files]


def strip_title(body: str, title: str) -> str:
    """The body without a leading ``# <title>`` heading: every generator prints the title itself.

    >>> strip_title("# A: b\\n\\nText.\\n", "A: b")
    'Text.\\n'
    """
    lines = body.replace("\r\n", "\n").lstrip("\n").split("\n")
    if lines and lines[0].startswith("# ") and lines[0][2:].strip() == title.strip():
        return "\n".join(lines[1:]).lstrip("\n")
    return body


def rewrite_images(body: str, post: Post, prefix: str) -> str:
    """Point each Markdown image link naming one of the post's charts at ``prefix + name``.

    >>> from datetime import date, datetime, timezone
    >>> p = Post("T", "", date(2020, 4, 17), datetime(2020, 4, 17, tzinfo=timezone.utc),
    ...          "t-2020-04-17", (), "", date(2020, 4, 17), charts=(("a.png", b""),))
    >>> rewrite_images('![A](a.png "x") ![B](b.png)', p, "/assets/t/")
    '![A](/assets/t/a.png "x") ![B](b.png)'
    """
    names = {name for name, _ in post.charts}

    def replace(match: re.Match[str]) -> str:
        target = match.group(2)
        if target not in names:
            return match.group(0)
        return f"{match.group(1)}{prefix}{target}{match.group(3)}"

    return _IMAGE.sub(replace, body)


_LIQUID_END = re.compile(r"\{%-?\s*endraw", re.IGNORECASE)


def _liquid_images(body: str, post: Post, prefix: str) -> str:
    """Jekyll: the body as literal text (``{% raw %}``) with each chart link outside it, through
    ``relative_url`` so the site's ``baseurl`` is honoured.

    >>> from datetime import date, datetime, timezone
    >>> p = Post("T", "", date(2020, 4, 17), datetime(2020, 4, 17, tzinfo=timezone.utc),
    ...          "t-2020-04-17", (), "", date(2020, 4, 17), charts=(("a.png", b""),))
    >>> print(_liquid_images("{{ x }} ![A](a.png)", p, "/t/"))
    {% raw %}{{ x }} {% endraw %}![A]({{ '/t/a.png' | relative_url }}){% raw %}{% endraw %}
    """
    names = {name for name, _ in post.charts}
    # Nothing in the text may close the raw block early.
    text = _LIQUID_END.sub(lambda m: m.group(0).replace("{%", "{&#37;"), body)

    def replace(match: re.Match[str]) -> str:
        target = match.group(2)
        if target not in names:
            return match.group(0)
        url = f"{{{{ '{prefix}{target}' | relative_url }}}}"
        return f"{{% endraw %}}{match.group(1)}{url}{match.group(3)}{{% raw %}}"

    return "{% raw %}" + _IMAGE.sub(replace, text) + "{% endraw %}"


def _inside(root: Path, relative: str) -> Path:
    """``root / relative`` once it is known to resolve inside ``root`` (symlinks included)."""
    path = root / relative
    resolved = path.resolve()
    if not resolved.is_relative_to(root):
        raise BlogError(f"{relative} would be written outside the site {root}; refusing")
    return path


def _rfc3339(post: Post) -> str:
    return post.published.isoformat()


def _common(post: Post) -> dict[str, Any]:
    return {"as_of": post.as_of, "data_as_of": post.data_as_of}


def _hugo(post: Post, body: str) -> str:
    fields = {
        "title": post.title,
        "date": _rfc3339(post),
        "slug": post.slug,
        "tags": list(post.tags),
        "summary": post.summary,
        "description": post.summary,
        "draft": post.draft,
        **_common(post),
    }
    if post.charts:  # Hugo's Open Graph and Twitter card templates read ``images``
        fields["images"] = [f"posts/{post.slug}/{post.charts[0][0]}"]
    return yaml_front_matter(fields, body)


def _jekyll(post: Post, body: str) -> str:
    fields = {
        "layout": "post",
        "title": post.title,
        "date": post.published.strftime("%Y-%m-%d %H:%M:%S %z"),
        "slug": _jekyll_words(post),
        "tags": list(post.tags),
        "excerpt": post.summary,
        "summary": post.summary,
        "description": post.summary,
        "published": not post.draft,
        **_common(post),
    }
    if post.charts:  # jekyll-seo-tag's Open Graph and Twitter card image
        fields["image"] = f"/assets/{post.slug}/{post.charts[0][0]}"
    return yaml_front_matter(fields, body)


def _pelican(post: Post, body: str) -> str:
    fields = {
        "Title": post.title,
        "Date": _rfc3339(post),
        "Slug": post.slug,
        "Tags": ", ".join(post.tags),
        "Summary": post.summary,
        "Status": "draft" if post.draft else "published",
        "As_of": post.as_of.isoformat(),
        "Data_as_of": post.data_as_of.isoformat(),
    }
    return pelican_header(fields, body)


def _mkdocs(post: Post, body: str) -> str:
    fields = {
        "title": post.title,
        "date": post.published,
        "draft": post.draft,
        "slug": post.slug,
        "categories": list(post.tags),
        "tags": list(post.tags),
        "description": post.summary,
        **_common(post),
    }
    return yaml_front_matter(fields, body)


_Document = Callable[[Post, str], str]
_Layout = tuple[str, str, str, _Document]


def _hugo_layout(post: Post) -> _Layout:
    bundle = f"content/posts/{post.slug}"
    return f"{bundle}/index.md", bundle, "", _hugo


def _jekyll_words(post: Post) -> str:
    """The slug without its date: Jekyll's permalinks put the date in the URL already."""
    return post.slug.removesuffix(f"-{post.as_of.isoformat()}") or post.slug


def _jekyll_layout(post: Post) -> _Layout:
    day = post.published.date().isoformat()
    assets = f"assets/{post.slug}"
    return f"_posts/{day}-{_jekyll_words(post)}.md", assets, f"/{assets}/", _jekyll


def _pelican_layout(post: Post) -> _Layout:
    images = f"images/{post.slug}"
    return f"content/{post.slug}.md", f"content/{images}", f"{{static}}/{images}/", _pelican


def _mkdocs_layout(post: Post) -> _Layout:
    return f"docs/posts/{post.slug}.md", f"docs/posts/{post.slug}", f"{post.slug}/", _mkdocs


_LAYOUTS: Mapping[str, Callable[[Post], _Layout]] = {
    "hugo": _hugo_layout,
    "jekyll": _jekyll_layout,
    "pelican": _pelican_layout,
    "mkdocs": _mkdocs_layout,
}
