"""The text stage: an ``ArticlePlan`` through a persona's Jinja templates into Markdown."""

from __future__ import annotations

import contextvars
import re
from pathlib import Path
from typing import Any

import jinja2

from ..errors import TemplateError
from ..plan import ArticlePlan, Sentence
from .environment import environment, personas, variant


class _Article:
    """The per-article helpers the templates call: ``pick`` a phrasing, ``who`` is a subject."""

    def __init__(self, plan: ArticlePlan) -> None:
        self.plan = plan
        self.names = {}
        for section in plan.sections:
            self.names[section.instrument.symbol] = section.instrument
            if section.benchmark is not None:
                self.names[section.benchmark.symbol] = section.benchmark

    def pick(self, sentence: Sentence | Any, choices: int, key: str = "") -> int:
        """The phrasing to use; a lead sentence takes the next one after its section's."""
        # Not getattr's default: that would build the repr of every sentence that has a subject.
        subject = sentence.subject if hasattr(sentence, "subject") else str(sentence)
        name = getattr(sentence, "key", "") + key
        chosen = variant(self.plan.seed, self.plan.as_of, subject, name, choices)
        return (chosen + 1) % choices if getattr(sentence, "lead", False) else chosen

    def who(self, subject: str) -> tuple[Any, Any]:
        """The instrument (and benchmark) a fact's subject names."""
        symbol, _, benchmark = subject.partition(" vs ")
        return self.names[symbol], self.names.get(benchmark)


#: The article being rendered. Environments (and Jinja's imported partials) are cached, so the
#: templates' globals must be stable functions that look the current article up here.
_CURRENT: contextvars.ContextVar[_Article] = contextvars.ContextVar("article")


def _pick(sentence: Any, choices: int, key: str = "") -> int:
    return _CURRENT.get().pick(sentence, choices, key)


def _who(subject: str) -> tuple[Any, Any]:
    return _CURRENT.get().who(subject)


def render_article(
    plan: ArticlePlan,
    persona: str | None = None,
    root: Path | None = None,
    template: str = "article.md",
) -> str:
    """The article as Markdown (``template``: another entry point, such as ``chat.md``)."""
    env = environment(persona or plan.persona, root)
    # Globals, not render variables, so the imported partials see them too.
    env.globals.update(pick=_pick, who=_who)
    token = _CURRENT.set(_Article(plan))
    try:
        return env.get_template(template).render(plan=plan)
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(
            f"{error.filename or error.name}:{error.lineno}: {error.message}; "
            "fix the template syntax there."
        ) from None
    except jinja2.exceptions.SecurityError as error:
        raise TemplateError(f"a template tried something the sandbox forbids ({error}).") from None
    except jinja2.UndefinedError as error:
        where = _template_line(error)
        raise TemplateError(
            f"{where}{error.message}; templates may use only what the plan provides."
        ) from None
    finally:
        _CURRENT.reset(token)


def _template_line(error: Exception) -> str:
    """``file:line: `` of the template frame an error came from, when the traceback shows it."""
    frame = error.__traceback__
    location = ""
    while frame is not None:
        filename = frame.tb_frame.f_code.co_filename
        if not filename.endswith(".py"):
            location = f"{filename}:{frame.tb_lineno}: "
        frame = frame.tb_next
    return location


_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~>])")
_HELD = re.compile("\ue000(\\d+)\ue001")


def to_text(markdown: str) -> str:
    """Markdown as plain text: headings, emphasis and link syntax removed; backslash escapes
    (editor's text set as plain Markdown) read as the characters themselves.

    >>> to_text(r"## A *b* \\*c\\* \\{\\{ x \\}\\}")
    'A b *c* {{ x }}'
    """
    # Escaped characters are held aside first, so no emphasis rule can take them.
    text = _ESCAPED.sub(lambda m: f"\ue000{ord(m.group(1))}\ue001", markdown)
    text = re.sub(r"^#+\s*", "", text, flags=re.MULTILINE)
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", text)
    text = re.sub(r"^- ", "• ", text, flags=re.MULTILINE)
    return _HELD.sub(lambda m: chr(int(m.group(1))), text)


__all__ = ["personas", "render_article", "to_text"]
