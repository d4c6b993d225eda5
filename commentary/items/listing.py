"""What the bars and the declared facts support about an item's symbol.

A listing's history is short, so its first bar is its first session: the first-day move and the
opening pop are measured against the declared offer price, the performance since listing
against the benchmark over the same sessions, the valuation from the declared shares at the last
close. A history longer than a year is not a new listing's: only the last close is taken from it.
Indicators the history is too short for are named, never computed.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from ..bars import Bars
from .model import Computed, Item

#: Indicators a new listing may be too young for, with the sessions each needs.
NEEDS = (("14-day RSI", 15), ("50-day average", 50), ("200-day average", 200))
_NEW_LISTING_SESSIONS = 252


def compute(item: Item, bars: Bars | None, benchmark: Bars | None) -> Computed:
    """The figures ``item`` supports, from its declared facts and its bars (cut at the as-of)."""
    offer = item.value("offer_price")
    shares = item.value("shares_outstanding")
    first_open, first_close = item.value("open"), item.value("close")
    sessions, first_date, last_date, last_close = 0, None, None, first_close
    since = bench_since = None
    too_new: tuple[tuple[str, int], ...] = ()
    if bars is not None and len(bars) > 0:
        sessions = len(bars)
        last_close = float(bars.close[-1])
        last_date = _day(bars.dates[-1])
        if sessions <= _NEW_LISTING_SESSIONS:
            first_open, first_close = float(bars.open[0]), float(bars.close[0])
            first_date = _day(bars.dates[0])
            if sessions > 1:
                since = _pct(last_close, first_close)
                bench_since = _benchmark_since(benchmark, bars)
            too_new = tuple((name, need) for name, need in NEEDS if sessions < need)
    price = last_close if last_close is not None else first_close
    return Computed(
        sessions=sessions, first_date=first_date, first_open=first_open, first_close=first_close,
        last_date=last_date, last_close=last_close,
        opening_pop_pct=_pct(first_open, offer), first_day_pct=_pct(first_close, offer),
        since_listing_pct=since, benchmark_since_pct=bench_since,
        valuation=shares * price if shares is not None and price is not None else None,
        too_new_for=too_new,
    )  # fmt: skip


def _pct(value: float | None, base: float | None) -> float | None:
    if value is None or base is None or base == 0:
        return None
    return (value / base - 1.0) * 100.0


def _day(value: np.datetime64) -> str:
    return str(value.astype("datetime64[D]"))


def _benchmark_since(benchmark: Bars | None, bars: Bars) -> float | None:
    """The benchmark's move from the listing's first session to its last (both must be there)."""
    if benchmark is None:
        return None
    dates = benchmark.dates.astype("datetime64[D]")
    first, last = (bars.dates[i].astype("datetime64[D]") for i in (0, -1))
    i, j = np.searchsorted(dates, first), np.searchsorted(dates, last)
    if j >= dates.size or dates[i] != first or dates[j] != last:
        return None
    return _pct(float(benchmark.close[j]), float(benchmark.close[i]))


def as_date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None
