"""Hostile input: user text in HTML, user templates, symbols in file names."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from commentary.cli import cli
from commentary.errors import UsageError
from commentary.symbols import normalise_symbol

HOSTILE_PLAYBOOK = """
title = "Tech <script>alert('title')</script>"
byline = "<img src=x onerror=alert(1)> & friends"
notes = ["<b>bold</b> claims & <iframe src='https://example.invalid'></iframe>"]

[[instrument]]
symbol = "^GSPC"
name = "S&P <script>alert('name')</script>"
kind = "index"
"""


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args))


def test_playbook_text_is_escaped_in_html(tmp_path: Path) -> None:
    book = tmp_path / "hostile.toml"
    book.write_text(HOSTILE_PLAYBOOK)
    result = run("generate", "--playbook", str(book), "--as-of", "2019-06-28", "--format", "html",
                 "--no-verify", "--no-chart")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    page = result.stdout
    for raw in ("<script>", "<img", "<iframe", "<b>"):
        assert raw not in page.split("<body>", 1)[1], raw
    assert "&lt;script&gt;alert" in page or "&lt;script>alert" in page
    assert "S&amp;P" in page


@pytest.mark.parametrize(
    "symbol", ["../../etc/passwd", "/abs/path", "A\x00B", "CON/..", "..", ".", "A B", "A;rm -rf"]
)
def test_symbols_can_never_name_a_path(symbol: str) -> None:
    with pytest.raises(UsageError):
        normalise_symbol(symbol)


def persona(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "mine" / "plain"
    folder.mkdir(parents=True)
    (folder / "article.md").write_text(body)
    return tmp_path / "mine"


def test_user_templates_render_in_the_sandbox(tmp_path: Path) -> None:
    root = persona(tmp_path, "# {{ plan.series }}\n{{ plan.sections|length }} sections\n")
    result = run("generate", "--playbook", "mega-caps", "--templates", str(root),
                 "--persona", "plain", "--no-verify")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "# Mega-Caps vs. the S&P 500\n9 sections\n"


def test_a_user_template_cannot_reach_python_internals(tmp_path: Path) -> None:
    root = persona(tmp_path, "{{ plan.__class__.__mro__[1].__subclasses__() }}")
    result = run("generate", "--templates", str(root), "--persona", "plain", "--no-verify")
    assert result.exit_code == 1
    assert "sandbox" in result.stderr or "unsafe" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_broken_template_names_its_file_and_line(tmp_path: Path) -> None:
    root = persona(tmp_path, "# title\n\n{% for x in %}\n")
    result = run("generate", "--templates", str(root), "--persona", "plain")
    assert result.exit_code == 1
    assert "article.md:3:" in result.stderr and "fix the template syntax" in result.stderr


def test_a_template_using_something_undefined_says_where(tmp_path: Path) -> None:
    root = persona(tmp_path, "# title\n{{ plan.no_such_thing }}\n")
    result = run("generate", "--templates", str(root), "--persona", "plain", "--no-verify")
    assert result.exit_code == 1
    assert "no_such_thing" in result.stderr and "article.md:2:" in result.stderr
