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
from collections.abc import Mapping, Sequence
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import RuleError
from ..settings import DEFAULT_SETTINGS, Settings
from ..states import PairStates, SymbolStates
from .checks import path_problems, state_paths
from .loader import PLACEHOLDER, load_rules, parse_rules, rule_problems
from .model import AllOf, AnyOf, Compare, Condition, Fact, NoneOf, Ref, Rule, Scope


def resolve(root: Any, path: str) -> Any:
    """The value at a dotted ``path`` below ``root`` (attributes, then mapping keys).

    Enums become their values; a missing link anywhere gives ``None``, and so does a name
    starting with ``_``: a path reads declared fields, never Python's internals.
    """
    steps = _steps(path)
    if steps is None:
        return None
    value = root
    for part, key in steps:
        if value is None:
            return None
        value = value.get(key) if _is_mapping(type(value)) else getattr(value, part, None)
    return value.value if isinstance(value, Enum) else value


@functools.lru_cache(maxsize=4096)
def _steps(path: str) -> tuple[tuple[str, str | int], ...] | None:
    """A path's links, each with its mapping key (digits as an int), split once: a batch
    resolves the same few hundred paths for every ticker. None when a link starts with ``_``."""
    parts = path.split(".")
    if any(part.startswith("_") for part in parts):
        return None
    return tuple((part, int(part) if part.isdigit() else part) for part in parts)


_MAPPING_TYPES: dict[type, bool] = {}


def _is_mapping(kind: type) -> bool:
    """``isinstance(value, Mapping)`` by the value's type, looked up once per type (the ABC
    check is the slowest step of a path otherwise)."""
    found = _MAPPING_TYPES.get(kind)
    if found is None:
        found = _MAPPING_TYPES[kind] = issubclass(kind, Mapping)
    return found


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
            if not isinstance(found, int | float):
                raise RuleError(
                    f"scale applies to numbers, and {value.path or value.setting} is "
                    f"{_kind(found)}; drop the scale."
                )
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
        # Name the kinds, never the values: a value reached through a path is not for printing.
        raise RuleError(
            f"the condition on {condition.path} compares {_kind(value)} with {_kind(operand)}; "
            "compare like with like."
        ) from None


def _kind(value: Any) -> str:
    """What a value is, in words, for a message that must not show the value itself."""
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dt.date | dt.time):
        return "a date or time"
    return f"a {type(value).__name__}"


def render_text(template: str, values: Mapping[str, Any]) -> str:
    """Fill ``{name}`` / ``{name:.1f}`` placeholders; nothing else in the string is interpreted.

    >>> render_text("RSI neutral at {rsi:.1f}", {"rsi": 52.61})
    'RSI neutral at 52.6'
    """

    def fill(match: Any) -> str:
        value = values[match.group(1)]
        if value is None:
            return "n/a"
        try:
            return format(value, match.group(2) or "")
        except (ValueError, TypeError):
            raise RuleError(
                f"text placeholder {match.group(0)} cannot format {_kind(value)}; "
                "drop the format or choose one for its type."
            ) from None

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
            raise rule_problems(problems)
        return cls(rules)

    def on_topics(self, topics: frozenset[str]) -> RuleBook:
        """The rules of ``topics`` alone: they earn the same facts on those topics as the whole
        book, because each topic's facts depend only on its own rules (one per topic). Kept
        on the book (frozen, not hashable: rules hold dicts), which a batch keeps for the run."""
        kept: dict[frozenset[str], RuleBook] = self.__dict__.setdefault("_on_topics", {})
        if topics not in kept:
            kept[topics] = RuleBook(tuple(rule for rule in self.rules if rule.topic in topics))
        return kept[topics]

    @functools.cached_property
    def reads_events(self) -> bool:
        """Whether any rule reads the events stage (``events.*``): without one, the states
        alone decide the facts, and the events need not be detected."""
        return any(
            path.split(".")[0] == "events" for rule in self.rules for path in state_paths(rule)
        )

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
            try:
                if not matches(rule.when, root, settings):
                    continue
                values = {name: resolve(root, path) for name, path in rule.values.items()}
                text = render_text(rule.text, values)
            except RuleError as error:
                raise RuleError(f"{rule.origin}:{rule.line}: rule {rule.id}: {error}") from None
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
                    text=text,
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


__all__ = ["RuleBook", "matches", "path_problems", "render_text", "resolve"]
