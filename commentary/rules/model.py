"""Rules and the facts they produce.

A rule is data: a condition over state fields, a polarity, a salience, a message type and the
values to carry. Built-in rules live in ``builtin.toml`` and are loaded exactly like a user's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal

Scope = Literal["symbol", "pair"]
SECTIONS = (
    "performance",
    "trend",
    "levels",
    "momentum",
    "averages",
    "volume",
    "rating",
    "relative",
)


class Polarity(Enum):
    BULLISH = "bullish"
    BEARISH = "bearish"
    NEUTRAL = "neutral"


@dataclass(frozen=True)
class Ref:
    """A value read from the states (``path``) or from the settings (``setting``), times ``scale``
    (``scale = -1.0`` turns a threshold such as a 2 % move into its downside twin)."""

    path: str | None = None
    setting: str | None = None
    scale: float = 1.0


@dataclass(frozen=True)
class Compare:
    """``path <op> operand``; ``op`` is one of eq ne lt le gt ge in between exists."""

    path: str
    op: str
    operand: Any


@dataclass(frozen=True)
class AllOf:
    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class NoneOf:
    conditions: tuple[Condition, ...]


Condition = Compare | AllOf | AnyOf | NoneOf


@dataclass(frozen=True)
class Rule:
    """One registered rule. Within a ``topic``, the first rule that matches wins, so two facts
    on one topic (golden and death cross, overbought and oversold) can never both be stated."""

    id: str
    topic: str
    scope: Scope
    section: str
    polarity: Polarity
    salience: float
    message: str
    description: str
    when: Condition
    values: Mapping[str, str]
    text: str
    origin: str = "builtin"
    #: The line of the rule in its file, for messages (0 when not from a file).
    line: int = 0
    #: A state path whose 0..1 value is the fact's salience (rarity, docs/salience.md); when set,
    #: ``salience`` is unused.
    salience_path: str | None = None


@dataclass(frozen=True)
class Fact:
    """A statement about one subject with the exact numbers behind it. Its provenance (as-of
    date, rule, rule file) is ``as_of``, ``id`` and ``rule_origin``."""

    id: str
    subject: str
    section: str
    polarity: Polarity
    salience: float
    message: str
    topic: str
    values: Mapping[str, Any]
    text: str
    as_of: dt.date
    rule_origin: str = "builtin"
