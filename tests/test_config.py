"""Configuration: flags > environment > file > defaults; secrets only from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from commentary.cli import cli
from commentary.config import ConfigError, described, load_config

FILE = """
[generate]
playbook = "tech-vs-broad-market"
persona = "morning-brief"

[email]
host = "smtp.example.com"
port = 587
"""


def test_environment_overrides_the_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(FILE)
    values = load_config(path, {"COMMENTARY_PERSONA": "technical-trader"})
    assert values["generate"] == {"playbook": "tech-vs-broad-market", "persona": "technical-trader"}
    assert values["email"]["port"] == 587


def test_secrets_are_refused_in_the_file_and_never_shown(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[email]\npassword = "hunter2"\nhots = "x"\n[mail]\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path, {})
    message = str(caught.value)
    assert "3 problem(s)" in message and "hunter2" not in message
    assert "set COMMENTARY_SMTP_PASSWORD instead" in message
    assert "unknown key 'hots' Did you mean host?" in message
    assert "unknown section [mail] Did you mean email?" in message
    shown = described(tmp_path / "none.toml", {"COMMENTARY_SMTP_PASSWORD": "hunter2"})
    assert "hunter2" not in shown
    assert "password = <set>  # secret, from COMMENTARY_SMTP_PASSWORD only" in shown
    assert "user = <not set>  # secret, from COMMENTARY_SMTP_USER only" in shown


def test_generate_takes_its_defaults_from_the_file_and_flags_win(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(FILE)
    monkeypatch.setenv("COMMENTARY_CONFIG", str(path))
    result = CliRunner().invoke(cli, ["generate"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# Morning Brief: Tech vs. the Broad Market")
    result = CliRunner().invoke(cli, ["generate", "--persona", "technical-trader"])
    assert not result.stdout.startswith("# Morning Brief")


def test_config_show_prints_the_effective_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(FILE)
    monkeypatch.setenv("COMMENTARY_CONFIG", str(path))
    monkeypatch.setenv("COMMENTARY_SMTP_PASSWORD", "s3cret")
    result = CliRunner().invoke(cli, ["config", "show"])
    assert result.exit_code == 0
    assert result.stdout.startswith(
        f"# {path}\n[generate]\nplaybook = 'tech-vs-broad-market'  # from the file"
    )
    assert "password = <set>  # secret, from COMMENTARY_SMTP_PASSWORD only" in result.stdout
    assert "security = 'starttls'  # default (COMMENTARY_SMTP_SECURITY overrides)" in result.stdout
    assert "s3cret" not in result.stdout


def test_config_show_says_where_each_value_came_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[generate]\nsource = "csv"\n[email]\nport = 2525\n')
    monkeypatch.setenv("COMMENTARY_CONFIG", str(path))
    monkeypatch.setenv("COMMENTARY_SMTP_PORT", "465")
    monkeypatch.setenv("COMMENTARY_TELEGRAM_TOKEN", "123:tok")
    shown = CliRunner().invoke(cli, ["config", "show"]).stdout
    assert "source = 'csv'  # from the file (COMMENTARY_SOURCE overrides)" in shown
    assert "port = 465  # from COMMENTARY_SMTP_PORT" in shown
    assert "persona = <the playbook's>  # default" in shown
    assert "# COMMENTARY_TELEGRAM_TOKEN = <set>" in shown and "123:tok" not in shown
