"""What the analysis stages hand on: states per instrument and comparison, and their facts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .bars import Bars
from .indicators import Indicators
from .quality import QualityIssue
from .rules import Fact
from .states import PairStates, SymbolStates
from .symbols import Instrument


@dataclass(frozen=True)
class InstrumentAnalysis:
    instrument: Instrument
    bars: Bars
    indicators: Indicators
    states: SymbolStates


@dataclass(frozen=True)
class Analysis:
    """Everything known about the requested symbols as of one session."""

    as_of: dt.date
    instruments: tuple[InstrumentAnalysis, ...]
    comparisons: tuple[PairStates, ...]
    #: Data-quality notes the article must show (issues that were not refused).
    quality: tuple[QualityIssue, ...] = ()


@dataclass(frozen=True)
class FactSheet:
    """The facts of every instrument and every comparison, as the rules produced them."""

    symbols: dict[str, tuple[Fact, ...]]
    pairs: dict[tuple[str, str], tuple[Fact, ...]]

    def for_symbol(self, symbol: str) -> tuple[Fact, ...]:
        return self.symbols.get(symbol, ())

    def for_pair(self, symbol: str, benchmark: str) -> tuple[Fact, ...]:
        return self.pairs.get((symbol, benchmark), ())
