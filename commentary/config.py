"""Settings for everyday use: a TOML file, environment variables and flags, in that order of
weight (flags > environment > file > defaults).

The file is ``config.toml`` in the platform's config directory (``commentary config path``), or
the file ``COMMENTARY_CONFIG`` names::

    [generate]
    playbook = "default"          # or a path
    source = "samples"            # samples | csv | yfinance
    data_dir = "~/prices"
    persona = "technical-trader"
    rules = ["~/house-rules.toml"]

    [email]
    host = "smtp.example.com"
    port = 587
    security = "starttls"         # starttls | ssl | none
    sender = "Desk <desk@example.com>"
    subscribers = "~/subscribers.csv"
    final_reply_timeout = 600     # seconds to wait for the answer to a whole message

    [blog]
    site = "~/site"
    flavor = "hugo"

Secrets never live in the file: the SMTP user and password come only from
``COMMENTARY_SMTP_USER`` and ``COMMENTARY_SMTP_PASSWORD``, and ``config show`` redacts them.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import CommentaryError, did_you_mean

#: Every key the file may hold, by section, with the environment variable that overrides it.
KEYS: dict[str, dict[str, str]] = {
    "generate": {
        "playbook": "COMMENTARY_PLAYBOOK",
        "source": "COMMENTARY_SOURCE",
        "data_dir": "COMMENTARY_DATA_DIR",
        "persona": "COMMENTARY_PERSONA",
        "rules": "COMMENTARY_RULES",
    },
    "email": {
        "host": "COMMENTARY_SMTP_HOST",
        "port": "COMMENTARY_SMTP_PORT",
        "security": "COMMENTARY_SMTP_SECURITY",
        "sender": "COMMENTARY_SENDER",
        "subscribers": "COMMENTARY_SUBSCRIBERS",
        "unsubscribe_url": "COMMENTARY_UNSUBSCRIBE_URL",
        "unsubscribe_mailto": "COMMENTARY_UNSUBSCRIBE_MAILTO",
        "final_reply_timeout": "COMMENTARY_SMTP_FINAL_REPLY_TIMEOUT",
        "user": "COMMENTARY_SMTP_USER",
        "password": "COMMENTARY_SMTP_PASSWORD",
    },
    "daily": {"playbook": "COMMENTARY_DAILY_PLAYBOOK", "out": "COMMENTARY_DRAFTS"},
    "blog": {
        "site": "COMMENTARY_SITE",
        "flavor": "COMMENTARY_BLOG_FLAVOR",
        "site_url": "COMMENTARY_SITE_URL",
    },
}
#: Keys that may come only from the environment, and are never shown.
SECRETS = {("email", "user"), ("email", "password")}


class ConfigError(CommentaryError):
    """A configuration file that cannot be used; the message lists every problem."""


def config_path(environ: Mapping[str, str] | None = None) -> Path:
    environ = os.environ if environ is None else environ
    if environ.get("COMMENTARY_CONFIG"):
        return Path(environ["COMMENTARY_CONFIG"]).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("commentary")) / "config.toml"


def load_config(
    path: Path | None = None, environ: Mapping[str, str] | None = None
) -> dict[str, dict[str, Any]]:
    """The effective configuration: file values overridden by the environment.

    Flags are applied by the CLI on top. Missing file: defaults (empty sections).
    """
    environ = os.environ if environ is None else environ
    path = path or config_path(environ)
    values: dict[str, dict[str, Any]] = {section: {} for section in KEYS}
    if path.is_file():
        values = _read(path)
    for section, keys in KEYS.items():
        for key, variable in keys.items():
            if environ.get(variable):
                raw = environ[variable]
                values[section][key] = raw.split(os.pathsep) if key == "rules" else raw
    return values


def _read(path: Path) -> dict[str, dict[str, Any]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read the configuration ({error}).") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML ({error}); fix the syntax there.") from None
    problems = []
    values: dict[str, dict[str, Any]] = {section: {} for section in KEYS}
    for section, table in data.items():
        if section not in KEYS or not isinstance(table, dict):
            problems.append(f"unknown section [{section}]{did_you_mean(section, KEYS)}")
            continue
        for key, value in table.items():
            if key not in KEYS[section]:
                problems.append(
                    f"[{section}] unknown key {key!r}{did_you_mean(key, KEYS[section])}"
                )
            elif (section, key) in SECRETS:
                variable = KEYS[section][key]
                problems.append(
                    f"[{section}] {key} is a secret: set {variable} instead of the file"
                )
            else:
                values[section][key] = value
    if problems:
        raise ConfigError(f"{path}: {len(problems)} problem(s): " + "; ".join(problems) + ".")
    return values


def redacted(values: Mapping[str, Mapping[str, Any]]) -> str:
    """The configuration as TOML-like text for people, secrets shown as set or not set."""
    lines = []
    for section, table in values.items():
        lines.append(f"[{section}]")
        for key in KEYS[section]:
            if (section, key) in SECRETS:
                state = "set" if table.get(key) else "not set"
                lines.append(f"{key} = <{state}, from {KEYS[section][key]}>")
            elif key in table:
                lines.append(f"{key} = {table[key]!r}")
        lines.append("")
    return "\n".join(lines)
