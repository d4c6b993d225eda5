"""The text stage: an ``ArticlePlan`` through a persona's Jinja templates into Markdown."""

from __future__ import annotations

import contextvars
import re
from pathlib import Path
from typing import Any

import jinja2

from ..errors import TemplateError
from ..plan import ArticlePlan, Sentence
from .environment import environment, is_sandboxed, persona_folder, personas, variant
from .plaintext import markdown_plan, unescape_markdown
from .sandbox import TemplateLimitError, run_limited


class _Article:
    """The per-article helpers the templates call: ``pick`` a phrasing, ``who`` is a subject.

    It is also the article's discourse memory: ``pick`` remembers which phrasing of each slot
    (a message, or a named choice such as the bottom line's lean) the article has used, and
    steers the next sentence of the same kind to the phrasing used least, so two instruments'
    sections never read as one template with the names swapped.
    """

    def __init__(self, plan: ArticlePlan, heard: dict[tuple[str, str], str] | None = None) -> None:
        self.plan = plan
        #: Each sentence's printed text, by (subject, key), for the caller that asked.
        self.heard = heard
        self.used: dict[tuple[str, str, int], list[int]] = {}
        self.said: set[str] = set()
        #: A section's kind and place among the sections of its kind: each slot's phrasing
        #: rotates by it, so two sections never get the same alternative (up to the number of
        #: alternatives), and by as many places a session as there are such sections, so the
        #: next issue starts where this one stopped (``environment.variant``).
        self.turns = {
            s.subject: (kind, k)
            for kind in ("instrument", "comparison")
            for k, s in enumerate(x for x in plan.sections if x.kind == kind)
        }
        self.width = {"": 1}
        for kind, _ in self.turns.values():
            self.width[kind] = self.width.get(kind, 0) + 1
        self.names = {}
        for section in plan.sections:
            self.names[section.instrument.symbol] = section.instrument
            if section.benchmark is not None:
                self.names[section.benchmark.symbol] = section.benchmark

    def pick(self, sentence: Sentence | Any, choices: int, key: str = "") -> int:
        """The phrasing to use; a lead sentence takes the next one after its section's."""
        # Not getattr's default: that would build the repr of every sentence that has a subject.
        subject = sentence.subject if hasattr(sentence, "subject") else str(sentence)
        message = getattr(sentence, "message", "")
        kind, turn = self.turns.get(subject, ("", 0))
        slot, width = f"{message}|{key}", self.width[kind]
        chosen = (variant(self.plan.seed, self.plan.as_of, slot, choices, width) + turn) % choices
        if key.startswith("turn:"):
            return chosen
        if getattr(sentence, "lead", False):
            chosen = (chosen + 1) % choices
        # The rotated choice first, unless the article already used it for this slot more often
        # than another phrasing: then the next least-used one, in order from the rotated choice.
        uses = self.used.setdefault((message, key, choices), [0] * choices)
        chosen = min(((chosen + step) % choices for step in range(choices)), key=lambda n: uses[n])
        uses[chosen] += 1
        return chosen

    def first(self, key: str) -> bool:
        """Whether the article says ``key`` (a level, a reading) for the first time: a figure is
        quoted once, then referred to by name ("until it closes above Thursday's close")."""
        if key in self.said:
            return False
        self.said.add(key)
        return True

    def hear(self, sentence: Sentence | Any, text: str) -> str:
        """``text``, noted as what ``sentence`` printed (when the caller asked for it)."""
        if self.heard is not None and hasattr(sentence, "key"):
            self.heard[(sentence.subject, sentence.key)] = text
        return text

    def who(self, subject: str) -> tuple[Any, Any]:
        """The instrument (and benchmark) a fact's subject names."""
        symbol, _, benchmark = subject.partition(" vs ")
        return self.names[symbol], self.names.get(benchmark)


#: The article being rendered. Environments (and Jinja's imported partials) are cached, so the
#: templates' globals must be stable functions that look the current article up here.
_CURRENT: contextvars.ContextVar[_Article] = contextvars.ContextVar("article")


def _pick(sentence: Any, choices: int, key: str = "") -> int:
    return _CURRENT.get().pick(sentence, choices, key)


def _first(key: str) -> bool:
    return _CURRENT.get().first(key)


def _who(subject: str) -> tuple[Any, Any]:
    return _CURRENT.get().who(subject)


def _heard(sentence: Any, text: str) -> str:
    return _CURRENT.get().hear(sentence, text)


def _tight() -> bool:
    """Whether the editor's pass found the article over its budget of figures (``plan.tight``):
    the partials then say less in figures (docs/story.md, "Economy")."""
    return bool(_CURRENT.get().plan.tight)


def _spare() -> bool:
    """Whether the editor's pass found the article over budget even tight and cut
    (``plan.spare``)."""
    return bool(_CURRENT.get().plan.spare)


def _headlined(symbol: str) -> bool:
    """Whether a headline fact is about ``symbol`` (a comparison's first side; the benchmark it
    is measured against is not the story): its session is then the story's, quoted with its
    figure even in a tight article."""
    return any(f.subject.split(" vs ")[0] == symbol for f in _CURRENT.get().plan.headline)


def render_article(
    plan: ArticlePlan,
    persona: str | None = None,
    root: Path | None = None,
    template: str = "article.md",
    heard: dict[tuple[str, str], str] | None = None,
) -> str:
    """The article as Markdown (``template``: another entry point, such as ``chat.md``).
    Playbook text is inserted as plain text (``markdown_plan``). ``heard``, when given, is
    filled with each plan sentence's printed text, by (subject, key)."""
    name = persona or plan.persona
    folder = persona_folder(name, root)  # refuses a path or an unknown name before any caching
    env = environment(name, root)
    # Globals, not render variables, so the imported partials see them too.
    env.globals.update(
        pick=_pick,
        who=_who,
        first=_first,
        heard=_heard,
        tight=_tight,
        spare=_spare,
        headlined=_headlined,
    )
    safe_plan = markdown_plan(plan)
    token = _CURRENT.set(_Article(safe_plan, heard))
    try:
        if is_sandboxed(env):
            return _render_user_templates(env, safe_plan, folder, template)
        return env.get_template(template).render(plan=safe_plan)
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(
            f"{error.filename or error.name}:{error.lineno}: {error.message}; "
            "fix the template syntax there."
        ) from None
    except jinja2.exceptions.SecurityError as error:
        raise TemplateError(
            f"{_template_line(error)}a template tried something the sandbox forbids ({error})."
        ) from None
    except jinja2.UndefinedError as error:
        where = _template_line(error)
        raise TemplateError(
            f"{where}{error.message}; templates may use only what the plan provides."
        ) from None
    finally:
        _CURRENT.reset(token)


def _render_user_templates(
    env: jinja2.Environment, plan: ArticlePlan, folder: Path, name: str = "article.md"
) -> str:
    """A user's templates under the sandbox's limits; whatever goes wrong in them is one line
    naming the template and line (a user's template failing is not a bug in commentary)."""
    try:
        template = env.get_template(name)
        return run_limited(lambda: template.generate(plan=plan))
    except (jinja2.TemplateSyntaxError, jinja2.exceptions.SecurityError, jinja2.UndefinedError):
        raise
    except TemplateLimitError as error:
        where = _template_line(error) or f"{folder / name}: "
        raise TemplateLimitError(f"{where}{error}; fix the template.") from None
    except TemplateError:
        raise
    except jinja2.TemplateNotFound as error:
        raise TemplateError(
            f"{_template_line(error)}no template {error.name!r} in {folder}; "
            "check the name in the include or import."
        ) from None
    except RecursionError as error:
        raise TemplateError(
            f"{_template_line(error)}the templates call or include themselves without end; "
            "give the recursion a condition that stops it."
        ) from None
    except MemoryError as error:
        raise TemplateLimitError(
            f"{_template_line(error)}the templates ran out of memory; fix the template."
        ) from None
    except Exception as error:  # any failure of a user's template is the user's to fix
        raise TemplateError(
            f"{_template_line(error)}the template failed: {type(error).__name__}: {error}; "
            "fix the template there."
        ) from None


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


def to_text(markdown: str) -> str:
    """Markdown as plain text: headings, emphasis and link syntax removed, escapes resolved.

    An escaped character (``\\*``, from playbook text) is literal: it is set aside before the
    markup is stripped, so it can neither be taken for markup nor lose its backslash's meaning.
    """
    escaped: list[str] = []

    def set_aside(match: re.Match[str]) -> str:
        escaped.append(match[1])
        return f"\x00{len(escaped) - 1}\x00"

    text = re.sub(r"\\([!-/:-@\[-`{-~])", set_aside, markdown.replace("\x00", ""))
    text = re.sub(r"^#+\s*", "", text, flags=re.MULTILINE)
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", text)
    text = re.sub(r"^- ", "• ", text, flags=re.MULTILINE)
    return re.sub(r"\x00(\d+)\x00", lambda m: escaped[int(m[1])], text)


__all__ = ["personas", "render_article", "to_text", "unescape_markdown"]
