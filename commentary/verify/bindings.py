# ruff: noqa: E501 (phrase patterns read best whole, one per line)
"""The binding table: every quantity phrase the templates write, and the ledger field it names.

Each ``Binding`` is a phrase pattern with typed slots and, per slot, the field the number must
match. Slots: ``<pct:g>`` a percentage (with its hedge: nearly, more than, about), ``<num:g>`` a
number (a price, a level, a reading), ``<count:g>`` a count in digits or words, ``<date:g>``,
``<year:g>``, ``<who:g>`` an instrument named after the slot it belongs to. ``⟦N⟧`` stands for an
instrument's name. A slot's subject is the instrument named last before it (``It`` keeps the
paragraph's), unless a ``<who:g>`` slot names it.

Paths: ``i.`` the subject's instrument entry, ``p.`` the comparison the sentence is about,
``a.`` the ledger itself, ``f:MESSAGE.KEY`` a value of the subject's fact with that message,
``v.`` the verdict of the sentence's section. ``{g}`` in a path is replaced by slot ``g``'s
text through ``WORDS``. A path may list alternatives separated by ``|``.

Kinds (how the printed number must relate to the value, see ``binder.py``): ``pct`` (hedge,
direction), ``price`` (exact at the printed decimals), ``level`` (exact, or rounded the way
``render.numbers.level`` rounds), ``signed`` (the printed sign is the value's), ``count``,
``year``, ``date``, ``bps`` (whole basis points), ``window`` (words that name a window of
sessions, "a month": ``WINDOWS``), ``points`` (percentage points), ``flag`` (the slot's words,
through ``WORDS``, must equal the value), ``ordinal`` (second, third...), ``lean``.

A new template phrase ships with its binding here: ``tests/test_verify_bindings.py`` renders
every golden and a hypothesis sample of dates, playbooks and personas and fails on any number
(or claim word) no binding reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

#: Month names, for a date given by its month ("October 2007"); English whatever the locale,
#: as the templates write them.
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@dataclass(frozen=True)
class Field:
    path: str
    kind: str
    #: The slot whose words give the number's direction ("down 3.9%": negative).
    direction: str | None = None


@dataclass(frozen=True)
class Binding:
    name: str
    pattern: str
    fields: dict[str, Field] = field(default_factory=dict)

    @property
    def cue(self) -> str:
        """Words ("a|b") one of which every match contains, so a sentence without them is
        skipped quickly; "" lets ``binder._cue`` find the word run the pattern requires."""
        return CUES.get(self.name, "")


#: A race's margin in words -> the day's spread it may describe, in basis points [low, high)
#: (``templates/technical-trader/_race.md`` picks the words by the same bands).
MARGINS: dict[str, tuple[float, float]] = {
    "narrowly": (0.0, 25.0),
    "by a hair": (0.0, 25.0),
    "clearly": (25.0, 150.0),
    "by a clear margin": (25.0, 150.0),
    "by a wide margin": (150.0, float("inf")),
    "by a long way": (150.0, float("inf")),
}

#: A spread in whole percentage points, as ``render.numbers.points`` says it: "less than a point",
#: "almost a point", "a point", "more than six points", "more than twelve points". Any word
#: before "points" is read: one that is not a number is refused, not skipped.
POINTS = (
    r"(?:less than|almost|more than) a (?:percentage )?point|a (?:percentage )?point"
    r"|(?:more than )?[a-z]+(?:-[a-z]+)? (?:percentage )?points"
)

#: A session's move in words -> (direction, the size of the move it may describe in percent,
#: [low, high)); a tight article says a lesser instrument's day this way ("Nvidia edged higher"),
#: and ``templates/technical-trader/_words.md``'s ``pace`` picks the words by the same bands.
MOVES: dict[str, tuple[int, float, float]] = {
    **dict.fromkeys(("edged higher", "inched up", "ticked up"), (1, 0.0, 0.5)),
    **dict.fromkeys(("edged lower", "inched down", "ticked down"), (-1, 0.0, 0.5)),
    **dict.fromkeys(("gained ground", "moved higher", "firmed"), (1, 0.5, 1.5)),
    **dict.fromkeys(("lost ground", "moved lower", "gave ground"), (-1, 0.5, 1.5)),
    **dict.fromkeys(("rallied hard", "climbed sharply", "surged"), (1, 1.5, float("inf"))),
    **dict.fromkeys(("sold off hard", "fell sharply", "slumped"), (-1, 1.5, float("inf"))),
}
#: A move the hard words ("climbed sharply") describe is also at least this share of the
#: instrument's average daily range (ATR as a percentage of the close); a smaller one takes the
#: middle words whatever its size ("Nvidia moved higher" on a 3.4% gain against a 10% average
#: range). ``pace_size`` in ``_words.md`` holds the same share.
MOVE_ATR = 0.5

#: A level's distance in average daily ranges, in words -> the distances it may describe [low,
#: high) (``templates/technical-trader/_bottom_line.md``'s ``away`` picks them by the same bands).
RANGES: dict[str, tuple[float, float]] = {
    "about one average daily range": (0.95, 1.05),
    "just over one average daily range": (1.05, 1.25),
    "about one and a half average daily ranges": (1.25, 1.75),
    "about two average daily ranges": (1.75, 2.25),
    "about two and a half average daily ranges": (2.25, 2.75),
    "about three average daily ranges": (2.75, 3.25),
}

#: A base rate's odds in words -> the edge the ledger names (``events.baserates.BaseRate.edge``).
EDGES: dict[str, str] = {
    "no real edge over": "none",
    "about as often": "none",
    "better odds than": "better",
    "worse odds than": "worse",
}


def one_of(phrases: dict[str, Any]) -> str:
    """A table's phrases as one regex alternation, so a phrase added to it is read at once."""
    return "|".join(re.escape(p) for p in phrases)


#: The odds phrases that compare with "an ordinary month" (the rest of ``EDGES`` stands alone).
_ODDS = one_of({k: v for k, v in EDGES.items() if k.endswith(("over", "than"))})

#: Words a slot's text maps to: directions (+1 / -1), horizons, windows, labels.
WORDS: dict[str, object] = {
    # directions
    "up": 1,
    "down": -1,
    "gained": 1,
    "lost": -1,
    "shed": -1,
    "sheds": -1,
    "fell": -1,
    "added": 1,
    "adds": 1,
    "slips": -1,
    "gain": 1,
    "loss": -1,
    "rose": 1,
    "jumped": 1,
    "slipped": -1,
    "tumbled": -1,
    "jumps": 1,
    "slides": -1,
    "climbs": 1,
    "drops": -1,
    "dips": -1,
    "edges up": 1,
    "above": 1,
    "below": -1,
    "under": -1,
    "ahead": 1,
    "behind": -1,
    "ahead of": 1,
    "in its favor": 1,
    "against it": -1,
    "beaten": 1,
    "beat": 1,
    "trailed": -1,
    "lagged": -1,
    "outperformed": 1,
    "underperformed": -1,
    "leads": 1,
    "trails": -1,
    "climbing": 1,
    "falling": -1,
    "rising": 1,
    "higher": 1,
    "lower": -1,
    "winning": 1,
    "losing": -1,
    "rises": 1,
    "falls": -1,
    "risen": 1,
    "fallen": -1,
    "climbed": 1,
    "slid": -1,
    "adding": 1,
    "taking": -1,
    "a higher close": 1,
    "gains ground": 1,
    "a rebound": 1,
    "a drop": -1,
    "a lower close": -1,
    "gives ground": -1,
}

#: Words a path takes from a slot ("over the past month": returns_pct.21).
WINDOWS: dict[str, str] = {
    "day": "1",
    "week": "5",
    "the past week": "5",
    "month": "21",
    "the past month": "21",
    "three months": "63",
    "the past three months": "63",
    "six months": "126",
    "the past six months": "126",
    "year": "252",
    "weeks": "5",
    "months": "21",
    "years": "252",
    "the past year": "252",
}
WORDS.update({"bullish": True, "bearish": False})
#: A close across an average said in one verb (a headline's "Reclaims Its 50-Day Average").
SIDE_VERBS = {"Reclaims": "above"}

_DIR_MOVE = r"(?P<d>jumped|rose|tumbled|slipped|gained|lost|climbed|fell|dropped|added)"
_KEY = (
    "i.states.levels.support.price|i.states.levels.resistance.price"
    "|i.states.levels.extremes.all_time_high|i.states.levels.extremes.low_52w"
    "|i.states.levels.crossed_above.price|i.states.levels.crossed_below.price"
)
_BROKEN = "i.states.levels.crossed_above.price|i.states.levels.crossed_below.price"
_TOUCHES = "i.states.levels.crossed_above.touches|i.states.levels.crossed_below.touches"
_SUPPORT = "i.states.levels.support.price"
_RESISTANCE = "i.states.levels.resistance.price"
_ATH = "i.states.levels.extremes.all_time_high"
_CLOSE = "i.close"
_RET = "i.states.performance.returns_pct"
_YTD = "i.states.performance.ytd_pct"
#: A ranked event's rank, and the start of the history it is ranked in.
_EVENT_RANK = "f:day_move.rank|f:run_rank.rank|f:returns.rank|f:extreme.rank|f:straight.rank"
_EVENT_HISTORY = (
    "f:day_move.history_start|f:run_rank.history_start|f:returns.history_start"
    "|f:extreme.history_start|f:straight.history_start|i.states.levels.extremes.history_start"
)
#: The date a ranked event (the day, a gap, a month, a week, a gauge) was last matched.
_EVENT_SINCE = (
    "f:day_move.since|f:day_move.gap_since|f:returns.since|f:run_rank.since|f:extreme.since"
)
_POP = "i.states.performance.pop"
_RSI = "i.states.momentum.rsi"
_PAIR = "p.states"
#: The benchmark's close in a divergence, by its rank ("close since December 2018", "close
#: since March 12", ``relative.Divergence.benchmark_since``) or as the record it is.
_SINCE_RANK = r"close since (?:<since:s{n}>(?! \d)|<date:t{n}>)"


def _held(verb: str, side: str, ranked: str, record: str) -> str:
    """ "Amazon held above Thursday's closing low of $83.83: on a day the index made its lowest
    close since December 2018, Amazon did not", or the index first ("The index set a record
    close; Apple stayed below ..."). Each side's words are tied to the other's."""
    held = (
        "<who:c{n}> " + verb + " (?:(?P<wd{n}>" + WEEKDAY_NAMES + r")'s|its <date:d{n}>) closing"
        " (?P<x{n}>" + side + ") of <num:c{n}>"
    )
    index = "⟦[A-Z]⟧ (?:" + ranked + "|" + record + " (?P<r{n}>record)(?: close)?)"
    first = held.format(n="") + ": on a day " + index.format(n="")
    return first + "|" + index.format(n="2") + "; " + held.format(n="2")


_HELD_FIELDS = {
    f"{slot}{n}": Field(f"{_PAIR}.divergence.{path}", kind)
    for n in ("", "2")
    for slot, path, kind in (
        ("wd", "held_date", "this weekday"),
        ("d", "held_date", "date"),
        ("x", "side", "label"),
        ("c", "held_close", "price"),
        ("s", "benchmark_since", "since"),
        ("t", "benchmark_since", "date"),
        ("r", "benchmark_record", "flag"),
    )
}


_RATING = "i.states.rating.value"

#: The trading days' names, as a regex alternation (``checks`` reads them in lower case).
WEEKDAY_NAMES = "Monday|Tuesday|Wednesday|Thursday|Friday"
_ORDINAL_WORDS = "[Ss]econd|[Tt]hird|[Ff]ourth|[Ff]ifth"

BINDINGS: tuple[Binding, ...] = (
    # ── a comparison's race (templates/*/_race.md) ───────────────────────────────────────
    Binding(
        "race today",
        r"(?P<d>beat|trailed) ⟦[A-Z]⟧ by <count:s> basis points",
        {"s": Field(f"{_PAIR}.spread_today_bps", "bps", "d")},
    ),
    Binding(
        "base rate, as often",
        r"later (?P<e>about as often) as in any (?:week|month|year)",
        {"e": Field("f:base_rate.edge", "edge")},
    ),
    Binding(
        "base rate, odds",
        rf"(?P<e>{_ODDS}) an ordinary (?:week|month|year)",
        {"e": Field("f:base_rate.edge", "edge")},
    ),
    Binding(
        # Both sides' moves quoted elsewhere: the gap in words (``MARGINS``).
        "race today, in words",
        rf"(?P<d>beat|trailed) ⟦[A-Z]⟧ (?P<m>{one_of(MARGINS)})",
        {"m": Field(f"{_PAIR}.spread_today_bps", "margin", "d")},
    ),
    Binding(
        # The gap in whole points ("beat the index by more than six points", ``points``).
        "race today, in points",
        rf"(?P<d>beat|trailed) ⟦[A-Z]⟧ by (?P<m>{POINTS})",
        {"m": Field(f"{_PAIR}.spread_today_bps", "point margin", "d")},
    ),
    Binding(
        # The two sessions behind a race's margin: "it fell 5.37% against the index's 11.98%", "it
        # rose 3.07% while the index fell 2.93%" (``_race.md``). "It" is the section's instrument.
        "race today, the two sessions",
        r"\b[Ii]t (?P<d>rose|fell) <pct:a> (?:against <who:b>'s? <pct:b>|while <who:c> (?P<e>rose|fell)"
        r" <pct:c>)",
        {
            "a": Field(f"{_RET}.1", "pct", "d"),
            "b": Field(f"{_RET}.1", "pct", "d"),
            "c": Field(f"{_RET}.1", "pct", "e"),
        },
    ),
    Binding(
        # A tight article's lesser sessions, in words (``MOVES``): "Elsewhere, Nvidia edged
        # higher and Apple sold off hard."
        "day move in words",
        rf"(?:⟦[A-Z]⟧|\b[Ii]t) (?P<m>{one_of(MOVES)})",
        {"m": Field(f"{_RET}.1", "move")},
    ),
    # ── section titles that name a move in words (``_lead.md``'s ``theme``) ──────────────
    Binding(
        "title, the day's direction",
        r"⟦[A-Z]⟧: (?P<d>A Higher Close|Gains Ground|A Lower Close|Gives Ground)$",
        {"d": Field(f"{_RET}.1", "dir")},
    ),
    Binding(
        "title, a session against its channel",
        r"⟦[A-Z]⟧: (?P<d>A Rebound|A Drop) Inside a",
        {"d": Field(f"{_RET}.1", "dir")},
    ),
    Binding(
        "title, a rally",
        r"⟦[A-Z]⟧: (?P<r>A Sharp Rally|A Fast Run)$",
        {"r": Field("f:pop.pct", "positive")},
    ),
    Binding(
        "title, the largest gap",
        r"Largest Gap (?P<d>Up|Down) (?:Since <since:s>|in Data Back to <year:h>)",
        {
            "s": Field("f:day_move.gap_since", "since"),
            "h": Field("f:day_move.history_start", "year"),
            "d": Field("f:day_move.gap_pct", "dir"),
        },
    ),
    Binding(
        "title, a channel",
        r"Channel Points (?P<d>Higher|Lower)|(?P<d2>Rising|Falling) (?:Trend )?Channel",
        {
            "d": Field("f:channel.slope_pct", "dir"),
            "d2": Field("f:channel.slope_pct", "dir"),
        },
    ),
    Binding(
        "title, a fall's length",
        r"After an? <count:n>-Session Fall",
        {"n": Field("f:drawdown.sessions", "count")},
    ),
    Binding(
        "title, an extreme",
        r"⟦[A-Z]⟧: (?P<x>RSI|Stretch From the Long-Run Average|Daily Ranges) at an Extreme",
        {"x": Field("f:extreme.value", "present")},
    ),
    Binding(
        # A closing low of a year or more by its rank (``events.closing_low``).
        "title, a closing low",
        r"⟦[A-Z]⟧: Lowest Close (?:Since (?:<since:s>(?! \d)|<date:t>)|in Data Back to <year:h>)",
        {
            "s": Field("f:low_52w.close_since", "since"),
            "t": Field("f:low_52w.close_since", "date"),
            "h": Field("f:low_52w.close_history_start", "year"),
        },
    ),
    Binding(
        "title, the fastest fall",
        r"(?P<f>Fastest) (?:Fall|Bear Market) in Data Back to <year:h>",
        {"f": Field("f:drawdown.rank", "first"), "h": Field("f:drawdown.history_start", "year")},
    ),
    Binding(
        "day move title",
        r" on an? <pct:c> (?P<d>Gain|Loss)",
        {"c": Field(f"{_RET}.1", "pct", "d")},
    ),
    Binding(
        "year-to-date lead title",
        r"<who:g> (?:Leads|Trails) ⟦[A-Z]⟧ by <num:g> Points This Year",
        {"g": Field(f"{_PAIR}.ytd_gap_pct", "points")},
    ),
    Binding(
        # The session's shape as a term (``events.session.outside_reversal``).
        "outside reversal",
        r"outside reversal: a (?P<o>(?:lower low|higher high) than the session before, then a"
        r" close (?:above|below)) that session's (?P<e>high|low)",
        {"o": Field("f:day_move.outside", "outside"), "e": Field("f:day_move.outside", "edge of")},
    ),
    Binding(
        "close side",
        r"(?:close came|[Bb]uyers held (?:⟦[A-Z]⟧|it)|[Ss]ellers kept (?:⟦[A-Z]⟧|it)"
        r"|(?:⟦[A-Z]⟧|\bIt)(?: too)? finished|[Tt]he bell found (?:⟦[A-Z]⟧|it)) (?P<on>near|at) the"
        r" day's (?P<k>low|high)",
        {"k": Field("f:day_move.close_side", "label"), "on": Field("f:day_move.close_on", "on")},
    ),
    Binding(
        "day move, short",
        r"(?:⟦[A-Z]⟧|\bIt|[Tt]he index) (?P<d>jumped|rose|tumbled|slipped|gained|lost|climbed|fell|"
        r"dropped|added|shed) <pct:c>(?= on the day|\.|,| and )",
        {"c": Field(f"{_RET}.1", "pct", "d")},
    ),
    Binding(
        "day move, short",
        r"(?:ended the session|closed) (?P<d>up|down) <pct:c>"
        r"(?=\.| on the day|, (?:wiping out|erasing) )",
        {"c": Field(f"{_RET}.1", "pct", "d")},
    ),
    Binding(
        "day move, ranked too",
        r"<pct:c> (?P<d>gain|loss) gave ⟦[A-Z]⟧ its|: (?P<d2>up|down) <pct:c2>\.$",
        {"c": Field(f"{_RET}.1", "pct", "d"), "c2": Field(f"{_RET}.1", "pct", "d2")},
    ),
    # ── the session's shape (``_lead.md``'s ``shape``) ──────────────────────────────────────
    Binding(
        "intraday low",
        r"(?:had been|was) (?P<d>down) <pct:g> at the low|[Aa]t the low (?:it|⟦[A-Z]⟧) was"
        r" (?P<d2>down|up) <pct:g2>",
        {
            "g": Field("f:day_move.low_pct", "pct", "d"),
            "g2": Field("f:day_move.low_pct", "pct", "d2"),
        },
    ),
    Binding(
        "intraday high",
        r"(?:had been|was) (?P<d>up) <pct:g> at the high|[Aa]t the high (?:it|⟦[A-Z]⟧) was"
        r" (?P<d2>up|down) <pct:g2>",
        {
            "g": Field("f:day_move.high_pct", "pct", "d"),
            "g2": Field("f:day_move.high_pct", "pct", "d2"),
        },
    ),
    # ── datelines ─────────────────────────────────────────────────────────────────────────
    Binding("dateline", r"as of the close on <date:d>", {"d": Field("a.as_of", "date")}),
    # ── since the last issue (commentary/changes) and the record of our calls ─────────────
    Binding(
        "level recrossed",
        r"is back (?P<d>above|below) <num:l> for the (?P<t>second|third|fourth|fifth) time in "
        r"<count:s> sessions",
        {
            "d": Field("f:level_recross.direction", "label"),
            "l": Field("f:level_recross.level", "level"),
            "t": Field("f:level_recross.times", "ordinal"),
            "s": Field("f:level_recross.sessions", "count"),
        },
    ),
    Binding(
        "level recrossed",
        r"is back (?P<d>above|below) <num:l> <count:s> sessions? after (?:slipping below|"
        r"breaking above) it",
        {
            "d": Field("f:level_recross.direction", "label"),
            "l": Field("f:level_recross.level", "level"),
            "s": Field("f:level_recross.since_opposite", "count"),
        },
    ),
    Binding(
        "the last issue", r"the last issue \(<date:d>\)", {"d": Field("a.since.as_of", "date")}
    ),
    Binding(
        "level crossed since",
        r"has moved (?P<d>above|below) the (?P<k>support|resistance) near <num:l> flagged then",
        {
            "d": Field("f:level_crossed.direction", "label"),
            "k": Field("f:level_crossed.kind", "label"),
            "l": Field("f:level_crossed.level", "level"),
        },
    ),
    Binding(
        "zone change",
        r"RSI has moved from <num:b> to <num:n> since",
        {"b": Field("f:zone_change.before", "price"), "n": Field("f:zone_change.now", "price")},
    ),
    Binding(
        "zone change, the reading after",
        r"RSI has (?:also )?(?P<d>climbed|slid) [a-z ]+; it reads <num:n>",
        {"d": Field("f:zone_change.rising", "dir"), "n": Field("f:zone_change.now", "price")},
    ),
    Binding(
        "zone change, now",
        r"RSI has (?P<d>risen|fallen) to <num:n> since",
        {"d": Field("f:zone_change.rising", "dir"), "n": Field("f:zone_change.now", "price")},
    ),
    Binding(
        "cross in between",
        r"(?:(?:In between|Between issues), an?|^An?) (?P<c>death cross|golden cross|bullish MACD crossover|bearish "
        r"MACD crossover) (?:formed|followed) on <date:d>",
        {"c": Field("f:cross_between.cross", "label"), "d": Field("f:cross_between.date", "date")},
    ),
    Binding(
        "streak ended",
        r"(?P<w>winning|losing) streak of <count:n> sessions (?:also )?ended (?:today|on <date:d>)",
        {
            "w": Field("f:streak_ended.direction", "label"),
            "n": Field("f:streak_ended.sessions", "count"),
            "d": Field("f:streak_ended.ended", "date"),
        },
    ),
    Binding(
        "scorecard line",
        r"Of the last <count:n> levels flagged here for ⟦[A-Z]⟧, <count:h> held over the following "
        r"<count:w> sessions?",
        {
            "n": Field("a.scorecard.levels", "count"),
            "h": Field("a.scorecard.held", "count"),
            "w": Field("a.scorecard.horizon", "count"),
        },
    ),
    Binding(
        "scorecard base rate",
        r"⟦[A-Z]⟧ rose in <count:r> of those <count:n> windows",
        {"r": Field("a.scorecard.rose", "count"), "n": Field("a.scorecard.levels", "count")},
    ),
    # ── the day's move ────────────────────────────────────────────────────────────────────
    Binding(
        "day move",
        rf"{_DIR_MOVE} <pct:c> to close at <num:x>(?: on <date:t>)?",
        {
            "c": Field(f"{_RET}.1", "pct", "d"),
            "x": Field(_CLOSE, "price"),
            "t": Field("i.date", "date"),
        },
    ),
    Binding(
        "day move",
        r"ended the session at <num:x>, (?P<d>up|down) <pct:c>",
        {"x": Field(_CLOSE, "price"), "c": Field(f"{_RET}.1", "pct", "d")},
    ),
    Binding(
        # The session before, taken back in full (``events.session.erased_change_pct``).
        "day move, erased",
        r"(?:wiping out|erasing) (?:<date:d>|(?P<wd>" + WEEKDAY_NAMES + r"))'s <pct:e> "
        r"(?P<k>gain|loss)",
        {
            "e": Field("f:day_move.erased", "pct", "k"),
            "d": Field("f:day_move.erased_date", "date"),
            "wd": Field("f:day_move.erased_date", "this weekday"),
        },
    ),
    Binding(
        "day move",
        r"<pct:c> (?P<d>gain|loss) left ⟦[A-Z]⟧ at <num:x>",
        {"c": Field(f"{_RET}.1", "pct", "d"), "x": Field(_CLOSE, "price")},
    ),
    Binding(
        "close",
        r"(?:closed unchanged at|ended flat, with ⟦[A-Z]⟧ at|finished at|[Cc]losed at) <num:x>"
        r"(?:, <pct:c> on the day)?",
        {"x": Field(_CLOSE, "price"), "c": Field(f"{_RET}.1", "pct")},
    ),
    # ── returns ───────────────────────────────────────────────────────────────────────────
    Binding(
        "year to date",
        r"(?P<d>up|down) <pct:y> for the year",
        {"y": Field(_YTD, "pct", "d")},
    ),
    Binding(
        "year to date",
        r"Year to date, ⟦[A-Z]⟧ is (?P<d>up|down) <pct:y>(?=\.)",
        {"y": Field(_YTD, "pct", "d")},
    ),
    Binding(
        "year to date",
        r"[Ss]ince the last close of <year:b>, it has (?P<d>gained|lost) <pct:y>",
        {"b": Field("i.states.performance.ytd_base_date", "year"), "y": Field(_YTD, "pct", "d")},
    ),
    Binding(
        "return over a window",
        r"(?P<d>up|down) <pct:r> over (?P<w>the past (?:week|month|year)|(?:the past )?"
        r"(?:three|six) months)",
        {"r": Field(f"{_RET}.{{w}}", "pct", "d")},
    ),
    Binding(
        "return over a window (signed)",
        r"<pct:r> over (?P<w>the past (?:week|month|year|three months|six months))",
        {"r": Field(f"{_RET}.{{w}}", "pct")},
    ),
    Binding("year to date (signed)", r"<pct:y> year to date", {"y": Field(_YTD, "pct")}),
    # ── the news issue's events (commentary/events): ranks, gaps, reversals, drawdowns ─────
    Binding(
        "since a rank",
        r"(?:[Bb]est|[Ww]orst|[Ll]argest|[Ll]owest|[Hh]ighest|[Ww]idest|furthest|most stretched|"
        r"[Ff]urthest stretch) (?:[Ss]ession |(?:[Mm]onth|[Ww]eek)(?:-[Ll]ong [Rr]un)? "
        r"|opening gap |[Gg]ap |such gap )?"
        r"(?:since|Since) (?:<since:s>(?! \d)|<date:d>)",
        {"s": Field(f"{_EVENT_SINCE}", "since"), "d": Field(f"{_EVENT_SINCE}", "date")},
    ),
    Binding(
        "day move, ranked",
        r"(?<!Gaps )(?<!Gap )(?P<d>soared|plunged|Soars|Plunges|Up|Down) <pct:c>(?: to <num:x>)?",
        {"c": Field(f"{_RET}.1", "pct", "d"), "x": Field(_CLOSE, "price")},
    ),
    Binding(
        "day move, ranked",
        r"ended at <num:x>, (?P<d>up|down) <pct:c>",
        {"x": Field(_CLOSE, "price"), "c": Field(f"{_RET}.1", "pct", "d")},
    ),
    Binding(
        "reversal",
        # "early" in issues written before review 8: daily bars do not time a low.
        r"52-week low at <num:l> (?:early|in the session), then ran <pct:r> off it"
        r"|to a 52-week low of <num:l2>, and buyers|[Ff]rom a fresh 52-week low at <num:l3>, ⟦",
        {
            "l": Field("f:day_move.low", "price"),
            "r": Field("f:day_move.low_to_close_pct", "pct"),
            "l2": Field("f:day_move.low", "price"),
            "l3": Field("f:day_move.low", "price"),
        },
    ),
    Binding(
        "close up or down",
        r"close[sd]? (?P<d>up|down) <pct:c> at <num:x>",
        {"c": Field(f"{_RET}.1", "pct", "d"), "x": Field(_CLOSE, "price")},
    ),
    Binding(
        # The headline gave the figure; the lead the direction ("The Nasdaq Composite closed
        # higher.", "Nvidia closed higher, and Amazon rallied hard on the day.").
        "closed higher or lower",
        r"⟦[A-Z]⟧ closed (?P<d>higher|lower)(?:\.|, and |; )",
        {"d": Field(f"{_RET}.1", "dir")},
    ),
    Binding(
        # The close itself left to the levels list ("then ran 5.2% off it to close up 4.96%").
        "close up or down, no level",
        r"close[sd]? (?P<d>up|down) <pct:c>(?! at)",
        {"c": Field(f"{_RET}.1", "pct", "d")},
    ),
    Binding(
        "gap",
        r"(?:opened|started|[Gg]aps? (?:[Uu]p|[Dd]own)|gapped (?:up|down)) <pct:g>",
        {"g": Field("f:day_move.gap_pct", "pct")},
    ),
    Binding(
        "drawdown",
        r"<pct:g> below its (?P<r>record) close",
        {"g": Field("f:drawdown.from_peak_pct", "pct"), "r": Field("f:drawdown.record", "flag")},
    ),
    Binding(
        "drawdown",
        # A high from another year goes by its month ("its October 2007 closing high"), the
        # way a trader dates one; the year is then required.
        r"<pct:g> below its (?:<date:p>|<month:m>) closing high",
        {
            "g": Field("f:drawdown.from_peak_pct", "pct"),
            "p": Field("f:drawdown.peak_date", "date"),
            "m": Field("f:drawdown.peak_date", "since"),
        },
    ),
    Binding(
        "drawdown speed",
        r"a fall that took <count:n> sessions?|after (?:just )?<count:n2> sessions?(?=, the|\.)|"
        r"got there in <count:n3> sessions?",
        {
            "n": Field("f:drawdown.sessions", "count"),
            "n2": Field("f:drawdown.sessions", "count"),
            "n3": Field("f:drawdown.sessions", "count"),
        },
    ),
    Binding(
        "drawdown speed",
        r"the <count:r>(?:st|nd|rd|th)? fastest of <count:k> declines",
        {"r": Field("f:drawdown.rank", "count"), "k": Field("f:drawdown.declines", "count")},
    ),
    Binding(
        "drawdown, the earlier decline",
        r"the decline from the <year:y> peak took <count:n> sessions",
        {
            "y": Field("i.states.events.drawdown.speed.earlier_peaks.-1", "year"),
            "n": Field("i.states.events.drawdown.speed.earlier_sessions.-1", "count"),
        },
    ),
    Binding(
        "regime since",
        r"(?:bear market|correction) (?:since|that began on) <date:d>"
        r"|(?:bear market|correction) (?:since|that began in) <since:m>",
        {
            "d": Field("f:drawdown.regime_since", "date"),
            "m": Field("f:drawdown.regime_since", "since"),
        },
    ),
    Binding(
        "recovery",
        r"<pct:g> above its (?:<date:t>|<since:m>) closing low",
        {
            "g": Field("f:recovery.rise_pct", "pct"),
            "t": Field("f:recovery.trough_date", "date"),
            "m": Field("f:recovery.trough_date", "since"),
        },
    ),
    Binding(
        # A bull market by the 20% rule still short of its record (``_messages.md`` recovery).
        "recovery, from the record",
        r"still <pct:g> short of its record close",
        {"g": Field("f:recovery.from_peak_pct", "pct")},
    ),
    Binding(
        "bull market since",
        r"bull market since (?:<date:d>|<since:m>)|^Since (?:<date:d2>|<since:m2>) ⟦[A-Z]⟧ has"
        r" been in a bull market",
        {
            "d": Field("f:recovery.since", "date"),
            "d2": Field("f:recovery.since", "date"),
            "m": Field("f:recovery.since", "since"),
            "m2": Field("f:recovery.since", "since"),
        },
    ),
    Binding(
        "base rate",
        r"(?:[Aa]fter the |[Ii]n the |(?<=or more )in )<count:c> earlier episodes",
        {"c": Field("f:base_rate.cases", "count")},
    ),
    Binding(
        "base rate",
        r"(?P<d>fell|rose) <pct:t> or more",
        {"t": Field("f:base_rate.threshold_move_pct", "pct", "d")},
    ),
    Binding(
        "base rate",
        r"<count:h> sessions later (?:it was higher )?in <count:k> of <count:c>",
        {
            "h": Field("f:base_rate.horizon", "count"),
            "k": Field("f:base_rate.higher", "count"),
            "c": Field("f:base_rate.cases", "count"),
        },
    ),
    Binding(
        "base rate",
        r"higher (?P<w>a month|a week|a year) later in <count:k> of them, against <pct:b> of all "
        r"(?P<w2>months|weeks|years)",
        {
            "w": Field("f:base_rate.horizon", "window"),
            "k": Field("f:base_rate.higher", "count"),
            "b": Field("f:base_rate.baseline_pct", "share"),
            "w2": Field("f:base_rate.horizon", "window"),
        },
    ),
    Binding(
        "base rate",
        r"higher <count:h> sessions later in <count:k>, against <pct:b> for any such window",
        {
            "h": Field("f:base_rate.horizon", "count"),
            "k": Field("f:base_rate.higher", "count"),
            # A share of all windows, shown whole by convention: rounded, not exact.
            "b": Field("f:base_rate.baseline_pct", "share"),
        },
    ),
    Binding(
        "base rate",
        r"<count:h> sessions later it was higher in <count:k>, against <pct:b> for any such window",
        {
            "h": Field("f:base_rate.horizon", "count"),
            "k": Field("f:base_rate.higher", "count"),
            "b": Field("f:base_rate.baseline_pct", "share"),
        },
    ),
    Binding(
        "base rate",
        r"median(?: move of)? <pct:m>(?!%?\); any session)",
        {"m": Field("f:base_rate.median_forward_pct", "pct")},
    ),
    Binding(
        "base rate",
        r"(?:any|for any) <count:h> sessions(?:: higher| it was higher)? <pct:b> of the time|"
        r"<pct:b2> of the time for any <count:h2> sessions",
        {
            "h": Field("f:base_rate.horizon", "count"),
            # A share of all windows, shown whole by convention: rounded, not exact.
            "b": Field("f:base_rate.baseline_pct", "share"),
            "b2": Field("f:base_rate.baseline_pct", "share"),
            "h2": Field("f:base_rate.horizon", "count"),
        },
    ),
    Binding(
        "straight closes",
        r"<count:n> straight (?P<d>higher|lower) closes|posted <count:n2> (?P<d2>higher|lower) closes"
        r" in a row|(?P<d3>winning|losing) streak has reached <count:n3> sessions?|(?P<d4>Rises|Falls)"
        r" for the <count:n4>(?:st|nd|rd|th) Straight Session",
        {
            "n": Field("f:straight.sessions", "count"),
            "n2": Field("f:straight.sessions", "count"),
            "n3": Field("f:straight.sessions", "count"),
            "n4": Field("f:straight.sessions", "count"),
            "d": Field("i.states.events.runs.straight", "dir"),
            "d2": Field("i.states.events.runs.straight", "dir"),
            "d3": Field("i.states.events.runs.straight", "dir"),
            "d4": Field("i.states.events.runs.straight", "dir"),
        },
    ),
    Binding(
        # A record close (``events.records``), its run and how long the old record stood: the
        # words say a record only when the fact is there.
        "record close",
        r"(?:[Cc]losed at|[Cc]loses at|[Tt]he close(?: at <num:c>)? was) (?P<p>a [Rr]ecord)"
        r"(?: for ⟦[A-Z]⟧)?(?: for the (?:(?P<o>" + _ORDINAL_WORDS + r")|<count:n>(?:st|nd|rd|th))"
        r" [Ss]traight [Ss]ession)?(?:(?:, finishing at|) <num:c2>)?"
        r"(?:, [Ii]ts [Ff]irst [Ss]ince (?:<since:s>(?! \d)|<date:d>))?"
        r"(?:; the run began (?:<date:d2>|(?P<wd>" + WEEKDAY_NAMES + r")) with its first record"
        r" close since (?:<since:s2>(?! \d)|<date:d3>))?",
        {
            "p": Field("f:record_close.streak", "present"),
            "c": Field("f:record_close.close", "price"),
            "c2": Field("f:record_close.close", "price"),
            "o": Field("f:record_close.streak", "ordinal"),
            "n": Field("f:record_close.streak", "count"),
            "s": Field("f:record_close.since", "since"),
            "d": Field("f:record_close.since", "date"),
            "s2": Field("f:record_close.since", "since"),
            "d3": Field("f:record_close.since", "date"),
            "d2": Field("f:record_close.started", "date"),
            "wd": Field("f:record_close.started", "this weekday"),
        },
    ),
    Binding(
        # A close across the 200- or 50-day average (``events.crossings``) and how long it had
        # been on the other side. ``{wN}`` names the average's fact ("average_cross_200").
        "average cross",
        r"closed (?P<d4>below|above) its (?P<w4>200|50)-day average, which stands at <num:a>"
        r"|It was ⟦[A-Z]⟧'s? first close (?P<d5>below|above) its (?P<w5>200|50)-day average "
        r"(?:since (?:<since:s3>(?! \d)|<date:t3>)|in data back to <year:h3>)"
        r"|(?:[Cc]losed|[Cc]loses) (?P<d>below|above|Below|Above) (?:its|Its) (?P<w>200|50)-[Dd]ay "
        r"[Aa]verage(?: for the [Ff]irst [Tt]ime (?:[Ss]ince (?:<since:s>(?! \d)|<date:t>)|in "
        r"[Dd]ata [Bb]ack to <year:h>))?"
        r"|[Tt]he close was ⟦[A-Z]⟧'s? first (?P<d2>below|above) the (?P<w2>200|50)-day average "
        r"(?:since (?:<since:s2>(?! \d)|<date:t2>)|in data back to <year:h2>)"
        r"|A Close (?P<d3>Below|Above) the Long-Run Average"
        r"|A Close (?P<d6>Below|Above) the (?P<w6>50)-Day Average"
        r"|(?P<d7>Reclaims) Its (?P<w7>200|50)-Day Average(?: for the First Time (?:Since "
        r"(?:<since:s7>(?! \d)|<date:t7>)|in Data Back to <year:h7>))?",
        {
            "d": Field("f:average_cross_{w}.side", "label"),
            "d2": Field("f:average_cross_{w2}.side", "label"),
            "d3": Field("f:average_cross_200.side", "label"),
            "d4": Field("f:average_cross_{w4}.side", "label"),
            "d5": Field("f:average_cross_{w5}.side", "label"),
            "d6": Field("f:average_cross_{w6}.side", "label"),
            "d7": Field("f:average_cross_{w7}.side", "side verb"),
            "s7": Field("f:average_cross_{w7}.since", "since"),
            "t7": Field("f:average_cross_{w7}.since", "date"),
            "h7": Field("f:average_cross_{w7}.history_start", "year"),
            "a": Field("f:average_cross_{w4}.average", "price"),
            "s": Field("f:average_cross_{w}.since", "since"),
            "s2": Field("f:average_cross_{w2}.since", "since"),
            "s3": Field("f:average_cross_{w5}.since", "since"),
            "t": Field("f:average_cross_{w}.since", "date"),
            "t2": Field("f:average_cross_{w2}.since", "date"),
            "t3": Field("f:average_cross_{w5}.since", "date"),
            "h": Field("f:average_cross_{w}.history_start", "year"),
            "h2": Field("f:average_cross_{w2}.history_start", "year"),
            "h3": Field("f:average_cross_{w5}.history_start", "year"),
        },
    ),
    Binding(
        # Under a headline that gave the run, the lead tells it from its first day: "Thursday's
        # close was Nvidia's first record since November 2021; today's, at $389.46, was the
        # second in a row."
        "record close, from its first day",
        r"(?P<wd>" + WEEKDAY_NAMES + r")'s close was (?:its|⟦[A-Z]⟧'s) first record since"
        r" (?:<since:s>(?! \d)|<date:d>); today's(?:, at <num:c>,)? was the"
        r" (?P<o>" + _ORDINAL_WORDS + r") in a row",
        {
            "wd": Field("f:record_close.started", "this weekday"),
            "s": Field("f:record_close.since", "since"),
            "d": Field("f:record_close.since", "date"),
            "c": Field("f:record_close.close", "price"),
            "o": Field("f:record_close.streak", "ordinal"),
        },
    ),
    Binding(
        # The day after a record close ("Thursday's close of $120.41 was a record for Amazon").
        "record close, the day before",
        r"(?:(?P<wd>" + WEEKDAY_NAMES + r")'s|[Tt]he <date:d>) close of <num:c> was a record"
        r"|set a record close of <num:c2> on (?:(?P<wd2>" + WEEKDAY_NAMES + r")|<date:d2>)",
        {
            "wd": Field("f:prior_record.date", "this weekday"),
            "wd2": Field("f:prior_record.date", "this weekday"),
            "d": Field("f:prior_record.date", "date"),
            "d2": Field("f:prior_record.date", "date"),
            "c": Field("f:prior_record.record", "price"),
            "c2": Field("f:prior_record.record", "price"),
        },
    ),
    Binding(
        "record close, the day before, title",
        r"(?P<p>Day After a Record Close)|: (?P<p2>Off a Record Close)|Slips (?P<p3>From a Record)",
        {
            "p": Field("f:prior_record.date", "present"),
            "p2": Field("f:prior_record.date", "present"),
            "p3": Field("f:prior_record.date", "present"),
        },
    ),
    Binding(
        "record close, title",
        r"(?P<p>A Record Close)|(?P<o>" + _ORDINAL_WORDS + r") Straight Record Close"
        r"|<count:n>(?:st|nd|rd|th) Straight Record Close",
        {
            "p": Field("f:record_close.streak", "present"),
            "o": Field("f:record_close.streak", "ordinal"),
            "n": Field("f:record_close.streak", "count"),
        },
    ),
    Binding(
        # What became of a rare gap: filled (the day traded back to the previous close) or not.
        "gap filled",
        r"[Tt]he gap (?:was )?(?P<g>filled|never filled|held|stayed open)"
        r"|(?:Sellers|Buyers) (?P<g2>filled) the gap",
        {"g": Field("f:day_move.gap_filled", "flag"), "g2": Field("f:day_move.gap_filled", "flag")},
    ),
    Binding(
        # Under a headline that gave the streak's length and rank, the lead gives its cost.
        "straight closes, cost",
        # The streak's word gives the sign; its verb must go with it ("losing streak has added"
        # is no phrase this reads, so it is refused as unbound).
        r"(?P<d>[Ww]inning) streak has added <pct:p> to ⟦[A-Z]⟧'s? price"
        r"|(?P<d2>[Ll]osing) streak has taken <pct:p2> off ⟦[A-Z]⟧'s? price",
        {
            "p": Field("f:straight.run_pct", "pct", "d"),
            "p2": Field("f:straight.run_pct", "pct", "d2"),
        },
    ),
    Binding(
        "straight closes, since",
        r"[Ll]ongest (?:winning|losing|Winning|Losing) [Ss]treak (?:[Ss]ince <since:s>(?! \d)|[Ss]ince "
        r"<date:d>|in [Dd]ata [Bb]ack to <year:h>)",
        {
            "s": Field("f:straight.since", "since"),
            "d": Field("f:straight.since", "date"),
            "h": Field("f:straight.history_start", "year"),
        },
    ),
    Binding(
        "week rank",
        r"(?:Over|In) <count:n> sessions? ⟦[A-Z]⟧ (?:is|has) (?P<d>up|down|gained|lost) <pct:c>",
        {
            "n": Field("f:run_rank.sessions", "count"),
            "c": Field("f:run_rank.change_pct", "pct", "d"),
        },
    ),
    Binding(
        "week rank",
        r"(?<=: )(?P<d>up|down) <pct:c> in <count:n> sessions?(?=\.)",
        {
            "c": Field("f:run_rank.change_pct", "pct", "d"),
            "n": Field("f:run_rank.sessions", "count"),
        },
    ),
    Binding(
        # The session that did most of the week's move ("nearly all of it on Thursday"): the
        # ledger names it only when one did (``events.runs.week_carried_by``).
        "week carried by a session",
        r"nearly all of it (?:on|came on) (?P<wd>" + WEEKDAY_NAMES + r")",
        {"wd": Field("f:run_rank.carried_by", "this weekday")},
    ),
    # The brief's bullets: the rules' own texts for the events (rules/builtin.toml).
    Binding(
        "ranked fact text",
        r"rank <count:r>(?: among (?:gains|losses))? since <date:h>",
        {"r": Field(_EVENT_RANK, "count"), "h": Field(_EVENT_HISTORY, "date")},
    ),
    Binding(
        "ranked fact text",
        r"(?:[Rr]si|[Ss]ma\\?_?200|[Aa]tr) <num:v>(?=, rank)",
        {"v": Field("f:extreme.value", "price")},
    ),
    Binding(
        "ranked fact text",
        r"<num:c>% over the (?:week|past month|past three months)(?=, rank)",
        {"c": Field("f:run_rank.change_pct|f:returns.change_pct", "magnitude")},
    ),
    Binding(
        "gap fact text",
        r"[Oo]pened <num:g>% \(gap rank <count:r>\) and closed <num:c>% at <num:x>",
        {
            "g": Field("f:day_move.gap_pct", "signed"),
            "r": Field("f:day_move.gap_rank", "count"),
            "c": Field("f:day_move.change_pct", "signed"),
            "x": Field(_CLOSE, "price"),
        },
    ),
    Binding(
        "reversal fact text",
        r"then closed <num:c>% at <num:x>",
        {"c": Field("f:day_move.change_pct", "signed"), "x": Field(_CLOSE, "price")},
    ),
    Binding(
        "day fact text",
        r"[Cc]losed at <num:x>, <num:c>% on the day(?=, rank)",
        {"x": Field(_CLOSE, "price"), "c": Field("f:day_move.change_pct", "signed")},
    ),
    Binding(
        "base rate fact text",
        r"<count:c> earlier sessions that (?:fell|rose) at least <pct:t>: higher <count:h> "
        r"sessions later in <count:k> \(median <pct:m>\); any session: <pct:b>",
        {
            "c": Field("f:base_rate.cases", "count"),
            "t": Field("f:base_rate.threshold_move_pct", "share"),
            "h": Field("f:base_rate.horizon", "count"),
            "k": Field("f:base_rate.higher", "count"),
            "m": Field("f:base_rate.median_forward_pct", "pct"),
            "b": Field("f:base_rate.baseline_pct", "share"),
        },
    ),
    Binding(
        "drawdown fact text",
        r"<num:g>% from the <date:p> closing high(?: in <count:n> sessions "
        r"\(speed rank <count:r> of <count:k>\))?",
        {
            "g": Field("f:drawdown.from_peak_pct", "magnitude"),
            "p": Field("f:drawdown.peak_date", "date"),
            "n": Field("f:drawdown.sessions", "count"),
            "r": Field("f:drawdown.rank", "count"),
            "k": Field("f:drawdown.declines", "count"),
        },
    ),
    Binding(
        "recovery fact text",
        r"<num:g>% above the <date:t> closing low",
        {
            "g": Field("f:recovery.rise_pct", "magnitude"),
            "t": Field("f:recovery.trough_date", "date"),
        },
    ),
    Binding(
        "extreme",
        r"(?:At <num:v>, the RSI is the|RSI reads <num:v2>, its|an RSI of <num:v3> is the)"
        r"(?= (?:lowest|highest))",
        {
            "v": Field("f:extreme.value", "price"),
            "v2": Field("f:extreme.value", "price"),
            "v3": Field("f:extreme.value", "price"),
        },
    ),
    Binding(
        "extreme",
        r"(?:range is|range of|range,) <num:v>% of price",
        {"v": Field("f:extreme.value", "price")},
    ),
    Binding(
        "extreme",
        r"(?:sits|[Aa]t|average,) <pct:v> (?P<d>above|below)? ?(?:the|its) 200-day average|"
        r"200-day average, <pct:v2> (?P<d2>above|below)",
        {"v": Field("f:extreme.value", "pct", "d"), "v2": Field("f:extreme.value", "pct", "d2")},
    ),
    Binding(
        "bear market speed title",
        r"After a <count:n>-Session Fall",
        {"n": Field("f:drawdown.sessions", "count")},
    ),
    Binding(
        "streak fact text",
        r"<count:n> straight sessions, a record \(previous: <count:p> in <year:y>\)",
        {
            "n": Field("f:streak.sessions", "count"),
            "p": Field("f:streak.record_sessions", "count"),
            "y": Field("f:streak.record_year", "year"),
        },
    ),
    # ── a pop ─────────────────────────────────────────────────────────────────────────────
    Binding(
        "pop",
        r"<pct:g> (?:pop |rise )?in (?:just )?<count:n>(?: sessions?)"
        r"(?: (?:since <date:s>|from <date:s2> to <date:e>|through <date:e2>"
        r"|through (?P<wd>" + WEEKDAY_NAMES + r")))?",
        {
            "g": Field(f"{_POP}.pct", "pct"),
            "n": Field(f"{_POP}.sessions", "count"),
            "s": Field(f"{_POP}.start", "date"),
            "s2": Field(f"{_POP}.start", "date"),
            "e": Field(f"{_POP}.end", "date"),
            "e2": Field(f"{_POP}.end", "date"),
            "wd": Field(f"{_POP}.end", "this weekday"),
        },
    ),
    Binding(
        "pop, peak",
        r"run peaked on (?:<date:e>|(?P<wd>" + WEEKDAY_NAMES + r"))",
        {"e": Field(f"{_POP}.end", "date"), "wd": Field(f"{_POP}.end", "weekday")},
    ),
    Binding(
        "pop, at its high",
        r"run is (?P<z>still going), with today's close its high",
        {"z": Field(f"{_POP}.sessions_since_end", "zero")},
    ),
    Binding(
        # The headline gave the rally's size; the lead gives its length.
        "pop, length",
        r"(?:[Tt]he rally ran|[Tt]he run took|⟦[A-Z]⟧'s? rally ran|⟦[A-Z]⟧'s? run took) <count:n> sessions?"
        r"(?: through (?:<date:e>|(?P<wd>" + WEEKDAY_NAMES + r")))?",
        {
            "n": Field(f"{_POP}.sessions", "count"),
            "e": Field(f"{_POP}.end", "date"),
            "wd": Field(f"{_POP}.end", "this weekday"),
        },
    ),
    Binding(
        "pop",
        r"(?:A gain of|rose|up) <pct:g> in (?:just )?<count:n> sessions?",
        {"g": Field(f"{_POP}.pct", "pct"), "n": Field(f"{_POP}.sessions", "count")},
    ),
    Binding(
        "day move title",
        r"(?P<d>Jumps|Slides|Sheds|Adds|Slips|Climbs|Drops|Dips|Edges Up|Up|Down) <pct:c>",
        {"c": Field(f"{_RET}.1", "pct", "d")},
    ),
    Binding("pop title", r"<pct:g> (?:Rally|Run)", {"g": Field(f"{_POP}.pct", "pct")}),
    Binding(
        "pop title",
        r"Rallies <pct:g> in <count:n> Sessions",
        {"g": Field(f"{_POP}.pct", "pct"), "n": Field(f"{_POP}.sessions", "count")},
    ),
    Binding(
        "streak title",
        r"for the <count:n>(?:st|nd|rd|th) Straight Session(?:, (?:a Record|Tying a Record))?",
        {"n": Field("f:streak.sessions", "count")},
    ),
    Binding("brief RSI", r"\(RSI <num:r>\)", {"r": Field(_RSI, "price")}),
    # ── channels ──────────────────────────────────────────────────────────────────────────
    Binding(
        "channel slope",
        r"(?P<d>climbing|falling) <pct:s> a year",
        {"s": Field("f:channel.slope_pct", "pct", "d")},
    ),
    Binding(
        "channel slope (fact)",
        r"(?P<h>short|medium|long)-term channel, <pct:s> a year",
        {"s": Field("i.states.trend.channels.{h}.slope_pct_per_year", "pct")},
    ),
    # ── levels ────────────────────────────────────────────────────────────────────────────
    Binding(
        "level broken",
        r"[Bb]roke (?:above|below) the <num:l> (?:area|level)(?: today)?"
        r"(?:, a level that had turned price <count:t>(?: times)?| \(<count:t2> touch(?:es)?\))?",
        {
            "l": Field(_BROKEN, "level"),
            "t": Field(_TOUCHES, "count"),
            "t2": Field(_TOUCHES, "count"),
        },
    ),
    Binding(
        "level broken",
        r"(?:cleared|gave way at) <num:l>, a zone with <count:t> touch(?:es)?",
        {
            "l": Field(_BROKEN, "level"),
            "t": Field(
                "i.states.levels.crossed_above.touches|i.states.levels.crossed_below.touches",
                "count",
            ),
        },
    ),
    Binding(
        "level broken",
        r"[Tt]he <num:l> level (?:gave way to buyers|failed to hold) today after <count:t> touch",
        {
            "l": Field(_BROKEN, "level"),
            "t": Field(
                "i.states.levels.crossed_above.touches|i.states.levels.crossed_below.touches",
                "count",
            ),
        },
    ),
    Binding(
        # Under a headline that gave the level: how often it held before.
        "level broken, headlined",
        r"(?:got through this time; the level had stopped it|broke through this time; the floor "
        r"had held) <count:t>(?: times?)? before|(?:a level that had turned it back|a floor that "
        r"had held) <count:t2>(?: times?)? before",
        {"t": Field(_TOUCHES, "count"), "t2": Field(_TOUCHES, "count")},
    ),
    # A title's break is read with its side: "Breaks Above 2,375" is the level crossed above.
    Binding(
        "level broken title, above",
        r"(?:Breaks?|Breaking) Above <num:l>|Clears <num:l2>",
        {
            "l": Field("i.states.levels.crossed_above.price", "level"),
            "l2": Field("i.states.levels.crossed_above.price", "level"),
        },
    ),
    Binding(
        "level broken title, below",
        r"(?:Breaks?|Breaking) Below <num:l>|Loses <num:l2>",
        {
            "l": Field("i.states.levels.crossed_below.price", "level"),
            "l2": Field("i.states.levels.crossed_below.price", "level"),
        },
    ),
    Binding(
        "broken level",
        r"(?:The <num:l> (?:level|area) it just (?:cleared|lost)|Old resistance near <num:l2>"
        r"|Former support near <num:l3>|the (?:breakout|breakdown) level near <num:l4>)",
        {
            "l": Field(_BROKEN, "level"),
            "l2": Field(_BROKEN, "level"),
            "l3": Field(_BROKEN, "level"),
            "l4": Field(_BROKEN, "level"),
        },
    ),
    Binding(
        "distance from the high (fact)",
        r"<pct:g> from its all-time high of <num:h>",
        {
            "g": Field("i.states.levels.extremes.pct_from_all_time_high", "pct"),
            "h": Field(_ATH, "price"),
        },
    ),
    Binding(
        "52-week high",
        r"(?P<f>52-week high) (?:of|at) <num:h>|[Tt]oday's high of <num:h2> is the best in 52 weeks"
        r"|(?:new high came at|as high as) <num:h3>",
        {
            "h": Field("i.states.levels.extremes.high_52w", "price"),
            "h2": Field("i.states.levels.extremes.high_52w", "price"),
            "h3": Field("i.states.levels.extremes.high_52w", "price"),
        },
    ),
    Binding(
        "52-week low",
        r"(?:52-week low (?:at|near)|session's low of|new low came at|as low as) <num:l>",
        {"l": Field("i.states.levels.extremes.low_52w", "price|level")},
    ),
    Binding(
        "key level",
        r"(?:The key level is|Everything turns on|Watch) (?:⟦[A-Z]⟧'s? )?(?:support|resistance|"
        r"(?:the )?52-week low|(?:the )?all-time high|all-time high) (?:near|at) <num:k>",
        {"k": Field(_KEY, "level")},
    ),
    Binding(
        "brief watch",
        r"watch (?:support|resistance|all-time high|52-week low|broken level) <num:k>",
        {"k": Field(_KEY, "level")},
    ),
    Binding(
        "all-time high",
        r"(?:new all-time high at|to a record|all-time high of|record high of|record high from "
        r"(?:<date:hd>|(?P<wd>" + WEEKDAY_NAMES + r")),|all-time high at|all-time high) <num:h>"
        r"(?:, set on (?:<date:hd2>|(?P<wd2>" + WEEKDAY_NAMES + r"))| from <date:hd3>"
        r"| all-time high)?",
        {
            "h": Field(_ATH, "price"),
            "hd": Field("i.states.levels.extremes.all_time_high_date", "date"),
            "hd2": Field("i.states.levels.extremes.all_time_high_date", "date"),
            "hd3": Field("i.states.levels.extremes.all_time_high_date", "date"),
            "wd": Field("i.states.levels.extremes.all_time_high_date", "weekday"),
            "wd2": Field("i.states.levels.extremes.all_time_high_date", "weekday"),
        },
    ),
    Binding("all-time high", r"the <num:h> all-time high", {"h": Field(_ATH, "price")}),
    Binding(
        "all-time high, rounded",
        r"(?:the )?all-time high near <num:h>",
        {"h": Field(_ATH, "level")},
    ),
    Binding(
        "history",
        r"(?:[Dd]ata [Bb]ack [Tt]o|data since) (?:<date:d>|<year:y>)",
        {
            "y": Field("i.states.levels.extremes.history_start", "year"),
            "d": Field("i.states.levels.extremes.history_start", "date"),
        },
    ),
    Binding(
        "distance from the high",
        r"<pct:g> (?P<d>below|under|above) (?=it|its all-time high|the record high|the \$?[\d,.]+"
        r" all-time high)",
        {"g": Field("i.states.levels.extremes.pct_from_all_time_high", "pct", "d")},
    ),
    Binding(
        "support",
        r"(?:[Ss]upport|floor|defended the|stepped in) (?:is layered |sits |is being tested )?"
        r"(?:near |around )?<num:l>"
        r"(?: area)?(?:, where price has turned <count:t>(?: times)?|, within one average daily "
        r"range and touched <count:t2>(?: times)?|, touched <count:t3>(?: times)?| is being tested;"
        r" it has held <count:t4>(?: times)?| \(<count:t5> touch(?:es)?\)| <count:t6>"
        r"(?: times)?)?",
        {
            "l": Field(_SUPPORT, "level"),
            "t": Field("i.states.levels.support.touches", "count"),
            "t2": Field("i.states.levels.support.touches", "count"),
            "t3": Field("i.states.levels.support.touches", "count"),
            "t4": Field("i.states.levels.support.touches", "count"),
            "t5": Field("i.states.levels.support.touches", "count"),
            "t6": Field("i.states.levels.support.touches", "count"),
        },
    ),
    Binding(
        "resistance",
        r"(?:[Rr]esistance (?:sits )?(?:near|around)|highs clustered around|met price near|pushing into "
        r"resistance near) <num:l>(?: \(<count:t>(?: touch(?:es)?)?\)|, a zone with <count:t2> "
        r"touch(?:es)?|, touched <count:t3>(?: times)?| <count:t4>(?: times)?(?=\.))?",
        {
            "l": Field(_RESISTANCE, "level"),
            "t": Field("i.states.levels.resistance.touches", "count"),
            "t2": Field("i.states.levels.resistance.touches", "count"),
            "t3": Field("i.states.levels.resistance.touches", "count"),
            "t4": Field("i.states.levels.resistance.touches", "count"),
        },
    ),
    Binding("watch", r"Watch <num:k>:", {"k": Field(_KEY, "level")}),
    Binding(
        "brief close",
        r"^⟦[A-Z]⟧ <num:x>: [▲▼◆]",
        {"x": Field(_CLOSE, "price")},
    ),
    Binding(
        "watch item",
        r"^⟦[A-Z]⟧ \(<num:x>\)",
        {"x": Field(_CLOSE, "price")},
    ),
    # ── momentum ──────────────────────────────────────────────────────────────────────────
    Binding(
        "rating",
        r"(?:rating is [a-z ]+, at |score |\((?=\S+ of a possible)|[Tt]echnical rating )<num:r>(?: out of ±100| on a "
        r"scale from −100 to \+100| of a possible ±100\)| \((?P<label>[a-z ]+)\))?",
        {"r": Field(_RATING, "rating"), "label": Field("i.states.rating.label", "label")},
    ),
    Binding(
        "rating label",
        r"(?:rating is|a|rating reads) (?P<label>strongly positive|positive|neutral|negative|"
        r"strongly negative)(?= rating|,| \()",
        {"label": Field("i.states.rating.label", "label")},
    ),
    Binding(
        "RSI",
        r"(?:RSI (?:sits at|is (?:rising|falling) at|at|to|overbought at|oversold at|neutral at)"
        r"|[Aa]t) <num:r>(?=, the RSI)|RSI (?:sits at|is (?:rising|falling) at|at|to|overbought at|oversold at|neutral at) <num:r2>",
        {"r": Field(_RSI, "price"), "r2": Field(_RSI, "price")},
    ),
    Binding(
        "overbought line",
        r"(?P<o>above|below) the overbought line",
        {"o": Field(_RSI, "over")},
    ),
    Binding(
        "MACD cross",
        r"(?:crossed|moved) (?P<m>above|below) its signal line (?P<a>today|one session ago|"
        r"<count:n> sessions ago)",
        {
            "m": Field("i.states.momentum.macd_above_signal", "flag"),
            "n": Field("i.states.momentum.macd_cross_age", "count"),
            "a": Field("i.states.momentum.macd_cross_age", "age"),
        },
    ),
    Binding(
        "MACD crossover",
        r"[Aa] (?P<m>bullish|bearish) MACD crossover (?P<a>today|one session ago|<count:n> sessions"
        r" ago)",
        {
            "m": Field("i.states.momentum.macd_above_signal", "flag"),
            "n": Field("i.states.momentum.macd_cross_age", "count"),
            "a": Field("i.states.momentum.macd_cross_age", "age"),
        },
    ),
    Binding(
        "MACD cross (fact)",
        r"MACD (?P<m>above|below) its signal line after a cross \(sessions since: <count:n>\)",
        {
            "m": Field("i.states.momentum.macd_above_signal", "flag"),
            "n": Field("i.states.momentum.macd_cross_age", "count"),
        },
    ),
    Binding(
        "MACD",
        r"MACD (?:is (?:positive|negative) at |reads |(?:positive|negative) \(|(?:positive|"
        r"negative) at )<num:m>",
        {"m": Field("i.states.momentum.macd", "signed")},
    ),
    Binding(
        "trend strength",
        r"(?:[Tt]rend strength is|the trend is|marks an?) (?P<s>very strong|strong|developing|"
        r"absent|weak|moderate)",
        {"s": Field("i.states.momentum.trend_strength", "label")},
    ),
    Binding(
        "MACD pressure",
        r"underlying (?P<p>buying|selling) pressure",
        {"p": Field("i.states.momentum.macd_positive", "flag")},
    ),
    Binding(
        "RSI zone, negated",
        r"not (?:yet )?(?P<z>overbought|oversold)",
        {"z": Field("i.states.momentum.rsi_zone", "not")},
    ),
    Binding(
        "cross, negated",
        r"no longer in an? (?P<c>death|golden)[- ]cross",
        {"c": Field("i.states.averages.cross", "not")},
    ),
    Binding(
        "relative direction",
        r"has (?P<d>outperformed|underperformed|beaten|lagged|trailed) ⟦[A-Z]⟧",
        {"d": Field("p.states.current.outperforming", "dir")},
    ),
    Binding(
        "year-to-date leader",
        r"(?P<d>Leads|Trails) ⟦[A-Z]⟧",
        {"d": Field("p.states.ytd_gap_pct", "dir")},
    ),
    Binding(
        "stochastic",
        r"(?:[Ss]tochastic (?:oscillator is )?(?:overbought|oversold|neutral) at|%K at) <num:k>",
        {"k": Field("i.states.momentum.stoch_k", "price")},
    ),
    Binding(
        "ADX",
        r"(?:ADX(?:, at| at just| at| of|) |An ADX of )<num:a>",
        {"a": Field("i.states.momentum.adx", "price")},
    ),
    Binding(
        "bandwidth",
        r"(?:narrowed to|six-month low of|bandwidth down to|bandwidth) <pct:b>",
        {"b": Field("i.states.bands.bandwidth_pct", "pct")},
    ),
    Binding(
        "Bollinger band",
        r"(?P<side>upper|lower) Bollinger [Bb]and (?:at )?\(?<num:b>",
        {"b": Field("i.states.bands.{side}", "price")},
    ),
    # ── averages ──────────────────────────────────────────────────────────────────────────
    Binding(
        "50-day",
        r"(?:50-day average \(|50-day \(|50-day at |SMA 50 )<num:s>",
        {"s": Field("i.states.averages.sma_50", "price")},
    ),
    Binding(
        "200-day",
        r"(?:200-day \(|200-day at |SMA 200 )<num:s>",
        {"s": Field("i.states.averages.sma_200", "price")},
    ),
    Binding("5-day (fact)", r"SMA 5 <num:s>", {"s": Field("i.states.averages.sma_5", "price")}),
    Binding("close (fact)", r"mixed averages: close <num:s>", {"s": Field(_CLOSE, "price")}),
    Binding(
        "cross age",
        r"(?:formed |\) |cross )(?P<a>today|one session ago|<count:n> sessions ago)",
        {
            "n": Field("i.states.averages.cross_age", "count"),
            "a": Field("i.states.averages.cross_age", "age"),
        },
    ),
    Binding(
        "cross window",
        r"at least <count:n> sessions ago",
        {"n": Field("i.states.averages.cross_window", "count")},
    ),
    Binding(
        "cross age (fact)",
        r"cross \(sessions since: <count:n>\)",
        {"n": Field("i.states.averages.cross_age", "count")},
    ),
    # ── volume ────────────────────────────────────────────────────────────────────────────
    Binding(
        "volume",
        r"<num:v> times (?:its 20-day average|normal|average volume|the usual)",
        {"v": Field("i.states.volume.ratio", "price")},
    ),
    Binding(
        "volume (fact)", r"\(<num:v>x average\)", {"v": Field("i.states.volume.ratio", "price")}
    ),
    # ── against the benchmark ─────────────────────────────────────────────────────────────
    Binding(
        # The day the benchmark made its lowest (highest) close since a date, or a record, and
        # the instrument held its own month's low (``relative.divergence``), in either order.
        "divergence, held low",
        _held("held above", "low", "made its lowest " + _SINCE_RANK, "made its lowest close on"),
        _HELD_FIELDS,
    ),
    Binding(
        "divergence, held high",
        _held("stayed below", "high", "made its highest " + _SINCE_RANK, "set a"),
        _HELD_FIELDS,
    ),
    Binding(
        "streak",
        r"(?:For <count:n> straight sessions|<count:n2> straight sessions|<count:n3> sessions in a"
        r" row|<count:n4> sessions and counting|<count:n5> sessions (?:ahead of|behind)|each of "
        r"the last <count:n6> sessions|<count:n7>-(?:[Ss]ession))",
        {f"n{s}": Field(f"{_PAIR}.current.sessions", "count") for s in ("", 2, 3, 4, 5, 6, 7)},
    ),
    Binding(
        "record streak",
        r"(?:the longest run before this one was <count:r> sessions, in <year:y>|the old record "
        r"was <count:r2>, set in <year:y2>|topping <count:r3> sessions in <year:y3>|previous: "
        r"<count:r4> in <year:y4>)",
        {
            **{f"r{s}": Field("f:streak.record_sessions", "count") for s in ("", 2, 3, 4)},
            **{f"y{s}": Field("f:streak.record_year", "year") for s in ("", 2, 3, 4)},
        },
    ),
    Binding(
        "record year",
        r"(?:record set in <year:y>|tying the <year:y2> record|record, from <year:y3>|matching "
        r"the <year:y4> record)",
        {f"y{s}": Field("f:streak.record_year", "year") for s in ("", 2, 3, 4)},
    ),
    Binding(
        "longest since",
        r"(?:longest (?:run )?since|Not since) <since:s>",
        {"s": Field("f:streak.since_end", "since")},
    ),
    Binding(
        "spread",
        r"(?:by an average of )?<count:b> basis points?(?: a day)?(?: (?P<d>in its favor|against "
        r"it|ahead of|behind))?",
        {"b": Field(f"{_PAIR}.current.average_spread_bps", "bps", "d")},
    ),
    Binding(
        "spread, in points",
        rf"averaged (?P<b>{POINTS}) a day (?P<d>in its favor|against it)|gap over the run: "
        rf"(?P<b2>{POINTS}) (?P<d2>in its favor|against it)|works out to (?P<b3>{POINTS}) a day "
        r"(?P<d3>ahead of|behind)",
        {
            "b": Field(f"{_PAIR}.current.average_spread_bps", "point margin", "d"),
            "b2": Field(f"{_PAIR}.current.average_spread_bps", "point margin", "d2"),
            "b3": Field(f"{_PAIR}.current.average_spread_bps", "point margin", "d3"),
        },
    ),
    Binding(
        "spread (fact)",
        r"<num:b> bp a day",
        {"b": Field(f"{_PAIR}.current.average_spread_bps", "magnitude")},
    ),
    Binding(
        "year-to-date gap",
        r"<num:g> percentage points (?P<d>in its favor|against it|ahead|behind)",
        {"g": Field(f"{_PAIR}.ytd_gap_pct", "points", "d")},
    ),
    Binding(
        "year-to-date gap (fact)",
        r"(?P<d>[Aa]head|[Bb]ehind) year to date by <num:g> points \(<pct:m> vs <pct:t>\)",
        {
            "g": Field(f"{_PAIR}.ytd_gap_pct", "points", "d"),
            "m": Field(f"{_PAIR}.ytd_symbol_pct", "pct"),
            "t": Field(f"{_PAIR}.ytd_benchmark_pct", "pct"),
        },
    ),
    Binding(
        "year-to-date level (fact)",
        r"year to date \(<pct:m> vs <pct:t>\)",
        {
            "m": Field(f"{_PAIR}.ytd_symbol_pct", "pct"),
            "t": Field(f"{_PAIR}.ytd_benchmark_pct", "pct"),
        },
    ),
    Binding(
        "year-to-date pair",
        r"(?P<d>up|down) <pct:m> against (?P<d2>up|down) <pct:t>",
        {
            "m": Field(f"{_PAIR}.ytd_symbol_pct", "pct", "d"),
            "t": Field(f"{_PAIR}.ytd_benchmark_pct", "pct", "d2"),
        },
    ),
    Binding(
        "year-to-date for whom",
        r"(?P<d>up|down) <pct:y> for <who:y>",
        {"y": Field(f"p.ytd_of_subject|{_YTD}", "pct", "d")},
    ),
    Binding(
        "year-to-date for a name",
        r"⟦[A-Z]⟧(?: is)? (?P<d>up|down) <pct:y>",
        {"y": Field(f"p.ytd_of_subject|{_YTD}", "pct", "d")},
    ),
    Binding(
        "year of the race",
        r"(?:in|for) <year:y>(?=[.:,]| favors| vs\.| Meets)",
        {"y": Field("a.as_of", "year")},
    ),
    Binding(
        "charts tally",
        r"(?P<all>All <count:n>|Both) charts (?:lean (?P<lean>bullish|bearish)|are balanced)",
        {"n": Field("v.instrument_sections", "count")},
    ),
    Binding(
        "charts tally",
        r"<count:n> charts? (?:leans?|is|are) (?P<lean>bullish|bearish|balanced)",
        {"n": Field("v.lean_count.{lean}", "count")},
    ),
)

#: Per binding name, words one of which every match of its patterns contains.
CUES = {
    # Words every match holds, for patterns whose words sit in groups (``_cue`` finds none, and
    # the pattern would run on every sentence).
    "day move, short": "jumped|rose|tumbled|slipped|gained|lost|climbed|fell|dropped|added|shed"
    "|ended the session|closed",
    "pop title": "Rally|Run|Rallies",
    "level broken title, above": "Break|Clears",
    "level broken title, below": "Break|Loses",
    "longest since": "since",
    "straight closes": "closes|streak has reached|Straight Session",
    "straight closes, since": "treak",
    "straight closes, cost": "taken|added",
    "gap filled": "gap",
    "race today, in words": "narrowly|hair|clearly|margin|long way",
    "race today, in points": "point",
    "race today, the two sessions": "while|against",
    "outside reversal": "outside reversal",
    "spread, in points": "point",
    "day move in words": "edged|inched|ticked|ground|moved|firmed|hard|sharply|surged|slumped",
    "base rate, odds": "an ordinary",
    "base rate, as often": "as often",
    "intraday low": "t the low",
    "intraday high": "t the high",
    "title, the day's direction": "Close|Ground",
    "title, a rally": "Rally|Run",
    "title, a session against its channel": "Inside a",
    "title, the largest gap": "Largest Gap",
    "title, the fastest fall": "Fastest Fall",
    "title, a closing low": "Lowest Close",
    "divergence, held low": "held above",
    "average cross": "average|Average",
    "record close, the day before, title": "Record",
    # Cues for alternatives that share a word but not a run at the top level: a sentence without
    # it skips the pattern (the bound-claims check is the batch's costliest stage, #15).
    "watched level broken today": "former",
    "record close": "record|Record",
    "record close, the day before": "record",
    "record close, title": "Record Close",
    "level broken, headlined": " before",
    "divergence, held high": "stayed below",
    "title, a channel": "Channel",
    "title, a fall's length": "Session Fall",
    "title, an extreme": "at an Extreme",
    "level recrossed": "is back",
    "cross in between": "formed on|followed on",
    # The news issue's phrases (alternatives at the top level leave no word to cue on).
    "since a rank": "since|Since",
    "day move, ranked": "soared|plunged|Soars|Plunges|Up |Down |ended at",
    "day move, ranked too": "gave|up|down",
    "reversal": "52-week low",
    "gap": "pened|tarted|ap",
    "drawdown speed": "took|after|got there|fastest",
    "regime since": "since|began on|began in",
    "bull market since": "bull market|Since",
    "base rate": "earlier sessions|or more|later|median|of the time",
    "ranked fact text": "rank|over the",
    "extreme": "RSI|of price|200-day",
    "close": "at",
    "52-week high": "high",
    "52-week low": "low",
    "key level": "turns|Watch|key",
    "history": "data|Data Back",
    "distance from the high": "%",
    "support": "upport|floor|defended|stepped",
    "resistance": "esistance|highs|met price|pushing",
    "brief close": ":",
    "watch item": "(",
    "rating": "rating|score|possible",
    "rating label": "rating",
    "RSI": "RSI",
    "trend strength": "trend|Trend",
    "year-to-date leader": "Leads|Trails",
    "stochastic": "tochastic|%K",
    "ADX": "ADX",
    "bandwidth": "%",
    "50-day": "50",
    "200-day": "200",
    "cross age": "ago|today",
    "streak": "ession",
    "record streak": "record|previous|topping",
    "record year": "record",
    "year-to-date for a name": "%",
    "broken level": "level|resistance|support|area",
    "all-time high": "high",
    "day move title": "%",
    "pop": "session",
    "pop, length": "rally ran|run took",
}

#: Phrases whose numbers name windows and scales, not claims.
CONSTANTS = (
    r"\b(?:5|14|20|50|200)-day\b|\b52[- ]weeks?\b|[±−-]100 to \+100|±100|\b12 months\b"
    r"|\btightest in six months\b|\bsix-month\b|\bone average daily range\b|\bone ATR\b"
    r"|\b5-, 50- and 200-day\b|\bthe one before\b|\bone weak session\b|\bSMA (?:5|50|200)\b"
    r"|\bRSI 14\b|\b14-day\b|\b20-day\b|\bthe two\b"
)

#: Lean phrases of a bottom line: words -> the lean they state ("relative" ones name a winner).
LEANS: tuple[tuple[str, str], ...] = (
    (r"Buyers have the upper hand", "bullish"),
    (r"balance of evidence favors the bulls", "bullish"),
    (r"leans bullish", "bullish"),
    (r"Sellers have the upper hand", "bearish"),
    (r"balance of evidence favors the bears", "bearish"),
    (r"leans bearish", "bearish"),
    (r"Neither side has control", "neutral"),
    (r"signals on ⟦[A-Z]⟧ are mixed", "neutral"),
    (r"setup is balanced", "neutral"),
    # The closing call's trade, after the sentence that named the instrument.
    (r"Stay defensive (?:until|while)", "bearish"),
    (r"Sell strength until", "bearish"),
    (r"Stay cautious until", "bearish"),
    (r"Stay with it while", "bullish"),
    (r"Give the trend room while", "bullish"),
    (r"benefit of the doubt while", "bullish"),
    (r"Let it show its hand", "neutral"),
    (r"is the stronger hand against", "bullish"),
    (r"is winning the comparison", "bullish"),
    (r"is the laggard against", "bearish"),
    (r"is losing the comparison", "bearish"),
    (r"has a clear relative edge", "neutral"),
    (r"relative picture is even", "neutral"),
    (r"no relative edge", "neutral"),
    (r"▲ bullish", "bullish"),
    (r"▼ bearish", "bearish"),
    (r"◆ balanced", "neutral"),
)


def _with_levels() -> None:
    """The watched levels' bindings go first: their phrases ("support at 2,380.94 (today's
    low)") would otherwise be read by the older support and resistance bindings."""
    from .level_bindings import LEVEL_BINDINGS, LEVEL_CUES, LEVEL_LEANS

    global BINDINGS, LEANS
    BINDINGS = (*LEVEL_BINDINGS, *BINDINGS)
    CUES.update(LEVEL_CUES)
    LEANS = (*LEANS, *LEVEL_LEANS)


_with_levels()
