"""Binding claims to quantities: each number a template phrase prints is read as the ledger field
the phrase names (``bindings.BINDINGS``), for the instrument the sentence is about, and must
match that field at the printed precision. Numbers (and claim words) no binding reads are
"unbound": the bag check in ``checks.py`` still looks at them, and ``--strict`` refuses them.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..plan.levels import YEARLESS_DAYS
from ..plan.verdicts import contradicts
from ..render.numbers import _trader_round
from .bindings import (
    BINDINGS,
    CONSTANTS,
    EDGES,
    LEANS,
    MARGINS,
    MONTHS,
    MOVE_ATR,
    MOVES,
    RANGES,
    SIDE_VERBS,
    WINDOWS,
    WORDS,
    Binding,
    Field,
)

_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_NUMBER_WORD = (
    rf"(?:{'|'.join(_TENS + _UNITS[::-1])}|hundred|thousand)"
    rf"(?:[- ](?:and )?(?:{'|'.join(_TENS + _UNITS[::-1])}|hundred|thousand))*"
)
_MONTHS = list(MONTHS)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_SHORT = {"Jan.": 1, "Feb.": 2, "Aug.": 8, "Sept.": 9, "Oct.": 10, "Nov.": 11, "Dec.": 12}
# A day is one or two digits, never the start of a year ("March 2001" is not "March 20").
_DATE = (
    rf"(?:{'|'.join(_MONTHS)}) \d{{1,2}}(?!\d)(?:, \d{{4}})?"
    rf"|(?:{'|'.join(re.escape(s) for s in _SHORT)}) \d{{1,2}}(?!\d)|\d{{4}}-\d{{2}}-\d{{2}}"
)
# Every digit run is entered only at its first digit ((?<![\d,.])), so scanning is linear in
# the length of a run (a run is never re-read from each of its digits).
_DIGITS = r"(?<![\d,.])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?!\d|[.,]\d|-\w)"
_SLOTS = {
    "pct": r"(?:(?P<{g}_hedge>nearly|more than|about) )?(?P<{g}_sign>[+\-−])?(?P<{g}>"
    + _DIGITS
    + r")(?P<{g}_pct>%| percent)?",
    "num": r"(?P<{g}_sign>[+\-−])?(?P<{g}_dollar>\$)?(?P<{g}>"
    + _DIGITS
    + r")(?P<{g}_pct>%)?(?: (?P<{g}_unit>dollars|points))?",
    "count": r"(?P<{g}>(?<![\d,.])\d[\d,]*\d(?![\d.])|(?<![\d,.])\d(?![\d.])|"
    + _NUMBER_WORD
    + r"|once|twice)",
    "date": r"(?P<{g}>" + _DATE + ")",
    "year": r"(?P<{g}>(?<!\d)\d{4}(?!\d)|" + _NUMBER_WORD + ")",
    "since": rf"(?P<{{g}}>(?<!\d)\d{{4}}(?!\d)|(?:{'|'.join(_MONTHS)})(?: \d{{4}})?)",
    "who": r"(?P<who_{g}>⟦[A-Z]⟧)",
    # A month with its year ("October 2007"), the year required.
    "month": rf"(?P<{{g}}>(?:{'|'.join(_MONTHS)}) \d{{4}}(?!\d))",
}
#: Slot kinds that read words, not a printed figure ("above", "by a wide margin"): checked, but
#: not counted among the numbers a reading binds.
_WORDS_ONLY = frozenset(
    {"label", "flag", "over", "age", "not", "dir", "ordinal", "weekday", "margin", "edge", "zero",
     "move", "first", "positive", "present", "role", "this weekday"}
)  # fmt: skip
_NAME_TOKEN = re.compile(r"⟦([A-Z])⟧")
_PRONOUN = re.compile(r"\b(?:It|it|Its|its)\b")
_LOOSE_NUMBER = re.compile(
    r"(?P<n>(?<![\d,.\w])[+\-−]?\$?" + _DIGITS + r"%?)|(?P<w>\b" + _NUMBER_WORD + r"\b|\bonce\b"
    r"|\btwice\b)",
    flags=re.IGNORECASE,
)
#: Words that make a claim even without a number: a sentence using one outside every phrase
#: the verifier reads is unbound ("Amazon set a record high today").
_CLAIM_WORDS = re.compile(
    r"\b(?:record|all-time|52-week|volume|normal|twice|once|doubled?|halved?|tripled?|times|"
    r"percent|dollars|points)\b",
    flags=re.IGNORECASE,
)
#: Phrases that use a claim word and are read by the label checks in ``checks.py`` (or say
#: nothing a number could contradict).
_READ_ELSEWHERE = re.compile(
    r"Record High|[Rr]ecord [Hh]igh\b(?= is within| from| of)|a record:|is a record|matching the"
    r" record|ties a record|equals the longest such run on record|Heavy [Vv]olume|[Vv]olume was "
    r"light|Thin volume|Few shares changed hands|times (?:its 20-day average|normal|average "
    r"volume|the usual)|trading at its all-time high|52-[Ww]eek (?:High|Low)|the highest in data "
    r"back to|Testing the Record|(?:Tests Its|Testing the|Below Its|Below the|Hits a) Record High|"
    r"the best in 52 weeks|the weakest in 52 weeks|a record, topping|longest such streak in the "
    r"data|on record|matching the record|"
    r"[Vv]olume ran(?=\s)|[Hh]eavy volume,|Sets a Record|Ties a Record|channels? points? "
    r"(?:lower|higher)|Channels point",
)


@dataclass
class Reading:
    """What the binder made of one sentence."""

    bound: int = 0
    unbound: int = 0
    problems: list[str] = field(default_factory=list)
    #: Claim words outside every phrase read: the sentence says something no binding checks.
    unread: list[str] = field(default_factory=list)
    #: The numbers (as printed) a binding refused: the bag check need not repeat them.
    flagged: set[str] = field(default_factory=set)
    #: The sentence with each instrument's name as a token (``tokenize``).
    tokens: str = ""


@dataclass(frozen=True)
class Context:
    """The ledger, seen from one sentence."""

    ledger: dict[str, Any]
    symbols: tuple[str, ...]
    names: tuple[str, ...]
    entries: dict[str, dict[str, Any]]
    #: The symbol a sentence naming no one (or saying "it") is about.
    primary: str | None
    #: The comparison entries the sentence may mean.
    pairs: tuple[dict[str, Any], ...]
    #: The section the sentence sits in: a symbol, "A vs B", "final" or "".
    section: str
    #: The symbols the sentence is about.
    about: frozenset[str] = frozenset()


def _compiled() -> tuple[tuple[Binding, re.Pattern[str]], ...]:
    return tuple((b, _pattern(n)) for n, b in enumerate(BINDINGS))


@functools.cache
def _pattern(index: int) -> re.Pattern[str]:
    """Binding ``index``'s regex, compiled on first use: compiling all of them costs a cold
    ``generate`` about 0.35 s, and an article needs only the ones its words cue."""
    return _compile(BINDINGS[index].pattern)


@functools.lru_cache(maxsize=1)
def _cues() -> tuple[tuple[Binding, int, tuple[str, ...]], ...]:
    """Each binding (by index) with a word its every match contains: a sentence without the
    word is skipped without running, or compiling, the pattern."""
    return tuple(
        (b, n, tuple(b.cue.split("|")) if b.cue else (_cue(_unslotted(b.pattern)),))
        for n, b in enumerate(BINDINGS)
    )


def _unslotted(pattern: str) -> str:
    """``pattern`` with each slot as an empty group: every slot's regex (``_SLOTS``) lies wholly
    inside groups, so ``_cue`` finds the same runs and top level as in ``_expanded(pattern)``,
    reading a few hundred characters instead of thousands (a cold ``generate`` reads them all)."""
    return _SLOT.sub("()", pattern)


_SLOT = re.compile(r"<(\w+):(\w+)>")


@functools.lru_cache(maxsize=1)
def _cued_by_digits() -> frozenset[int]:
    """The bindings (by index) with a cue that has a digit ("200-day")."""
    return frozenset(n for _, n, cues in _cues() if any(_DIGIT_RUN.search(c) for c in cues))


def _cued() -> Iterator[tuple[Binding, re.Pattern[str], tuple[str, ...]]]:
    """The bindings with their compiled patterns and cues (for tests and tools)."""
    return ((b, _pattern(n), cues) for b, n, cues in _cues())


def _cue(pattern: str) -> str:
    """The longest run of plain letters outside any group or class in ``pattern`` ("" if
    none): text every match must contain."""
    runs, current, depth, index = [], "", 0, 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            runs.append(current)
            current = ""
            index += 2
            continue
        if char in "([":
            runs.append(current)
            current = ""
            depth += 1
            if char == "[":
                index = pattern.index("]", index + 1)
                depth -= 1
        elif char == ")":
            depth -= 1
        elif depth == 0 and (char.isalpha() or char == " "):
            current += char
        else:
            runs.append(current)
            current = ""
        if depth == 0 and index + 1 < len(pattern) and pattern[index + 1] in "?*{":
            current = current[:-1]  # an optional last letter is not required
        index += 1
    runs.append(current)
    if "|" in _top_level(pattern):
        return ""
    return max((r.strip() for r in runs), key=len, default="")


def _top_level(pattern: str) -> str:
    """``pattern`` with every group and class removed."""
    depth, kept, index = 0, [], 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            index = pattern.index("]", index + 1) + 1
            continue
        depth += char == "("
        if depth == 0:
            kept.append(char)
        depth -= char == ")"
        index += 1
    return "".join(kept)


def _expanded(pattern: str) -> str:
    """A binding's pattern with its slots written out as the regex they stand for."""

    def slot(match: re.Match[str]) -> str:
        return _SLOTS[match.group(1)].replace("{g}", match.group(2))

    return _SLOT.sub(slot, pattern)


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(_expanded(pattern))


_CONSTANT = re.compile(CONSTANTS, flags=re.IGNORECASE)
#: Text every constant phrase holds: a sentence without any is left as it is. The pattern of
#: constants is slow to scan (each place tries every phrase), and most sentences have none.
_CONSTANT_CUE = re.compile(r"[\d±]|six|one|two", flags=re.IGNORECASE)
#: Every lean phrase in one pattern; group ``lean<k>`` is ``LEANS[k]``.
_LEANS = re.compile("|".join(f"(?P<lean{k}>{p})" for k, (p, _) in enumerate(LEANS)))
#: Each lean phrase's required words (``_cue``): a sentence with none of them states no lean,
#: and is not scanned with the 40 phrases at every place.
_LEAN_CUES = tuple(_cue(p) for p, _ in LEANS)
#: Any of them, found in one scan instead of one per phrase.
_LEAN_CUE = re.compile("|".join(re.escape(cue) for cue in _LEAN_CUES))


def tokenize(text: str, names: tuple[str, ...]) -> str:
    """Each display name (with a leading "the") as ``⟦X⟧``, X its letter (A, B...) in ``names``."""
    pattern, letters = _names_pattern(names)
    return pattern.sub(lambda m: letters[m.group(1)], text)


@functools.lru_cache(maxsize=64)
def _names_pattern(names: tuple[str, ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    letters = {name: f"⟦{chr(ord('A') + k)}⟧" for k, name in enumerate(names)}
    longest_first = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?:\b[Tt]he )?(?<![\w^])({longest_first})(?!\w)"), letters


_DIGIT_RUN = re.compile(r"\d+")
_THE_INDEX = re.compile(r"\b[Tt]he index\b")


@functools.lru_cache(maxsize=4096)
def _candidates(skeleton: str) -> tuple[tuple[Binding, int, tuple[str, ...]], ...]:
    """The bindings (in table order) a sentence of this shape may cue: every binding with a cue
    ``skeleton`` holds, and every binding with a cue that has a digit ("200-day": the caller
    tests it on the sentence itself; its cues are given, the others' are empty).

    ``skeleton`` is the sentence with each digit run as ``0``. A cue without digits occurs in a
    sentence exactly when it occurs in its skeleton (only digit runs differ), so sentences that
    differ only in their numbers, as a batch's do, share one scan of the binding table, and
    only the few digit cues are tested again on each sentence.
    """
    digits = _cued_by_digits()
    return tuple(
        (b, n, cues if n in digits else ())
        for b, n, cues in _cues()
        if n in digits or any(cue in skeleton for cue in cues)
    )


def read_sentence(text: str, context: Context) -> Reading:
    """Bind every quantity phrase in ``text``; count what no binding reads."""
    tokens = tokenize(text, context.names)
    referent = _the_index(context)
    if referent is not None:
        # "the index" binds as the name it stands for would.
        letter = chr(ord("A") + context.symbols.index(referent))
        tokens = _THE_INDEX.sub(f"⟦{letter}⟧", tokens)
    reading = Reading(tokens=tokens)
    taken: list[tuple[int, int]] = []
    for binding, index, cues in _candidates(_DIGIT_RUN.sub("0", tokens)):
        if cues and not any(cue in tokens for cue in cues):
            continue
        for match in _pattern(index).finditer(tokens):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            taken.append(match.span())
            found = len(reading.problems)
            for slot, spec in binding.fields.items():
                if match.group(slot) is None:
                    continue
                if spec.kind not in _WORDS_ONLY:
                    reading.bound += 1
                subject = _subject_of(tokens, match, slot, context)
                reason = _check_slot(binding, spec, slot, match, subject, context)
                if reason:
                    reading.problems.append(reason)
                    reading.flagged.add(shown_digits(match.group(slot)))
            reason = _one_entry(binding, match, tokens, context)
            if reason and len(reading.problems) == found:
                reading.problems.append(reason)
    leans = _LEANS.finditer(tokens) if _LEAN_CUE.search(tokens) else ()
    for match in leans:
        lean = LEANS[int((match.lastgroup or "lean0")[4:])][1]
        reading.problems.extend(_check_lean(lean, tokens, match, context))
    rest = _blank(tokens, taken)
    rest = _CONSTANT.sub(" ", rest) if _CONSTANT_CUE.search(rest) else rest
    for match in _LOOSE_NUMBER.finditer(rest):
        if match.group("w") and match.group("w").lower() == "zero":
            continue  # "above zero" is the MACD's sign, checked with its label
        if (
            match.group("w")
            and match.group("w").lower() in ("one",)
            and not re.match(r"\s+(?:session|time|touch|chart)", rest[match.end() :])
        ):
            continue  # "one" as a pronoun ("the one before") claims no quantity
        reading.unbound += 1
    rest = _READ_ELSEWHERE.sub(" ", rest)
    reading.unread = [m.group(0) for m in _CLAIM_WORDS.finditer(rest)]
    return reading


def _the_index(context: Context) -> str | None:
    """The symbol "the index" stands for. In a comparison of a stock with an index it is the
    pair's index (the title named both: "Apple trailed the index"); elsewhere it is the
    instrument the paragraph is about (templates write it for an index already named)."""
    pair = context.section.split(" vs ")
    if len(pair) == 2:
        indexes = [s for s in pair if (context.entries.get(s) or {}).get("kind") == "index"]
        if len(indexes) == 1 and indexes[0] in context.symbols:
            return indexes[0]
    return context.primary if context.primary in context.symbols else None


def shown_digits(text: str) -> str:
    """A printed number without sign, currency or unit: how both checks name it."""
    return text.strip().lstrip("+-−$").rstrip("%")


def _index(letter: str) -> int:
    return ord(letter) - ord("A")


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _subject_of(tokens: str, match: re.Match[str], slot: str, context: Context) -> str | None:
    """The instrument a slot speaks of: a ``who`` slot, else the name last before it."""
    named = match.groupdict().get(f"who_{slot}")
    if named:
        return context.symbols[_index(_NAME_TOKEN.findall(named)[0])]
    before = tokens[: match.start(slot)]
    last = None
    for token in _NAME_TOKEN.finditer(before):
        last = token
    pronoun = None
    for found in _PRONOUN.finditer(before):
        pronoun = found
    # "it" after a name speaks of the paragraph's instrument; a title-cased "Its" after a comma
    # ("Nvidia Gaps Down 4.1%, Its Largest Gap ...") is a headline clause about the name before it.
    headline_its = pronoun is not None and pronoun.group(0) == "Its" and pronoun.start() > 0
    if last is not None and (
        headline_its or not (pronoun and pronoun.start() > last.start() and context.primary)
    ):
        return context.symbols[_index(last.group(1))]
    if context.primary:
        return context.primary
    after = _NAME_TOKEN.search(tokens, match.start())
    return context.symbols[_index(after.group(1))] if after else None


def _resolve(path: str, subject: str | None, context: Context, match: re.Match[str]) -> list[Any]:
    """The values a path names (alternatives split at ``|``); missing ones are left out."""

    def word(m: re.Match[str]) -> str:
        said = (match.group(m.group(1)) or "").strip().lower()
        return WINDOWS.get(said, said)

    values = []
    for option in re.sub(r"\{(\w+)\}", word, path).split("|"):
        value = _value(option, subject, context)
        if isinstance(value, list) and (option.startswith("f:") or "*" in option):
            values.extend(value)
        elif value is not None:
            values.append(value)
    return values


def _value(path: str, subject: str | None, context: Context) -> Any:
    root: Any
    if path.startswith("f:"):
        message, key = path[2:].split(".", 1)
        entries = [context.entries.get(subject or "")] if subject else []
        entries += list(context.pairs)
        found = [
            fact["values"][key]
            for entry in entries
            for fact in (entry or {}).get("facts", [])
            if fact.get("message") == message and key in fact["values"]
        ]
        return found or None
    head, _, rest = path.partition(".")
    if head == "i":
        root = context.entries.get(subject or "")
    elif head == "p":
        root = _pair(subject, context)
        if rest == "ytd_of_subject" and root is not None:
            # A comparison's year-to-date figures run over the dates both series share.
            side = {root["symbol"]: "ytd_symbol_pct", root["benchmark"]: "ytd_benchmark_pct"}
            return root["states"].get(side.get(subject or "", ""))
    elif head == "a":
        root = context.ledger
    elif head == "v":
        return _verdict_value(rest, context)
    else:
        return None
    parts = rest.split(".")
    for index, part in enumerate(parts):
        if part == "*" and isinstance(root, list):
            # Every element's value at the rest of the path ("watch.*.price": each level's).
            below = ".".join(parts[index + 1 :])
            return [v for item in root if (v := _walk(item, below)) is not None] or None
        if isinstance(root, list) and part.lstrip("-").isdigit() and root:
            root = root[int(part)] if -len(root) <= int(part) < len(root) else None
            continue
        if not isinstance(root, dict):
            return None
        root = root.get(part)
    return root


def _one_entry(binding: Binding, match: re.Match[str], tokens: str, context: Context) -> str | None:
    """Slots that each name a field of one list's elements ("Thursday's close at $83.83": a
    watched level's date and its price) must hold for the same element: each held for some
    level, and a right price under another level's name passed."""
    starred = [
        (slot, spec)
        for slot, spec in binding.fields.items()
        if match.group(slot) is not None and ".*." in spec.path and "|" not in spec.path
    ]
    lists = {spec.path.split(".*.")[0] for _, spec in starred}
    if len(starred) < 2 or len(lists) != 1:
        return None
    subject = _subject_of(tokens, match, starred[0][0], context)
    items = _value(lists.pop(), subject, context)
    if not isinstance(items, list):
        return None
    groups = match.groupdict()
    for item in items:
        if all(
            (value := _walk(item, spec.path.split(".*.")[1])) is not None
            and _holds(spec.kind, match.group(slot), value, groups, slot, None, subject, context)
            for slot, spec in starred
        ):
            return None
    who = _name(subject, context)
    what = f"{who}'s {binding.name}" if who else binding.name
    return f"{match.group(0)!r} pairs a name and a figure of two different entries ({what})"


def _walk(root: Any, path: str) -> Any:
    for part in path.split(".") if path else ():
        if not isinstance(root, dict):
            return None
        root = root.get(part)
    return root


def _pair(subject: str | None, context: Context) -> dict[str, Any] | None:
    for pair in context.pairs:
        if context.section == f"{pair['symbol']} vs {pair['benchmark']}":
            return pair
    both = [p for p in context.pairs if {p["symbol"], p["benchmark"]} <= context.about]
    if len(both) == 1:
        return both[0]
    for pair in context.pairs:
        if subject == pair["symbol"]:
            return pair
    for pair in context.pairs:
        if subject in (pair["symbol"], pair["benchmark"]):
            return pair
    return context.pairs[0] if context.pairs else None


def _verdict_value(rest: str, context: Context) -> Any:
    verdicts = context.ledger.get("verdicts")
    if not verdicts:
        return None
    mine = [v for v in verdicts["sections"] if v["kind"] == "instrument"]
    if rest == "instrument_sections":
        return len(mine)
    if rest.startswith("lean_count."):
        lean = rest.split(".", 1)[1].replace("balanced", "neutral")
        return sum(1 for v in mine if v["lean"] == lean)
    # The verdict of the sentence's own section ("v.other_level.atr").
    if context.section == "final":
        return _walk(verdicts["final"], rest)
    own = next((v for v in verdicts["sections"] if v["subject"] == context.section), None)
    return None if own is None else _walk(own, rest)


_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _paced(size: float, low: float, high: float, subject: str | None, context: Context) -> bool:
    """Whether a move of ``size`` percent fits a band of ``MOVES`` once the instrument's average
    daily range is weighed: under ``MOVE_ATR`` of it, the middle words cover any size past their
    floor and the hard words none."""
    entry = context.entries.get(subject or "") or {}
    atr, close = ((entry.get("states") or {}).get("levels") or {}).get("atr"), entry.get("close")
    calm = False
    if isinstance(atr, int | float) and isinstance(close, int | float) and close > 0:
        calm = size < MOVE_ATR * atr / close * 100.0
    if calm and high == float("inf"):
        return False
    if calm and low > 0.0:
        return low <= size
    return low <= size < high


def _within_points(shown: str, bps: int) -> bool:
    """Whether a spread of ``bps`` basis points is what "more than six points", "almost a
    point" or "less than a point" says (``render.numbers.points``'s phrases, read on their own
    terms, not by calling it)."""
    shown = shown.strip().lower().replace(" percentage point", " point")
    if shown == "less than a point":
        return bps < 100
    if shown == "almost a point":
        return 75 <= bps < 100
    more = shown.startswith("more than ")
    amount = shown.removeprefix("more than ").removesuffix("s").removesuffix(" point")
    whole = 1 if amount == "a" else _count(amount)
    if whole is None:
        return False
    return whole * 100 < bps < (whole + 1) * 100 if more else bps == whole * 100


def _count(text: str) -> int | None:
    text = text.lower().strip()
    if text[:1].isdigit():
        return int(text.replace(",", ""))
    if text in ("once", "twice"):
        return 1 if text == "once" else 2
    total, current = 0, 0
    for word in re.split(r"[- ]+", text):
        if word in ("and", ""):
            continue
        if word in _UNITS:
            current += _UNITS.index(word)
        elif word in _TENS:
            current += 10 * (_TENS.index(word) + 2)
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word == "thousand":
            total += max(current, 1) * 1000
            current = 0
        else:
            return None
    return total + current


def _year(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    return _count(text)


def _date(text: str) -> tuple[int, int, int | None]:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        day = dt.date.fromisoformat(text)
        return day.month, day.day, day.year
    month_text, rest = text.split(" ", 1)
    month = _SHORT.get(month_text) or _MONTHS.index(month_text) + 1
    day_text, _, year = rest.partition(", ")
    return month, int(day_text), int(year) if year else None


def _article_date(context: Context) -> dt.date | None:
    as_of = context.ledger.get("as_of")
    return dt.date.fromisoformat(str(as_of)[:10]) if as_of else None


def _sign_of(value: float) -> int:
    return (value > 0) - (value < 0)


def _check_slot(
    binding: Binding,
    spec: Field,
    slot: str,
    match: re.Match[str],
    subject: str | None,
    context: Context,
) -> str | None:
    shown = match.group(slot)
    values = _resolve(spec.path, subject, context, match)
    who = _name(subject, context)
    what = f"{who}'s {binding.name}" if who else binding.name
    if not values:
        return f"{shown!r} names {what}, which the ledger does not hold"
    kind = spec.kind
    groups = match.groupdict()
    if kind in (
        "price",
        "level",
        "signed",
        "rating",
        "magnitude",
        "points",
        "pct",
        "share",
        "price|level",
    ):
        problem = _units(kind, groups, slot, subject, context)
        if problem:
            return f"{problem}: {match.group(0)!r}"
    direction = None
    if spec.direction and groups.get(spec.direction):
        said = groups[spec.direction].strip()
        direction = WORDS.get(said, WORDS.get(said.lower()))
    if any(_holds(kind, shown, v, groups, slot, direction, subject, context) for v in values):
        return None
    exact = values[0]
    return f"{_said(match, slot)!r} is not {what} ({_show(exact)})"


def _said(match: re.Match[str], slot: str) -> str:
    start = match.start(slot)
    for prefix in ("_hedge", "_sign", "_dollar"):
        if match.groupdict().get(slot + prefix):
            start = min(start, match.start(slot + prefix))
    end = match.end(slot)
    for suffix in ("_pct", "_unit"):
        if match.groupdict().get(slot + suffix):
            end = max(end, match.end(slot + suffix))
    return match.string[start:end]


def _show(value: Any) -> str:
    return f"{value:,.4g}" if isinstance(value, float) else str(value)


def _name(symbol: str | None, context: Context) -> str:
    if symbol is None or symbol not in context.symbols:
        return ""
    return context.names[context.symbols.index(symbol)]


def _units(
    kind: str, groups: dict[str, Any], slot: str, subject: str | None, context: Context
) -> str | None:
    percent = groups.get(f"{slot}_pct")
    if kind in ("pct", "share"):
        return None if percent else "a percentage printed without its % sign"
    if percent:
        return "a % sign on a number that is not a percentage"
    entry = context.entries.get(subject or "") or {}
    index = entry.get("units") == "points" or entry.get("kind") == "index"
    unit = groups.get(f"{slot}_unit")
    if kind in ("price", "level", "price|level"):
        if groups.get(f"{slot}_dollar") and index:
            return "an index level quoted as a price"
        if unit == "dollars" and index:
            return "an index level quoted in dollars"
        if unit == "points" and entry and not index:
            return "a price quoted in points"
    elif unit == "dollars" or groups.get(f"{slot}_dollar"):
        return "a reading quoted in dollars"
    return None


def _holds(
    kind: str,
    shown: str,
    value: Any,
    groups: dict[str, Any],
    slot: str,
    direction: Any,
    subject: str | None,
    context: Context,
) -> bool:
    if kind == "date":
        month, day, year_shown = _date(shown)
        if not isinstance(value, str):
            return False
        when = dt.date.fromisoformat(value[:10])
        # A date without its year reads as one in the article's year ("began on April 12",
        # written in 2005 of a bear market that began in 2000, misled), or as a recent one
        # across New Year ("the Dec. 27 close" in a January issue): another year is named.
        if (when.month, when.day) != (month, day):
            return False
        if year_shown is not None:
            return year_shown == when.year
        session = _article_date(context)
        return (
            session is None
            or when.year == session.year
            or 0 <= (session - when).days <= YEARLESS_DAYS
        )
    if kind == "year":
        year = _year(shown)
        if isinstance(value, str):
            return year == int(value[:4])
        return isinstance(value, int | float) and year == int(value)
    if kind == "since":
        if not isinstance(value, str):
            return False
        if shown[:1].isdigit():
            return int(shown) == int(value[:4])
        month_name, _, year_text = shown.partition(" ")
        same_month = _MONTHS.index(month_name) + 1 == int(value[5:7])
        return same_month and (not year_text or int(year_text) == int(value[:4]))
    if kind == "window":
        # "a month later": the words name a window of sessions (bindings.WINDOWS).
        return WINDOWS.get(shown.strip().lower().removeprefix("a ")) == str(value)
    if kind == "zero":  # "still going, with today's close its high": nothing since it
        return isinstance(value, int | float) and value == 0
    if kind == "first":  # "the Fastest Fall": ranked first
        return isinstance(value, int | float) and value == 1
    if kind == "positive":  # "A Sharp Rally": the fact is there, and a rise
        return isinstance(value, int | float) and value > 0
    if kind == "present":  # "RSI at an Extreme": the fact is there
        return value is not None
    if kind == "edge":
        return bool(EDGES.get(shown.strip()) == value)
    if kind == "outside":  # "a lower low than …, then a close above": both ends agree
        first = {"above": "lower", "below": "higher"}.get(str(value))
        return shown.split()[0] == first and shown.split()[-1] == value
    if kind == "edge of":  # a close "above its high", "below its low"
        return {"above": "high", "below": "low"}.get(str(value)) == shown.strip()
    if kind == "on":  # "finished at the day's low": the extreme itself; "near" holds either way
        return shown.strip() != "at" or value is True
    if kind == "side verb":
        return bool(SIDE_VERBS.get(shown.strip()) == value)
    if kind == "label":
        return shown.strip().lower() == str(value).lower()
    if kind == "ordinal":
        return bool(_ORDINALS.get(shown.strip().lower()) == value)
    if kind == "this weekday":
        # A level named by its day ("Thursday's close") is from the six days before the
        # session; an older one is named by its date (``plan.levels.RECENT_DAYS``).
        session = _article_date(context)
        if not isinstance(value, str) or session is None:
            return False
        when = dt.date.fromisoformat(value[:10])
        return shown.strip() == _WEEKDAYS[when.weekday()] and 1 <= (session - when).days <= 6
    if kind == "weekday":
        return isinstance(value, str) and shown.strip() == _WEEKDAYS[
            dt.date.fromisoformat(value[:10]).weekday()]  # fmt: skip
    if kind == "role":  # "holds support", "above resistance": a watched level on that side
        above = shown.strip() == "resistance"
        side = (groups.get("w") or "").strip()
        return isinstance(value, bool) and value == above and (side == "above") == above
    if kind == "under one":
        return isinstance(value, int | float) and 0 <= value < 1
    if kind == "ranges":  # a distance in average daily ranges, in words (``RANGES``)
        low, high = RANGES[shown.strip()]
        return isinstance(value, int | float) and low <= value < high
    if kind == "flag":
        truthy = ("above", "bullish", "buying", "filled", "record")
        return bool(value) == (shown.strip().lower() in truthy)
    if kind == "not":
        return not str(value).lower().startswith(shown.strip().lower())
    if kind == "dir":
        said = WORDS.get(shown.strip().lower())
        actual = (1 if value else -1) if isinstance(value, bool) else _sign_of(value)
        return actual in (said, 0)
    if kind == "over":
        return (shown == "above") == bool(value >= 70.0)
    if kind == "age":
        if shown in ("today", "one session ago"):
            return bool(value == ("today", "one session ago").index(shown))
        return True  # the count slot checks "N sessions ago"
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False
    if kind == "count":
        return _count(shown) == int(value)
    if kind == "move":  # a session's move in words (``MOVES``)
        sign, low, high = MOVES[shown.strip()]
        return _sign_of(value) == sign and _paced(abs(value), low, high, subject, context)
    if kind == "margin":
        low, high = MARGINS[shown.strip()]
        if isinstance(direction, int) and _sign_of(value) not in (direction, 0):
            return False
        return low <= abs(round(value)) < high
    if kind == "point margin":
        if isinstance(direction, int) and _sign_of(value) not in (direction, 0):
            return False
        return _within_points(shown, abs(round(value)))
    number = _number(shown)
    decimals = len(shown.split(".")[1]) if "." in shown else 0
    sign_text = groups.get(f"{slot}_sign")
    if sign_text in ("-", "−"):
        number = -number
    if isinstance(direction, int) and _sign_of(value) not in (direction, 0):
        return False
    if kind in ("signed", "rating"):
        if kind == "rating":
            value = round(value)
        return bool(round(value, decimals) == number)
    if kind == "bps":
        return bool(round(abs(value)) == abs(number))
    if kind in ("magnitude", "points", "share"):
        # A share ("higher 62% of the time") is shown rounded by convention, not as an exact figure.
        return bool(round(abs(value), decimals) == abs(number))
    if kind == "pct":
        if sign_text and _sign_of(number) != _sign_of(round(value, decimals)) and round(
            value, decimals) != 0:  # fmt: skip
            return False
        return _pct_holds(abs(number), decimals, abs(value), groups.get(f"{slot}_hedge"))
    if kind == "price":
        return round(value, decimals) == number
    if kind in ("level", "price|level"):
        entry = context.entries.get(subject or "") or {}
        close = entry.get("close")
        candidates = {round(value, decimals), _trader_round(value), _trader_round(value, close)}
        return any(abs(c - number) <= 1e-9 * max(1.0, abs(number)) for c in candidates)
    return False


def _pct_holds(shown: float, decimals: int, size: float, hedge: str | None) -> bool:
    """The hedges as ``render.numbers.approx_pct`` defines them."""
    if hedge == "nearly":
        return 0.9 * shown <= size < shown
    if hedge == "more than":
        return shown < size < shown + 1
    if hedge == "about":
        return abs(size - shown) <= 0.05 * shown
    if decimals:
        return round(size, decimals) == shown
    return abs(size - shown) < 0.05


def _check_lean(lean: str, tokens: str, match: re.Match[str], context: Context) -> Iterator[str]:
    """A bottom line's lean must be the one the ledger derived, and never contradict the
    rating (docs/verdicts.md)."""
    verdict = _verdict_for(tokens, match, context)
    said = match.group(0)
    if verdict is None:
        return
    if verdict["kind"] == "comparison" and "Relative strength sits with" in tokens:
        return
    if verdict["lean"] != lean:
        yield (f"says {said!r} ({lean}) but the ledger's lean for {verdict['subject']} is "
               f"{verdict['lean']}")  # fmt: skip
    elif contradicts(lean, verdict.get("rating")):
        yield f"says {said!r} but the technical rating is {verdict['rating']:+.0f}"


def _verdict_for(tokens: str, match: re.Match[str], context: Context) -> dict[str, Any] | None:
    verdicts = context.ledger.get("verdicts")
    if not verdicts:
        return None
    if context.section == "final":
        return dict(verdicts["final"])
    wanted = context.section
    named = _NAME_TOKEN.findall(tokens)
    if not wanted and named:
        wanted = context.symbols[_index(named[0])]
    for verdict in verdicts["sections"]:
        if verdict["subject"] == wanted:
            return dict(verdict)
    return None
