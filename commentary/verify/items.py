"""Editor's items are checked on their own: every number in an item's section, the editor's
free text included, must be one of that item's declared or computed figures (or the story move
it is framed against), at the precision printed; otherwise the article is refused, naming the
sentence and the number. The rest of the article goes to the main verifier without them.

Dates and years are not figures here: a month followed by a day, and a bare year from 1900 to
2100, are passed over.
"""

from __future__ import annotations

import html
import re
from typing import Any

_NUMBER = re.compile(r"(?<![\w.])(\$)?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(%)?")
_MONTH_DAY = re.compile(
    r"\b(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.? \d{1,2}\b"
)
#: Indicator windows the "too new for" sentence names (items.listing.NEEDS, and RSI's 14).
_WINDOWS = (14.0, 15.0, 50.0, 200.0)


def split_items(text: str, ledger: dict[str, Any]) -> tuple[str, list[tuple[dict[str, Any], str]]]:
    """The article without its item sections, and each item's section text.

    Item sections sit together after the main sections, each under its heading, in Markdown
    (``## ...``, or the brief's ``**...**``), HTML (``<h2 ...>...</h2>``) or plain text (the
    heading alone on its line); they end at the next item's heading or at the levels to watch.
    """
    entries = ledger.get("items") or []
    if not entries:
        return text, []
    spans = []
    for entry in entries:
        found = _heading(text, entry["heading"])
        if found is None:
            continue
        spans.append((found, entry))
    if not spans:
        return text, []
    spans.sort(key=lambda span: span[0])
    end = _heading(text, "Key Levels to Watch", after=spans[-1][0]) or len(text)
    sections = []
    for n, (start, entry) in enumerate(spans):
        stop = spans[n + 1][0] if n + 1 < len(spans) else end
        sections.append((entry, text[start:stop]))
    return text[: spans[0][0]] + text[end:], sections


def _heading(text: str, heading: str, after: int = 0) -> int | None:
    """Where a section heading starts in any of the three formats (in Markdown the editor's
    heading arrives escaped, ``render.plaintext``)."""
    from ..render.plaintext import escape_markdown

    found = [_heading_as(text, h, after) for h in {heading, escape_markdown(heading)}]
    return min((f for f in found if f is not None), default=None)


def _heading_as(text: str, heading: str, after: int) -> int | None:
    # The page curls quotes (smarty): an apostrophe may arrive as any of its spellings.
    quote = "(?:'|’|&rsquo;|&#39;|&#x27;)"
    escaped = re.escape(html.escape(heading, quote=False)).replace("'", quote)
    plain = re.escape(heading).replace("'", quote)
    # Plain text: the heading alone on its line, or the brief's "Heading: context, not a catalyst".
    for pattern in (rf"^## {plain}\s*$", rf"<h2[^>]*>{escaped}</h2>", rf"^{plain}(?:\s*$|: )",
                    rf"^\*\*{plain}\*\*", rf"<p><strong>{escaped}</strong>",
                    rf"^## .*{plain}", rf"<h2[^>]*>[^<]*{escaped}"):  # fmt: skip
        found = re.compile(pattern, re.MULTILINE).search(text, after)
        if found:
            return found.start()
    return None


def figures(entry: dict[str, Any]) -> list[float]:
    """Every figure an item's section may print: declared, computed, and the story's move."""
    values: list[float] = [float(d["value"]) for d in entry["declared"].values()]
    for _key, value in entry["computed"].items():
        if isinstance(value, int | float) and not isinstance(value, bool):
            values.append(float(value))
    if entry.get("story"):
        values.append(float(entry["story"]["change_pct"]))
    if entry.get("move_pct") is not None:
        values.append(float(entry["move_pct"]))
    values += _WINDOWS
    return [abs(v) for v in values]


def check_items(
    sections: list[tuple[dict[str, Any], str]],
) -> tuple[list[tuple[str, str]], int]:
    """(sentence, reason) for every number in an item section that no figure backs, and how many
    numbers were read (each bound to its item's figures)."""
    problems: list[tuple[str, str]] = []
    read = 0
    for entry, text in sections:
        allowed = figures(entry)
        # Names are words, not figures ("S&P 500", "Nasdaq-100").
        names = [n for n in (entry.get("name"), (entry.get("story") or {}).get("name"),
                             entry.get("benchmark")) if n]  # fmt: skip
        body = re.sub(r"<[^>]+>", " ", text)
        for sentence in re.split(r"(?<=[.!?])\s+|\n+", html.unescape(body)):
            cleaned = _MONTH_DAY.sub(" ", sentence.replace("\\", ""))
            for name in names:
                cleaned = cleaned.replace(name, " ")
            for match in _NUMBER.finditer(cleaned):
                dollar, whole, fraction, percent = match.groups()
                shown = float(whole.replace(",", "") + (fraction or ""))
                if not (dollar or fraction or percent) and 1900 <= shown <= 2100:
                    continue  # a year
                digits = len(fraction) - 1 if fraction else 0
                read += 1
                if not any(_shows(value, shown, digits) for value in allowed):
                    problems.append((sentence.strip(), f"{match.group(0)} in the item "
                                     f"{entry['title']!r} matches none of its declared or "
                                     "computed figures"))  # fmt: skip
            problems += [(sentence.strip(), p) for p in _story_words(sentence, entry)]
    return problems, read


#: The frame's words for the story's move (``_items.md``): "barely moved" is under 1% either way.
_QUIET_MOVE = 1.0


def _story_words(sentence: str, entry: dict[str, Any]) -> list[str]:
    """What a frame says of the story's move in words ("Amazon barely moved", "Amazon fell"),
    which its figure, when the lead already quoted it, no longer carries."""
    story = entry.get("story")
    if not story:
        return []
    said = re.search(rf"{re.escape(story['name'])} (barely moved|rose|fell)\b", sentence)
    change = float(story["change_pct"])
    if said is None:
        return []
    word = said.group(1)
    if word == "barely moved" and abs(change) >= _QUIET_MOVE:
        return [f"says {story['name']} barely moved; it moved {change:+.2f}%"]
    if (word == "rose" and change < 0) or (word == "fell" and change > 0):
        return [f"says {story['name']} {word}; it moved {change:+.2f}%"]
    return []


def _shows(value: float, shown: float, digits: int) -> bool:
    """Whether ``value`` printed at ``digits`` decimals (or in billions) reads ``shown``."""
    half = 0.5 * 10.0**-digits + 1e-9
    return abs(value - shown) <= half or abs(value / 1e9 - shown) <= half
