"""What each configuration key accepts, checked once when the configuration is read, so a
mistyped value is refused by name instead of failing later (a port of ``"abc"``) or being
misread (``rules = "x.toml"`` taken letter by letter)."""

from __future__ import annotations

from typing import Any

#: Keys whose value is one of a few words.
CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("generate", "source"): ("samples", "csv", "yfinance", "store"),
    ("email", "security"): ("starttls", "ssl", "none"),
    ("blog", "flavor"): ("hugo", "jekyll", "pelican", "mkdocs"),
}
#: Keys naming a file or folder (the rest are plain strings, bar these, ``rules`` and ``port``).
PATHS = {("generate", "data_dir"), ("email", "subscribers"), ("daily", "out"), ("blog", "site"),
         ("archive", "path")}  # fmt: skip
#: Keys that are true or false (the environment's words: true/false, 1/0, yes/no, on/off).
FLAGS = {("blog", "draft")}
#: Keys that are a positive number of seconds, up to a day.
SECONDS = {("fetch", "deadline"), ("email", "final_reply_timeout")}
_WORDS = {"true": True, "1": True, "yes": True, "on": True,
          "false": False, "0": False, "no": False, "off": False}  # fmt: skip
PORT = ("email", "port")
RULES = ("generate", "rules")
_PORT_RULE = "a whole number from 1 to 65535"


def checked(section: str, key: str, value: Any) -> tuple[Any, str | None]:
    """``value`` as the key takes it, or a problem naming ``[section] key`` and what it must be.

    The problem never quotes the value: it may sit next to a secret.
    """
    name = f"[{section}] {key}"
    if (section, key) in FLAGS:
        if isinstance(value, bool):
            return value, None
        return None, f"{name} must be true or false"
    if (section, key) in SECONDS:
        if isinstance(value, int | float) and not isinstance(value, bool) and 0 < value <= 86_400:
            return float(value), None
        return None, f"{name} must be a number of seconds from 0 to 86400"
    if (section, key) == PORT:
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 65535:
            return value, None
        return None, f"{name} must be {_PORT_RULE}"
    if (section, key) == RULES:
        files = [value] if isinstance(value, str) else value
        if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
            return None, f"{name} must be a path or a list of paths (strings)"
        if any("\0" in f for f in files):
            return None, f"{name} must not contain a NUL character"
        return files, None
    kind = "a string (a path)" if (section, key) in PATHS else "a string"
    if not isinstance(value, str):
        return None, f"{name} must be {kind}"
    if "\0" in value:
        return None, f"{name} must not contain a NUL character"
    choices = CHOICES.get((section, key))
    if choices and value not in choices:
        return None, f"{name} must be one of {', '.join(choices)}"
    return value, None


def from_environment(section: str, key: str, variable: str, raw: str) -> tuple[Any, str | None]:
    """An environment variable's text as the key takes it, or a problem naming the variable."""
    if (section, key) == PORT:
        value: Any = int(raw) if raw.isascii() and raw.isdigit() else None
        if value is None or not 1 <= value <= 65535:
            return None, f"{variable} must be {_PORT_RULE}"
        return value, None
    if (section, key) == RULES:
        return raw, None
    if (section, key) in FLAGS:
        word = _WORDS.get(raw.strip().lower())
        return (word, None) if word is not None else (None, f"{variable} must be true or false")
    if (section, key) in SECONDS:
        try:
            seconds = float(raw)
        except ValueError:
            seconds = float("nan")
        if not 0 < seconds <= 86_400:
            return None, f"{variable} must be a number of seconds from 0 to 86400"
        return seconds, None
    value, problem = checked(section, key, raw)
    return value, problem and problem.replace(f"[{section}] {key}", variable, 1)
