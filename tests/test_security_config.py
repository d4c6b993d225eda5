"""A broken configuration file or environment: one line naming the key and what it must be,
exit 1, never a traceback; a value is read as what it is (a string is one file, not letters)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from commentary.cli import cli


def run_with_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, *args: str) -> Any:
    path = tmp_path / "config.toml"
    path.write_text(text)
    monkeypatch.setenv("COMMENTARY_CONFIG", str(path))
    return CliRunner().invoke(cli, list(args or ["generate"]))


def assert_one_line(result: Any, *expected: str) -> None:
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
    for text in expected:
        assert text in result.stderr, (text, result.stderr)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[email]\nport = "abc"\n', "[email] port must be a whole number from 1 to 65535"),
        ("[email]\nport = 70000\n", "[email] port must be a whole number from 1 to 65535"),
        ("[email]\nport = true\n", "[email] port must be a whole number from 1 to 65535"),
        ("[generate]\ndata_dir = 5\n", "[generate] data_dir must be a string (a path)"),
        ('[generate]\nplaybook = ["a", "b"]\n', "[generate] playbook must be a string"),
        ("[generate]\nrules = [1, 2]\n", "[generate] rules must be a path or a list of paths"),
        ('[generate]\nsource = "ftp"\n', "[generate] source must be one of samples, csv"),
        ('[generate]\ndata_dir = "a\\u0000b"\n', "[generate] data_dir must not contain"),
        ("generate = 5\n", "[generate] must be a table"),
    ],
)  # fmt: skip
def test_a_mistyped_config_value_is_refused_naming_key_and_type(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, expected: str
) -> None:
    for command in (["generate"], ["config", "show"]):
        assert_one_line(run_with_config(tmp_path, monkeypatch, text, *command), expected)


def test_a_section_that_is_not_a_table_is_not_called_unknown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = run_with_config(tmp_path, monkeypatch, "generate = 5\n")
    assert "unknown section" not in result.stderr and "Did you mean" not in result.stderr


def test_a_mistyped_environment_value_is_refused_naming_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMMENTARY_SMTP_PORT", "abc")
    result = CliRunner().invoke(cli, ["config", "show"])
    assert_one_line(result, "COMMENTARY_SMTP_PORT must be a whole number from 1 to 65535")
    monkeypatch.setenv("COMMENTARY_SMTP_PORT", "2525")
    result = CliRunner().invoke(cli, ["config", "show"])
    assert result.exit_code == 0 and "port = 2525" in result.stdout


def test_rules_given_as_one_string_is_one_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = tmp_path / "house.toml"
    rules.write_text("[[rule]]\n")  # read as one file, it is refused by name
    result = run_with_config(tmp_path, monkeypatch, f'[generate]\nrules = "{rules}"\n')
    assert_one_line(result, str(rules))


def test_a_config_path_that_is_a_directory_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMMENTARY_CONFIG", str(tmp_path))
    for command in (["generate"], ["config", "show"]):
        result = CliRunner().invoke(cli, command)
        assert_one_line(result, str(tmp_path), "not a file")
