"""What the article has said already, and what that leaves a section to say: a base rate with
the lead's verdict, a rally inside the lead's month, a level changing hands beside real news.
Each returns the (subject, fact id) pairs the sections leave out, or the changes they keep."""

from __future__ import annotations

from collections.abc import Sequence

from ..rules import Fact
from .model import Section, Sentence
from .story import RARE_DAY, news_weight

#: A section with a fact this newsworthy today has better to say than a level changing hands.
RECROSS_OUTWEIGHED = 0.5
#: The RSI zones a rare session's move into is still news ("has fallen to 29.4 ..., into
#: oversold territory", February 5, 2018).
EXTREME_ZONES = ("oversold", "overbought")


def changes_told(changes: tuple[Fact, ...], news: Sequence[Fact], detail: str) -> tuple[Fact, ...]:
    """The section's changes since the last issue worth a sentence. A level crossed back over
    once is a failed breakout or breakdown, and news. A level crossed for the second or third
    time ("back above 2,825 for the second time in four sessions") is chart noise beside real
    news: on April 17, 2020 it opened the S&P 500's section above its first close over the
    50-day average since February. It is told only when nothing else today is news (the
    session aside), or on a page that quotes every reading. A rare session's own consequences
    (``_consequence``) are not told beside it."""
    if detail == "full":
        return changes
    if any(f.id.startswith(RARE_DAY) for f in news):
        changes = tuple(c for c in changes if not _consequence(c))
    news_today = any(
        news_weight(f) >= RECROSS_OUTWEIGHED
        for f in news
        if f.topic not in ("levels.break", "performance.day")
    )
    if not news_today:
        return changes
    return tuple(c for c in changes if c.message != "level_recross" or int(c.values["times"]) < 2)


def _consequence(change: Fact) -> bool:
    """What a rare session does by itself: on a 5.8% day the RSI back in neutral territory and
    a losing streak's end are the day, said again (December 26, 2018, reviews 6 and 7)."""
    if change.message == "streak_ended":
        return True
    return change.message == "zone_change" and change.values.get("to_zone") not in EXTREME_ZONES


def runs_inside(lead: Sequence[Sentence], sections: Sequence[Section]) -> set[tuple[str, str]]:
    """A rally (or slide) inside a month or week the lead already gave, the same way: one move
    told over two windows ("up 19.9% over the past month", then "more than 16% in 11 sessions",
    April 17, 2020, review 2) reads as two stories."""
    windows = {
        (f.subject, float(f.values.get("change_pct", 0.0)) > 0)
        for s in lead
        for f in s.facts
        if f.topic in ("performance.month", "performance.week")
    }
    return {
        (f.subject, f.id)
        for section in sections
        for f in section.facts
        if f.topic == "performance.pop"
        and (f.subject, float(f.values.get("pct", 0.0)) > 0) in windows
    }


def same_verdict_base_rates(
    lead: Sequence[Sentence], sections: Sequence[Section]
) -> set[tuple[str, str]]:
    """A section's base rate that reaches the lead's verdict again ("no real edge" for Nvidia
    after "History offers no edge here" for the S&P, 2020-03-16): the lead's stands for both,
    and the section keeps its room for its own news (Nvidia's extreme volatility)."""
    edges = {
        f.values.get("edge") for s in lead for f in s.facts if f.topic == "performance.base_rate"
    }
    return {
        (f.subject, f.id)
        for s in sections
        for f in s.facts
        if f.topic == "performance.base_rate" and f.values.get("edge") in edges
    }
