"""Playbook text as plain text inside Markdown.

A playbook's title, byline, notes and instrument names are prose, not Markdown: a byline
``[click](javascript:alert(1))`` must show those characters, not become a link, in the Markdown,
the HTML page, the email and the blog post. ``escape_markdown`` backslash-escapes every character
that could start markup (CommonMark and Python-Markdown both honour the escapes) and flattens line
breaks, so the text can never open a new block. Ordinary names come through unchanged ("S&P 500",
"Mega-Caps vs. the S&P 500"), so the escaping costs nothing where there is nothing to escape.
``unescape_markdown`` gives the reader's text back (plain-text output, titles, the verifier).
"""

from __future__ import annotations

import dataclasses
import re

from ..plan import ArticlePlan, BottomLine, Section, WatchItem
from ..symbols import Instrument

#: Characters that start markup wherever they stand: emphasis, code, links and images, raw HTML,
#: attribute lists ({: onclick=...}), headings, table cells, and the escape character itself.
_ANYWHERE = re.compile(r"([\\`*_\[\]{}<>#|])")
#: Dashes in a run ("--"), which the page's typography would turn into a dash character.
_TYPOGRAPHIC = re.compile(r"-(?=-)|(?<=-)-")
#: ``&`` only where it would begin an entity (``&lt;``, ``&#60;``): "S&P 500" stays as it is.
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
#: Block markers that count only at the start of a line: list items, ordered lists, ~~~ fences.
_LINE_START = re.compile(r"^([-+~])|^(\d+)([.)])")
_BREAKS = re.compile(r"[\s\x00-\x1f\x7f\u2028\u2029\x85]+")
#: Any backslash escape of ASCII punctuation (what Markdown renderers turn back into the character).
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def escape_markdown(text: str) -> str:
    """``text`` as literal Markdown on one line.

    >>> escape_markdown("[click](javascript:alert(1))")
    '\\\\[click\\\\](javascript:alert(1))'
    >>> escape_markdown("S&P 500"), escape_markdown("# H"), escape_markdown("1. x")
    ('S&P 500', '\\\\# H', '1\\\\. x')
    """
    flat = _BREAKS.sub(" ", text).strip()
    flat = _ANYWHERE.sub(r"\\\1", flat)
    # Runs of dashes stay as written: the page's smarty would make them one dash character.
    flat = _TYPOGRAPHIC.sub(r"\\\g<0>", flat)
    flat = _ENTITY.sub(r"\\&", flat)
    return _LINE_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", flat)


def unescape_markdown(text: str) -> str:
    r"""Markdown's backslash escapes as the characters they stand for.

    >>> unescape_markdown(r"\[click\](x) \\ \# H")
    '[click](x) \\ # H'
    """
    return _ESCAPE.sub(r"\1", text)


def markdown_plan(plan: ArticlePlan) -> ArticlePlan:
    """``plan`` with every piece of playbook text escaped for Markdown, ready for the templates."""
    return dataclasses.replace(
        plan,
        series=escape_markdown(plan.series),
        byline=escape_markdown(plan.byline),
        notes=tuple(escape_markdown(note) for note in plan.notes),
        data_notes=tuple(escape_markdown(note) for note in plan.data_notes),
        sections=tuple(_section(section) for section in plan.sections),
        watch=tuple(_watch(item) for item in plan.watch),
        final=_bottom_line(plan.final),
        final_also=_bottom_line(plan.final_also) if plan.final_also else None,
    )


def _instrument(instrument: Instrument) -> Instrument:
    name = escape_markdown(instrument.name)
    return instrument if name == instrument.name else dataclasses.replace(instrument, name=name)


def _bottom_line(bottom_line: BottomLine) -> BottomLine:
    return dataclasses.replace(bottom_line, instrument=_instrument(bottom_line.instrument))


def _section(section: Section) -> Section:
    return dataclasses.replace(
        section,
        instrument=_instrument(section.instrument),
        benchmark=_instrument(section.benchmark) if section.benchmark else None,
        bottom_line=_bottom_line(section.bottom_line),
    )


def _watch(item: WatchItem) -> WatchItem:
    return dataclasses.replace(item, instrument=_instrument(item.instrument))
