"""The text stage: an ``ArticlePlan`` through a persona's Jinja templates into Markdown."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..plan import ArticlePlan, Sentence
from .environment import environment, personas, variant


def render_article(plan: ArticlePlan, persona: str | None = None, root: Path | None = None) -> str:
    """The article as Markdown."""
    env = environment(persona or plan.persona, root)

    def pick(sentence: Sentence | Any, choices: int, key: str = "") -> int:
        """The phrasing to use; a lead sentence takes the next one after its section's."""
        subject = getattr(sentence, "subject", str(sentence))
        name = getattr(sentence, "key", "") + key
        chosen = variant(plan.seed, plan.as_of, subject, name, choices)
        return (chosen + 1) % choices if getattr(sentence, "lead", False) else chosen

    names = {}
    for section in plan.sections:
        names[section.instrument.symbol] = section.instrument
        if section.benchmark is not None:
            names[section.benchmark.symbol] = section.benchmark

    def who(subject: str) -> tuple[Any, Any]:
        """The instrument (and benchmark) a fact's subject names."""
        symbol, _, benchmark = subject.partition(" vs ")
        return names[symbol], names.get(benchmark)

    # Globals, not render variables, so the imported partials see them too.
    env.globals.update(pick=pick, who=who)
    return env.get_template("article.md").render(plan=plan)


def to_text(markdown: str) -> str:
    """Markdown as plain text: headings, emphasis and link syntax removed."""
    text = re.sub(r"^#+\s*", "", markdown, flags=re.MULTILINE)
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", text)
    text = re.sub(r"^- ", "• ", text, flags=re.MULTILINE)
    return text


__all__ = ["personas", "render_article", "to_text"]
