"""The levels a bottom line names: which one decides the call, which one proves it wrong.

The candidates come from the states (``states.trade_levels``: recent closes, the day's and the
prior session's extremes, a gap's edge, the 50- and 200-day, the 10% and 20% lines, swings and
pivot clusters), already limited to those within reach of the close. Here they get their roles:

- the **key** level decides the call: the nearest within reach in the lean's direction
  (resistance for a bullish lean: a close above it confirms; support for a bearish one);
- the **other** level proves the call wrong: the nearest within reach on the other side;
- a balanced lean takes the nearer side as its key.

A side with nothing within reach has no level; the bottom line names the ``regime`` instead.
"""

from __future__ import annotations

import datetime as dt

from ..rules import Polarity
from ..states import SymbolStates
from ..states.trade_levels import TradeLevel
from .model import KeyLevel

#: A level from a session this many calendar days back or fewer is named by its weekday.
RECENT_DAYS = 6
#: ... and one this many days back or fewer by its month and day, without the year, even across
#: New Year ("the Dec. 27 close" in a January issue), as a trader says it. The verifier reads a
#: date without its year as the article's year or a day this recent (``verify.binder``).
YEARLESS_DAYS = 183


def ladder(states: SymbolStates) -> tuple[tuple[KeyLevel, ...], tuple[KeyLevel, ...]]:
    """The levels within reach below the close and above it, each side nearest first."""
    levels = [_key_level(lv, states.date) for lv in states.levels.watch]
    return (
        tuple(lv for lv in levels if not lv.above),
        tuple(lv for lv in levels if lv.above),
    )


def roles(states: SymbolStates, lean: Polarity) -> tuple[KeyLevel | None, KeyLevel | None]:
    """(the level that decides the call, the level that proves it wrong) for ``lean``."""
    supports, resistances = ladder(states)
    support = supports[0] if supports else None
    resistance = resistances[0] if resistances else None
    if lean is Polarity.BULLISH:
        return resistance, support
    if lean is Polarity.BEARISH:
        return support, resistance
    if support is None or (resistance is not None and _atr(resistance) < _atr(support)):
        return resistance, support
    return support, resistance


def regime(states: SymbolStates) -> str:
    """The standing regime: a drawdown's name when there is one, else the side of the 200-day.
    A new bull market that began after the drawdown's regime supersedes it ("bull market"), as
    in the sections (``story._current_regime``): "in a bear market" beside "in a bull market
    since Jan. 18" contradicts the page."""
    events = states.events
    down = events.drawdown if events is not None else None
    if down is not None and (down.bull_market or down.regime in ("bear market", "correction")):
        superseded = (
            down.bull_market
            and down.bull_since is not None
            and (down.regime_since is None or down.bull_since >= down.regime_since)
        )
        return "bull market" if superseded else down.regime
    average = states.averages.sma_200
    if average is None:
        return ""
    return "uptrend" if states.close >= average else "downtrend"


def _atr(level: KeyLevel) -> float:
    return float("inf") if level.atr is None else level.atr


def _key_level(level: TradeLevel, session: dt.date) -> KeyLevel:
    recent = level.date is not None and 0 < (session - level.date).days <= RECENT_DAYS
    return KeyLevel(
        price=level.price,
        kind=level.kind,
        above=level.above,
        touches=level.touches,
        date=level.date,
        atr=level.atr,
        recent=recent,
        yearless=level.date is not None
        and (level.date.year == session.year or (session - level.date).days <= YEARLESS_DAYS),
    )
