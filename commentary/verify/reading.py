"""Reading an article back: Markdown, plain text or HTML into sections of sentences, each with the
subjects (instruments) it speaks about."""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from ..referring import lengthen


@dataclass(frozen=True)
class Sentence:
    text: str
    #: Symbols the sentence is about: those it names, else its section's.
    subjects: frozenset[str]
    #: Whether the sentence sits in a comparison section (its numbers may be the pair's).
    comparison: bool
    #: The section it sits in: a symbol, "SYMBOL vs BENCHMARK", "final" (the bottom line for
    #: traders) or "" (headline, lead, key levels).
    section: str = ""
    #: The instrument "it" and a sentence naming no one speak of.
    primary: str | None = None


class _HtmlText(HTMLParser):
    """HTML to Markdown-like lines: h1/h2 become #/## lines, list items "- " lines."""

    _HIDDEN = ("head", "style", "script", "title", "template")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.prefix = ""
        self.hidden = 0  # inside <head>, <style>...: text a reader never sees

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self.hidden += 1
        if tag in ("h1", "h2", "h3", "p", "li", "br", "div"):
            self._flush()
            self.prefix = {"h1": "# ", "h2": "## ", "h3": "## ", "li": "- "}.get(tag, "")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        if tag in ("h1", "h2", "h3", "p", "li", "div"):
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.current.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.lines.append(self.prefix + text)
        self.current, self.prefix = [], ""


#: The dateline's fixed words, and what follows them: the byline, the playbook's text.
_DATELINE = "Data as of the close on "
_BYLINE = " · By "
#: The brief's first heading names the playbook's series ("# Morning Brief: Top 100 Picks").
_BRIEF_SERIES = "# Morning Brief: "


def to_lines(text: str, names: dict[str, str], shorts: dict[str, str] | None = None) -> list[str]:
    """The article as lines, section titles marked with ``## `` whatever the input format, and
    each short name (``shorts``: "the S&P") read as the full name."""
    markup = _MARKDOWN
    if re.search(r"<(p|h1|h2|html|body)\b", text, flags=re.IGNORECASE):
        parser = _HtmlText()
        parser.feed(text)
        parser.close()
        lines = parser.lines
        markup = _EMPHASIS  # the HTML's text is literal: no Markdown escapes left in it
    else:
        lines = [line.rstrip() for line in text.splitlines()]
    titles = tuple(f"{name}:" for name in names.values()) + tuple(
        f"{name} vs." for name in names.values()
    )
    marked = []
    for line in lines:
        # Emphasis marks go; an escaped character (playbook text) stays, as the character.
        plain = html.unescape(markup.sub(lambda m: m[1] or "", line)).strip()
        plain = plain.translate(_TYPOGRAPHY)
        plain = lengthen(plain, shorts) if shorts else plain
        # The playbook's own words (its series title, its byline) are not claims: "Top 100
        # Picks · Data as of the close on ... · By The desk" is read from "Data as of" on, and
        # up to the byline.
        dated = plain.find(_DATELINE)
        if dated >= 0:
            plain = plain[dated:].split(_BYLINE)[0]
        elif line.startswith(_BRIEF_SERIES):
            plain = _BRIEF_SERIES[2:].rstrip(": ")
        is_title = plain.startswith(titles) or plain in _FIXED_TITLES
        if line.startswith("## ") or (is_title and not plain.endswith(".")):
            marked.append("## " + plain.removeprefix("## ").strip())
        elif line.startswith("# "):
            marked.append("# " + plain.removeprefix("# ").strip())
        else:
            marked.append(plain)
    return marked


_FIXED_TITLES = ("Key Levels to Watch",)
#: The page's curly quotes and dashes (Python-Markdown's smarty) read as the plain characters
#: the templates wrote, so every phrase binds the same in Markdown, text and HTML.
_TYPOGRAPHY = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "--", "—": "---"})
_EMPHASIS = re.compile(r"()[*_`]")
_MARKDOWN = re.compile(r"\\([!-/:-@\[-`{-~])|[*_`]")
_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z$\d(•-])")
_ABBREVIATIONS = ("Jan.", "Feb.", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.", "vs.")


def split_sentences(paragraph: str) -> list[str]:
    """Sentences of a paragraph, not cut after "Dec." or "vs."."""
    parts: list[str] = []
    for piece in _SPLIT.split(paragraph):
        if parts and parts[-1].endswith(_ABBREVIATIONS):
            parts[-1] += " " + piece
        else:
            parts.append(piece)
    return parts


#: What is left of a brief's section line once the names are taken out: "vs." between the two
#: of a comparison, or an instrument's close ("$84.46").
_BRIEF_HEAD = re.compile(r"\s*(vs\.(?: the)?)?\s*\$?[\d,.]*\s*")


def _without_names(text: str, names: dict[str, str]) -> str:
    for name in sorted(names.values(), key=len, reverse=True):
        text = text.replace(name, "")
    return text


def _title_head(title: str, names: dict[str, str]) -> str:
    """The part of a section title before its colon: the names it is about. A name may hold a
    colon itself (playbook text), so the names are matched first."""
    head = title
    for name in sorted(names.values(), key=len, reverse=True):
        head = head.replace(name, "\0" * len(name))
    cut = head.find(":")
    return title if cut < 0 else title[:cut]


def sentences(
    lines: list[str], names: dict[str, str], pairs: set[frozenset[str]]
) -> list[Sentence]:
    """Every sentence of the article's ``lines`` (``to_lines``) with its subjects. ``names``
    maps symbols to display names."""
    everyone = frozenset(names)
    section: frozenset[str] = everyone
    comparison = False
    where = ""
    carried: str | None = None
    found = []
    for line in lines:
        if not line:
            continue
        if line.startswith("## "):
            title = line[3:]
            head = _title_head(title, names)
            section = _named(head, names) or everyone
            comparison = " vs. " in head and frozenset(section) in pairs
            if title.startswith("Key Levels"):
                section, comparison = everyone, False
            where = _section_name(section, comparison, names, title)
            carried = None
            titled = _named(head, names)
            if len(titled) == 1 and not comparison and head != title:
                # An instrument's section title is a claim too ("Apple: Gives Ground"); an
                # editor's item heading names no instrument and is the item's own.
                found.append(Sentence(title.strip(), titled, False, where, next(iter(titled))))
            continue
        if line.startswith("# "):
            found.append(Sentence(line[2:], _named(line, names) or everyone, False))
            continue
        bullet = line.startswith(("- ", "• "))
        if not bullet:
            # The brief's section lines ("Amazon vs. S&P 500: ▲ bullish", "Nvidia $49.10: ...")
            # open a section as a "## " title does.
            head = _title_head(line, names)
            pair = _named(head, names)
            rest = _BRIEF_HEAD.fullmatch(_without_names(head, names)) if head != line else None
            if rest and rest.group(1) and frozenset(pair) in pairs:
                section, comparison, carried = pair, True, None
                where = _section_name(section, comparison, names, head)
            elif rest and not rest.group(1) and comparison and len(pair) == 1:
                section, comparison, carried = pair, False, None
                where = _section_name(section, comparison, names, head)
        # "It ..." and sentences naming no one speak of the paragraph's current grammatical
        # subject: the instrument named first in the last sentence that opened with a name.
        # A bullet naming no one speaks of the line above the list (the brief's "Amazon $118.75").
        primary = _first_named(line.split(":")[0], names) if bullet else None
        if bullet and primary is None and not comparison:
            primary = carried
        if not bullet:
            carried = _first_named(line, names) or carried
        for part in split_sentences(line.lstrip("-• ")):
            named = _named(part, names)
            pronoun = re.match(r"(It|Its|Over the streak it)\b", part) is not None
            if named and not pronoun:
                primary = _first_named(part, names) or primary
            context = frozenset([primary]) if primary else frozenset()
            # In a comparison section every sentence is about the pair.
            subjects = (named | section) if comparison else (named | context) or section
            here = "final" if "bottom line for traders" in line else where
            alone = next(iter(section)) if len(section) == 1 else None
            found.append(Sentence(part.strip(), subjects, comparison, here, primary or alone))
    return found


def _section_name(
    section: frozenset[str], comparison: bool, names: dict[str, str], title: str
) -> str:
    """ "AMZN", "AMZN vs ^GSPC" (symbol first, as the ledger's comparisons say it) or ""."""
    if comparison:
        head = title.split(":")[0]
        first, _, second = head.partition(" vs. ")
        second = second.removeprefix("the ")  # "Amazon vs. the S&P 500", read from "the S&P"
        by_name = {name: symbol for symbol, name in names.items()}
        if first in by_name and second in by_name:
            return f"{by_name[first]} vs {by_name[second]}"
    if len(section) == 1 and not comparison:
        return next(iter(section))
    return ""


def _first_named(text: str, names: dict[str, str]) -> str | None:
    """The symbol whose name appears earliest in ``text``."""
    positions = [(text.find(name), symbol) for symbol, name in names.items() if name in text]
    return min(positions)[1] if positions else None


def _named(text: str, names: dict[str, str]) -> frozenset[str]:
    """Symbols whose display name (or symbol) appears in ``text``."""
    return frozenset(
        symbol for symbol, pattern in _name_patterns(tuple(names.items())) if pattern.search(text)
    )


def _name_patterns(names: tuple[tuple[str, str], ...]) -> list[tuple[str, re.Pattern[str]]]:
    """Per symbol, one pattern finding its display name or the symbol itself as a whole word."""
    return [(symbol, _name_pattern(symbol, name)) for symbol, name in names]


@functools.lru_cache(maxsize=256)
def _name_pattern(symbol: str, name: str) -> re.Pattern[str]:
    """Cached per name, not per article's set of names: a batch's benchmark is on every page."""
    return re.compile(rf"(?<![\w^]){re.escape(name)}(?!\w)|(?<!\w){re.escape(symbol)}(?!\w)")
