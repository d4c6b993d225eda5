"""Playbooks: one TOML file describes one article (DESIGN.md, "Playbooks").

::

    title = "Tech vs. the Broad Market"      # the series name, shown above the headline
    persona = "technical-trader"             # templates/<persona>/ (a name, never a path)
    byline = "The Technical Trader desk"
    seed = 0                                 # phrasing variety; the same seed, the same words
    detail = "story"                         # story: today's news; full: every reading too
    notes = ["Optional editor notes, printed as given."]

    [[instrument]]
    symbol = "^IXIC"
    name = "Nasdaq Composite"                # optional for well-known symbols
    kind = "index"                           # index | etf | stock (index levels are in points)

    [[comparison]]
    symbol = "^IXIC"
    benchmark = "^GSPC"
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import PlaybookError, UsageError, did_you_mean
from .resources import bundled
from .symbols import Instrument, describe, normalise_symbol
from .tomltext import parse_toml

KINDS = ("index", "etf", "stock")
#: A persona is a folder's bare name (bundled, or inside --templates DIR): never a path.
PERSONA_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


@dataclass(frozen=True)
class Comparison:
    symbol: str
    benchmark: str


@dataclass(frozen=True)
class Playbook:
    title: str
    persona: str
    byline: str
    instruments: tuple[Instrument, ...]
    comparisons: tuple[Comparison, ...]
    seed: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)
    origin: str = ""
    #: Editor's items (``items.Item``): a listing, a news item, a note.
    items: tuple[Any, ...] = ()
    #: The date to write for when run on the bundled samples without --as-of (they end on
    #: different days, so without it every run would warn); any other source ignores it.
    samples_as_of: dt.date | None = None
    #: "story" (the default): sections carry what is news today and the standing picture cut to
    #: what bears on it; "full": every reading the rules found (rating, MACD, ADX, the order of
    #: the averages...), for pages that want the whole indicator readout.
    detail: str = "story"

    @property
    def symbols(self) -> list[str]:
        """Every symbol the article needs, instruments first."""
        extra = [s for c in self.comparisons for s in (c.symbol, c.benchmark)]
        return list(dict.fromkeys([i.symbol for i in self.instruments] + extra))

    def instrument(self, symbol: str) -> Instrument:
        return next((i for i in self.instruments if i.symbol == symbol), describe(symbol))


#: How much a section says (``Playbook.detail``).
DETAILS = ("story", "full")
#: The byline of an article no playbook names: the desk its persona writes as.
DESK_BYLINES = {
    "technical-trader": "The Technical Trader desk",
    "morning-brief": "The Morning Brief desk",
}


def desk_byline(persona: str) -> str:
    return DESK_BYLINES.get(persona, "The Technical Trader desk")


def playbook_dir() -> Path:
    return bundled("samples") / "playbooks"


def bundled_playbooks() -> list[str]:
    return sorted(p.stem for p in playbook_dir().glob("*.toml"))


def load_playbook(name_or_path: str | None) -> Playbook:
    """A bundled playbook by name (``default`` when None) or a playbook file by path."""
    name = name_or_path or "default"
    path = Path(name)
    if not path.suffix:
        path = playbook_dir() / f"{name}.toml"
        if not path.is_file():
            raise UsageError(
                f"no bundled playbook named {name!r}.{did_you_mean(name, bundled_playbooks())} "
                f"Bundled: {', '.join(bundled_playbooks())}; or pass a path to a .toml file."
            )
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PlaybookError(
            f"{path}: cannot read the playbook ({error}); check the path."
        ) from None
    return parse_playbook(text, str(path))


def parse_playbook(text: str, origin: str) -> Playbook:
    """Check a playbook, reporting every problem at once."""
    data = parse_toml(text, origin, PlaybookError)
    problems: list[str] = []
    known = {"title", "persona", "byline", "seed", "notes", "instrument", "comparison", "item",
             "samples_as_of", "detail"}  # fmt: skip
    for key in sorted(set(data) - known):
        problems.append(f"{_key_line(text, key)}unknown key {key!r}{did_you_mean(key, known)}")
    for key in ("title", "byline"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            problems.append(f"{_key_line(text, key)}{key} must be a non-empty string")
    persona = data.get("persona", "technical-trader")
    if not isinstance(persona, str) or not PERSONA_NAME.fullmatch(persona):
        problems.append(
            f"{_key_line(text, 'persona')}persona must be the name of a template folder, such "
            f"as 'technical-trader', not {persona!r} (a path is never read from a playbook: "
            "pass your own folder with --templates DIR)"
        )
    seed = data.get("seed", 0)
    if not isinstance(seed, int):
        problems.append(f"{_key_line(text, 'seed')}seed must be a whole number")
    notes = data.get("notes", [])
    if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
        problems.append(f"{_key_line(text, 'notes')}notes must be a list of strings")
        notes = []
    instruments = []
    for n, entry in enumerate(_tables(data, text, "instrument", problems), 1):
        found: list[str] = []
        instruments.append(_instrument(entry, n, found))
        problems += [f"{_table_line(text, 'instrument', n)}{p}" for p in found]
    if not instruments:
        problems.append("at least one [[instrument]] is needed")
    comparisons = []
    for n, entry in enumerate(_tables(data, text, "comparison", problems), 1):
        try:
            comparisons.append(
                Comparison(
                    normalise_symbol(str(entry["symbol"])),
                    normalise_symbol(str(entry["benchmark"])),
                )
            )
        except (KeyError, TypeError):
            problems.append(
                f"{_table_line(text, 'comparison', n)}comparison needs symbol and benchmark"
            )
        except UsageError as error:
            problems.append(f"{_table_line(text, 'comparison', n)}comparison {n}: {error}")
    samples_as_of = data.get("samples_as_of")
    if samples_as_of is not None and (
        not isinstance(samples_as_of, dt.date) or isinstance(samples_as_of, dt.datetime)
    ):
        problems.append(f"{_key_line(text, 'samples_as_of')}samples_as_of must be a TOML date "
                        "such as 2020-04-17")  # fmt: skip
        samples_as_of = None

    detail = data.get("detail", "story")
    if detail not in DETAILS:
        problems.append(f'{_key_line(text, "detail")}detail must be "story" or "full"')
        detail = "story"

    items: tuple[Any, ...] = ()
    item_problems: list[str] = []
    if "item" in data:  # a playbook without items never loads their modules
        from .items import parse_items

        items, item_problems = parse_items(data["item"], text, origin)
    problems += item_problems
    if problems:
        raise PlaybookError(f"{origin}: {len(problems)} problem(s): " + "; ".join(problems) + ".")
    return Playbook(
        title=data["title"].strip(),
        persona=str(persona),
        byline=data["byline"].strip(),
        instruments=tuple(i for i in instruments if i is not None),
        comparisons=tuple(comparisons),
        seed=int(seed),
        notes=tuple(notes),
        origin=origin,
        items=items,
        samples_as_of=samples_as_of,
        detail=str(detail),
    )


def _tables(data: dict[str, Any], text: str, key: str, problems: list[str]) -> list[Any]:
    """The ``[[key]]`` tables, or none and a problem when ``key`` holds something else."""
    tables = data.get(key, [])
    if isinstance(tables, list) and all(isinstance(table, dict) for table in tables):
        return tables
    problems.append(f"{_key_line(text, key)}{key} must be [[{key}]] tables")
    return []


def _key_line(text: str, key: str) -> str:
    """``"line N: "`` for the first ``key = ...`` in ``text`` (tomllib keeps no positions)."""
    for number, line in enumerate(text.splitlines(), 1):
        if re.match(rf"\s*{re.escape(key)}\s*=", line):
            return f"line {number}: "
    return ""


def _table_line(text: str, table: str, nth: int) -> str:
    """``"line N: "`` for the ``nth`` ``[[table]]`` header."""
    headers = [n for n, line in enumerate(text.splitlines(), 1) if line.strip() == f"[[{table}]]"]
    return f"line {headers[nth - 1]}: " if nth <= len(headers) else ""


def _instrument(entry: Any, number: int, problems: list[str]) -> Instrument | None:
    if not isinstance(entry, dict) or "symbol" not in entry:
        problems.append(f"instrument {number} needs a symbol")
        return None
    try:
        symbol = normalise_symbol(str(entry["symbol"]))
    except UsageError as error:
        problems.append(f"instrument {number}: {error}")
        return None
    known = describe(symbol)
    kind = entry.get("kind", known.kind)
    if kind not in KINDS:
        problems.append(f"instrument {symbol}: kind must be index, etf or stock, not {kind!r}")
        return None
    name = entry.get("name", known.name)
    if not isinstance(name, str) or not name.strip():
        problems.append(f"instrument {symbol}: name must be a non-empty string")
        return None
    return Instrument(symbol, name, kind)


def ticker_playbook(symbol: str, benchmark: str | None, persona: str, seed: int) -> Playbook:
    """A universe's page for one ticker: its own section and its comparison with ``benchmark``.

    The benchmark gets no section of its own: on thousands of pages it would say the same thing.
    """
    instrument = describe(normalise_symbol(symbol))
    bench = normalise_symbol(benchmark) if benchmark else None
    return Playbook(
        title=instrument.name,
        persona=persona,
        byline=desk_byline(persona),
        instruments=(instrument,),
        comparisons=(Comparison(instrument.symbol, bench),)
        if bench and bench != instrument.symbol
        else (),
        seed=seed,
        origin="universe",
    )


def adhoc_playbook(symbols: list[str], benchmark: str | None, persona: str, seed: int) -> Playbook:
    """The playbook ``commentary generate SYMBOL ... --benchmark B`` implies."""
    names = [normalise_symbol(s) for s in symbols]
    bench = normalise_symbol(benchmark) if benchmark else None
    everyone = list(dict.fromkeys([*names, *([bench] if bench else [])]))
    instruments = tuple(describe(s) for s in everyone)
    title = " vs. ".join(i.name for i in instruments[:3])
    return Playbook(
        title=title,
        persona=persona,
        byline=desk_byline(persona),
        instruments=instruments,
        comparisons=tuple(Comparison(s, bench) for s in names if bench and s != bench),
        seed=seed,
        origin="command line",
    )
