"""The round-trip verifier: read a rendered article back and check every claim against the ledger.

``verify`` takes the article (Markdown, plain text or HTML) and the JSON ledger that
``generate --format json`` or ``facts --format json`` wrote, and returns every mismatch with the
sentence it sits in. ``generate`` runs it before writing anything.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import UsageError, VerificationError
from ..referring import short_names
from ..settings import DEFAULT_SETTINGS, Settings
from .binder import Context, read_sentence, shown_digits
from .checks import check_sentence
from .evidence import evidence_for, subjects
from .items import check_items, split_items
from .reading import sentences, to_lines
from .relative import (
    recent_side_problems,
    relative_lean_problems,
    wide_lead_problems,
    ytd_side_problems,
)
from .takeaways import takeaway_problems
from .titles import comparison_title_problems


@dataclass(frozen=True)
class Mismatch:
    sentence: str
    reason: str

    def __str__(self) -> str:
        return f"{self.reason}: {self.sentence!r}"


@dataclass
class Report:
    """What reading an article back found."""

    mismatches: list[Mismatch] = field(default_factory=list)
    sentences: int = 0
    #: Numbers read as the ledger field their phrase names.
    bound: int = 0
    #: Numbers no binding reads (only the bag check looked at them), and sentences with a claim
    #: word no phrase reads; each is listed in ``unbound_claims``.
    unbound: int = 0
    unbound_claims: list[Mismatch] = field(default_factory=list)


def verify(
    text: str, ledger: dict[str, Any], settings: Settings = DEFAULT_SETTINGS
) -> list[Mismatch]:
    """Every claim in ``text`` that the ledger does not support."""
    return read_back(text, ledger, settings).mismatches


def read_back(
    text: str, ledger: dict[str, Any], settings: Settings = DEFAULT_SETTINGS, full: bool = True
) -> Report:
    """Every sentence checked: the mismatches, and how many numbers were bound and unbound.

    Editor's items are checked on their own, each number against its item's figures
    (``verify.items``); the rest of the article is read here. ``full`` (the default) also checks
    every number against the bag of the sentence's ledger values; without it a sentence whose
    every number a binding reads skips that second look (``check_bound``: the batch's check).
    """
    report = Report()
    text, item_sections = split_items(text, ledger)
    item_problems, item_numbers = check_items(item_sections)
    report.mismatches.extend(Mismatch(sentence, reason) for sentence, reason in item_problems)
    report.bound += item_numbers
    report.sentences += len(item_sections)
    known = subjects(ledger)
    group = list(known.values())
    names = {symbol: subject.name for symbol, subject in known.items()}
    # Names of what was left out (a stale instrument) are names, not numbers ("S&P 500").
    every_name = [*names.values(), *(left["name"] for left in ledger.get("left_out", []))]
    pairs = {frozenset((p["symbol"], p["benchmark"])) for p in ledger["comparisons"]}
    symbols = tuple(names)
    entries = {item["symbol"]: item for item in ledger["instruments"]}
    problems = report.mismatches
    # Sentences share a handful of subject sets; gathering evidence walks the whole ledger.
    gathered: dict[tuple[frozenset[str], bool], Any] = {}
    parts: dict[int, Any] = {}

    def evidence(key: tuple[frozenset[str], bool]) -> Any:
        if key not in gathered:
            gathered[key] = evidence_for(ledger, key[0], key[1], parts)
        return gathered[key]

    recent: frozenset[str] = frozenset()
    benchmarks = {p["benchmark"] for p in ledger["comparisons"]}
    section_seen = ""
    shorts = short_names((subject.name, subject.kind) for subject in known.values())
    # The article's lines once: the sentences and the comparison titles are read from them.
    lines = to_lines(text, names, shorts)
    for sentence in sentences(lines, names, pairs):
        report.sentences += 1
        key = (sentence.subjects, sentence.comparison)
        about = [known[s] for s in sorted(sentence.subjects)]
        if _DATA_NOTE.match(sentence.text):
            found, pair_entries = evidence(key)
            bag = check_sentence(
                sentence.text, found, about, pair_entries, every_name, settings, group
            )
            problems.extend(Mismatch(sentence.text, reason) for reason in bag)
            continue  # the quality gate's own words: its dates are checked above
        # A sentence that names only the benchmark ("That makes 5 sessions in a row behind the
        # S&P 500") continues the comparison of the sentence before it.
        if sentence.section != section_seen:
            recent = frozenset()
        section_seen = sentence.section
        if _pair_named(ledger, sentence.subjects):
            speaks_of = sentence.subjects
        else:
            speaks_of = sentence.subjects | recent
        # A sentence naming an instrument (not only a benchmark) starts a new topic.
        recent = sentence.subjects if sentence.subjects - benchmarks else speaks_of
        primary = sentence.primary
        if sentence.section == "final" and "verdicts" in ledger:
            primary = ledger["verdicts"]["final"]["symbol"]
        pair_entries = _pair_entries(ledger, key) if not full else evidence(key)[1]
        context = Context(
            ledger, symbols, tuple(names.values()), entries, primary,
            tuple(pair_entries), sentence.section, speaks_of,
        )  # fmt: skip
        reading = read_sentence(sentence.text, context)
        # Every number bound: its binding has checked it against its own field, which the bag
        # (any value of the sentence's subjects) cannot add to.
        numbers = full or bool(reading.unbound or reading.unread)
        found = evidence(key)[0] if numbers else None
        bag = check_sentence(sentence.text, found, about, pair_entries, every_name, settings, group)
        # A number its binding refused is reported once, by the binding (it names the field).
        problems.extend(
            Mismatch(sentence.text, reason)
            for reason in bag
            if shown_digits(reason.split(" ")[0]) not in reading.flagged
        )
        report.bound += reading.bound
        problems.extend(Mismatch(sentence.text, reason) for reason in reading.problems)
        problems.extend(
            Mismatch(sentence.text, r)
            for check in _COMPARISON_CHECKS
            for r in check(reading.tokens, context)
        )
        problems.extend(
            Mismatch(sentence.text, r)
            for r in takeaway_problems(sentence.text, *_section_of(context))
        )
        if reading.unbound or reading.unread:
            report.unbound += reading.unbound + (1 if reading.unread else 0)
            what = (
                f"{reading.unbound} number(s) no phrase binding reads"
                if reading.unbound
                else f"a claim ({', '.join(reading.unread)}) no phrase binding reads"
            )
            report.unbound_claims.append(Mismatch(sentence.text, what))
    problems.extend(
        Mismatch(title, reason) for title, reason in comparison_title_problems(lines, ledger, names)
    )
    return report


#: What a comparison's sentences say of the race, each against the pair in the ledger.
_COMPARISON_CHECKS = (
    relative_lean_problems,
    ytd_side_problems,
    recent_side_problems,
    wide_lead_problems,
)
_DATA_NOTE = re.compile(r"[>_\s]*(?:\*\*)?Data note")


def _pair_entries(ledger: dict[str, Any], key: tuple[frozenset[str], bool]) -> list[dict[str, Any]]:
    """The comparisons naming either side among ``key``'s symbols (as ``evidence_for``)."""
    return [p for p in ledger["comparisons"] if p["symbol"] in key[0] or p["benchmark"] in key[0]]


def _pair_named(ledger: dict[str, Any], symbols: frozenset[str]) -> bool:
    """Whether ``symbols`` hold both sides of exactly one comparison."""
    pairs = [p for p in ledger["comparisons"] if {p["symbol"], p["benchmark"]} <= symbols]
    return len(pairs) == 1


def check_bound(
    text: str, ledger: dict[str, Any], source: str = "the article",
    settings: Settings = DEFAULT_SETTINGS,
) -> Report:  # fmt: skip
    """The batch's check of every page: ``check_article`` with ``full=False``. Every number a
    binding reads is checked against the ledger field its phrase names, every label and lean
    as always; only sentences with a number or claim word no binding reads also get the bag
    check. ``VerificationError`` on any mismatch."""
    return check_article(text, ledger, source, settings, full=False)


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
    strict: bool = False,
    full: bool = True,
) -> Report:
    """Raise ``VerificationError`` listing every mismatch (and, when ``strict``, every unbound
    claim); return the report. ``full``: see ``read_back``."""
    report = read_back(text, ledger, settings, full)
    problems = report.mismatches + (report.unbound_claims if strict else [])
    if problems:
        listed = "\n".join(f"  - {p}" for p in problems)
        raise VerificationError(
            f"{source} makes {len(problems)} claim(s) its ledger does not support; "
            f"fix the text or regenerate it:\n{listed}"
        )
    return report


__all__ = [
    "Mismatch",
    "Report",
    "check_article",
    "check_bound",
    "read_back",
    "read_ledger",
    "verify",
]


def _section_of(context: Context) -> tuple[dict[str, Any] | None, str | None]:
    """The ledger entry and verdict lean of the instrument section a sentence sits in."""
    verdicts = (context.ledger.get("verdicts") or {}).get("sections", [])
    lean = next((v["lean"] for v in verdicts if v["subject"] == context.section), None)
    return context.entries.get(context.section), lean
