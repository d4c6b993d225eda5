"""Short names: an index the article has named in full is "the S&P" from then on.

An editor introduces "the S&P 500" once and writes "the S&P" after that; seventeen full names in
a page read as a form, and each one is a figure the reader has to step over. The short form is
the full name less its trailing number ("S&P 500", "Russell 2000") or the word a trader says
("Nasdaq Composite": "Nasdaq"), and it is used only where it cannot mean two things: no other
instrument of the article has a name containing it.

``shorten`` writes the short form after the first full mention in the prose, and in a
comparison's title after it ("Amazon vs. the S&P"); other headings and italic
lines (dateline, disclaimer) keep the full name, and a bold name ("**S&P 500**", the levels list)
has no "the" to shorten. ``lengthen`` is its
inverse, for the verifier: it reads "the S&P" as the name it stands for.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

#: The word a trader says for an index whose name does not end in a number.
_SAID = {"Nasdaq Composite": "Nasdaq", "Dow Jones Industrial Average": "Dow"}
_TRAILING_NUMBER = re.compile(r"^(.+\S) \d[\d,]*$")


def short_name(name: str, kind: str) -> str | None:
    """An index's short form ("S&P 500": "S&P"), or None: stocks keep their names."""
    if kind != "index":
        return None
    if name in _SAID:
        return _SAID[name]
    found = _TRAILING_NUMBER.match(name)
    return found.group(1) if found else None


def short_names(instruments: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Full name to short form, for each (name, kind) whose short form is unambiguous among
    them: it names no other instrument and is part of no other name."""
    every = dict(instruments)
    found = {}
    for name, kind in every.items():
        short = short_name(name, kind)
        if short and not any(short in other for other in every if other != name):
            found[name] = short
    return found


#: A paragraph that opens on a bold label ("**The bottom line:** ...", the brief's "**The big
#: picture:** ..."): prose, not a heading.
_LABELLED = re.compile(r"(?:- )?\*\*[^*]+:\*\* ")


def shorten(markdown: str, names: dict[str, str]) -> str:
    """``markdown`` with every "the <full name>" after the first in its prose as "the <short>"."""
    if not names:
        return markdown
    said: set[str] = set()
    lines = markdown.split("\n")
    for n, line in enumerate(lines):
        text = line.strip()
        if text.startswith(("## ", "**")) and " vs. " in text:
            # A comparison's title (the brief's bold line) after the name was said: "Amazon
            # vs. the S&P: ...".
            for full, short in names.items():
                if full in said:
                    line = line.replace(f" vs. {full}:", f" vs. the {short}:")
                    line = line.replace(f" vs. {full}**", f" vs. the {short}**")
                    line = _full_pattern(full).sub(rf"\1 {short}", line)  # "Trailing the S&P"
                elif text.startswith("**") and f" vs. {full}**" in line:
                    # The brief's bold line introduces the name to the bullet right under it:
                    # "**Apple vs. S&P 500**: ▲ bullish", then "Apple trailed the S&P".
                    said.add(full)
            lines[n] = line
            continue
        if text.startswith(("**", "- **")) and not _LABELLED.match(text):
            # The levels list, or the brief's section line, after the name was said: "- **S&P**:
            # support at ...", "**S&P**: ▲ bullish".
            for full, short in names.items():
                if full in said and f"**{full}**" in text[: 6 + len(full)]:
                    line = line.replace(f"**{full}**", f"**{short}**", 1)
        if text.startswith(("#", "**")) and not _LABELLED.match(text):
            # A heading names an instrument in full, once: "Nasdaq Composite Leads S&P 500 by
            # 2.4 Points This Year; S&P Adds 0.8%".
            for full, short in names.items():
                first = line.find(full)
                if first >= 0 and line.find(full, first + len(full)) >= 0:
                    head, tail = line[: first + len(full)], line[first + len(full) :]
                    line = head + _bare_pattern(full).sub(short, tail)
                if first >= 0 and text.startswith("**") and text.endswith("**"):
                    # The brief's bold headline sits right above its first bullet, which then
                    # says "behind the S&P", not the full name a second time.
                    said.add(full)
            lines[n] = line
            continue
        if text.startswith("*") and text.endswith("*") and text[1] != "*":
            continue  # italic lines (dateline, disclaimer) keep the full name
        for full, short in names.items():
            if full not in line:
                continue
            line = _full_pattern(full).sub(functools.partial(_second, full, short, said), line)
        lines[n] = line
    return "\n".join(lines)


def _second(full: str, short: str, said: set[str], match: re.Match[str]) -> str:
    """A mention of ``full``: kept the first time, the short form after."""
    if full not in said:
        said.add(full)
        return match.group(0)
    return f"{match.group(1)} {short}"


def lengthen(text: str, names: dict[str, str]) -> str:
    """``text`` with each short form ("the S&P", a headline's "S&P") read as the full name."""
    for full, short in names.items():
        if short in text:
            text = _short_pattern(full, short).sub(full.replace("\\", "\\\\"), text)
    return text


@functools.lru_cache(maxsize=64)
def _full_pattern(full: str) -> re.Pattern[str]:
    return re.compile(rf"\b([Tt]he) {re.escape(full)}(?!\w)")


@functools.lru_cache(maxsize=64)
def _bare_pattern(full: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w&]){re.escape(full)}(?![\w&])")


@functools.lru_cache(maxsize=64)
def _short_pattern(full: str, short: str) -> re.Pattern[str]:
    rest = re.escape(full[len(short) :]) if full.startswith(short) else "(?!)"
    return re.compile(rf"(?<![\w&]){re.escape(short)}(?![\w&-]|{rest})")
