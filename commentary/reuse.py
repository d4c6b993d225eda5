"""Work many articles share (a batch's benchmarks: their analysis, facts, previous session and
ledger entry), done once per process. A stage takes a ``Share``: ``Reuse`` for a batch,
``unshared`` for a lone article."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from .bars import Bars

T = TypeVar("T")

#: (stage, bars, compute) -> the result, computed once for a shared symbol.
Share = Callable[[str, Bars, Callable[[], Any]], Any]


class Reuse:
    """Work on the symbols many articles share, done once per process.

    Results are keyed by stage, symbol and the bars' extent, so they hold while the source,
    settings and rules stay the same, as within one batch run. Only ``symbols`` are kept: the
    thousands of tickers that appear once are never held in memory.
    """

    def __init__(self, symbols: Iterable[str] = ()) -> None:
        self.symbols = set(symbols)
        self.kept: dict[tuple[str, str, int, str, str], Any] = {}

    def __call__(self, stage: str, bars: Bars, compute: Callable[[], T]) -> T:
        if bars.symbol not in self.symbols:
            return compute()
        key = (stage, bars.symbol, len(bars), str(bars.last_date), bars.origin)
        if key not in self.kept:
            self.kept[key] = compute()
        return self.kept[key]  # type: ignore[no-any-return]


def unshared(stage: str, bars: Bars, compute: Callable[[], T]) -> T:
    """What ``Reuse`` does when nothing is shared."""
    return compute()
