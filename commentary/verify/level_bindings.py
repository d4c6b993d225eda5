# ruff: noqa: E501 (phrase patterns read best whole, one per line)
"""Bindings for the levels a trader watches (``states.trade_levels``): how the bottom lines and
the "Key Levels to Watch" name a level ("Thursday's close at $83.83", "2,351.10 (the December
24, 2018 closing low)") and its distance from the close in average daily ranges.

A named level must be one of the instrument's watched levels (``states.levels.watch``), with the
date, month or weekday its name gives; a distance must be the one the section's verdict holds for
the level that proves its call wrong (``verdicts.*.other_level.atr``).
"""

from __future__ import annotations

from .bindings import RANGES, Binding, Field, one_of

_PRICE = "i.states.levels.watch.*.price"
_DATE = "i.states.levels.watch.*.date"
_DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
#: Every way ``_bottom_line.md``'s ``label`` macro names a level.
_LABEL = (
    r"(?:[Tt]oday's (?:low|high)|(?P<wd{n}>" + _DAYS + r")'s (?:close|low|high|record close)"
    r"|[Tt]he <date:d{n}> (?:close|low|high|swing low|swing high|closing low|closing high"
    r"|record close)"
    r"|[Tt]he (?:50|200)-day average|[Tt]he (?:correction|bear-market) line|[Tt]he (?:top|bottom) of today's gap"
    r"|[Tt]he (?:support|resistance) zone|[Tt]he (?:breakout|breakdown) level|[Tt]he former (?:support|resistance)|[Tt]he all-time high|[Tt]he 52-week low)"
)
_ATR = "v.other_level.atr"


def _label(n: str) -> str:
    return _LABEL.replace("{n}", n)


def _named(n: str) -> dict[str, Field]:
    return {
        f"d{n}": Field(_DATE, "date"),
        f"wd{n}": Field(_DATE, "this weekday"),
    }


LEVEL_BINDINGS: tuple[Binding, ...] = (
    Binding(
        # A level broken today, by what it was: support gave way, resistance was cleared. Read
        # before any watched level: its price alone might round to another one.
        "watched level broken today",
        r"[Tt]he former support near <num:b>|[Tt]he former resistance near <num:b2>",
        {
            "b": Field("i.states.levels.crossed_below.price", "level"),
            "b2": Field("i.states.levels.crossed_above.price", "level"),
        },
    ),
    Binding(
        "watched level",
        _label("") + r" (?:at|near) <num:k>",
        {"k": Field(_PRICE, "level"), **_named("")},
    ),
    Binding(
        "watched level, listed",
        r"(?:(?:at|near) )?<num:k> \(" + _label("") + r"\)",
        {"k": Field(_PRICE, "level"), **_named("")},
    ),
    Binding(
        # The list gives a pivot zone by its rounded price alone ("resistance near 2,050"), and
        # the sparest article a level dated in another year by the price its bottom line quoted
        # ("support at 1,963.88"; ``_levels.md``'s ``point``).
        "watched zone, listed",
        r"(?:(?<=: )support|(?<=; )resistance|(?<=, )then) (?:near|at) <num:k>(?= \(|;|\.|,|$)",
        {"k": Field(_PRICE, "level")},
    ),
    Binding(
        # An article over its budget gives a level whose name carries a figure (a date, the
        # 50-day) by its price alone in a bottom line
        # ("a close above $92.20 would confirm it"; ``_bottom_line.md``'s ``at``): the price
        # must still be a watched level's. The level that decides the call...
        "watched level, by price",
        r"(?:close (?:above|under|below)|next test is|watch|so|with|and|;) <num:k>"
        r"(?= would| is the| decides| the nearest| first|\.)",
        {"k": Field(_PRICE, "level")},
    ),
    Binding(
        # ... and the one that proves it wrong, always followed by its distance.
        "watched level, by price and distance",
        r"<num:k>(?:,| sits) (?=less than one|within a normal|inside an average|about (?:one|two|three) |just over one|[\d.]+ average daily)",
        {"k": Field(_PRICE, "level")},
    ),
    Binding(
        # Once quoted, a level is referred to by its name alone ("the Oct. 28 close"): the date
        # in the name must still be a watched level's.
        "watched level, named",
        r"[Tt]he <date:d> (?:close|low|high|swing low|swing high|closing low|closing high"
        r"|record close)",
        {"d": Field(_DATE, "date")},
    ),
    Binding(
        # The sparest article names the level that proves a call wrong by its name alone
        # ("Losing Monday's close, less than one average day's range below"): the weekday must
        # still be a watched level's, from this week.
        "watched level, by weekday",
        r"(?:Losing|Reclaiming|close (?:back )?(?:above|under|below)|stop (?:above|under)"
        r"|test is|watch|(?:support|resistance) at) (?P<wd>" + _DAYS + r")'s"
        r" (?:close|low|high)(?! at)",
        {"wd": Field(_DATE, "this weekday")},
    ),
    Binding(
        # The previous session's record close, by its weekday wherever a sentence names it
        # ("and Tuesday's record close is the level that decides it").
        "watched record close, by weekday",
        r"(?P<wd>" + _DAYS + r")'s record close(?! at| of)",
        {"wd": Field(_DATE, "this weekday")},
    ),
    Binding(
        "watched all-time high, named",
        r"(?<![\w-])[Tt]he (?P<a>all-time high|52-week low)(?! of| at| near| from)",
        {"a": Field("i.states.levels.watch.*.kind", "label")},
    ),
    Binding(
        # The closing bottom line calls the nearest listed levels by their role ("while it
        # holds support"): a watched level must lie on that side, and the verb must face it.
        "watched level, by role",
        r"(?P<w>above|under|below|holds) (?P<r>support|resistance)\b(?! zone| near| at )",
        {"r": Field(_PRICE.replace("price", "above"), "role")},
    ),
    Binding(
        "distance in ATRs",
        r"<num:a> average daily ranges (?:above|below)",
        {"a": Field(_ATR, "magnitude")},
    ),
    Binding(
        "distance in ATRs, in words",
        rf"(?P<u>{one_of(RANGES)}) (?:above|below)",
        {"u": Field(_ATR, "ranges")},
    ),
    Binding(
        "distance under one ATR",
        r"(?P<u>less than one average day's range|within a normal day's range|inside an average"
        r" day's range) (?:above|below)",
        {"u": Field(_ATR, "under one")},
    ),
)

LEVEL_BINDINGS += (
    Binding(
        "distance from the high, whole",
        r"<pct:g> (?P<d>below) its (?:all-time high(?! of| at| near| from)|own)",
        {"g": Field("i.states.levels.extremes.pct_from_all_time_high", "pct", "d")},
    ),
)

LEVEL_CUES = {
    "watched level": "at|near",
    "watched level, listed": "(",
    "watched zone, listed": "near|at",
    "watched level, named": "he ",
    "watched level, by price": "above|under|below|test is|watch|so|with|and|;",
    "watched level, by price and distance": "less than|within|inside|about|just over|average",
    "watched level, by weekday": "'s close|'s low|'s high",
    "watched record close, by weekday": "'s record close",
    "watched all-time high, named": "all-time high|52-week low",
    "watched level, by role": "support|resistance",
    "distance in ATRs": "average daily ranges",
    "distance under one ATR": "range",
    "distance in ATRs, in words": "about|just over",
    "distance from the high, whole": "below its",
}

#: The bottom lines' lean phrases (``_bottom_line.md``): words -> the lean they state.
LEVEL_LEANS: tuple[tuple[str, str], ...] = (
    (r"Buyers have the edge", "bullish"),
    (r"leans higher", "bullish"),
    (r"Bulls hold the edge", "bullish"),
    (r"bullish case on", "bullish"),
    (r"Sellers have the edge", "bearish"),
    (r"leans lower", "bearish"),
    (r"Bears hold the edge", "bearish"),
    (r"bearish case on", "bearish"),
    (r"setup on ⟦[A-Z]⟧ is balanced", "neutral"),
    (r"is balanced between buyers and sellers", "neutral"),
    (r"No side has the edge", "neutral"),
    (r"has the relative edge over", "bullish"),
    (r"is the stronger hand", "bullish"),
    (r"In this pairing, ⟦[A-Z]⟧ is the laggard", "bearish"),
    (r"is the weaker of the two", "bearish"),
    (r"relative picture between", "neutral"),
    (r"no relative edge to trade", "neutral"),
    (r"running even", "neutral"),
)
