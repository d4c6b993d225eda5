"""Prose metrics an editor would count: numbers per 100 words, repeated sentence shapes, contrast
words per paragraph, and how much of one issue's wording the next one repeats.

The article's body is what a reader reads as prose: the dateline and the closing disclaimer are
boilerplate every issue carries and are left out; headlines, section titles, bullets and bottom
lines count.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from ..verify.reading import split_sentences

#: A quoted number: digits with thousands separators and decimals, a sign or a percent sign.
NUMBER = re.compile(r"(?<![\w.])[-+−]?\$?\d[\d,]*(?:\.\d+)?%?")
#: A word is what a reader counts as one: text between spaces with a letter or digit in it
#: ("S&P", "52-week", "$84.46" and "12.0%" are one word each).
WORD = re.compile(r"[^\s]*[A-Za-z0-9][^\s]*")
#: Words that announce a contrast between two facts.
CONTRAST = re.compile(
    r"\b(?:However|By contrast|On the other hand|Still|Even so|Yet|But|but|yet|though|although)\b"
)
#: Lines that are a table, not prose: the levels list ("- **Amazon** ($84.46): ...", or a tight
#: list's "- **Amazon**: support at ...") and the fixed heading above it, and the brief's
#: section lines ("**Amazon** $84.46: ▼ bearish; watch ..."). Their shape is the same every day
#: by design.
_TABLE_ROW = re.compile(
    r"^(?:- \*\*(?!The bottom line)[^*]+\*\*(?: \(|: (?:support|no support))"
    r"|## Key Levels to Watch$|\*\*[^*]+\*\*:? (?:\S*\d\S*: )?[▲▼◆])"
)


def prose_lines(markdown: str) -> list[str]:
    """The article's text lines, without the dateline, the disclaimer and blank lines."""
    lines = []
    for line in markdown.splitlines():
        text = line.strip()
        if not text or (text.startswith("*") and text.endswith("*") and not text.startswith("**")):
            continue  # dateline and disclaimer are italic lines of boilerplate
        lines.append(text)
    return lines


def numbers_per_100_words(markdown: str, names: Iterable[str] = ()) -> float:
    """Quoted numbers per 100 words. Given ``names``, an instrument's name is words, not a
    number: "S&P 500" is two words a reader does not count as a figure. Without them every
    figure counts, the digits of a name included: the way the issue counts the seed's 3.4
    ("Russell 2000" included), and the budget the editor's pass (``plan.economy``) holds."""
    numbers, words = article_figures(markdown, names)
    return 100 * numbers / max(words, 1)


def article_figures(markdown: str, names: Iterable[str] = ()) -> tuple[int, int]:
    """The quoted numbers and the words of an article's prose (``prose_lines``)."""
    return figures(" ".join(prose_lines(markdown)), names)


def figures(text: str, names: Iterable[str] = ()) -> tuple[int, int]:
    """The quoted numbers and the words in ``text`` (a sentence, or the prose of an article)."""
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, "Name " * len(name.split()))
    return len(NUMBER.findall(text)), len(WORD.findall(text))


def sentences(markdown: str) -> list[str]:
    """Every sentence of the prose, Markdown markers stripped (a heading or bullet is one);
    the levels table is not prose and is left out."""
    out: list[str] = []
    for line in prose_lines(markdown):
        if _TABLE_ROW.match(line):
            continue
        text = re.sub(r"^(?:#+|-|>)\s*", "", line).replace("**", "")
        out.extend(s.strip() for s in split_sentences(text) if s.strip())
    return out


def template_of(sentence: str, names: Iterable[str] = ()) -> str:
    """A sentence's shape: instrument names become ``⟦N⟧`` (first: "S&P 500" holds digits),
    numbers ``#``."""
    shape = sentence
    for name in sorted(names, key=len, reverse=True):
        shape = shape.replace(name, "⟦N⟧")
    shape = NUMBER.sub("#", shape)
    return re.sub(r"#(?:[\s,.]*#)+", "#", shape)


def repeated_templates(markdown: str, names: Iterable[str] = ()) -> list[str]:
    """Sentence shapes used more than once in one article (headings and bullets included)."""
    names = tuple(names)
    counts = Counter(template_of(s, names) for s in sentences(markdown))
    return [shape for shape, n in counts.items() if n > 1]


def contrast_words_per_paragraph(markdown: str) -> int:
    """The most contrast words in any one paragraph."""
    paragraphs = [p for p in markdown.split("\n\n") if p.strip()]
    return max((len(CONTRAST.findall(p)) for p in paragraphs), default=0)


def repeated_share(before: str, after: str, names: Iterable[str] = ()) -> float:
    """The share of ``after``'s sentence shapes that ``before`` already used."""
    names = tuple(names)
    old = {template_of(s, names) for s in sentences(before)}
    new = [template_of(s, names) for s in sentences(after)]
    return sum(shape in old for shape in new) / max(len(new), 1)


def repeated_over(issues: Sequence[str], names: Iterable[str] = ()) -> float:
    """Over a run of consecutive issues, the share of all sentence shapes that the issue before
    already used (the issue's day-to-day measure: every shape counts once per issue)."""
    names = tuple(names)
    shapes = [[template_of(s, names) for s in sentences(text)] for text in issues]
    repeated = sum(
        sum(shape in seen for shape in after)
        for seen, after in zip((set(b) for b in shapes), shapes[1:], strict=False)
    )
    return repeated / max(sum(len(after) for after in shapes[1:]), 1)
