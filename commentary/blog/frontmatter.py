"""Front matter in and out: YAML between ``---`` lines, and Pelican's ``Key: value`` header.

YAML is always written by PyYAML (``safe_dump``), never by string formatting, so a title with a
colon, quotes or a leading ``-`` stays one string. Pelican's header is not YAML: one ``Key: value``
per line; the post's fields were checked to be single lines before they reach it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

FENCE = "---"


class _PlainDumper(yaml.SafeDumper):
    """SafeDumper without anchors: equal dates must not become ``&id001`` / ``*id001``."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def yaml_front_matter(fields: Mapping[str, Any], body: str) -> str:
    """A Markdown document with ``fields`` as YAML front matter above ``body``.

    >>> print(yaml_front_matter({"title": 'A: "b"', "draft": True}, "Text."), end="")
    ---
    title: 'A: "b"'
    draft: true
    ---
    <BLANKLINE>
    Text.
    """
    dumped = yaml.dump(
        dict(fields),
        Dumper=_PlainDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1 << 16,
    )
    return f"{FENCE}\n{dumped}{FENCE}\n\n{_ending(body)}"


def pelican_header(fields: Mapping[str, str], body: str) -> str:
    """A Markdown document with Pelican's ``Key: value`` metadata header above ``body``.

    >>> print(pelican_header({"Title": "A: b", "Status": "draft"}, "Text."), end="")
    Title: A: b
    Status: draft
    <BLANKLINE>
    Text.
    """
    lines = []
    for key, value in fields.items():
        if "\n" in value or "\r" in value:
            raise ValueError(f"Pelican metadata {key} must be one line, got {value!r}")
        lines.append(f"{key}: {value}".rstrip())
    return "\n".join(lines) + "\n\n" + _ending(body)


def _ending(body: str) -> str:
    text = body.replace("\r\n", "\n").strip("\n")
    return text + "\n" if text else ""


def read_yaml_front_matter(text: str) -> tuple[dict[str, Any], str] | None:
    """The YAML front matter and the body of a document, or None when it has none.

    >>> read_yaml_front_matter("---\\ntitle: 'A: b'\\n---\\n\\nBody\\n")
    ({'title': 'A: b'}, 'Body\\n')
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    if not text.startswith(FENCE + "\n"):
        return None
    end = text.find(f"\n{FENCE}\n", len(FENCE))
    if end < 0:
        if not text.endswith(f"\n{FENCE}"):
            return None
        end = len(text) - len(FENCE) - 1
    loaded = yaml.safe_load(text[len(FENCE) + 1 : end + 1])
    if loaded is None:
        loaded = {}
    if not isinstance(loaded, dict):
        return None
    rest = text[end + len(FENCE) + 2 :]
    return {str(key): value for key, value in loaded.items()}, rest.lstrip("\n")


def read_pelican_header(text: str) -> tuple[dict[str, str], str] | None:
    """Pelican's metadata (keys lowercased, as Pelican does) and the body, or None without one.

    >>> read_pelican_header("Title: A: b\\nTags: x, y\\n\\nBody\\n")
    ({'title': 'A: b', 'tags': 'x, y'}, 'Body\\n')
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    header, _, body = text.partition("\n\n")
    fields: dict[str, str] = {}
    key = ""
    for line in header.split("\n"):
        if line.startswith("    ") and key:
            fields[key] += " " + line.strip()
            continue
        name, colon, value = line.partition(":")
        if not colon or not name.strip() or not name.replace("_", "").replace("-", "").isalnum():
            return None
        key = name.strip().lower()
        fields[key] = value.strip()
    return (fields, body) if fields else None
