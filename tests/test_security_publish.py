"""Security of publishing: playbook text never acts as a regex template, and a post is written
together with its feed or not at all."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from commentary.cli import cli
from commentary.playbooks import playbook_dir
from commentary.render.plaintext import escape_markdown

SITE_ARGS = ["--flavor", "hugo", "--site-url", "https://blog.example.com", "--no-draft"]


def playbook(tmp_path: Path, old: str, new: str) -> Path:
    """The bundled mega-caps playbook with one piece of text replaced."""
    text = (playbook_dir() / "mega-caps.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "book.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def publish(book: str, site: Path, as_of: str) -> object:
    return CliRunner().invoke(cli, ["publish", book, "--as-of", as_of, "--site", str(site),
                                    *SITE_ARGS])  # fmt: skip


def snapshot(site: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in site.rglob("*") if path.is_file()}


def test_instrument_names_with_backslashes_and_group_references_are_written_literally(
    tmp_path: Path,
) -> None:
    book = playbook(tmp_path, 'name = "Apple"', 'name = "Apple \\\\d"')
    book.write_text(
        book.read_text().replace('name = "Amazon"', 'name = "Amazon \\\\g<0>"'), encoding="utf-8"
    )
    result = publish(str(book), tmp_path / "site", "2020-04-17")
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    post = next((tmp_path / "site").rglob("index.md")).read_text(encoding="utf-8")
    headings = re.findall(r"(?m)^## .*$", post)
    assert len(headings) == len(set(headings)), "a heading was copied into the post"
    # The names arrive in the Markdown escaped (render.plaintext), and so does the chart's alt.
    for name, chart in (("Apple \\d", "aapl.png"), ("Amazon \\g<0>", "amzn.png")):
        assert post.count(f"![Chart of {escape_markdown(name)}]({chart})") == 1
    assert len(re.findall(r"!\[Chart of ", post)) == 5


def test_a_control_character_in_the_byline_writes_neither_post_nor_feed(tmp_path: Path) -> None:
    site = tmp_path / "site"
    first = publish("mega-caps", site, "2020-04-16")
    assert first.exit_code == 0, first.stderr  # type: ignore[attr-defined]
    before = snapshot(site)
    assert any(path.name == "feed.xml" for path in before)
    book = playbook(tmp_path, 'byline = "The Technical Trader desk"', 'byline = "Desk\\u0001"')
    result = publish(str(book), site, "2020-04-17")
    assert result.exit_code == 1
    stderr = result.stderr  # type: ignore[attr-defined]
    assert stderr.count("\n") == 1 and "byline" in stderr and "Traceback" not in stderr
    assert snapshot(site) == before, "a post or chart was written although the feed failed"
