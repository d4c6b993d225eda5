"""The pipeline top-down: sources → bars → indicators → states → ledger.

Each step is a pure function of the previous one; only ``analyse`` touches a source.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .bars import Bars, require_sessions
from .errors import DataWarning, UsageError
from .indicators import Indicators, compute_indicators
from .settings import DEFAULT_SETTINGS, Settings
from .sources import Source, open_source
from .states import PairStates, SymbolStates, classify, classify_pair
from .symbols import Instrument, describe, normalise_symbol


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


def parse_day(text: str | None) -> dt.date | None:
    """``YYYY-MM-DD`` as a date, or ``UsageError`` saying how to write it.

    >>> parse_day("2018-12-31")
    datetime.date(2018, 12, 31)
    """
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"{text!r} is not a date; write it as YYYY-MM-DD, e.g. 2018-12-31."
        ) from None


def load(
    symbols: Sequence[str],
    source: Source,
    as_of: dt.date | None = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> dict[str, Bars]:
    """Bars for each symbol, all cut at one as-of session so no stage can see later bars.

    Without ``as_of`` the cut is the earliest last session among the symbols, so an article
    never mixes dates; a warning names the symbols whose later data is set aside.
    """
    loaded = {symbol: source.load(symbol) for symbol in dict.fromkeys(symbols)}
    cut = np.datetime64(as_of, "D") if as_of else min(b.last_date for b in loaded.values())
    if as_of is None:
        later = [s for s, b in loaded.items() if b.last_date > cut]
        if later:
            warnings.warn(
                f"{', '.join(later)} data runs past {cut}, where the shortest history ends; "
                f"reporting as of {cut} (pass --as-of to choose the date).",
                DataWarning,
                stacklevel=2,
            )
    bars = {symbol: b.until(cut) for symbol, b in loaded.items()}
    for b in bars.values():
        require_sessions(b, settings.data.min_sessions)
    return bars


def analyse(
    symbols: Sequence[str],
    benchmark: str | None = None,
    source: Source | None = None,
    as_of: dt.date | None = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> Analysis:
    """Indicators and states for ``symbols`` (and the benchmark), and each symbol against it."""
    names = [normalise_symbol(s) for s in symbols]
    bench = normalise_symbol(benchmark) if benchmark else None
    if not names:
        raise UsageError("name at least one symbol, e.g. ^GSPC.")
    everyone = [*names, bench] if bench and bench not in names else names
    bars = load(everyone, source or open_source(settings=settings), as_of, settings)
    instruments = []
    for symbol in dict.fromkeys(everyone):
        indicators = compute_indicators(bars[symbol])
        states = classify(bars[symbol], indicators, settings)
        instruments.append(InstrumentAnalysis(describe(symbol), bars[symbol], indicators, states))
    comparisons = tuple(
        classify_pair(bars[s], bars[bench]) for s in dict.fromkeys(names) if bench and s != bench
    )
    return Analysis(
        as_of=max(i.states.date for i in instruments),
        instruments=tuple(instruments),
        comparisons=comparisons,
    )
