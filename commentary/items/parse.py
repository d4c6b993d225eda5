"""Reading editor's items from TOML: ``[[item]]`` tables in a playbook or in a dated file passed
with ``--items FILE``. Every problem is reported at once, with its line, like playbooks.

::

    [[item]]
    kind = "listing"                      # listing | news | note
    title = "Arm's Debut"
    name = "Arm"                          # optional: who it is about (default: the symbol's name)
    date = 2023-09-14                     # optional: only in that session's article
    symbol = "ARM"                        # optional: bars are read for it when the source has them
    text = "The chip designer priced at the top of its range."   # optional, set as written
    source = { name = "Nasdaq", url = "https://www.nasdaq.com/..." }  # optional
    [item.facts]
    offer_price = { value = 51.0, unit = "$" }
    shares_outstanding = { value = 1025000000, unit = "shares" }
    open = { value = 56.10, unit = "$" }
    close = { value = 63.59, unit = "$" }
"""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from pathlib import Path
from typing import Any

from ..errors import PlaybookError, UsageError, did_you_mean
from ..symbols import normalise_symbol
from .model import KINDS, UNITS, Declared, Item

_KEYS = {"kind", "title", "name", "symbol", "date", "text", "source", "facts"}


def item_lines(text: str) -> list[int]:
    """The line number of each ``[[item]]`` header, in order."""
    return [n for n, line in enumerate(text.splitlines(), 1) if line.strip() == "[[item]]"]


def parse_items(entries: Any, text: str, origin: str) -> tuple[tuple[Item, ...], list[str]]:
    """The items of ``entries`` (the TOML's ``item`` array) and every problem found."""
    if not isinstance(entries, list):
        return (), ["item must be an array of [[item]] tables"]
    lines = item_lines(text)
    items: list[Item] = []
    problems: list[str] = []
    for n, entry in enumerate(entries, 1):
        where = f"line {lines[n - 1]}: " if n <= len(lines) else f"item {n}: "
        found: list[str] = []
        item = _item(entry, found, f"{origin} {where.rstrip(': ')}")
        problems += [where + p for p in found]
        if item is not None and not found:
            items.append(item)
    return tuple(items), problems


def load_items(path: Path) -> tuple[Item, ...]:
    """The items in a ``--items`` file, or ``PlaybookError`` naming every problem."""
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{path}: cannot read the items ({error}); check the path.") from None
    except tomllib.TOMLDecodeError as error:
        raise PlaybookError(f"{path}: not valid TOML ({error}); fix the syntax there.") from None
    unknown = sorted(set(data) - {"item"})
    items, problems = parse_items(data.get("item", []), text, str(path))
    problems = [f"unknown key {k!r}{did_you_mean(k, ['item'])}" for k in unknown] + problems
    if problems:
        raise PlaybookError(f"{path}: {len(problems)} problem(s): " + "; ".join(problems) + ".")
    return items


def _item(entry: Any, problems: list[str], origin: str) -> Item | None:
    if not isinstance(entry, dict):
        problems.append("an item must be a table")
        return None
    for key in sorted(set(entry) - _KEYS):
        problems.append(f"unknown item key {key!r}{did_you_mean(key, _KEYS)}")
    kind = entry.get("kind")
    if kind not in KINDS:
        problems.append(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    title = entry.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.append("title must be a non-empty string")
    text = entry.get("text", "")
    if not isinstance(text, str):
        problems.append("text must be a string")
    name = entry.get("name", "")
    if not isinstance(name, str):
        problems.append("name must be a string")
    day = entry.get("date")
    if day is not None and (not isinstance(day, dt.date) or isinstance(day, dt.datetime)):
        problems.append(f"date must be a TOML date such as 2023-09-14, not {day!r}")
    symbol = None
    if "symbol" in entry:
        try:
            symbol = normalise_symbol(str(entry["symbol"]))
        except UsageError as error:
            problems.append(str(error).rstrip("."))
    source = entry.get("source", {})
    if not isinstance(source, dict) or not all(
        isinstance(source.get(k, ""), str) for k in ("name", "url")
    ):
        problems.append('source must be a table: { name = "...", url = "https://..." }')
        source = {}
    url = source.get("url", "")
    if url and not url.startswith(("https://", "http://")):
        problems.append(f"source url must start with https:// or http://, not {url[:40]!r}")
    declared = _declared(entry.get("facts", {}), problems)
    if problems or kind not in KINDS or not isinstance(title, str):
        return None
    return Item(kind=kind, title=title.strip(), declared=declared, name=name.strip(),
                symbol=symbol, text=text.strip(), date=day,
                source_name=source.get("name", ""), source_url=url, origin=origin)  # fmt: skip


def _declared(facts: Any, problems: list[str]) -> tuple[Declared, ...]:
    if not isinstance(facts, dict):
        problems.append("facts must be a table of name = { value = ..., unit = ... }")
        return ()
    found = []
    for name, fact in facts.items():
        if not isinstance(fact, dict) or set(fact) - {"value", "unit"} or "value" not in fact:
            problems.append(f'fact {name!r} must be {{ value = NUMBER, unit = "..." }}')
            continue
        value, unit = fact["value"], fact.get("unit", "count")
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            problems.append(f"fact {name!r}: value must be a finite number, not {value!r}")
            continue
        if unit not in UNITS:
            problems.append(f"fact {name!r}: unit must be one of {', '.join(UNITS)}, not {unit!r}")
            continue
        if unit in ("$", "shares") and value <= 0:
            problems.append(f"fact {name!r}: a price or share count must be positive")
            continue
        found.append(Declared(str(name), float(value), str(unit)))
    return tuple(found)
