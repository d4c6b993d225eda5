"""The rules engine: states in, facts out.

Rules are evaluated in order; within a topic the first rule that matches speaks and the rest stay
silent, so one subject can never get two facts on one topic (golden and death cross, overbought
and oversold). User rules come before the built-in ones, so they take precedence in their topic,
and a user rule with a built-in rule's id replaces it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import RuleError
from ..settings import DEFAULT_SETTINGS, Settings
from ..states import PairStates, SymbolStates
from .loader import PLACEHOLDER, load_rules, parse_rules
from .model import AllOf, AnyOf, Compare, Condition, Fact, NoneOf, Ref, Rule, Scope


def resolve(root: Any, path: str) -> Any:
    """The value at a dotted ``path`` below ``root`` (attributes, then mapping keys).

    Enums become their values; a missing link anywhere gives ``None``.
    """
    value = root
    for part in path.split("."):
        if value is None:
            return None
        if isinstance(value, Mapping):
            value = value.get(int(part) if part.isdigit() else part)
        else:
            value = getattr(value, part, None)
    return value.value if isinstance(value, Enum) else value


def _comparable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def matches(condition: Condition, root: Any, settings: Settings) -> bool:
    """Whether ``condition`` holds for ``root``; a comparison with a missing value is false."""
    if isinstance(condition, AllOf):
        return all(matches(c, root, settings) for c in condition.conditions)
    if isinstance(condition, AnyOf):
        return any(matches(c, root, settings) for c in condition.conditions)
    if isinstance(condition, NoneOf):
        return not any(matches(c, root, settings) for c in condition.conditions)
    return _compare(condition, root, settings)


def _operand(value: Any, root: Any, settings: Settings) -> Any:
    if isinstance(value, Ref):
        found = resolve(root, value.path) if value.path else resolve(settings, value.setting or "")
        if value.scale != 1.0 and found is not None:
            return found * value.scale
        return _comparable(found)
    if isinstance(value, list):
        return [_operand(v, root, settings) for v in value]
    return value


def _compare(condition: Compare, root: Any, settings: Settings) -> bool:
    value = _comparable(resolve(root, condition.path))
    operand = _operand(condition.operand, root, settings)
    op = condition.op
    if op == "exists":
        return (value is not None) == bool(operand)
    if value is None or operand is None:
        return False
    try:
        if op == "eq":
            return bool(value == operand)
        if op == "ne":
            return bool(value != operand)
        if op == "in":
            return value in operand
        if op == "between":
            low, high = operand
            return low is not None and high is not None and bool(low <= value <= high)
        return bool(
            {"lt": value < operand, "le": value <= operand, "gt": value > operand,
             "ge": value >= operand}[op]
        )  # fmt: skip
    except TypeError:
        raise RuleError(
            f"rule condition on {condition.path} compares {value!r} with {operand!r}; "
            "compare like with like."
        ) from None


def render_text(template: str, values: Mapping[str, Any]) -> str:
    """Fill ``{name}`` / ``{name:.1f}`` placeholders; nothing else in the string is interpreted.

    >>> render_text("RSI neutral at {rsi:.1f}", {"rsi": 52.61})
    'RSI neutral at 52.6'
    """

    def fill(match: Any) -> str:
        value = values[match.group(1)]
        if value is None:
            return "n/a"
        return format(value, match.group(2) or "")

    return PLACEHOLDER.sub(fill, template)


@dataclasses.dataclass(frozen=True)
class RuleBook:
    """The rules in evaluation order."""

    rules: tuple[Rule, ...]

    @classmethod
    def load(cls, extra: Sequence[Path] = ()) -> RuleBook:
        """The built-in rules, with the rules of ``extra`` files first and replacing same ids."""
        builtin = parse_rules(
            resources.files(__package__).joinpath("builtin.toml").read_text(encoding="utf-8"),
            "builtin",
        )
        user = [rule for path in extra for rule in load_rules(path)]
        replaced = {rule.id for rule in user}
        rules = (*user, *(rule for rule in builtin if rule.id not in replaced))
        # The built-in rules' paths are checked by the test suite; checking them here would cost
        # a cold start more than the rest of the rules stage. A user's rules are checked here.
        problems = [p for rule in user for p in path_problems(rule)]
        if problems:
            raise RuleError(f"{len(problems)} problem(s) in rules:\n" + "\n".join(problems))
        return cls(rules)

    def evaluate(
        self, root: SymbolStates | PairStates, subject: str, as_of: dt.date,
        settings: Settings = DEFAULT_SETTINGS,
    ) -> tuple[Fact, ...]:  # fmt: skip
        """The facts ``root`` earns: at most one per topic."""
        scope: Scope = "pair" if isinstance(root, PairStates) else "symbol"
        spoken: set[str] = set()
        facts = []
        for rule in self.rules:
            if rule.scope != scope or rule.topic in spoken:
                continue
            if not matches(rule.when, root, settings):
                continue
            values = {name: resolve(root, path) for name, path in rule.values.items()}
            spoken.add(rule.topic)
            facts.append(
                Fact(
                    id=rule.id,
                    subject=subject,
                    section=rule.section,
                    polarity=rule.polarity,
                    salience=_salience(rule, root),
                    message=rule.message,
                    topic=rule.topic,
                    values=values,
                    text=render_text(rule.text, values),
                    as_of=as_of,
                    rule_origin=rule.origin,
                )
            )
        return tuple(facts)


def _salience(rule: Rule, root: Any) -> float:
    """The rule's fixed salience, or the rarity its ``salience_path`` reads (0 when missing)."""
    if rule.salience_path is None:
        return rule.salience
    value = resolve(root, rule.salience_path)
    return min(1.0, max(0.0, float(value))) if isinstance(value, int | float) else 0.0


_ROOTS: dict[str, type] = {"symbol": SymbolStates, "pair": PairStates}


def path_problems(rule: Rule) -> list[str]:
    """Every state path in ``rule`` that does not exist on its scope's states."""
    root = _ROOTS[rule.scope]
    paths = [*rule.values.values(), *_condition_paths(rule.when)]
    if rule.salience_path is not None:
        paths.append(rule.salience_path)
    return [
        f"  {rule.origin}: rule {rule.id}: no state field {path!r} for scope {rule.scope}."
        for path in paths
        if not _path_exists(root, path)
    ]


def _condition_paths(condition: Condition) -> Iterable[str]:
    if isinstance(condition, Compare):
        yield condition.path
        operands = condition.operand if isinstance(condition.operand, list) else [condition.operand]
        for operand in operands:
            if isinstance(operand, Ref) and operand.path:
                yield operand.path
        return
    for child in condition.conditions:
        yield from _condition_paths(child)


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    # get_type_hints re-evaluates string annotations on every call: slow enough to matter at start.
    return typing.get_type_hints(cls)


@functools.cache
def _path_exists(cls: Any, path: str) -> bool:
    current: Any = cls
    for part in path.split("."):
        current = _unwrap(current)
        if dataclasses.is_dataclass(current) and isinstance(current, type):
            hints = _hints(current)
            if part in hints:
                current = hints[part]
                continue
            member = getattr(current, part, None)
            if isinstance(member, property):
                current = typing.get_type_hints(member.fget).get("return", Any)
                continue
            return False
        if typing.get_origin(current) in (dict, Mapping):
            current = typing.get_args(current)[1]
            continue
        return False
    return True


def _unwrap(hint: Any) -> Any:
    """``X | None`` → ``X``."""
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if typing.get_origin(hint) in (typing.Union, types.UnionType) and len(args) == 1:
        return args[0]
    return hint
