"""Templates from outside the package: where they may come from, what they may do, how long and
how much (issue 17, items 1 and 9). Every attack is a real file in a temporary folder; the ones that
would run code try to create a marker file, which must not exist afterwards."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from commentary.cli import cli

AS_OF = "2020-04-17"
#: Templates that would run a shell command (creating MARKER) if they could reach ``os``.
ESCAPES = [
    "{{ cycler.__init__.__globals__.os.system('touch MARKER') }}",
    "{{ joiner.__init__.__globals__['os'].system('touch MARKER') }}",
    "{{ namespace.__init__.__globals__.os.system('touch MARKER') }}",
    "{{ self._TemplateReference__context.cycler.__init__.__globals__.os.system('touch MARKER') }}",
    "{{ plan.__class__.__init__.__globals__['sys'].modules['os'].system('touch MARKER') }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{% set x = range.__globals__ %}{{ x }}",
]


def generate(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, ["--quiet", "generate", "--as-of", AS_OF, *args], env=env)


def assert_one_line_error(result: Result) -> str:
    """Exit 1, one ``error:`` line on stderr, and no exception escaped to the runner (CliRunner
    swallows a traceback: an escaped exception shows as ``result.exception``)."""
    assert result.exit_code == 1, (result.stdout[-500:], result.stderr)
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def attack_folder(tmp_path: Path, body: str, name: str = "evil") -> Path:
    """``tmp_path/outside/<name>/article.md``: templates nobody passed with --templates."""
    folder = tmp_path / "outside" / name
    folder.mkdir(parents=True)
    (folder / "article.md").write_text(body)
    return folder


def user_templates(tmp_path: Path, files: dict[str, str], persona: str = "mine") -> Path:
    """``tmp_path/templates/<persona>/`` holding ``files``; returns the --templates folder."""
    folder = tmp_path / "templates" / persona
    folder.mkdir(parents=True)
    for name, body in files.items():
        (folder / name).write_text(body)
    return tmp_path / "templates"


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in ``tmp_path``, so a ``touch MARKER`` that got through would land there."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- 17.1: a persona is a bundled name, or a folder given explicitly with --templates ----------


@pytest.mark.parametrize("how", ["absolute", "relative"])
@pytest.mark.parametrize("where", ["playbook", "flag", "config", "environment"])
def test_a_persona_naming_a_path_is_refused_and_runs_nothing(
    in_tmp: Path, where: str, how: str
) -> None:
    folder = attack_folder(in_tmp, ESCAPES[0])
    persona = str(folder) if how == "absolute" else "../outside/evil"
    args: list[str] = []
    env: dict[str, str] = {}
    if where == "playbook":
        book = in_tmp / "book.toml"
        book.write_text(
            f'title = "T"\nbyline = "B"\npersona = "{persona}"\n\n'
            '[[instrument]]\nsymbol = "^GSPC"\n'
        )
        args = ["--playbook", str(book)]
    elif where == "flag":
        args = ["--persona", persona]
    elif where == "config":
        config = in_tmp / "config.toml"
        config.write_text(f'[generate]\npersona = "{persona}"\n')
        env = {"COMMENTARY_CONFIG": str(config)}
    else:
        env = {"COMMENTARY_PERSONA": persona}
    message = assert_one_line_error(generate(*args, env=env))
    assert "persona" in message and "--templates" in message
    assert not (in_tmp / "MARKER").exists()


def test_an_unknown_persona_gets_a_did_you_mean() -> None:
    message = assert_one_line_error(generate("--persona", "morning-brif"))
    assert "Did you mean morning-brief?" in message
    assert "technical-trader" in message  # the list of what there is


def test_a_bundled_persona_and_one_inside_templates_still_work(tmp_path: Path) -> None:
    assert generate("--persona", "morning-brief").exit_code == 0
    root = user_templates(tmp_path, {"article.md": "# {{ plan.series }}\n"})
    result = generate("--templates", str(root), "--persona", "mine", "--no-verify")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "# The Market Pulse\n"


@pytest.mark.parametrize("body", ESCAPES)
def test_a_user_template_cannot_reach_os(in_tmp: Path, body: str) -> None:
    root = user_templates(in_tmp, {"article.md": body})
    assert_one_line_error(generate("--templates", str(root), "--persona", "mine", "--no-verify"))
    assert not (in_tmp / "MARKER").exists()


def test_a_template_linking_out_of_its_folder_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    root = user_templates(tmp_path, {"article.md": "{% include '_part.md' %}\n"})
    (root / "mine" / "_part.md").symlink_to(secret)
    message = assert_one_line_error(
        generate("--templates", str(root), "--persona", "mine", "--no-verify")
    )
    assert "outside the template folder" in message
    assert "TOP-SECRET" not in message


def test_a_persona_folder_linking_out_of_templates_is_refused(tmp_path: Path) -> None:
    outside = attack_folder(tmp_path, "# {{ plan.series }}\n")
    root = tmp_path / "templates"
    root.mkdir()
    (root / "linked").symlink_to(outside, target_is_directory=True)
    message = assert_one_line_error(
        generate("--templates", str(root), "--persona", "linked", "--no-verify")
    )
    assert "outside the template folder" in message


def test_a_fifo_in_the_template_folder_is_not_read(tmp_path: Path) -> None:
    root = user_templates(tmp_path, {"article.md": "{% include '_pipe.md' %}\n"})
    os.mkfifo(root / "mine" / "_pipe.md")  # reading it would block forever
    message = assert_one_line_error(
        generate("--templates", str(root), "--persona", "mine", "--no-verify")
    )
    assert "_pipe.md" in message


# --- 17.1: time and size limits; 17.9: every failure of a user template is one line -----------

BOMBS = {
    "range": "{% for i in range(10**9) %}x{% endfor %}",
    "repeat": "{{ 'a' * 10**10 }}",
    "list repeat": "{{ [0] * 10**10 }}",
    "power": "{{ 10 ** (10 ** 10) }}",
    "padding": "{{ 'a'|center(10**10) }}",
    "method padding": "{{ 'a'.ljust(10**10) }}",
    "percent width": "{{ '%0999999999d' % 1 }}",
    "format width": "{{ '{:>9999999999}'.format(1) }}",
    "format filter": "{{ '%9999999999s'|format(1) }}",
    "join": "{{ range(100000)|join('a' * 1000000) }}",
    "doubling": (
        "{% set ns = namespace(s='a') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}"
        "{% endfor %}{{ ns.s|length }}"
    ),
    "macro buffer": (
        "{% set s = 'a' * 1000000 %}{% macro m() %}{% for i in range(100000) %}{{ s }}"
        "{% endfor %}{% endmacro %}{{ m()|length }}"
    ),
    "long article": "{% for i in range(100000) %}{{ 'a' * 100 }}{% endfor %}",
}


@pytest.mark.parametrize("body", BOMBS.values(), ids=BOMBS.keys())
def test_a_user_template_cannot_exhaust_memory(tmp_path: Path, body: str) -> None:
    root = user_templates(tmp_path, {"article.md": body})
    started = time.monotonic()
    message = assert_one_line_error(
        generate("--templates", str(root), "--persona", "mine", "--no-verify")
    )
    assert time.monotonic() - started < 30
    assert "article.md" in message and "user templates" in message


ENDLESS = {
    "nested loops": (
        "{% set s = 'a' * 100000 %}{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}"
    ),
    "branching recursion": (
        "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(80) }}"
    ),
}


@pytest.mark.parametrize("body", ENDLESS.values(), ids=ENDLESS.keys())
def test_a_user_template_gets_a_time_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str
) -> None:
    from commentary.render import sandbox

    monkeypatch.setattr(sandbox, "TIME_LIMIT", 0.5)
    root = user_templates(tmp_path, {"article.md": body})
    started = time.monotonic()
    message = assert_one_line_error(
        generate("--templates", str(root), "--persona", "mine", "--no-verify")
    )
    assert time.monotonic() - started < 20
    assert "longer than 0.5 s" in message and "article.md:1:" in message


FAILURES = {
    "recursion": (
        "# t\n{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}\n",
        "article.md:2:",
        "without end",
    ),
    "self-include": ("# t\n{% include 'article.md' %}\n", "article.md:2:", "without end"),
    "division by zero": ("# t\n\n{{ 1 / 0 }}\n", "article.md:3:", "division by zero"),
    "missing include": ("# t\n{% include '_nope.md' %}\n", "article.md:2:", "'_nope.md'"),
    "huge range": ("# t\n{{ range(10**9)|list }}\n", "article.md:2:", "range()"),
    "bad type": ("# t\n{{ plan.series + 1 }}\n", "article.md:2:", "TypeError"),
    "not UTF-8": (b"# t\n\xff\xfe\n", "article.md", "cannot read"),
}


@pytest.mark.parametrize(("body", "where", "what"), FAILURES.values(), ids=FAILURES.keys())
def test_a_failing_user_template_is_one_line_naming_file_and_line(
    tmp_path: Path, body: str | bytes, where: str, what: str
) -> None:
    root = user_templates(tmp_path, {})
    article = root / "mine" / "article.md"
    article.write_bytes(body if isinstance(body, bytes) else body.encode())
    message = assert_one_line_error(
        generate("--templates", str(root), "--persona", "mine", "--no-verify")
    )
    assert where in message and what in message, message


def test_the_bundled_templates_render_the_same_inside_the_sandbox(tmp_path: Path) -> None:
    """A user who copies the bundled templates to edit them gets the same article, verified."""
    import shutil

    from commentary.resources import bundled

    root = tmp_path / "copy"
    shutil.copytree(bundled("templates"), root)
    for persona in ("technical-trader", "morning-brief"):
        bundled_article = generate("--playbook", "mega-caps", "--persona", persona)
        copied = generate("--playbook", "mega-caps", "--persona", persona, "--templates", str(root))
        assert copied.exit_code == 0, copied.stderr
        assert copied.stdout == bundled_article.stdout
