"""Change facts: what moved between the last issue and today, each with its exact values.

- ``level_recross``: today's level break is the second (or third...) crossing of that level
  within ``RECROSS_SESSIONS``: a pivot, not news (from the closes, so ``check`` can recount).
- ``level_crossed``: the close is past a support or resistance the last issue named.
- ``zone_change``: the RSI moved into another zone (oversold, below 50, above 50, overbought)
  by at least ``ZONE_MIN_MOVE`` points.
- ``cross_between``: a moving-average or MACD cross that happened after the last issue and
  before today (today's crosses are the rules' own facts).
- ``streak_ended``: a run of ``STREAK_MIN`` or more up (or down) closes, running at the last
  issue, ended since.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..analysis import InstrumentAnalysis
from ..rules import Fact, Polarity
from ..settings import Settings
from .model import (
    CROSS_BETWEEN,
    LEVEL_CROSSED,
    LEVEL_RECROSS,
    ORIGIN,
    STREAK_ENDED,
    ZONE_CHANGE,
    Since,
)

#: A level crossed again within this many sessions (today included) is a repeat crossing.
RECROSS_SESSIONS = 5
#: A previous level counts as today's break when within this fraction of it.
SAME_LEVEL = 0.005
ZONE_MIN_MOVE = 5.0
STREAK_MIN = 4


def _fact(item: InstrumentAnalysis, kind: str, message: str, polarity: Polarity,
          salience: float, values: dict[str, Any], text: str, section: str) -> Fact:  # fmt: skip
    return Fact(
        id=f"changes.{kind}", subject=item.instrument.symbol, section=section,
        polarity=polarity, salience=salience, message=message,
        topic=f"changes.{kind.split('.')[0]}", values=values, text=text,
        as_of=item.states.date, rule_origin=ORIGIN,
    )  # fmt: skip


def _day(value: np.datetime64) -> dt.date:
    return value.astype("datetime64[D]").astype(object)  # type: ignore[no-any-return]


def level_recross(item: InstrumentAnalysis, facts: Sequence[Fact]) -> Fact | None:
    """Today's level break as a repeat, when the close crossed that level before, lately."""
    for fact in facts:
        if fact.topic != "levels.break":
            continue
        level = float(fact.values["level"])
        close = item.bars.close[-(RECROSS_SESSIONS + 1) :]
        dates = item.bars.dates[-(RECROSS_SESSIONS + 1) :]
        above = close > level
        crossings = [k for k in range(1, above.size) if above[k] != above[k - 1]]
        today = above.size - 1
        if len(crossings) < 2 or crossings[-1] != today:
            continue
        up = bool(above[today])
        opposite = max(k for k in crossings if above[k] != up)
        values = {
            "level": level, "close": float(close[today]),
            "direction": "above" if up else "below",
            "crossings": len(crossings),
            "times": sum(1 for k in crossings if above[k] == up),
            "sessions": today - crossings[0] + 1,
            "since_opposite": today - opposite,
            "first_date": _day(dates[crossings[0]]),
            "opposite_date": _day(dates[opposite]),
            "window": RECROSS_SESSIONS, "replaces": fact.id,
        }  # fmt: skip
        return _fact(
            item, f"level.recross.{values['direction']}", LEVEL_RECROSS,
            Polarity.BULLISH if up else Polarity.BEARISH, fact.salience, values,
            f"crossed {values['direction']} {level:,.2f} again: crossing {len(crossings)} in "
            f"{values['sessions']} sessions", "levels",
        )  # fmt: skip
    return None


def level_crossed(
    item: InstrumentAnalysis, previous: dict[str, Any], facts: Sequence[Fact], since: Since
) -> list[Fact]:
    """The last issue's support or resistance that the close has moved past since."""
    levels = previous.get("states", {}).get("levels") or {}
    before, now = previous.get("close"), item.states.close
    broken = [float(f.values["level"]) for f in facts if f.topic == "levels.break"]
    found = []
    for kind in ("resistance", "support"):
        level = levels.get(kind)
        if not level or before is None:
            continue
        price = float(level["price"])
        up = kind == "resistance" and before <= price < now
        down = kind == "support" and before >= price > now
        if not (up or down) or any(abs(b - price) <= SAME_LEVEL * price for b in broken):
            continue
        values = {"level": price, "kind": kind, "direction": "above" if up else "below",
                  "previous_close": before, "close": now, "since": since.as_of,
                  "sessions": since.sessions}  # fmt: skip
        found.append(_fact(
            item, f"level.crossed.{values['direction']}", LEVEL_CROSSED,
            Polarity.BULLISH if up else Polarity.BEARISH, 0.6, values,
            f"moved {values['direction']} the {kind} near {price:,.2f} since {since.as_of}",
            "levels",
        ))  # fmt: skip
    return found


def rsi_band(value: float, settings: Settings) -> str:
    """The RSI's zone, with the neutral zone split at its 50 midline."""
    if value >= settings.momentum.rsi_overbought:
        return "overbought"
    if value <= settings.momentum.rsi_oversold:
        return "oversold"
    return "above 50" if value >= 50 else "below 50"


def zone_change(
    item: InstrumentAnalysis, previous: dict[str, Any], since: Since, settings: Settings
) -> Fact | None:
    before = (previous.get("states", {}).get("momentum") or {}).get("rsi")
    now = item.states.momentum.rsi
    if before is None or not np.isfinite(now) or abs(now - before) < ZONE_MIN_MOVE:
        return None
    old, new = rsi_band(before, settings), rsi_band(now, settings)
    if old == new:
        return None
    values = {"gauge": "RSI", "before": float(before), "now": float(now), "from_zone": old,
              "to_zone": new, "rising": now > before, "since": since.as_of,
              "sessions": since.sessions}  # fmt: skip
    return _fact(
        item, "zone.rsi", ZONE_CHANGE, Polarity.BULLISH if now > before else Polarity.BEARISH,
        0.5, values, f"RSI moved from {before:.1f} ({old}) to {now:.1f} ({new})", "momentum",
    )  # fmt: skip


def crosses_between(item: InstrumentAnalysis, since: Since) -> list[Fact]:
    """Crosses after the last issue and before today (today's are the rules' facts)."""
    found = []
    averages, momentum = item.states.averages, item.states.momentum
    crosses = []
    if averages.cross is not None and averages.cross_age is not None:
        crosses.append(("averages", averages.cross.value, averages.cross_age,
                        averages.cross.value == "golden cross"))  # fmt: skip
    if momentum.macd_cross_age is not None:
        up = momentum.macd_above_signal
        crosses.append(("macd", f"{'bullish' if up else 'bearish'} MACD crossover",
                        momentum.macd_cross_age, up))  # fmt: skip
    for kind, name, age, up in sorted(crosses, key=lambda cross: -cross[2]):  # oldest first
        if not 0 < age < since.sessions:
            continue
        day = _day(item.bars.dates[-1 - age])
        values = {"cross": name, "date": day, "age": age,
                  "since": since.as_of, "sessions": since.sessions}  # fmt: skip
        found.append(_fact(
            item, f"cross.{kind}", CROSS_BETWEEN, Polarity.BULLISH if up else Polarity.BEARISH,
            0.6, values, f"{name} on {day} (between {since.as_of} and today)",
            "averages" if kind == "averages" else "momentum",
        ))  # fmt: skip
    return found


def streak_ended(item: InstrumentAnalysis, since: Since) -> Fact | None:
    """A run of up (or down) closes running at the last issue that has ended since."""
    dates = item.bars.dates.astype("datetime64[D]")
    at = int(np.searchsorted(dates, np.datetime64(since.as_of, "D")))
    if at >= dates.size or dates[at] != np.datetime64(since.as_of, "D") or at + 1 >= dates.size:
        return None
    moves = np.sign(np.diff(item.bars.close[: at + 2]))  # moves[k]: close k+1 against close k
    last = moves[at - 1] if at >= 1 else 0.0
    if last == 0:
        return None
    run = 0
    for move in moves[:at][::-1]:
        if move != last:
            break
        run += 1
    if run < STREAK_MIN or moves[at] == last:
        return None
    ended = _day(dates[at + 1])
    values = {"sessions": run, "direction": "winning" if last > 0 else "losing",
              "ended": ended, "today": ended == item.states.date,
              "since": since.as_of}  # fmt: skip
    return _fact(
        item, f"streak.{values['direction']}", STREAK_ENDED,
        Polarity.BEARISH if last > 0 else Polarity.BULLISH, 0.5, values,
        f"{values['direction']} streak of {run} sessions ended on {ended}", "performance",
    )  # fmt: skip
