"""Blog posts for Hugo, Jekyll, Pelican and MkDocs, and the Atom feed (commentary.blog)."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml

from commentary.blog import (
    FLAVORS,
    BlogError,
    Flavor,
    Post,
    build_feed,
    make_slug,
    publish,
    scan_posts,
)
from commentary.blog.frontmatter import read_pelican_header, read_yaml_front_matter

EASTERN = timezone(timedelta(hours=-4))
TITLE = 'Nvidia: "Overbought" After a Nearly 15% Pop'
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
ATOM = "{http://www.w3.org/2005/Atom}"


def make_post(**changes: Any) -> Post:
    as_of = date(2020, 4, 17)
    post = Post(
        title=TITLE,
        body=f"# {TITLE}\n\nNvidia closed at $287.05.\n\n![NVDA chart](nvda.png)\n\nThe end.\n",
        as_of=as_of,
        published=datetime(2020, 4, 17, 18, 30, tzinfo=EASTERN),
        slug=make_slug(TITLE, as_of),
        tags=("NVDA", "S&P 500"),
        summary='RSI 71.2: "overbought", but the trend channel still rises.',
        data_as_of=date(2020, 4, 16),
        draft=True,
        charts=(("nvda.png", PNG),),
    )
    return replace(post, **changes)


def tree(site: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(site)): path.read_bytes()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def test_slug_comes_from_title_and_date() -> None:
    assert make_post().slug == "nvidia-overbought-after-a-nearly-15-pop-2020-04-17"


EXPECTED_PATHS = {
    "hugo": [
        "content/posts/{slug}/index.md",
        "content/posts/{slug}/nvda.png",
    ],
    "jekyll": ["_posts/2020-04-17-{words}.md", "assets/{slug}/nvda.png"],
    "pelican": ["content/{slug}.md", "content/images/{slug}/nvda.png"],
    "mkdocs": ["docs/posts/{slug}.md", "docs/posts/{slug}/nvda.png"],
}
IMAGE_LINK = {
    "hugo": "![NVDA chart](nvda.png)",
    "jekyll": "{{% endraw %}}![NVDA chart]({{{{ '/assets/{slug}/nvda.png' | relative_url }}}})",
    "pelican": "![NVDA chart]({{static}}/images/{slug}/nvda.png)",
    "mkdocs": "![NVDA chart]({slug}/nvda.png)",
}


@pytest.mark.parametrize("flavor", FLAVORS)
def test_publish_writes_where_the_generator_looks(tmp_path: Path, flavor: Flavor) -> None:
    post = make_post()
    paths = publish(post, tmp_path, flavor)
    relative = [str(path.relative_to(tmp_path.resolve())) for path in paths]
    words = post.slug.removesuffix("-2020-04-17")
    expected = [t.format(slug=post.slug, words=words) for t in EXPECTED_PATHS[flavor]]
    assert relative == expected
    assert sorted(tree(tmp_path)) == sorted(relative)
    assert paths[1].read_bytes() == PNG
    text = paths[0].read_text(encoding="utf-8")
    assert IMAGE_LINK[flavor].format(slug=post.slug) in text
    assert f"# {TITLE}" not in text  # the generator prints the title itself
    assert "Nvidia closed at $287.05." in text


def yaml_meta(path: Path) -> dict[str, Any]:
    read = read_yaml_front_matter(path.read_text(encoding="utf-8"))
    assert read is not None
    # Parse it again with nothing but yaml.safe_load, as the generators would.
    raw = path.read_text(encoding="utf-8").split("---\n")[1]
    assert yaml.safe_load(raw) == read[0]
    return read[0]


def test_hugo_front_matter(tmp_path: Path) -> None:
    post = make_post()
    meta = yaml_meta(publish(post, tmp_path, "hugo")[0])
    assert meta == {
        "title": TITLE,
        "date": "2020-04-17T18:30:00-04:00",
        "slug": post.slug,
        "tags": ["NVDA", "S&P 500"],
        "summary": post.summary,
        "description": post.summary,
        "draft": True,
        "images": [f"posts/{post.slug}/nvda.png"],
        "as_of": date(2020, 4, 17),
        "data_as_of": date(2020, 4, 16),
    }
    assert datetime.fromisoformat(meta["date"]) == post.published


def test_jekyll_front_matter(tmp_path: Path) -> None:
    post = make_post()
    meta = yaml_meta(publish(post, tmp_path, "jekyll")[0])
    assert meta == {
        "layout": "post",
        "title": TITLE,
        "date": "2020-04-17 18:30:00 -0400",
        "slug": "nvidia-overbought-after-a-nearly-15-pop",  # Jekyll's URL adds the date
        "tags": ["NVDA", "S&P 500"],
        "excerpt": post.summary,
        "summary": post.summary,
        "description": post.summary,
        "image": f"/assets/{post.slug}/nvda.png",
        "published": False,
        "as_of": date(2020, 4, 17),
        "data_as_of": date(2020, 4, 16),
    }
    live = yaml_meta(publish(make_post(draft=False), tmp_path, "jekyll")[0])
    assert live["published"] is True


def test_mkdocs_front_matter(tmp_path: Path) -> None:
    post = make_post()
    meta = yaml_meta(publish(post, tmp_path, "mkdocs")[0])
    assert meta == {
        "title": TITLE,
        "date": post.published,
        "draft": True,
        "slug": post.slug,
        "categories": ["NVDA", "S&P 500"],
        "tags": ["NVDA", "S&P 500"],
        "description": post.summary,
        "as_of": date(2020, 4, 17),
        "data_as_of": date(2020, 4, 16),
    }
    assert meta["date"].utcoffset() == timedelta(hours=-4)


def test_pelican_metadata_header(tmp_path: Path) -> None:
    post = make_post()
    text = publish(post, tmp_path, "pelican")[0].read_text(encoding="utf-8")
    assert not text.startswith("---")
    header, _, body = text.partition("\n\n")
    fields = dict(line.split(": ", 1) for line in header.splitlines())
    assert fields == {
        "Title": TITLE,
        "Date": "2020-04-17T18:30:00-04:00",
        "Slug": post.slug,
        "Tags": "NVDA, S&P 500",
        "Summary": post.summary,
        "Status": "draft",
        "As_of": "2020-04-17",
        "Data_as_of": "2020-04-16",
    }
    assert read_pelican_header(text) == ({k.lower(): v for k, v in fields.items()}, body)
    published = publish(make_post(draft=False), tmp_path, "pelican")[0]
    assert "\nStatus: published\n" in published.read_text(encoding="utf-8")


@pytest.mark.parametrize("flavor", FLAVORS)
def test_rerun_rewrites_the_same_bytes(tmp_path: Path, flavor: Flavor) -> None:
    first = publish(make_post(), tmp_path, flavor)
    before = tree(tmp_path)
    second = publish(make_post(), tmp_path, flavor)
    assert second == first
    assert tree(tmp_path) == before


@pytest.mark.parametrize("flavor", FLAVORS)
def test_scan_reads_back_what_was_published(tmp_path: Path, flavor: Flavor) -> None:
    older = make_post(draft=False)
    newer = make_post(
        title="Second: day",
        slug=make_slug("Second: day", date(2020, 4, 20)),
        as_of=date(2020, 4, 20),
        published=datetime(2020, 4, 20, 18, 30, tzinfo=EASTERN),
        charts=(),
    )
    for post in (newer, older):
        publish(post, tmp_path, flavor)
    (tmp_path / "docs" / "posts").mkdir(parents=True, exist_ok=True)
    found = scan_posts(tmp_path, flavor)
    assert [(p.slug, p.title, p.draft) for p in found] == [
        (older.slug, older.title, False),
        (newer.slug, newer.title, True),
    ]
    first = found[0]
    assert first.published == older.published
    assert (first.as_of, first.data_as_of) == (older.as_of, older.data_as_of)
    assert (first.tags, first.summary) == (older.tags, older.summary)


HOSTILE_SLUGS = ["../escape", "../../etc/passwd", "a/b", "/abs", "UPPER", "a..b", "", "-x", "a\nb"]


@pytest.mark.parametrize("slug", HOSTILE_SLUGS)
def test_hostile_slug_is_refused(slug: str) -> None:
    with pytest.raises(BlogError, match="slug"):
        make_post(slug=slug)


def need(module: str) -> None:
    """Skip without the site generator locally; in CI (which installs it) its absence fails."""
    if os.environ.get("CI"):
        __import__(module)
    else:
        pytest.importorskip(module)


@pytest.mark.parametrize("flavor", FLAVORS)
def test_hostile_title_stays_inside_the_site(tmp_path: Path, flavor: Flavor) -> None:
    title = '../../../etc/passwd: "x" \'; rm -rf / #'
    site = tmp_path / "site"
    post = make_post(title=title, slug=make_slug(title, date(2020, 4, 17)))
    assert post.slug == "etc-passwd-x-rm-rf-2020-04-17"
    paths = publish(post, site, flavor)
    assert all(path.resolve().is_relative_to(site.resolve()) for path in paths)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    [back] = scan_posts(site, flavor)
    assert back.title == title


@pytest.mark.parametrize(
    "changes",
    [
        {"charts": (("../x.png", PNG),)},
        {"charts": (("a/x.png", PNG),)},
        {"charts": (("x.png", PNG), ("x.png", PNG))},
        {"title": "two\nlines"},
        {"summary": "Status: published\n\nx"},
        {"tags": ("a, b",)},
        {"published": datetime(2020, 4, 17, 18, 30)},
    ],
)
def test_unsafe_fields_are_refused(changes: dict[str, Any]) -> None:
    with pytest.raises(BlogError):
        make_post(**changes)


def test_symlink_out_of_the_site_is_refused(tmp_path: Path) -> None:
    site, outside = tmp_path / "site", tmp_path / "outside"
    (site / "content").mkdir(parents=True)
    outside.mkdir()
    (site / "content" / "posts").symlink_to(outside)
    with pytest.raises(BlogError, match="outside the site"):
        publish(make_post(), site, "hugo")
    assert list(outside.iterdir()) == []


def feed_posts() -> list[Post]:
    days = [date(2020, 4, 20), date(2020, 4, 16), date(2020, 4, 17)]
    return [
        make_post(
            title=f'Day {day:%d}: "pulse" & <more>',
            slug=make_slug(f"Day {day:%d}", day),
            as_of=day,
            published=datetime(day.year, day.month, day.day, 18, tzinfo=EASTERN),
            draft=False,
        )
        for day in days
    ] + [make_post(slug="draft-2020-04-21", published=datetime(2020, 4, 21, tzinfo=EASTERN))]


def test_feed_is_atom_newest_first_and_updated_from_the_newest_entry() -> None:
    data = build_feed(
        feed_posts(), "https://blog.example.com/", "Market Pulse", "Desk", flavor="hugo"
    )
    root = ET.fromstring(data)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    published = [datetime.fromisoformat(e.findtext(f"{ATOM}published") or "") for e in entries]
    assert published == sorted(published, reverse=True)
    assert len(entries) == 3  # the draft stays out
    updated = datetime.fromisoformat(root.findtext(f"{ATOM}updated") or "")
    assert updated == max(published) == datetime(2020, 4, 20, 18, tzinfo=EASTERN)
    newest = entries[0]
    assert newest.findtext(f"{ATOM}title") == 'Day 20: "pulse" & <more>'
    assert newest.findtext(f"{ATOM}id") == "tag:blog.example.com,2020-04-20:day-20-2020-04-20"
    link = newest.find(f"{ATOM}link")
    assert link is not None
    assert link.get("href") == "https://blog.example.com/posts/day-20-2020-04-20/"
    terms = [c.get("term") for c in newest.findall(f"{ATOM}category")]
    assert terms == ["NVDA", "S&P 500"]


def test_feed_bytes_are_deterministic() -> None:
    first = build_feed(feed_posts(), "https://blog.example.com", "Market Pulse", "Desk")
    second = build_feed(
        list(reversed(feed_posts())), "https://blog.example.com", "Market Pulse", "Desk"
    )
    assert first == second


def test_feed_from_a_scanned_site(tmp_path: Path) -> None:
    for post in feed_posts():
        publish(post, tmp_path, "jekyll")
    scanned = scan_posts(tmp_path, "jekyll")
    assert len(scanned) == 4
    from_site = build_feed(scanned, "https://b.example", "T", "A", flavor="jekyll")
    from_posts = build_feed(feed_posts(), "https://b.example", "T", "A", flavor="jekyll")
    assert from_site == from_posts


def test_feed_without_published_posts_is_refused() -> None:
    with pytest.raises(BlogError, match="no published posts"):
        build_feed([make_post()], "https://b.example", "T", "A")


def run_tool(args: list[str], cwd: Path) -> None:
    done = subprocess.run(
        [sys.executable, *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_pelican_builds_the_post(tmp_path: Path) -> None:
    need("pelican")
    post = make_post(draft=False)
    publish(post, tmp_path, "pelican")
    publish(make_post(slug="a-draft-2020-04-17"), tmp_path, "pelican")
    (tmp_path / "pelicanconf.py").write_text(
        "AUTHOR = 'Desk'\nSITENAME = 'Pulse'\nSITEURL = ''\nPATH = 'content'\n"
        "TIMEZONE = 'America/New_York'\nDEFAULT_LANG = 'en'\nFEED_ALL_ATOM = None\n"
        "CATEGORY_FEED_ATOM = None\nTRANSLATION_FEED_ATOM = None\n",
        encoding="utf-8",
    )
    run_tool(["-m", "pelican", "content", "-o", "output", "-s", "pelicanconf.py"], tmp_path)
    page = (tmp_path / "output" / f"{post.slug}.html").read_text(encoding="utf-8")
    assert "Nvidia closed at $287.05." in page
    assert f'src="/images/{post.slug}/nvda.png"' in page
    assert (tmp_path / "output" / "images" / post.slug / "nvda.png").read_bytes() == PNG
    assert (tmp_path / "output" / "drafts" / "a-draft-2020-04-17.html").is_file()
    assert not (tmp_path / "output" / "a-draft-2020-04-17.html").exists()


def test_mkdocs_material_blog_builds_the_post(tmp_path: Path) -> None:
    need("mkdocs")
    need("material")
    post = make_post(draft=False)
    publish(post, tmp_path, "mkdocs")
    publish(make_post(slug="a-draft-2020-04-17"), tmp_path, "mkdocs")
    (tmp_path / "docs" / "index.md").write_text("# Blog\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Pulse\ntheme:\n  name: material\nplugins:\n  - blog:\n      blog_dir: .\n",
        encoding="utf-8",
    )
    run_tool(["-m", "mkdocs", "build", "--strict", "-q", "-d", "site"], tmp_path)
    out = tmp_path / "site" / "2020" / "04" / "17" / post.slug
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "Nvidia closed at $287.05." in page
    [src] = [part.split('"')[0] for part in page.split('<img alt="NVDA chart" src="')[1:]]
    assert (out / src).resolve().read_bytes() == PNG
    assert not (tmp_path / "site" / "2020" / "04" / "17" / "a-draft-2020-04-17").exists()
