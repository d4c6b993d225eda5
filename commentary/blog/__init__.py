"""Publishing an article as a blog post for Hugo, Jekyll, Pelican or MkDocs, plus an Atom feed."""

from __future__ import annotations

from .feed import FeedItem, PublishedPost, build_feed, post_url, scan_posts
from .post import FLAVORS, BlogError, Flavor, Post, check_slug, make_slug
from .publish import publish

__all__ = [
    "FLAVORS",
    "BlogError",
    "FeedItem",
    "Flavor",
    "Post",
    "PublishedPost",
    "build_feed",
    "check_slug",
    "make_slug",
    "post_url",
    "publish",
    "scan_posts",
]
