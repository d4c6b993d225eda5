"""What a section says: the facts that are news today, and the standing picture cut to what
bears on the story.

The rules state everything that is true; an editor prints what changed and what it means. A
reading that only restates a standing condition (the order of the averages, a neutral RSI, the
trend strength, a MACD that is still positive) is cut, and so is a fact the tape has overtaken:
a rally the session gave back, a 52-week low on a day that reversed off it, heavy volume behind
a move too small to confirm anything, a trend channel whose direction a bear market contradicts.
Every fact stays in the ledger and in the verdict; this only decides what the prose carries.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence

from ..rules import Fact
from .model import SIGN

#: Standing conditions the prose leaves to the verdict and the levels: they are true every day
#: and say nothing about today.
STANDING = (
    "rating.",
    "momentum.macd.positive",
    "momentum.macd.negative",
    "momentum.stochastic.",
    "momentum.adx.",
    "momentum.rsi.neutral",
    "averages.stacking.",
    "averages.cross.golden",
    "averages.cross.death",
    "performance.ytd.",
    "performance.quarter.",
    "performance.month.up",
    "performance.month.down",
    "levels.support.",
    "levels.resistance.",
    "levels.high.below_all_time",
    "levels.high.near_all_time",
    "trend.structure.",
    "volume.light.",
    "momentum.bollinger.above",
    "momentum.bollinger.below",
)
#: A crossing of the averages is news only while it is fresh; ``averages.cross.*_fresh`` stays.
FRESH_SUFFIX = "_fresh"
#: Heavy volume confirms a move only when there is a move: below this daily change it is noise.
VOLUME_NEEDS_MOVE_PCT = 1.0
#: A MACD signal-line cross is news on the day it happens.
MACD_CROSS_NEWS_AGE = 0


def newsworthy(facts: Sequence[Fact]) -> list[Fact]:
    """The facts a section's prose carries, in their original order."""
    day = next((f for f in facts if f.topic == "performance.day"), None)
    change = float(day.values.get("change_pct", 0.0)) if day is not None else 0.0
    ids = {f.id for f in facts}
    regime = _current_regime(facts)
    kept = []
    for fact in facts:
        if fact.id.startswith(STANDING) and not fact.id.endswith(FRESH_SUFFIX):
            continue
        if fact.topic == "momentum.macd" and fact.values.get("age") != MACD_CROSS_NEWS_AGE:
            continue
        if fact.topic.startswith("volume") and abs(change) < VOLUME_NEEDS_MOVE_PCT:
            continue
        if fact.topic == "performance.pop" and _overtaken(fact, change, ids):
            continue
        if fact.topic == "performance.pop" and _inside_recovery(fact, regime):
            continue
        if fact.topic == "levels.low" and "performance.day.reversal_from_low" in ids:
            continue  # the reversal sentence already says where the low was set
        if fact.topic in ("performance.drawdown", "performance.recovery") and fact is not regime:
            continue
        if fact.topic.startswith("trend.channel") and _against(fact, regime) and _inside(fact):
            continue  # "a rising channel" beside "a bear market" reads as a contradiction
        kept.append(fact)
    return kept


def _overtaken(pop: Fact, change: float, ids: set[str]) -> bool:
    """A rally is old news when the week's ranking already says it, or the session went the
    other way hard enough to give a good part of it back."""
    if "performance.week.rare_gain" in ids or "performance.week.rare_loss" in ids:
        return True
    rally = float(pop.values.get("pct", 0.0))
    return rally * change < 0 and abs(change) >= abs(rally) / 3


#: A rally that starts within this many calendar days of a bull market's low is that rise.
SAME_RISE_DAYS = 31


def _inside_recovery(pop: Fact, regime: Fact | None) -> bool:
    """A rally that began within ``SAME_RISE_DAYS`` after the low a bull market is measured from
    is a slice of that rise: "the S&P rose more than 16% in 11 sessions" hid its 28.5% from the
    March 23 closing low (the editor's finding, April 17, 2020). The recovery carries the figure.
    A rally that began months after the low is a leg of its own (Amazon's 8.9% in 11 sessions,
    August 2014, three months after its May low)."""
    if regime is None or regime.topic != "performance.recovery":
        return False
    start, trough = pop.values.get("start"), regime.values.get("trough_date")
    if start is None or trough is None:
        return False
    # A rally bigger than the rise still standing from the low peaked and gave some back (Nvidia,
    # January 2019: 22.6% to Friday's peak, 17.5% above the low today): it is its own news.
    smaller = float(pop.values.get("pct", 0.0)) < float(regime.values.get("rise_pct", 0.0))
    return smaller and 0 < (_date(start) - _date(trough)).days <= SAME_RISE_DAYS


def carries_a_rally(facts: Sequence[Fact]) -> list[Fact]:
    """The bull market that stands in for a rally inside it (``_inside_recovery``): said on the
    days the rally would have been, not only in its turn as a standing condition."""
    regime = _current_regime(facts)
    inside = any(f.topic == "performance.pop" and _inside_recovery(f, regime) for f in facts)
    return [regime] if inside and regime is not None else []


def _current_regime(facts: Sequence[Fact]) -> Fact | None:
    """Of a drawdown (correction, bear market) and a recovery (bull market), the one that began
    last: an instrument is not "in a bear market since January" and "in a bull market since
    January" at once in anyone's reading."""
    dated = [(f, _regime_start(f)) for f in facts]
    regimes = [(f, start) for f, start in dated if start is not None]
    if not regimes:
        return None
    return max(regimes, key=lambda item: item[1])[0]


def _regime_start(fact: Fact) -> dt.date | None:
    if fact.topic == "performance.drawdown":
        since = fact.values.get("regime_since")
        return _date(since) if since is not None else fact.as_of
    if fact.topic == "performance.recovery":
        since = fact.values.get("since")
        return _date(since) if since is not None else fact.as_of
    return None


def _date(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _against(channel: Fact, regime: Fact | None) -> bool:
    """A channel pointing against the regime: rising in a bear market ("It holds a rising
    long-term channel" of the Nasdaq 23.6% below its record, the editor's finding; the test
    compared the topic with "trend.channel", which no channel's topic is, so it never ran), or
    falling in a bull market. A correction is a dip inside a trend, not against it."""
    if regime is None:
        return False
    direction = channel.values.get("direction")
    if regime.id.startswith("performance.drawdown.bear"):
        return direction == "rising"
    return regime.topic == "performance.recovery" and direction == "falling"


def _inside(channel: Fact) -> bool:
    position = channel.values.get("position")
    return position is None or 0.0 <= float(position) <= 1.0


#: How much a standing regime (a bear market that began days ago) weighs against today's events
#: when the story is chosen: its rarity is real, but it is not what happened today.
STANDING_REGIME_WEIGHT = 0.8
#: An indicator at an extreme is rare, but it is a reading, not an event: the session that put
#: it there is the better story.
EXTREME_READING_WEIGHT = 0.85
#: A month is a rolling window of sessions: a record over it is news, but less than the session.
ROLLING_WINDOW_WEIGHT = 0.9
#: A run that ended before today (its peak was yesterday's close) is yesterday's story: Amazon's
#: 26.7% rally through Thursday led April 17, 2020, a day it fell 1.4% and the S&P 500 closed
#: out its best month since 2009.
ENDED_RUN_WEIGHT = 0.8


#: A session's rare kinds (a rare gain, loss or gap, a reversal from a 52-week low): the day is
#: the story, and its ordinary consequences go without saying (``said.changes_told``).
RARE_DAY = ("performance.day.rare_", "performance.day.reversal")

#: The race's own news (``relative.divergence``: the index made a new closing low, Amazon did
#: not) is told in its comparison section, not as the article's story: "Amazon Stayed Below
#: Thursday's Closing High" is no headline beside the index's move.
RACE_DETAIL = "relative.divergence"
RACE_DETAIL_WEIGHT = 0.4


def story_weight(fact: Fact) -> float:
    """A fact's weight as a candidate for the article's story (its headline and lead):
    ``news_weight``, with the race's day detail discounted (``RACE_DETAIL``). The editor's
    pass weighs the detail at its news weight: it is the comparison's news."""
    weight = news_weight(fact)
    return weight * RACE_DETAIL_WEIGHT if fact.topic == RACE_DETAIL else weight


def news_weight(fact: Fact) -> float:
    """A fact's salience as a candidate for the story: today's events at full weight, a regime
    that did not begin today discounted."""
    regime = is_regime(fact)
    # A correction just shy of a bear market (at the decline's low) and a bear market's line
    # won back are today's news, not a standing regime.
    today = fact.id.endswith(("_new", ".brink", ".bear_line"))
    if regime and fact.values.get("age") not in (0, None) and not today:
        return fact.salience * STANDING_REGIME_WEIGHT
    if fact.id.startswith(("momentum.extreme.", "averages.extreme.")):
        return fact.salience * EXTREME_READING_WEIGHT
    if fact.topic == "performance.month":
        return fact.salience * ROLLING_WINDOW_WEIGHT
    if ended_before_today(fact):
        return fact.salience * ENDED_RUN_WEIGHT
    return fact.salience


#: Standing conditions an issue need not restate every day: a regime that did not begin today
#: (these ids; the ones that begin today end in ``_new``), a trend channel, an RSI that sits in a
#: zone, a comparison's year to date (these prefixes). Rarer ones (salience at or above ``RARE``)
#: and the section's theme are always said.
BACKGROUND_REGIMES = (
    "performance.drawdown.bear",
    "performance.drawdown.correction",
    "performance.recovery.bull",
)
BACKGROUND_PREFIXES = (
    "trend.channel.",
    "momentum.rsi.overbought",
    "momentum.rsi.oversold",
    "relative.ytd.",
)
RARE = 0.7
#: How much a background condition weighs as a section's theme against today's events.
BACKGROUND_THEME_WEIGHT = 0.5


def is_standing(fact: Fact) -> bool:
    """A regime that did not begin today, a trend channel, an RSI in a zone, a year to date."""
    return fact.id in BACKGROUND_REGIMES or fact.id.startswith(BACKGROUND_PREFIXES)


def ended_before_today(fact: Fact) -> bool:
    """A rally or slide whose peak (or trough) was an earlier close (``ENDED_RUN_WEIGHT``)."""
    return fact.topic == "performance.pop" and int(fact.values.get("since_end", 0)) > 0


def is_regime(fact: Fact) -> bool:
    """A bear market, a correction or a new bull market (and where price stands in it)."""
    return fact.topic in ("performance.drawdown", "performance.recovery")


def is_background(fact: Fact) -> bool:
    """A standing condition, said in rotation (``background``), not every day."""
    return is_standing(fact) and fact.salience < RARE


def theme_weight(fact: Fact) -> float:
    """A fact's weight as a section's theme: today's events before the standing picture. A base
    rate is context for the session it follows, not a theme: two sections of one dramatic day
    were both titled "What History Says"."""
    if is_context(fact):
        return 0.0
    return fact.salience * (BACKGROUND_THEME_WEIGHT if is_background(fact) else 1.0)


#: Moves over several sessions, ranked as they stand at today's close.
RUNS = ("performance.week", "performance.month", "performance.quarter", "performance.pop")
#: How much a run the session turned against weighs as a section's theme (its title).
TURNED_THEME_WEIGHT = 0.3


def turned_today(fact: Fact, day: Fact | None) -> bool:
    """A run that ended before today, or whose instrument's session (``day``) went the other
    way: "Nvidia Has Its Best Month Since June 2017" headlined a day Nvidia fell, and "Worst
    Month-Long Run Since April 2000" titled a day the Nasdaq closed up (reviews 4 and 5). It
    is the run's context, not the day's headline or title."""
    if fact.topic not in RUNS:
        return False
    if ended_before_today(fact):
        return True
    change = float(day.values.get("change_pct", 0.0)) if day is not None else 0.0
    return change * SIGN[fact.polarity] < 0  # a small loss is a neutral fact, still a loss


def turned_weight(fact: Fact, day: Fact | None) -> float:
    """How much ``fact`` weighs as a title, against its instrument's session ``day``."""
    return TURNED_THEME_WEIGHT if turned_today(fact, day) else 1.0


def is_context(fact: Fact) -> bool:
    """A fact that only frames another (a base rate frames its session): never a title."""
    return fact.topic == "performance.base_rate"


def background(
    facts: Sequence[Fact], theme: Fact | None, session: int, keep: Sequence[Fact] = ()
) -> list[Fact]:
    """``facts`` with each standing condition said every other session.

    A reader of a daily letter knows yesterday's background; restating every standing condition
    every day makes each issue a copy of the last. Each condition (a channel, a regime, an RSI
    zone; the theme's own always stays) is said on alternate sessions, the conditions of one
    instrument out of step with one another, so no condition is said two sessions running and
    none goes unsaid for two. ``session`` counts the instrument's sessions (holidays are not
    sessions, so the turn never stalls over one). A condition of ``keep`` is said today.
    """
    kept = {_kind(f) for f in keep}
    quiet = {
        kind
        for kind in {_kind(f) for f in facts if is_background(f)}
        if (theme is None or kind != _kind(theme))
        and kind not in kept
        and (_stable(f"{facts[0].subject}|{kind}") + session) % 2
    }
    return [f for f in facts if not (is_background(f) and _kind(f) in quiet)]


def _kind(fact: Fact) -> str:
    """What a condition is about: "trend.channel" for all three channels, "momentum.rsi"."""
    return ".".join(fact.topic.split(".")[:2])


def _stable(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big")
