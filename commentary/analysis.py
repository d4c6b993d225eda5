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
    #: Data-quality issues that were not refused (the planner shows those that matter).
    quality: tuple[QualityIssue, ...] = ()
    #: Instruments and comparisons left out because their data does not reach ``as_of``.
    left_out: tuple[LeftOut, ...] = ()


@dataclass(frozen=True)
class LeftOut:
    """An instrument or a comparison the article does not speak about, and why."""

    kind: str  # "instrument" | "comparison"
    #: The symbol, or "SYMBOL vs BENCHMARK".
    subject: str
    #: How the article names it ("S&P 500", "Amazon vs. S&P 500").
    name: str
    #: The date the data (a comparison's: the sessions both series share) ends.
    last_date: dt.date
    #: What the reader is told, one sentence naming the subject.
    note: str


@dataclass(frozen=True)
class FactSheet:
    """The facts of every instrument and every comparison, as the rules produced them."""

    symbols: dict[str, tuple[Fact, ...]]
    pairs: dict[tuple[str, str], tuple[Fact, ...]]

    def for_symbol(self, symbol: str) -> tuple[Fact, ...]:
        return self.symbols.get(symbol, ())

    def for_pair(self, symbol: str, benchmark: str) -> tuple[Fact, ...]:
        return self.pairs.get((symbol, benchmark), ())
