"""``what_changed``: the previous issue found, compared with today, in one ``Changes``."""

from __future__ import annotations

from ..analysis import Analysis, FactSheet
from ..reuse import Reuse
from ..rules import Fact, RuleBook
from ..settings import Settings
from . import derive
from .model import Changes
from .news import not_news
from .previous import Memory, previous_issue
from .scoreline import scorecard_line

#: How far (in average daily ranges) the close may sit from a level it crossed back over for the
#: repeat to be told: past that the level is behind the day, not in play.
RECROSS_IN_PLAY_ATR = 1.0


def what_changed(
    analysis: Analysis, facts: FactSheet, settings: Settings, rules: RuleBook,
    memory: Memory | None = None, reuse: Reuse | None = None,
) -> Changes:  # fmt: skip
    """Today against the previous issue (``memory``'s newest before today, or the previous
    session recomputed, the work on a batch's benchmarks shared through ``reuse``), and the
    scorecard line when ``memory`` holds graded calls."""
    scorecard = scorecard_line(memory, analysis) if memory is not None else None
    found = previous_issue(analysis, settings, rules, memory, reuse)
    if found is None:
        return Changes(scorecard=scorecard)
    since, previous = found
    entries = {e["symbol"]: e for e in previous.get("instruments", [])}
    by_subject: dict[str, tuple[Fact, ...]] = {}
    superseded = set()
    for item in analysis.instruments:
        symbol = item.instrument.symbol
        today = facts.for_symbol(symbol)
        changed: list[Fact] = []
        recross = derive.level_recross(item, today)
        if recross is not None:
            superseded.add((symbol, str(recross.values["replaces"])))
            # A pivot the close has left more than an average day's range behind is no longer
            # in play: Nvidia "back below $58 for the second time in three sessions" closed at
            # $49.10 on a day it fell 18.5%. Neither the repeat nor the break is told then.
            left_behind = abs(item.states.close - float(recross.values["level"]))
            if left_behind <= RECROSS_IN_PLAY_ATR * item.states.levels.atr:
                changed.append(recross)
        entry = entries.get(symbol)
        if entry is not None:
            changed += derive.level_crossed(item, entry, today, since)
            zone = derive.zone_change(item, entry, since, settings)
            changed += [zone] if zone else []
            if zone is not None:
                # The zone change is the RSI's: "The RSI has fallen to 29.4, into oversold
                # territory" says the reading and its zone; the standing fact would add "The RSI
                # remains oversold" (it just entered).
                superseded.update((symbol, f.id) for f in today if f.topic == "momentum.rsi")
        changed += derive.crosses_between(item, since)
        streak = derive.streak_ended(item, since)
        changed += [streak] if streak else []
        if changed:
            by_subject[symbol] = tuple(changed)
    return Changes(
        since=since, facts=by_subject, old_news=not_news(previous, facts, since),
        superseded=frozenset(superseded), scorecard=scorecard,
    )  # fmt: skip
