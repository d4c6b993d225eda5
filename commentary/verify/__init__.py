"""The round-trip verifier: read a rendered article back and check every claim against the ledger.

``verify`` takes the article (Markdown, plain text or HTML) and the JSON ledger that
``generate --format json`` or ``facts --format json`` wrote, and returns every mismatch with the
sentence it sits in. ``generate`` runs it before writing anything.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import UsageError, VerificationError
from ..settings import DEFAULT_SETTINGS, Settings
from .checks import check_sentence
from .evidence import evidence_for, subjects
from .items import check_items, split_items
from .reading import sentences


@dataclass(frozen=True)
class Mismatch:
    sentence: str
    reason: str

    def __str__(self) -> str:
        return f"{self.reason}: {self.sentence!r}"


def verify(
    text: str, ledger: dict[str, Any], settings: Settings = DEFAULT_SETTINGS
) -> list[Mismatch]:
    """Every claim in ``text`` that the ledger does not support."""
    return _read_back(text, ledger, settings)[0]


def _read_back(text: str, ledger: dict[str, Any], settings: Settings) -> tuple[list[Mismatch], int]:
    """The mismatches, and how many sentences were read (editor's items checked on their own)."""
    text, item_sections = split_items(text, ledger)
    item_problems = [Mismatch(s, r) for s, r in check_items(item_sections)]
    problems, read = _read_main(text, ledger, settings)
    return item_problems + problems, read + len(item_sections)


def _read_main(text: str, ledger: dict[str, Any], settings: Settings) -> tuple[list[Mismatch], int]:
    known = subjects(ledger)
    names = {symbol: subject.name for symbol, subject in known.items()}
    # Names of what was left out (a stale instrument) are names, not numbers ("S&P 500").
    every_name = [*names.values(), *(left["name"] for left in ledger.get("left_out", []))]
    pairs = {frozenset((p["symbol"], p["benchmark"])) for p in ledger["comparisons"]}
    problems = []
    read = 0
    # Sentences share a handful of subject sets; gathering evidence walks the whole ledger.
    gathered: dict[tuple[frozenset[str], bool], Any] = {}
    parts: dict[int, Any] = {}
    for sentence in sentences(text, names, pairs):
        read += 1
        key = (sentence.subjects, sentence.comparison)
        if key not in gathered:
            gathered[key] = evidence_for(ledger, sentence.subjects, sentence.comparison, parts)
        found, pair_entries = gathered[key]
        about = [known[s] for s in sorted(sentence.subjects)]
        for reason in check_sentence(
            sentence.text, found, about, pair_entries, every_name, settings
        ):
            problems.append(Mismatch(sentence.text, reason))
    return problems, read


def read_ledger(path: Path) -> dict[str, Any]:
    """A ledger file, or ``UsageError`` saying what is wrong with it."""
    try:
        ledger = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UsageError(f"{path} is not a readable JSON ledger ({error}); write one with "
                         "`commentary generate --format json`.") from None  # fmt: skip
    if not isinstance(ledger, dict) or not {"instruments", "comparisons"} <= set(ledger):
        raise UsageError(
            f"{path} is JSON but not a commentary ledger (no instruments/comparisons)."
        )
    return ledger


def check_article(
    text: str,
    ledger: dict[str, Any],
    source: str = "the article",
    settings: Settings = DEFAULT_SETTINGS,
) -> int:
    """Raise ``VerificationError`` listing every mismatch; return the number of sentences read."""
    problems, read = _read_back(text, ledger, settings)
    if problems:
        listed = "\n".join(f"  - {p}" for p in problems)
        raise VerificationError(
            f"{source} makes {len(problems)} claim(s) its ledger does not support; "
            f"fix the text or regenerate it:\n{listed}"
        )
    return read


__all__ = ["Mismatch", "check_article", "read_ledger", "verify"]
