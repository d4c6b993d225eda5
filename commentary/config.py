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
    draft = false                 # publish live posts (default: drafts)

    [archive]
    path = "~/commentary-archive.sqlite3"   # default: archive.sqlite3 in the user data directory

    [fetch]
    deadline = 60                 # seconds a symbol's download may take, retries included

Secrets never live in the file: the SMTP user and password come only from
``COMMENTARY_SMTP_USER`` and ``COMMENTARY_SMTP_PASSWORD``, and ``config show`` redacts them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .config_values import checked, from_environment
from .errors import CommentaryError, did_you_mean
from .tomltext import parse_toml

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
        "view_url": "COMMENTARY_VIEW_URL",
        "postal_address": "COMMENTARY_POSTAL_ADDRESS",
        "final_reply_timeout": "COMMENTARY_SMTP_FINAL_REPLY_TIMEOUT",
        "user": "COMMENTARY_SMTP_USER",
        "password": "COMMENTARY_SMTP_PASSWORD",
    },
    "daily": {"playbook": "COMMENTARY_DAILY_PLAYBOOK", "out": "COMMENTARY_DRAFTS"},
    "archive": {"path": "COMMENTARY_ARCHIVE"},
    "fetch": {"deadline": "COMMENTARY_FETCH_DEADLINE"},
    "blog": {
        "site": "COMMENTARY_SITE",
        "flavor": "COMMENTARY_BLOG_FLAVOR",
        "site_url": "COMMENTARY_SITE_URL",
        "draft": "COMMENTARY_BLOG_DRAFT",
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
    elif path.exists():
        raise ConfigError(
            f"{path}: not a file (a directory or a device); point COMMENTARY_CONFIG at a "
            "config.toml file."
        )
    problems = []
    for section, keys in KEYS.items():
        for key, variable in keys.items():
            if environ.get(variable):
                raw = environ[variable]
                if key == "rules":
                    raw = raw.split(os.pathsep)  # type: ignore[assignment]
                value, problem = from_environment(section, key, variable, raw)
                if problem:
                    problems.append(problem)
                values[section][key] = value
    if problems:
        raise ConfigError("; ".join(problems) + ".")
    return values


def _read(path: Path) -> dict[str, dict[str, Any]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read the configuration ({error}).") from None
    data = parse_toml(text, str(path), ConfigError)
    problems = []
    values: dict[str, dict[str, Any]] = {section: {} for section in KEYS}
    for section, table in data.items():
        if section not in KEYS:
            problems.append(f"unknown section [{section}]{did_you_mean(section, KEYS)}")
            continue
        if not isinstance(table, dict):
            problems.append(f"[{section}] must be a table: a [{section}] line, then key = value")
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
                values[section][key], problem = checked(section, key, value)
                if problem:
                    problems.append(problem)
    if problems:
        raise ConfigError(f"{path}: {len(problems)} problem(s): " + "; ".join(problems) + ".")
    return values


def fetch_deadline(values: Mapping[str, Mapping[str, Any]] | None = None) -> float | None:
    """The configured ``[fetch] deadline`` in seconds, ``None`` when unset (``load_config`` has
    already refused anything but a positive number of seconds up to a day)."""
    raw = (load_config() if values is None else values).get("fetch", {}).get("deadline")
    return None if raw is None else float(raw)


class _Said(str):
    """A default described in words, shown as ``<words>``."""

    def __repr__(self) -> str:
        return f"<{self}>"


#: What applies when neither the file nor the environment sets a key (``None``: nothing; the
#: command asks for it, or the feature is off).
DEFAULTS: dict[tuple[str, str], Any] = {
    ("generate", "playbook"): "default",
    ("generate", "source"): "samples",
    ("generate", "persona"): _Said("the playbook's"),
    ("generate", "rules"): [],
    ("email", "port"): 587,
    ("email", "security"): "starttls",
    ("daily", "out"): "drafts",
    ("blog", "draft"): True,
    ("archive", "path"): _Said("archive.sqlite3 in the user data directory"),
    ("fetch", "deadline"): 60.0,
}
#: Secrets read from the environment by the commands that need them, beside ``KEYS``'s.
OTHER_SECRETS = (
    "COMMENTARY_UNSUBSCRIBE_SECRET",
    "COMMENTARY_TELEGRAM_TOKEN",
    "COMMENTARY_SLACK_WEBHOOK_URL",
    "COMMENTARY_DISCORD_WEBHOOK_URL",
    "COMMENTARY_WEBHOOK_URL",
)


def described(path: Path | None = None, environ: Mapping[str, str] | None = None) -> str:
    """Every key with its effective value and where it came from (the environment, the file or
    the default), every environment variable read, secrets shown only as set or not set."""
    environ = os.environ if environ is None else environ
    path = path or config_path(environ)
    values = load_config(path, environ)  # refuses a bad file or variable first
    in_file = _read(path) if path.is_file() else {section: {} for section in KEYS}
    lines = [f"# {path}" + ("" if path.is_file() else " (not found: defaults apply)")]
    for section, keys in KEYS.items():
        lines.append(f"[{section}]")
        for key, variable in keys.items():
            if (section, key) in SECRETS:
                state = "set" if environ.get(variable) else "not set"
                lines.append(f"{key} = <{state}>  # secret, from {variable} only")
                continue
            if environ.get(variable):
                value, origin = values[section][key], f"from {variable}"
            elif key in in_file[section]:
                value, origin = values[section][key], f"from the file ({variable} overrides)"
            else:
                value, origin = DEFAULTS.get((section, key)), f"default ({variable} overrides)"
            shown = "<none>" if value is None else repr(value)
            lines.append(f"{key} = {shown}  # {origin}")
        lines.append("")
    lines.append("# Also read from the environment (secrets, shown as set or not set):")
    lines += [f"# {name} = <{'set' if environ.get(name) else 'not set'}>" for name in OTHER_SECRETS]
    lines.append("# COMMENTARY_CONFIG names the file above.")
    return "\n".join(lines) + "\n"
