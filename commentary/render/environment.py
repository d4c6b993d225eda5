"""One Jinja environment factory and one ``FILTERS`` dict for every persona.

``StrictUndefined`` makes a missing value an error instead of an empty string; HTML and XML
templates are autoescaped (``select_autoescape`` matches the file ending, so HTML templates are
named ``*.html``). Phrasing variants are picked by ``variant`` from (seed, as-of, subject, key):
the same inputs give the same words, and consecutive sessions step to a different phrasing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
from pathlib import Path
from typing import Any

import jinja2
import numpy as np

from ..errors import UsageError, did_you_mean
from ..referring import short_names, shorten
from ..resources import bundled
from . import grammar, numbers
from .plaintext import escape_markdown
from .sandbox import FolderLoader, LimitedSandbox
from .variants import VariantsExtension

FILTERS: dict[str, Any] = {
    "fixed": numbers.fixed,
    "significant": numbers.significant,
    "pct": numbers.pct,
    "signed_pct": numbers.signed_pct,
    "approx_pct": numbers.approx_pct,
    "level": numbers.level,
    "quote": numbers.quote,
    "bps": numbers.bps,
    "points": numbers.points,
    "article": grammar.article,
    "ordinal": grammar.ordinal,
    "number": grammar.number,
    "plain": escape_markdown,
}


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip


_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _date(value: dt.date, style: str = "long") -> str:
    """``long``: "December 31, 2018"; ``short``: "Dec. 31"; ``month``: "December"; ``year``;
    ``weekday``: "Monday".

    Month names are spelled here, not by ``strftime``, so no locale can change the words.

    >>> _date(dt.date(2018, 9, 21), "short"), _date(dt.date(2020, 4, 17))
    ('Sept. 21', 'April 17, 2020')
    """
    if style == "year":
        return str(value.year)
    if style == "weekday":
        return _WEEKDAYS[value.weekday()]
    month = _MONTHS[value.month - 1]
    if style == "month":
        return month
    if style == "short":
        # AP style: March to July in full, September as "Sept.", the rest cut to three letters.
        month = month if len(month) <= 5 else "Sept." if month == "September" else month[:3] + "."
        return f"{month} {value.day}"
    return f"{month} {value.day}, {value.year}"


FILTERS["date"] = _date


def _shorten(text: str, plan: Any) -> str:
    """The ``shorten`` filter: an index named in full once is "the S&P" after (``names``)."""
    found = {(s.instrument.name, s.instrument.kind) for s in plan.sections}
    found |= {(s.benchmark.name, s.benchmark.kind) for s in plan.sections if s.benchmark}
    return shorten(str(text), short_names(found))


FILTERS["shorten"] = _shorten


def _untitled(sentence: Any) -> Any:
    """The ``untitled`` filter: a plan sentence for a persona without section titles (the brief):
    a fact a title carried ("Still in a Bear Market") is said in full."""
    if getattr(sentence, "headlined", 0) != 3:
        return sentence
    return dataclasses.replace(sentence, headlined=0)


FILTERS["untitled"] = _untitled


def _first_sentence(text: str) -> str:
    """The first sentence, read the way the verifier reads sentences ("Nov. 14" does not end
    one)."""
    # Imported here: the verify package's import is paid by the verifier, not by every render.
    from ..verify.reading import split_sentences

    return next(iter(split_sentences(text)), "")


FILTERS["first_sentence"] = _first_sentence


def variant(seed: int, as_of: dt.date, slot: str, choices: int, stride: int = 1) -> int:
    """Which of ``choices`` phrasings a slot starts from.

    A stable hash of (seed, slot) plus ``stride`` phrasings per business day since 1970. A slot
    that ``stride`` sections fill each day (section k takes this plus k) then moves on by a whole
    day's worth of phrasings every session: with at least twice as many phrasings as sections,
    no section reuses a phrasing that any section used the session before.
    """
    digest = hashlib.sha256(f"{seed}|{slot}".encode()).digest()
    # A stride that is a multiple of ``choices`` would never move: then one a day.
    stride = stride if stride % choices else 1
    return (int.from_bytes(digest[:8], "big") + stride * _business_days(as_of)) % choices


@functools.lru_cache(maxsize=64)
def _business_days(as_of: dt.date) -> int:
    """Business days from 1970 to ``as_of`` (asked dozens of times an article, for one date)."""
    return int(np.busday_count(np.datetime64("1970-01-01"), np.datetime64(as_of, "D")))


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates cached in the user cache directory: compiling them is most of a cold
    article's own time. Jinja keys the cache by template source, so edits are never served stale."""
    import platformdirs

    folder = Path(platformdirs.user_cache_dir("commentary")) / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # a read-only home: compile every time, still correct
    return jinja2.FileSystemBytecodeCache(str(folder))


def personas(root: Path | None = None) -> list[str]:
    """The persona folders under ``root`` (default: the bundled templates)."""
    folder = root or bundled("templates")
    return sorted(p.name for p in folder.iterdir() if (p / "article.md").is_file())


def persona_folder(persona: str, root: Path | None = None) -> Path:
    """The folder of ``persona``: a bundled one, or one directly inside a user's ``root``.

    Anything else (a path such as ``/srv/x`` or ``../x``, a name that is not there, a folder
    that is a link out of ``root``) is refused: templates run code, so only the bundled ones and
    the ones a user names explicitly with ``--templates`` may be loaded.
    """
    if not isinstance(persona, str):  # a config file's persona = 5
        raise UsageError(f"persona must be a template folder's name, not {persona!r}.")
    folder = root or bundled("templates")
    available = personas(folder)
    if persona not in available:
        where = f"in {folder}" if root else "among the bundled templates"
        hint = "" if root else " For your own templates, pass --templates DIR (DIR/<persona>/)."
        raise UsageError(
            f"no persona {persona!r} {where}.{did_you_mean(persona, available)} "
            f"Available: {', '.join(available)}.{hint}"
        )
    chosen = folder / persona
    if root is not None and not chosen.resolve().is_relative_to(root.resolve()):
        raise UsageError(
            f"{chosen} is a link to {chosen.resolve()}, outside the template folder {root}; "
            "copy the templates into it instead of linking them."
        )
    return chosen


#: The bundled persona whose partials (``_messages.md``, ``_lead.md``...) the others may import.
HOUSE_PERSONA = "technical-trader"


@functools.lru_cache(maxsize=8)
def environment(persona: str, root: Path | None = None) -> jinja2.Environment:
    """The environment for ``templates/<persona>/``, or for a user's ``root/<persona>``.

    A user's templates run in ``LimitedSandbox``: they can format what they are given, but
    cannot reach Python internals, files or the network, and are held to a time and size limit
    (``commentary.render.sandbox``). Environments are cached, so a batch compiles each template
    once; the renderer sets the per-article globals before each render.
    """
    folder = persona_folder(persona, root)
    loader: jinja2.BaseLoader = FolderLoader(folder)
    house = (root or bundled("templates")) / HOUSE_PERSONA
    if persona != HOUSE_PERSONA and house.is_dir():
        # The personas share one phrasebook: a brief says the same story in bullets with the
        # Technical Trader's sentences (and their bindings), not a second set of words. A user's
        # folder shares its own technical-trader/ the same way.
        loader = jinja2.ChoiceLoader([loader, FolderLoader(house)])
    options: dict[str, Any] = {
        "loader": loader,
        "undefined": jinja2.StrictUndefined,
        "autoescape": jinja2.select_autoescape(["html", "xml"]),
        "trim_blocks": True,
        "lstrip_blocks": True,
        "keep_trailing_newline": True,
        "extensions": [VariantsExtension],
    }
    env: jinja2.Environment
    if root is None:
        # The bundled templates do not change while a process runs: no file is looked at
        # again on each render (a batch renders each page once or twice).
        env = jinja2.Environment(bytecode_cache=_bytecode_cache(), auto_reload=False, **options)
        env.filters.update(FILTERS)
    else:
        # No bytecode cache: code compiled for the plain environment (the same files, through
        # --templates) would skip the sandbox's checks.
        sandbox = LimitedSandbox(**options)
        sandbox.add_filters(FILTERS)
        env = sandbox
    env.globals["plural"] = grammar.plural
    env.globals["count"] = grammar.count
    return env


def is_sandboxed(env: jinja2.Environment) -> bool:
    return isinstance(env, LimitedSandbox)
