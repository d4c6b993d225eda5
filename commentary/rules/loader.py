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
``{ any = [...] }`` and ``{ none = [...] }``. Nothing is evaluated as code.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import RuleError
from .model import SECTIONS, AllOf, AnyOf, Compare, Condition, NoneOf, Polarity, Ref, Rule

OPERATORS = ("eq", "ne", "lt", "le", "gt", "ge", "in", "between", "exists")
PLACEHOLDER = re.compile(r"\{(\w+)(?::([^{}]*))?\}")
_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
_REQUIRED = ("id", "topic", "scope", "section", "polarity", "salience", "message", "description",
             "when", "text")  # fmt: skip


def load_rules(path: Path) -> tuple[Rule, ...]:
    """Read and check a rule file; ``RuleError`` lists every problem with its rule and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise RuleError(f"{path}: cannot read the rule file ({error}); check the path.") from None
    return parse_rules(text, str(path))


def parse_rules(text: str, origin: str) -> tuple[Rule, ...]:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RuleError(f"{origin}: not valid TOML ({error}); fix the syntax there.") from None
    tables = document.get("rule", [])
    if not isinstance(tables, list) or not tables:
        raise RuleError(f"{origin}: no [[rule]] tables; a rule file holds one [[rule]] a rule.")
    problems: list[str] = []
    rules = []
    seen: set[str] = set()
    for number, table in enumerate(tables, 1):
        where = f"{origin}:{_line_of(text, table, number)}"
        rule = _parse_rule(table, origin, where, problems)
        if rule is None:
            continue
        if rule.id in seen:
            problems.append(
                f"{where}: rule id {rule.id!r} appears twice; give each rule its own id."
            )
        seen.add(rule.id)
        rules.append(rule)
    if problems:
        raise RuleError(
            f"{len(problems)} problem(s) in rules:\n" + "\n".join(f"  {p}" for p in problems)
        )
    return tuple(rules)


def _line_of(text: str, table: Mapping[str, Any], number: int) -> int:
    """The line of a rule's ``id`` (tomllib keeps no positions), else of its ``[[rule]]`` header."""
    rule_id = table.get("id")
    lines = text.splitlines()
    if isinstance(rule_id, str):
        for index, line in enumerate(lines, 1):
            if re.match(rf"\s*id\s*=\s*[\"']{re.escape(rule_id)}[\"']", line):
                return index
    headers = [i for i, line in enumerate(lines, 1) if line.strip() == "[[rule]]"]
    return headers[number - 1] if number <= len(headers) else 1


def _parse_rule(
    table: Mapping[str, Any], origin: str, where: str, problems: list[str]
) -> Rule | None:
    before = len(problems)
    missing = [key for key in _REQUIRED if key not in table]
    if missing:
        problems.append(f"{where}: missing {', '.join(missing)}.")
        return None
    unknown = sorted(set(table) - {*_REQUIRED, "values"})
    if unknown:
        problems.append(f"{where}: unknown key(s) {', '.join(unknown)}.")
    rule_id = table["id"]
    if not isinstance(rule_id, str) or not _ID.match(rule_id):
        problems.append(
            f"{where}: id {rule_id!r} must be dotted lower-case, e.g. momentum.rsi.high."
        )
    if table["scope"] not in ("symbol", "pair"):
        problems.append(f"{where}: scope must be symbol or pair, not {table['scope']!r}.")
    if table["section"] not in SECTIONS:
        problems.append(f"{where}: section must be one of {', '.join(SECTIONS)}.")
    try:
        polarity = Polarity(table["polarity"])
    except ValueError:
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
    elif not isinstance(salience, int | float) or not 0 <= salience <= 1:
        problems.append(
            f"{where}: salience must be a number from 0 to 1 or {{ path = ... }} to one."
        )
    values = table.get("values", {})
    if not isinstance(values, dict) or not all(isinstance(v, str) for v in values.values()):
        problems.append(f"{where}: values must map names to state paths (strings).")
        values = {}
    for name, _ in PLACEHOLDER.findall(str(table["text"])):
        if name not in values:
            problems.append(f"{where}: text uses {{{name}}}, which is not in values.")
    condition = _parse_condition(table["when"], where, problems)
    if len(problems) > before or condition is None:
        return None
    return Rule(
        id=rule_id,
        topic=str(table["topic"]),
        scope=table["scope"],
        section=table["section"],
        polarity=polarity,
        salience=float(salience),
        salience_path=salience_path,
        message=str(table["message"]),
        description=str(table["description"]),
        when=condition,
        values=dict(values),
        text=str(table["text"]),
        origin=origin,
    )


def _parse_condition(node: Any, where: str, problems: list[str]) -> Condition | None:
    if not isinstance(node, dict):
        problems.append(f"{where}: a condition must be a table, not {node!r}.")
        return None
    for key, kind in (("all", AllOf), ("any", AnyOf), ("none", NoneOf)):
        if key in node:
            children = node[key]
            if len(node) != 1 or not isinstance(children, list) or not children:
                problems.append(f"{where}: '{key}' takes a non-empty list and stands alone.")
                return None
            parsed = [_parse_condition(child, where, problems) for child in children]
            if any(c is None for c in parsed):
                return None
            return kind(tuple(c for c in parsed if c is not None))
    ops = [key for key in node if key != "path"]
    if "path" not in node or len(ops) != 1 or ops[0] not in OPERATORS:
        problems.append(
            f"{where}: condition {node!r} needs a path and one of {', '.join(OPERATORS)}."
        )
        return None
    op = ops[0]
    operand = node[op]
    if isinstance(operand, dict):
        keys = set(operand) - {"scale"}
        scale = operand.get("scale", 1.0)
        if keys not in ({"path"}, {"setting"}) or not isinstance(scale, int | float):
            problems.append(
                f"{where}: operand {operand!r} must be {{path = ...}} or {{setting = ...}}, "
                "with an optional numeric scale."
            )
            return None
        operand = Ref(path=operand.get("path"), setting=operand.get("setting"), scale=float(scale))
    if op == "between" and not (isinstance(operand, list) and len(operand) == 2):
        problems.append(f"{where}: between takes [low, high].")
        return None
    if op == "in" and not isinstance(operand, list):
        problems.append(f"{where}: in takes a list.")
        return None
    return Compare(path=str(node["path"]), op=op, operand=operand)
