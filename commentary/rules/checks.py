"""Checking a user's rules against what they may read, before any rule runs.

A rule reads state fields (``path``) and settings (``setting``) by dotted name. Each name is
followed through the declared fields of the frozen dataclasses only (type hints and properties,
then the values of typed mappings), never through Python's own attributes, so a rule can name
``momentum.rsi`` or ``facts.min_streak`` but never reach ``__class__.__init__.__globals__``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import types
import typing
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import Any

from ..settings import Settings
from ..states import PairStates, SymbolStates
from .loader import PLACEHOLDER, parse_rules
from .model import Compare, Condition, Ref, Rule

_ROOTS: dict[str, type] = {"symbol": SymbolStates, "pair": PairStates}
_MISSING = object()


def path_problems(rule: Rule) -> list[str]:
    """Every problem with what ``rule`` reads: a state field its scope lacks, a setting that is
    not a number, a ``scale`` on something that is not a number, a format its value rejects."""
    where = f"{rule.origin}:{rule.line}: rule {rule.id}"
    root = _ROOTS[rule.scope]
    problems = []
    for path in state_paths(rule):
        if leaf(root, path) is _MISSING:
            problems.append(f"{where}: no state field {path!r} for scope {rule.scope}.")
    for ref in _refs(rule.when):
        if ref.setting is not None and not _is_number(leaf(Settings, ref.setting)):
            problems.append(
                f"{where}: no setting {ref.setting!r} holding a number; settings are named "
                "section.name, e.g. facts.min_streak."
            )
        elif ref.path is not None and ref.scale != 1.0:
            found = leaf(root, ref.path)
            if found is not _MISSING and not _is_number(found):
                problems.append(f"{where}: scale applies to numbers, and {ref.path} is not one.")
    for name, spec in PLACEHOLDER.findall(rule.text):
        found = leaf(root, rule.values[name]) if name in rule.values else _MISSING
        if spec and not _formats(found, spec):
            problems.append(
                f"{where}: text placeholder {{{name}:{spec}}} cannot format "
                f"{rule.values[name]}; drop the format or choose one for its type."
            )
    return problems + _message_problems(rule, where)


def state_paths(rule: Rule) -> list[str]:
    """Every state field ``rule`` reads: in its condition, its values and its salience."""
    paths = [*rule.values.values(), *_condition_paths(rule.when)]
    if rule.salience_path is not None:
        paths.append(rule.salience_path)
    return paths


def _message_problems(rule: Rule, where: str) -> list[str]:
    """A rule phrased by a built-in message type must carry the values that phrasing reads,
    of the kinds it reads them as (a template doing arithmetic on text would fail mid-article)."""
    needs = _message_needs().get(rule.message, {})
    problems = []
    root = _ROOTS[rule.scope]
    for name, kinds in sorted(needs.items()):
        if name not in rule.values:
            problems.append(
                f"{where}: message {rule.message} needs a value named {name} "
                f"({' or '.join(sorted(kinds))}), as the built-in {rule.message} rules carry."
            )
        elif (kind := _kind(leaf(root, rule.values[name]))) not in kinds:
            problems.append(
                f"{where}: value {name} of message {rule.message} must be "
                f"{' or '.join(sorted(kinds))}, and {rule.values[name]} is {kind}."
            )
    return problems


@functools.cache
def _message_needs() -> dict[str, dict[str, frozenset[str]]]:
    """Per built-in message type: the value names every built-in rule of that type carries,
    with the kinds of value they hold."""
    text = resources.files(__package__).joinpath("builtin.toml").read_text(encoding="utf-8")
    needs: dict[str, dict[str, frozenset[str]]] = {}
    for rule in parse_rules(text, "builtin"):
        root = _ROOTS[rule.scope]
        kinds = {name: frozenset({_kind(leaf(root, path))}) for name, path in rule.values.items()}
        known = needs.setdefault(rule.message, kinds)
        for name in list(known):
            if name in kinds:
                known[name] = known[name] | kinds[name]
            else:
                del known[name]
    return needs


def _kind(hint: Any) -> str:
    if hint is bool:
        return "true or false"
    if hint in (int, float):
        return "a number"
    if hint is str or (isinstance(hint, type) and issubclass(hint, enum.Enum)):
        return "text"
    if hint is dt.date:
        return "a date"
    return "a list or table"


def _condition_paths(condition: Condition) -> Iterable[str]:
    if isinstance(condition, Compare):
        yield condition.path
        for ref in _refs(condition):
            if ref.path:
                yield ref.path
        return
    for child in condition.conditions:
        yield from _condition_paths(child)


def _refs(condition: Condition) -> Iterable[Ref]:
    if isinstance(condition, Compare):
        operands = condition.operand if isinstance(condition.operand, list) else [condition.operand]
        yield from (operand for operand in operands if isinstance(operand, Ref))
        return
    for child in condition.conditions:
        yield from _refs(child)


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    # get_type_hints re-evaluates string annotations on every call: slow enough to matter at start.
    return typing.get_type_hints(cls)


@functools.cache
def leaf(cls: Any, path: str) -> Any:
    """The declared type at ``path`` below the dataclass ``cls``, or ``_MISSING``."""
    current: Any = cls
    for part in path.split("."):
        current = _unwrap(current)
        if part.startswith("_"):
            return _MISSING
        if dataclasses.is_dataclass(current) and isinstance(current, type):
            hints = _hints(current)
            if part in hints:
                current = hints[part]
                continue
            member = getattr(current, part, None)
            if isinstance(member, property):
                current = typing.get_type_hints(member.fget).get("return", Any)
                continue
            return _MISSING
        if typing.get_origin(current) in (dict, Mapping):
            current = typing.get_args(current)[1]
            continue
        return _MISSING
    return _unwrap(current)


def _unwrap(hint: Any) -> Any:
    """``X | None`` → ``X``."""
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if typing.get_origin(hint) in (typing.Union, types.UnionType) and len(args) == 1:
        return args[0]
    return hint


def _is_number(hint: Any) -> bool:
    return hint in (int, float)


def _formats(hint: Any, spec: str) -> bool:
    """Whether a value of type ``hint`` accepts the format ``spec`` (unknown types pass: the
    engine still refuses, in one line, a value that does not)."""
    sample: Any
    if hint in (int, float, bool, str):
        sample = hint(1) if hint is not str else "text"
    elif hint is dt.date:
        sample = dt.date(2000, 1, 3)
    elif isinstance(hint, type) and issubclass(hint, enum.Enum):
        sample = next(iter(hint)).value  # the engine hands on an enum's value
    else:
        return True
    try:
        format(sample, spec)
    except (ValueError, TypeError):
        return False
    return True
