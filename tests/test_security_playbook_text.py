"""Playbook text is plain text (issue 17, item 6): a title, byline, note or instrument name written
in Markdown shows its characters in every output (Markdown, HTML page, plain text, email, blog
post) and never becomes a link, an image, a heading or an attribute."""

from __future__ import annotations

import email
import email.policy
import html
import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from commentary.cli import cli
from commentary.page import html_body
from commentary.render.plaintext import escape_markdown, unescape_markdown

try:  # CommonMark, as the static-site generators and mail readers' Markdown tools read it
    from markdown_it import MarkdownIt
except ImportError:  # pragma: no cover - markdown-it-py comes with the dev tools
    MarkdownIt = None


AS_OF = "2019-06-28"
BYLINE = "[click](javascript:alert(1))"
IMAGE = "![p](http://x/t.png)"
HEADING = "# H"
NAME = "S&P [500](javascript:alert(2))"
NOTES = [
    IMAGE,
    HEADING,
    "<script>alert(3)</script> &lt;b&gt; *em* `code` <http://x/auto>",
    "[ref]: javascript:alert(4)",
    "see [x][ref] {: onclick=alert(5) }",
    "line one\n# Injected\n- item\n\n---",
]


def toml_string(text: str) -> str:
    return json.dumps(text)  # a JSON string is a TOML basic string


HOSTILE = f"""
title = {toml_string("Weekly " + IMAGE)}
byline = {toml_string(BYLINE)}
notes = [{", ".join(toml_string(note) for note in NOTES)}]

[[instrument]]
symbol = "^GSPC"
name = {toml_string(NAME)}
kind = "index"

[[instrument]]
symbol = "AMZN"
"""
#: What every note must read as, once its line breaks are spaces.
LITERALS = [BYLINE, IMAGE, NAME, "# H", "<script>alert(3)</script>", "{: onclick=alert(5) }",
            "[ref]: javascript:alert(4)", "line one # Injected - item ---"]  # fmt: skip


@pytest.fixture
def playbook(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.toml"
    path.write_text(HOSTILE)
    return path


def commonmark(text: str) -> str:
    if MarkdownIt is None:
        pytest.skip("markdown-it-py not installed")
    return str(MarkdownIt("commonmark").render(text))


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, ["--quiet", *args])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def assert_inert(page: str) -> None:
    """No markup that playbook text could have made: links, images, headings, attributes."""
    assert not re.search(r"""(?:href|src)\s*=\s*["']?\s*(?:javascript|http://x)""", page, re.I)
    assert not re.search(r"<h\d[^>]*>\s*(?:H|Injected)\s*</h\d>", page)
    assert "<script" not in page and "onclick=" not in page.replace("{: onclick=", "")
    assert "<hr" not in page


def visible_text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def assert_literal(text: str) -> None:
    flat = " ".join(text.split())
    for literal in LITERALS:
        assert literal in flat, literal


def test_the_hostile_playbook_parses_as_intended(playbook: Path) -> None:
    from commentary.playbooks import load_playbook

    book = load_playbook(str(playbook))
    assert book.byline == BYLINE and book.instruments[0].name == NAME
    assert book.notes[-1] == "line one\n# Injected\n- item\n\n---"


def test_markdown_output_shows_playbook_text_literally(playbook: Path) -> None:
    article = run("generate", "--playbook", str(playbook), "--as-of", AS_OF)  # verified
    for rendered in (commonmark(article), html_body(article)):
        assert_inert(rendered)
        assert_literal(visible_text(rendered))


def test_html_page_shows_playbook_text_literally(playbook: Path) -> None:
    page = run("generate", "--playbook", str(playbook), "--as-of", AS_OF, "--format", "html")
    body = page.split("<body>", 1)[1]
    assert_inert(body)
    assert_literal(visible_text(body))
    assert "<title>S&amp;P [500](javascript:alert(2))" in page


def test_text_output_shows_playbook_text_literally(playbook: Path) -> None:
    text = run("generate", "--playbook", str(playbook), "--as-of", AS_OF, "--format", "text")
    assert_literal(text)
    assert "\\[" not in text and "\\#" not in text  # the escapes are resolved for readers


def test_email_shows_playbook_text_literally(
    playbook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMMENTARY_UNSUBSCRIBE_SECRET", "test-secret")
    people = tmp_path / "subscribers.csv"
    people.write_text("email,name\nann@example.com,Ann\n")
    out = tmp_path / "eml"
    run("email", str(playbook), "--as-of", AS_OF, "--subscribers", str(people), "--sender",
        "Desk <desk@example.com>", "--unsubscribe-url", "https://example.com/u",
        "--unsubscribe-mailto", "u@example.com", "--dry-run", str(out))  # fmt: skip
    (eml,) = out.glob("*.eml")
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert message["Subject"].startswith(NAME)
    html_part = message.get_body(("html",)).get_content()
    assert_inert(html_part)
    assert_literal(visible_text(html_part))
    assert_literal(message.get_body(("plain",)).get_content())


def test_blog_post_shows_playbook_text_literally(playbook: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    run("publish", str(playbook), "--as-of", AS_OF, "--site", str(site), "--flavor", "hugo")
    (post,) = site.rglob("index.md")
    _, front_matter, body = post.read_text().split("---\n", 2)
    assert yaml.safe_load(front_matter)["title"].startswith(NAME)
    assert "![Chart of S&P \\[500\\](javascript:alert(2))](" in body  # the chart, under its heading
    rendered = commonmark(body)
    assert_inert(rendered)
    assert_literal(visible_text(rendered))


# --- the escaping itself, over any text ---------------------------------------------------------

#: Text built from Markdown's active characters and the pieces that make entities and links.
MARKDOWN_ALPHABET = st.lists(
    st.sampled_from([*"\\`*_{}[]()<>#+-.!|&;:=~ \n\tax1é", "&lt;", "&#60;", "http://", "1. "]),
    max_size=30,
).map("".join)


@given(MARKDOWN_ALPHABET)
def test_escaped_text_renders_as_one_paragraph_of_itself(text: str) -> None:
    flat = " ".join(text.split())
    escaped = escape_markdown(text)
    assert "\n" not in escaped and unescape_markdown(escaped) == flat
    renderings = [html_body(escaped)] + ([commonmark(escaped)] if MarkdownIt else [])
    for rendered in renderings if flat else []:
        inner = re.fullmatch(r"<p>(.*)</p>\n?", rendered, flags=re.S)
        assert inner, (text, escaped, rendered)
        assert html.unescape(inner[1]) == flat, (text, escaped, rendered)


def test_ordinary_names_pass_unchanged() -> None:
    for name in ("S&P 500", "Mega-Caps vs. the S&P 500", "Nasdaq Composite", "Berkshire Hathaway",
                 "Alphabet (Class A)", "AT&T", "Yahoo!"):  # fmt: skip
        assert escape_markdown(name) == name
