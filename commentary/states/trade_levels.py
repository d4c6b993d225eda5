"""The levels a trader watches, within reach of the close: the candidates a bottom line and the
"Key Levels to Watch" choose from.

Pivot clusters alone made poor levels: in a blind comparison our "nearest resistance" sat 20-40%
above the close while recent closes sat within a few percent. The candidates here are what a
trader reads off the chart:

- recent closes (the previous session's, and each closing turn of the last ``recent_sessions``),
  the previous session's high and low, today's high and low;
- the closing low (high) the last time price closed below (above) today's close, when that was
  before the recent sessions ("the December 24, 2018 closing low": dated to the day, not the month);
- a gap's far edge (the previous close, when today's range never got back to it);
- the 50- and 200-day averages;
- the 10% and 20% lines below the closing high (a correction, a bear market);
- the last swing high and low, the support and resistance clusters, the all-time high and a level
  broken today.

Each carries its distance from the close in ATRs (average daily ranges). Only those within
``reach_atr`` are kept; candidates within ``merge_atr`` of each other are one level, named by the
best-known kind (``PRIORITY``). "Nearest" is then the nearest among all of them on each side.
"""

from __future__ import annotations

import datetime as dt
import math
import operator
from dataclasses import dataclass

import numpy as np

from ..bars import Bars
from ..events.records import previous_close_was_record
from ..indicators.levels import Level, Pivots
from ..indicators.series import to_date
from ..settings import LevelSettings

#: Kinds in the order that names a merged level (first wins): a level a reader already knows.
#: A level broken today that sits on an average or a record is named as that line: "the breakout
#: level near $92.50" was Amazon's 200-day average, reclaimed that day (review 4).
PRIORITY = (
    "all-time high",
    "record close",
    "200-day average",
    "50-day average",
    "broken level",
    "20% line",
    "10% line",
    "closing low",
    "closing high",
    "gap edge",
    "day's low",
    "day's high",
    "prior close",
    "recent close",
    "prior low",
    "prior high",
    "swing low",
    "swing high",
    "support",
    "resistance",
)

#: Kinds that are lines in their own right, kept however near the close (``noise_atr``): a gap,
#: the averages, the 10% and 20% lines, the record and a level broken today. Any other kind
#: nearer than ``noise_atr`` is where price is trading, today's own high and low too: "a close
#: above today's high at $391.70" was $2.24 over Nvidia's close, under its $394.80 record (May
#: 26, 2023, review 3).
NAMED_LINES = frozenset(
    {"broken level", "all-time high", "record close", "200-day average", "50-day average",
     "20% line", "10% line", "gap edge"}
)  # fmt: skip

#: A candidate before its distance is measured: (price, kind, date, touches).
_Raw = tuple[float, str, dt.date | None, int]
#: A candidate within reach: (distance in ATRs, above, rank in ``PRIORITY``, *_Raw).
_Candidate = tuple[float, bool, int, float, str, dt.date | None, int]
#: A kind's place in ``PRIORITY`` (``PRIORITY.index`` in the merge loop was a measurable cost).
_RANK = {kind: rank for rank, kind in enumerate(PRIORITY)}
_DISTANCE = operator.itemgetter(0)
_RANK_DISTANCE = operator.itemgetter(2, 0)


@dataclass(frozen=True)
class TradeLevel:
    """A price a trader watches, and how far it is from the close."""

    price: float
    #: One of ``PRIORITY``.
    kind: str
    #: The session it comes from (a close, a high, a swing, the closing high of a 10% line);
    #: None for the moving averages.
    date: dt.date | None
    #: True above the close (resistance), False below (support).
    above: bool
    #: Distance from the close in ATRs, always positive.
    atr: float
    #: Distance from the close in percent of the close, always positive.
    pct: float
    #: Pivots in the cluster (support, resistance and a broken level); 0 for the rest.
    touches: int = 0


def trade_levels(
    bars: Bars,
    series: dict[str, np.ndarray],
    pivots: Pivots,
    clusters: tuple[Level, ...],
    broken: Level | None,
    settings: LevelSettings,
) -> tuple[TradeLevel, ...]:
    """The candidates within reach of the last close, nearest first (see the module doc)."""
    close = float(bars.close[-1])
    atr = float(series["atr_14"][-1])
    if len(bars) < 2 or not math.isfinite(atr) or atr <= 0:
        return ()
    dates = bars.dates
    # The last two sessions as Python numbers, read once (numpy scalars cost more per use).
    prior_high, day_high = bars.high[-2:].tolist()
    prior_low, day_low = bars.low[-2:].tolist()
    prior_close = float(bars.close[-2])
    prior_day, today = dates[-2:].tolist()
    # The gap: from the previous close to the nearest edge of today's range (0 when it traded
    # back through it).
    gap = max(day_low - prior_close, prior_close - day_high, 0.0)
    gapped = gap >= settings.gap_edge_atr * atr
    # The previous close is a record when it topped every close before it: "the record close"
    # a trader watches the day after (Amazon's $120.41, April 16, 2020), not "Thursday's close".
    record = previous_close_was_record(bars.close)
    kind = "gap edge" if gapped else "record close" if record else "prior close"
    raw: list[_Raw] = [
        (day_high, "day's high", today, 0),
        (day_low, "day's low", today, 0),
        (prior_close, kind, prior_day, 0),
        (prior_high, "prior high", prior_day, 0),
        (prior_low, "prior low", prior_day, 0),
    ]
    raw.extend(_closing_turns(bars, settings.recent_sessions))
    raw.extend(_last_time_here(bars, settings.recent_sessions))
    for name, kind in (("sma_50", "50-day average"), ("sma_200", "200-day average")):
        value = series.get(name)
        if value is not None and value.size and math.isfinite(float(value[-1])):
            raw.append((float(value[-1]), kind, None, 0))
    peak = int(bars.close.argmax())
    peak_close, peak_day = float(bars.close[peak]), to_date(dates[peak])
    raw.append((peak_close * 0.9, "10% line", peak_day, 0))
    raw.append((peak_close * 0.8, "20% line", peak_day, 0))
    if pivots.highs.size:
        swing = pivots.highs[-1]
        raw.append((float(bars.high[swing]), "swing high", to_date(dates[swing]), 0))
    if pivots.lows.size:
        swing = pivots.lows[-1]
        raw.append((float(bars.low[swing]), "swing low", to_date(dates[swing]), 0))
    for level in clusters:
        kind = "resistance" if level.price > close else "support"
        raw.append((level.price, kind, level.last_touch, level.touches))
    top = int(bars.high.argmax())
    raw.append((float(bars.high[top]), "all-time high", to_date(dates[top]), 0))
    if broken is not None:
        raw.append((broken.price, "broken level", None, broken.touches))

    # Filter and merge plain tuples; only the few levels kept become objects.
    found: list[_Candidate] = []
    for price, kind, when, touches in raw:
        distance = abs(price - close) / atr
        if not math.isfinite(price) or price <= 0 or distance < settings.min_distance_atr:
            continue
        if distance > settings.reach_atr:
            continue
        if distance < settings.noise_atr and kind not in NAMED_LINES:
            continue
        found.append((distance, price > close, _RANK[kind], price, kind, when, touches))
    return tuple(
        TradeLevel(price, kind, when, above, distance, abs(price / close - 1) * 100, touches)
        for distance, above, _, price, kind, when, touches in _merged(found, settings.merge_atr)
    )


def _closing_turns(bars: Bars, sessions: int) -> list[_Raw]:
    """Closes of the last ``sessions`` before today that turned (a close above both neighbours
    or below both): the closes a chart reader marks, not every close in between."""
    last = len(bars) - 1
    first = max(1, last - sessions)
    # A dozen closes: Python floats compare faster than numpy scalars or small-array calls.
    recent = bars.close[first - 1 : last].tolist()
    turns: list[_Raw] = []
    for k in range(1, len(recent) - 1):
        before, now, after = recent[k - 1], recent[k], recent[k + 1]
        if (now > before and now >= after) or (now < before and now <= after):
            turns.append((now, "recent close", to_date(bars.dates[first - 1 + k]), 0))
    return turns


def _last_time_here(bars: Bars, sessions: int) -> list[_Raw]:
    """The closing low the last time price was below today's close, and the closing high the last
    time it was above ("the December 24, 2018 closing low"), when older than the recent closes."""
    close = bars.close
    last = len(close) - 1
    today = float(close[last])
    recent = close[max(0, last - sessions) : last].tolist()
    found: list[_Raw] = []
    for below, kind in ((True, "closing low"), (False, "closing high")):
        # Usually a recent close already lies on that side, and that rules the candidate out
        # without reading the whole history.
        if any(value < today if below else value > today for value in recent):
            continue
        k = _last_beyond(close, last - len(recent), today, below)
        if k < 0:
            continue
        while k > 0 and (close[k - 1] < close[k] if below else close[k - 1] > close[k]):
            k -= 1
        found.append((float(close[k]), kind, to_date(bars.dates[k]), 0))
    return found


def _last_beyond(close: np.ndarray, end: int, today: float, below: bool) -> int:
    """The last index before ``end`` whose close is below (above) ``today``; -1 if none.

    Searched backwards in growing windows: the answer is usually a few months back, not years.
    """
    window = 64
    while end > 0:
        start = max(0, end - window)
        chunk = close[start:end]
        beyond = np.flatnonzero(chunk < today if below else chunk > today)
        if beyond.size:
            return start + int(beyond[-1])
        end, window = start, window * 4
    return -1


def _merged(found: list[_Candidate], merge_atr: float) -> list[_Candidate]:
    """One level per group of candidates within ``merge_atr`` of the group's nearest, named by
    the best-known kind; each side nearest first."""
    kept: list[_Candidate] = []
    for above in (False, True):
        # Stable sorts on the distance alone: ties keep the order the candidates were listed in.
        side = sorted((c for c in found if c[1] == above), key=_DISTANCE)
        begin = 0
        while begin < len(side):
            end = begin + 1
            while end < len(side) and side[end][0] - side[begin][0] <= merge_atr:
                end += 1
            group = side[begin:end]
            kept.append(group[0] if len(group) == 1 else min(group, key=_RANK_DISTANCE))
            begin = end
    return sorted(kept, key=_DISTANCE)
