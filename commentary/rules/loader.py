"""Reading rule files (TOML) into ``Rule`` objects, reporting every problem at once.

A rule file holds ``[[rule]]`` tables::

    [[rule]]
    id = "momentum.rsi.overbought"       # dotted, unique
    topic = "momentum.rsi"               # one fact per topic and subject: the first match wins
    scope = "symbol"                     # or "pair" (a symbol against its benchmark)
    section = "momentum"
    polarity = "bearish"                 # bullish | bearish | neutral
    salience = 0.6                       # 0..1: how much it deserves a reader's attention, or
                                         # { path = "events...salience" }: from rarity
    message = "rsi_zone"                 # the template message type that phrases it
    description = "RSI 14 at or above the overbought threshold"
    when = { path = "momentum.rsi_zone", eq = "overbought" }
    values = { rsi_14 = "momentum.rsi" }
    text = "RSI overbought at {rsi_14:.1f}"

Conditions: ``{ path = "...", <op> = operand }`` with op one of eq, ne, lt, le, gt, ge, in (a
list), between (``[low, high]``, inclusive) or exists (true/false); an operand may itself be
``{ path = "..." }`` or ``{ setting = "section.name" }``, optionally with
``scale = -1.0``. Combine with ``{ all = [...] }``,
``{ any = [...] }`` and ``{ none = [...] }`` (at most ``MAX_DEPTH`` deep). Nothing is evaluated
as code, and a path names declared fields only: lower-case names, none starting with ``_``
(``checks.py`` then follows each through the states and settings dataclasses).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import RuleError
from ..tomltext import parse_toml_cached
from .model import SECTIONS, AllOf, AnyOf, Compare, Condition, NoneOf, Polarity, Ref, Rule

OPERATORS = ("eq", "ne", "lt", "le", "gt", "ge", "in", "between", "exists")
PLACEHOLDER = re.compile(r"\{(\w+)(?::([^{}]*))?\}")
#: The format specs a placeholder may carry: fill and align, sign, ``z``, ``#``, ``0``, a width
#: and a precision of at most two digits each, a grouping character and a type (``.1f``,
#: ``+.2f``, ``,.2f``). A wider spec (``>999999999``) would build a gigabyte of text.
FORMAT_SPEC = re.compile(
    r"(?:[^{}]?[<>=^])?[+\- ]?z?#?0?\d{0,2}[,_]?(?:\.\d{1,2})?[bcdeEfFgGnosxX%]?"
)
#: A state or setting path: dotted lower-case names or numbers, none starting with "_", so a
#: path can name declared fields only, never Python internals (``__class__``, ``__globals__``).
PATH = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z0-9][a-z0-9_]*)*")
#: ``all``/``any``/``none`` nest at most this deep; deeper is never needed and only costs stack.
MAX_DEPTH = 8
_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
_ID_LINE = re.compile(r"\s*id\s*=\s*[\"']([^\"'\n]*)[\"']")
_REQUIRED = ("id", "topic", "scope", "section", "polarity", "salience", "message", "description",
             "when", "text")  # fmt: skip
_STRINGS = ("topic", "message", "description", "text")


def load_rules(path: Path) -> tuple[Rule, ...]:
    """Read and check a rule file; ``RuleError`` lists every problem with its rule and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise RuleError(f"{path}: cannot read the rule file ({error}); check the path.") from None
    return parse_rules(text, str(path))


def parse_rules(text: str, origin: str) -> tuple[Rule, ...]:
    document = parse_toml_cached(text, origin, RuleError)
    tables = document.get("rule", [])
    if not isinstance(tables, list) or not tables:
        raise RuleError(f"{origin}: no [[rule]] tables; a rule file holds one [[rule]] a rule.")
    problems: list[str] = []
    rules = []
    seen: set[str] = set()
    lines = _RuleLines(text)
    for number, table in enumerate(tables, 1):
        if not isinstance(table, dict):
            problems.append(f"{origin}: rule {number} must be a [[rule]] table.")
            continue
        line = lines.line_of(table, number)
        rule = _parse_rule(table, origin, line, problems)
        if rule is None:
            continue
        if rule.id in seen:
            problems.append(
                f"{origin}:{line}: rule id {rule.id!r} appears twice; give each rule its own id."
            )
        seen.add(rule.id)
        rules.append(rule)
    if problems:
        raise rule_problems(problems)
    return tuple(rules)


def rule_problems(problems: list[str]) -> RuleError:
    """One error listing every problem, on one line."""
    return RuleError(f"{len(problems)} problem(s) in rules: " + " ".join(problems))


class _RuleLines:
    """Where each rule is written, from one pass over the text (tomllib keeps no positions):
    the line of its ``id``, else of its ``[[rule]]`` header. One pass, so loading stays linear
    in the size of the file (a search per rule made 1.2 MB of rules take minutes)."""

    def __init__(self, text: str) -> None:
        self.ids: dict[str, list[int]] = {}
        self.headers: list[int] = []
        for number, line in enumerate(text.split("\n"), 1):
            if line.strip() == "[[rule]]":
                self.headers.append(number)
            elif match := _ID_LINE.match(line):
                self.ids.setdefault(match.group(1), []).append(number)
        self.used: Counter[str] = Counter()

    def line_of(self, table: Mapping[str, Any], number: int) -> int:
        rule_id = table.get("id")
        found = self.ids.get(rule_id, []) if isinstance(rule_id, str) else []
        if found and isinstance(rule_id, str):
            nth = min(self.used[rule_id], len(found) - 1)  # a repeated id: its nth occurrence
            self.used[rule_id] += 1
            return found[nth]
        return self.headers[number - 1] if number <= len(self.headers) else 1


def _shown(value: Any) -> str:
    """A value from the rule file, for a message: one line, never long."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _parse_rule(
    table: Mapping[str, Any], origin: str, line: int, problems: list[str]
) -> Rule | None:
    before = len(problems)
    rule_id = table.get("id")
    named = isinstance(rule_id, str) and _ID.match(rule_id)
    where = f"{origin}:{line}: rule {rule_id}" if named else f"{origin}:{line}"
    missing = [key for key in _REQUIRED if key not in table]
    if missing:
        problems.append(f"{where}: missing {', '.join(missing)}.")
        return None
    unknown = sorted(set(table) - {*_REQUIRED, "values"})
    if unknown:
        problems.append(f"{where}: unknown key(s) {_shown(unknown)}.")
    if not named:
        problems.append(
            f"{where}: id {_shown(rule_id)} must be dotted lower-case, e.g. momentum.rsi.high."
        )
    for key in _STRINGS:
        if not isinstance(table[key], str):
            problems.append(f"{where}: {key} must be a string.")
    if table["scope"] not in ("symbol", "pair"):
        problems.append(f"{where}: scope must be symbol or pair, not {_shown(table['scope'])}.")
    if table["section"] not in SECTIONS:
        problems.append(f"{where}: section must be one of {', '.join(SECTIONS)}.")
    try:
        polarity = Polarity(table["polarity"])
    except (ValueError, TypeError):
        problems.append(f"{where}: polarity must be bullish, bearish or neutral.")
        polarity = Polarity.NEUTRAL
    salience = table["salience"]
    salience_path = None
    if (
        isinstance(salience, dict)
        and set(salience) == {"path"}
        and isinstance(salience["path"], str)
    ):
        # Salience from rarity: a state path holding a 0..1 value (docs/salience.md).
        salience_path, salience = salience["path"], 0.0
        if not _check_path(salience_path, "salience path", where, problems):
            salience_path = None
    elif not isinstance(salience, int | float) or not 0 <= salience <= 1:
        problems.append(
            f"{where}: salience must be a number from 0 to 1 or {{ path = ... }} to one."
        )
    values = table.get("values", {})
    if not isinstance(values, dict) or not all(isinstance(v, str) for v in values.values()):
        problems.append(f"{where}: values must map names to state paths (strings).")
        values = {}
    for path in values.values():
        _check_path(path, "state path", where, problems)
    for name, spec in PLACEHOLDER.findall(str(table["text"])):
        if name not in values:
            problems.append(f"{where}: text uses {{{name}}}, which is not in values.")
        if not FORMAT_SPEC.fullmatch(spec):
            problems.append(
                f"{where}: text placeholder {{{name}:{spec}}} has a format commentary does not "
                "accept; use one like .1f, +.2f or ,.2f (widths and precisions up to 99)."
            )
    condition = _parse_condition(table["when"], where, problems, depth=1)
    if len(problems) > before or condition is None:
        return None
    return Rule(
        id=str(rule_id),
        topic=table["topic"],
        scope=table["scope"],
        section=table["section"],
        polarity=polarity,
        salience=float(salience),
        salience_path=salience_path,
        message=table["message"],
        description=table["description"],
        when=condition,
        values=dict(values),
        text=table["text"],
        origin=origin,
        line=line,
    )


def _check_path(path: Any, kind: str, where: str, problems: list[str]) -> bool:
    if isinstance(path, str) and PATH.fullmatch(path):
        return True
    problems.append(
        f"{where}: {kind} {_shown(path)} must be dotted lower-case field names "
        "(e.g. momentum.rsi); names starting with '_' are never read."
    )
    return False


def _parse_condition(node: Any, where: str, problems: list[str], depth: int) -> Condition | None:
    if depth > MAX_DEPTH:
        problems.append(f"{where}: conditions nest more than {MAX_DEPTH} deep; flatten them.")
        return None
    if not isinstance(node, dict):
        problems.append(f"{where}: a condition must be a table, not {_shown(node)}.")
        return None
    for key, kind in (("all", AllOf), ("any", AnyOf), ("none", NoneOf)):
        if key in node:
            children = node[key]
            if len(node) != 1 or not isinstance(children, list) or not children:
                problems.append(f"{where}: '{key}' takes a non-empty list and stands alone.")
                return None
            parsed = [_parse_condition(child, where, problems, depth + 1) for child in children]
            if any(c is None for c in parsed):
                return None
            return kind(tuple(c for c in parsed if c is not None))
    ops = [key for key in node if key != "path"]
    if "path" not in node or len(ops) != 1 or ops[0] not in OPERATORS:
        problems.append(
            f"{where}: condition {_shown(node)} needs a path and one of {', '.join(OPERATORS)}."
        )
        return None
    if not _check_path(node["path"], "state path", where, problems):
        return None
    op = ops[0]
    operand = node[op]
    if op == "between" and not (isinstance(operand, list) and len(operand) == 2):
        problems.append(f"{where}: between takes [low, high].")
        return None
    if op == "in" and not isinstance(operand, list):
        problems.append(f"{where}: in takes a list.")
        return None
    if isinstance(operand, list):
        operand = [_parse_operand(item, where, problems) for item in operand]
    else:
        operand = _parse_operand(operand, where, problems)
    if any(
        isinstance(item, _Refused) for item in (operand if isinstance(operand, list) else [operand])
    ):
        return None
    return Compare(path=node["path"], op=op, operand=operand)


class _Refused:
    """An operand already reported as a problem."""


def _parse_operand(operand: Any, where: str, problems: list[str]) -> Any:
    if not isinstance(operand, dict):
        return operand
    keys = set(operand) - {"scale"}
    scale = operand.get("scale", 1.0)
    if (
        keys not in ({"path"}, {"setting"})
        or isinstance(scale, bool)
        or not isinstance(scale, int | float)
        or not math.isfinite(scale)
    ):
        problems.append(
            f"{where}: operand {_shown(operand)} must be {{path = ...}} or {{setting = ...}}, "
            "with an optional numeric scale."
        )
        return _Refused()
    kind, path = (
        ("state path", operand["path"]) if "path" in keys else ("setting", operand["setting"])
    )
    if not _check_path(path, kind, where, problems):
        return _Refused()
    return Ref(path=operand.get("path"), setting=operand.get("setting"), scale=float(scale))
