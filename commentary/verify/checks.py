"""The claims a sentence makes, each checked against the ledger.

Numbers: every number must be a ledger value of the sentence's subjects, at the precision shown
("52.6" is 52.6 rounded to one decimal; "near 2,550" is within 0.5 %; "nearly 15%" is a value in
[13.5, 15); "more than 15%" one in (15, 16); "about 15%" one within 5 %), with the direction the
words give it ("down 3.9%" is negative; "8% below" is negative). "$" goes only with prices, never
with an index level. Dates and years must be ledger dates. Labels and comparisons ("death cross",
"overbought", "above the 200-day", "rising channel", "a record") must hold in the states.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any

from ..settings import DEFAULT_SETTINGS, Settings
from .bindings import WEEKDAY_NAMES
from .evidence import Evidence, Subject
from .news import news_claims

_WORDS = {"once": 1, "twice": 2, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
          "seven": 7, "eight": 8, "nine": 9}  # fmt: skip
_COUNT_NOUNS = r"(?:times?|touch(?:es)?|sessions?)"
_COUNT_WORD = re.compile(
    rf"\b({'|'.join(_WORDS)})\b(?=\s+(?:straight\s+)?{_COUNT_NOUNS}\b)", flags=re.IGNORECASE
)
_ONCE_TWICE = re.compile(r"\b(once|twice)\b")
_STREAK_LENGTH = re.compile(
    r"(?<!\d)(\d+) straight sessions|(?<!\d)(\d+) sessions in a row|(?<!\d)(\d+)-session"
    r"|each of the last (\d+) sessions"
)
#: What a sentence without numbers, dates or counts lacks (most lines about momentum and trend).
_MAY_CLAIM_NUMBERS = re.compile(rf"\d|{_ONCE_TWICE.pattern}|{_COUNT_WORD.pattern}", re.IGNORECASE)
_MONTHS = {m: i for i, m in enumerate(
    ("January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"), 1)}  # fmt: skip
_SHORT = {"Jan.": 1, "Feb.": 2, "Aug.": 8, "Sept.": 9, "Oct.": 10, "Nov.": 11, "Dec.": 12}
# "March 2009" is a month and a year, not March 20 (commentary/verify/news.py checks it).
_LONG_DATE = re.compile(rf"\b({'|'.join(_MONTHS)}) (\d{{1,2}})(?!\d)(?:, (\d{{4}}))?")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_SHORT_DATE = re.compile(rf"({'|'.join(re.escape(k) for k in _SHORT)}) (\d{{1,2}})\b")
#: Fixed phrases whose numbers are names of windows or scales, not claims.
_CONSTANT = re.compile(
    r"\b(?:5|14|20|50|200)-day\b|\b52[- ]weeks?\b|[±−-]100 to \+100|±100|\b12 months\b"
    r"|\bsix months\b|\bthree months\b|\bone average daily range\b|\bone ATR\b"
    r"|\b\d+-(?=,| and)|\b(?:SMA|EMA|RSI|ATR|ADX) \d+\b(?!\.\d)",
    flags=re.IGNORECASE,
)
_NUMBER = re.compile(
    r"(?P<dollar>\$)?(?P<sign>[+\-−])?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<pct>%)?(?P<session>-[Ss]ession)?"
)
_DOWN = {"down", "lost", "fell", "slipped", "tumbled", "loss", "lower", "below", "under", "behind",
         "falling", "decline", "slides", "slide", "trails", "trailed"}  # fmt: skip
_UP = {"up", "gained", "rose", "jumped", "gain", "higher", "above", "ahead", "climbing", "rally",
       "jumps", "leads"}  # fmt: skip


def check_sentence(
    sentence: str,
    found: Evidence | None,
    subjects: list[Subject],
    pairs: list[dict[str, Any]],
    names: list[str],
    settings: Settings = DEFAULT_SETTINGS,
    group: list[Subject] | None = None,
) -> Iterator[str]:
    """Every problem with ``sentence``, as one-line reasons. ``names`` are every instrument's
    display name (a name such as "S&P 500" holds a number that is no claim), ``group`` every
    instrument of the article (a ranking of the charts is over all of them). Without evidence
    (``found`` None) only the labels are checked: the caller has bound every number to its
    field."""
    if found is not None and re.match(r"[>_\s]*(?:\*\*)?Data note", sentence):
        # The quality gate's own words: its dates are checked, its counts of them are not.
        yield from _dates(sentence, found)
        return
    if found is not None and _MAY_CLAIM_NUMBERS.search(sentence):
        yield from _numbers_and_dates(sentence, found, subjects, names)
    yield from _labels(sentence, subjects, pairs, settings)
    yield from news_claims(sentence, subjects, group)


def _count_words_as_digits(text: str) -> str:
    """ "four straight sessions" as "4 straight sessions": counts under ten are written in words."""
    return _COUNT_WORD.sub(lambda m: str(_WORDS[m.group(1).lower()]), text)


def _numbers_and_dates(
    sentence: str, found: Evidence, subjects: list[Subject], names: list[str]
) -> Iterator[str]:
    text = sentence
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, " ")
    text = _CONSTANT.sub(" ", text)
    yield from _dates(text, found)
    text = _strip_dates(text)
    text = _count_words_as_digits(text)
    text = _ONCE_TWICE.sub(lambda m: f"{_WORDS[m.group(1)]} times", text)
    yield from _numbers(text, found, subjects)


def _dates(text: str, found: Evidence) -> Iterator[str]:
    for match in _ISO_DATE.finditer(text):
        if dt.date(*map(int, match.groups())) not in found.dates:
            yield f"the date {match.group(0)} is not in the ledger"
    for match in _LONG_DATE.finditer(text):
        day = _date(_MONTHS[match.group(1)], int(match.group(2)), match.group(3), found)
        if day is None:
            yield f"the date {match.group(0)!r} is not in the ledger"
    for match in _SHORT_DATE.finditer(text):
        if _date(_SHORT[match.group(1)], int(match.group(2)), None, found) is None:
            yield f"the date {match.group(0)!r} is not in the ledger"


def _date(month: int, day: int, year: str | None, found: Evidence) -> dt.date | None:
    return next(
        (d for d in found.dates
         if d.month == month and d.day == day and (year is None or d.year == int(year))),
        None,
    )  # fmt: skip


def _strip_dates(text: str) -> str:
    return _ISO_DATE.sub(" ", _SHORT_DATE.sub(" ", _LONG_DATE.sub(" ", text)))


def _numbers(text: str, found: Evidence, subjects: list[Subject]) -> Iterator[str]:
    for match in _NUMBER.finditer(text):
        if match.start() > 0 and text[match.start() - 1].isalpha():
            continue  # part of a word or a symbol
        raw = match.group("num")
        value = float(raw.replace(",", ""))
        if match.group("sign") in ("-", "−"):
            value = -value
        decimals = len(raw.split(".")[1]) if "." in raw else 0
        before = text[: match.start()].lower().split()[-3:]
        after = text[match.end() :].lower().split()[:2]
        shown = match.group(0)
        if match.group("dollar") and subjects and all(s.kind == "index" for s in subjects):
            yield f"{shown} quotes an index level as a price"
        year = decimals == 0 and 1900 <= value <= 2100 and "," not in raw
        if match.group("pct"):
            if not _percent_holds(value, decimals, before, after, found):
                yield f"{shown} matches no percentage in the ledger (with its sign and qualifier)"
        elif year and not match.group("dollar"):
            if int(value) not in found.years:
                yield f"the year {raw} is not in the ledger"
        elif not _number_holds(value, decimals, before, found):
            yield f"{shown} matches no value in the ledger"


def _percent_holds(
    value: float, decimals: int, before: list[str], after: list[str], found: Evidence
) -> bool:
    shown = abs(value)
    words = set(before[-2:]) | set(after[:1])
    sign = -1 if words & _DOWN else 1 if words & _UP else 0
    if before[-1:] == ["to"]:
        sign = 0  # "down to 3.4%" names a level, not a change
    if value < 0:
        sign = -1

    def signed(values: list[float]) -> list[float]:
        return [v for v in values if not sign or (v > 0) - (v < 0) in (sign, 0)]

    qualifier = " ".join(before[-2:])
    if qualifier.endswith(("nearly", "more than", "about")):
        # Approximations are written from fact values only, so only those can back one.
        for size in (abs(v) for v in signed(found.fact_numbers)):
            if qualifier.endswith("nearly") and 0.9 * shown <= size < shown:
                return True
            if qualifier.endswith("more than") and shown < size < shown + 1:
                return True
            if qualifier.endswith("about") and abs(size - shown) <= 0.05 * shown:
                return True
        return False
    if found.rounds_to(shown, decimals, sign):
        return True
    if decimals:
        return False
    return any(
        abs(v - shown) < 0.05 for v in found.magnitudes_between(shown - 0.05, shown + 0.05, sign)
    )


#: Words before a number that make it a level rounded for prose ("Clears 1,360").
_LEVEL_WORDS = frozenset(
    {"near", "around", "area", "the", "above", "below", "at", "watch", "breaks", "cleared",
     "clustered", "clears", "loses"}
)  # fmt: skip


def _number_holds(value: float, decimals: int, before: list[str], found: Evidence) -> bool:
    approximate = bool(set(before[-3:]) & _LEVEL_WORDS)
    shown = abs(value)
    # round(v) == value implies round(|v|) == |value|: one test on magnitudes covers both.
    if found.rounds_to(shown, decimals):
        return True
    if not approximate:
        return False
    # A level rounded for prose: within 0.5 % (+0.01) of a ledger value, so |v| in [low, high].
    near = found.magnitudes_between((shown - 0.01) / 1.005, (shown + 0.01) / 0.995)
    return any(abs(v - shown) <= 0.005 * v + 0.01 for v in near)


def _labels(
    sentence: str, subjects: list[Subject], pairs: list[dict[str, Any]], settings: Settings
) -> Iterator[str]:
    text = sentence.lower()
    for subject in subjects:
        scope = text if len(subjects) == 1 else _clauses_about(text, subject, subjects)
        if scope:
            yield from _symbol_labels(scope, subject, settings)
    if pairs:
        # A streak claim must hold for one of the comparisons the sentence can mean.
        reasons = [list(_pair_labels(text, pair)) for pair in pairs]
        if all(reasons):
            yield from reasons[0]


def _clauses_about(text: str, subject: Subject, subjects: list[Subject]) -> str:
    """The parts of a sentence naming several subjects that speak of ``subject``: each clause
    (split at commas, semicolons and "vs.") goes to the subject named nearest to its labels."""
    parts = [p for p in re.split(r",|;|:|\bvs\.|\bmeets\b|\band\b(?= the)", text) if p.strip()]
    mine = []
    for index, part in enumerate(parts):
        named = [s for s in subjects if s.name.lower() in part]
        if not named:  # a clause naming no one belongs to the nearest clause before it that does
            earlier = [s for p in reversed(parts[:index]) for s in subjects if s.name.lower() in p]
            named = earlier[:1]
        if subject in named:
            mine.append(part)
    return " ; ".join(mine)


#: "the 50-day average (2,863.09) is below the 200-day", "the 5-day over the 50-day, the 50-day
#: over the 200-day": the two averages in one clause. A levels line that names both as levels
#: ("watch 1,894.02 (the 50-day average); wrong above 1,902.52 (the 200-day average)") is not a
#: claim about their order.
_FIFTY_OVER_TWO_HUNDRED = re.compile(
    r"50-day(?: average)?(?: \([^)]*\))?,?(?: (?!the\b)\w+){0,2} (above|below|over|under)"
    r" the 200-day"
)


def _symbol_labels(text: str, subject: Subject, settings: Settings) -> Iterator[str]:
    states = subject.states
    averages, momentum = states["averages"], states["momentum"]
    name = subject.name
    cross = averages["cross"]
    for label in ("death cross", "golden cross"):
        if (label in text or label.replace(" ", "-") in text) and cross != label:
            yield f"says {label!r} but {name}'s 50/200-day configuration is {cross or 'undefined'}"
    said = _FIFTY_OVER_TWO_HUNDRED.search(text)
    if said:
        sma_50, sma_200 = averages["sma_50"], averages["sma_200"]
        over = said.group(1) in ("above", "over")
        if sma_200 is None or over != (sma_50 > sma_200):
            yield f"says the 50-day is {said.group(1)} the 200-day; it is not for {name}"
    if "stochastic" not in text:
        rsi = momentum["rsi"]
        if "overbought" in text and rsi < settings.momentum.rsi_overbought:
            yield f"says overbought but {name}'s RSI is {rsi:.1f}"
        if "oversold" in text and rsi > settings.momentum.rsi_oversold:
            yield f"says oversold but {name}'s RSI is {rsi:.1f}"
    if "macd" in text:
        signs = (("above zero", True), ("below zero", False), ("macd is positive", True),
                 ("macd is negative", False))  # fmt: skip
        for word, positive in signs:
            if word in text and momentum["macd_positive"] != positive:
                yield f"says {word!r} but {name}'s MACD is {momentum['macd']:.2f}"
        said = re.search(r"\b(above|below) its signal line", text)
        recent_cross = "crossed" in text or "moved" in text
        if (
            said
            and not recent_cross
            and (said.group(1) == "above") != momentum["macd_above_signal"]
        ):
            yield f"says the MACD is {said.group(1)} its signal line; it is not for {name}"
    structure = states["trend"]["structure"]
    for label in ("higher highs and higher lows", "lower highs and lower lows"):
        if label in text and structure != label:
            yield f"says {label!r} but {name}'s swings show {structure}"
    for stack in ("bullish", "bearish"):
        phrases = (f"{stack} stack", f"stacked {stack}", f"in {stack} order")
        if any(p in text for p in phrases) and averages["stacking"] != stack:
            yield f"says a {stack} stack but {name}'s averages are {averages['stacking']}"
    new_high = "new all-time high" in text or "to a record" in text
    if new_high and not states["levels"]["extremes"]["new_all_time_high"]:
        yield f"says a new all-time high but {name} did not set one"
    yield from _channel_labels(text, states, name)
    yield from _reading_labels(text, states, name)
    yield from _order_and_place(text, states, name)
    yield from _one_channel_place(text, states, name)
    yield from _broken_channels(text, states, name)
    if _NAMED_RECORD_CLOSE.search(text) and not any(
        level.get("kind") == "record close" for level in states["levels"].get("watch") or []
    ):
        yield f"names a record close as a level; {name}'s previous close set no record"


#: A watched level named as the previous session's record close ("Thursday's record close",
#: read in lower case); its weekday is checked with the watched levels (``level_bindings``).
_NAMED_RECORD_CLOSE = re.compile(
    rf"\b(?:{WEEKDAY_NAMES.lower()})'s record close"
    r"|\bthe [a-z]+\.? \d{1,2}(?:, \d{4})? record close"
)

_AVERAGE_NAMES = {"close": "close", "5-day": "sma_5", "50-day": "sma_50", "200-day": "sma_200"}
_CHANNEL_PLACES = {
    "has broken out above its upper line": (1.0, float("inf")),
    "sits near its upper line": (0.8, 1.0),
    "sits mid-channel": (0.2, 0.8),
    "sits near its lower line": (0.0, 0.2),
    "has dropped below its lower line": (float("-inf"), 0.0),
}


#: Where price sits in one named channel of several ("the medium-term channel's upper line").
_ONE_CHANNEL_PLACE = re.compile(
    r"(has broken out above|sits near|has dropped below) the (short|medium|long)-term channel's "
    r"(upper|lower) line|sits in the middle of the (short|medium|long)-term channel"
)
_ONE_CHANNEL_BANDS = {
    ("has broken out above", "upper"): (1.0, float("inf")),
    ("sits near", "upper"): (0.8, 1.0),
    ("sits near", "lower"): (0.0, 0.2),
    ("has dropped below", "lower"): (float("-inf"), 0.0),
}


#: A channel said broken: price through the floor of a rising one, or over the top of a falling
#: one, on the horizons the phrase names ("the long-term uptrend is broken").
_BROKEN_CHANNEL: tuple[tuple[re.Pattern[str], str, Callable[[float], bool]], ...] = (
    (re.compile(r"fallen through the floor of its rising ([a-z ,]+?)-term channel"
                r"|([a-z ,]+?)-term uptrend is broken"), "rising", lambda p: p < 0.0),
    (re.compile(r"broken out above its falling ([a-z ,]+?)-term channel"
                r"|([a-z ,]+?)-term downtrend is cracking"), "falling", lambda p: p > 1.0),
)  # fmt: skip


def _broken_channels(text: str, states: dict[str, Any], name: str) -> Iterator[str]:
    # Every phrase names a horizon's term; most sentences have none, and the patterns' lazy
    # horizon lists would scan each of them from every position (26 us a sentence).
    if "-term " not in text:
        return
    channels = states["trend"]["channels"]
    for pattern, direction, holds in _BROKEN_CHANNEL:
        for match in pattern.finditer(text):
            for horizon in re.findall(r"\b(short|medium|long)\b", match.group(1) or match.group(2)):
                channel = channels.get(horizon) or {}
                place = channel.get("position")
                if channel.get("direction") != direction or place is None or not holds(place):
                    yield (
                        f"says its {direction} {horizon}-term channel is broken; {name}'s is "
                        f"{channel.get('direction')} with price at {place}"
                    )


def _one_channel_place(text: str, states: dict[str, Any], name: str) -> Iterator[str]:
    channels = states["trend"]["channels"]
    for match in _ONE_CHANNEL_PLACE.finditer(text):
        if match.group(4):
            horizon, band = match.group(4), (0.2, 0.8)
        else:
            horizon = match.group(2)
            band = _ONE_CHANNEL_BANDS.get((match.group(1), match.group(3)), (1.0, 0.0))
        place = channels.get(horizon, {}).get("position")
        if place is None or not band[0] <= place <= band[1]:
            yield (
                f"says price {match.group(0)}; {name}'s {horizon}-term channel position is {place}"
            )


def _order_and_place(text: str, states: dict[str, Any], name: str) -> Iterator[str]:
    """The order of a mixed stack of averages, and where price sits in a named channel."""
    if any(cue in text for cue in ("mixed, with", "tangled", "no clean stack")):
        said = [
            _AVERAGE_NAMES[m] for m in re.findall(r"\bthe (close|5-day|50-day|200-day)\b", text)
        ]
        actual = list(states["averages"]["order"])
        if said and said != actual:
            yield f"orders the averages {said}; {name}'s order is {actual}"
    for phrase, (low, high) in _CHANNEL_PLACES.items():
        if phrase not in text:
            continue
        horizons = set(re.findall(r"\b(short|medium|long)\b", text))
        channels = states["trend"]["channels"]
        places = [channels[h]["position"] for h in horizons if h in channels]
        if places and not any(low <= p <= high for p in places):
            yield f"says price {phrase}; {name}'s channel position is {places[0]:.2f}"


def _reading_labels(text: str, states: dict[str, Any], name: str) -> Iterator[str]:
    """Words about indicator readings: RSI and MACD-histogram direction, ADX strength, volume,
    Bollinger squeeze and where the close sits against the bands."""
    momentum, volume, bands = states["momentum"], states["volume"], states["bands"]
    said = re.search(r"\brsi is (rising|falling)\b", text)
    if said and (said.group(1) == "rising") != momentum["rsi_rising"]:
        yield f"says the RSI is {said.group(1)}; {name}'s is not"
    said = re.search(r"histogram (rising|falling)", text)
    if said and (said.group(1) == "rising") != momentum["macd_hist_rising"]:
        yield f"says the MACD histogram is {said.group(1)}; {name}'s is not"
    if "adx" in text:
        strength = momentum["trend_strength"]
        for label in ("very strong", "strong", "developing", "absent"):
            if re.search(rf"\b{label}\b", text.replace("very strong", "very_strong")
                         if label == "strong" else text):  # fmt: skip
                if label != strength and not (label == "absent" and strength == "absent"):
                    yield f"says the trend is {label}; {name}'s ADX reads {strength}"
                break
        if ("no trend" in text or "range, not a trend" in text) and strength != "absent":
            yield f"says there is no trend; {name}'s ADX reads {strength}"
    for label, zones in (("heavy volume", ("heavy",)), ("volume was light", ("light",)),
                         ("thin volume", ("light",))):  # fmt: skip
        if label in text and volume["zone"] not in zones:
            yield f"says {label!r}; {name}'s volume is {volume['zone']}"
    if "bollinger squeeze" in text and not bands["squeeze"]:
        yield f"says a Bollinger squeeze; {name}'s bands are not at their narrowest"
    for label, position in (("above the upper bollinger", "above the upper band"),
                            ("below the lower bollinger", "below the lower band"),
                            ("outside the upper bollinger", "above the upper band"),
                            ("through the lower bollinger", "below the lower band")):  # fmt: skip
        if label in text and bands["position"] != position:
            yield f"says the close is {position}; {name}'s is {bands['position']}"


_RISING = re.compile(r"\b(rising|rises|higher|climbing)\b")
_FALLING = re.compile(r"\b(falling|falls|lower)\b")


_HORIZON_LIST = re.compile(r"\b(short|medium|long), (?=(?:short|medium|long)\b)")


def _channel_labels(text: str, states: dict[str, Any], name: str) -> Iterator[str]:
    if "channel" not in text and "term" not in text:
        return
    channels = states["trend"]["channels"]
    text = re.sub(r"\b(upper|lower) (line|edge|band)", " ", text)
    # A list of horizons ("over the short, medium and long term") is one clause: split at its
    # commas, the direction stayed with the first horizon and the others went unchecked.
    text = _HORIZON_LIST.sub(r"\1 and ", text)
    for clause in re.split(r"[,;:]|\bbut\b|\bwhile\b", text):
        horizons = re.findall(r"\b(short|medium|long)\b(?=[- ](?:term|and|,)|, )", clause)
        horizons += re.findall(r"\b(short|medium|long)(?=[- ]term)", clause)
        if not horizons or "channel" not in text:
            continue
        rising, falling = bool(_RISING.search(clause)), bool(_FALLING.search(clause))
        if rising == falling:
            continue
        direction = "rising" if rising else "falling"
        for horizon in set(horizons):
            actual = channels.get(horizon, {}).get("direction", "absent")
            if actual != direction:
                yield f"says a {direction} {horizon}-term channel; {name}'s is {actual}"


def _pair_labels(text: str, pair: dict[str, Any]) -> Iterator[str]:
    relative = pair["states"]
    current = relative["current"]
    text = _count_words_as_digits(text)
    said = _STREAK_LENGTH.search(text)
    if said and any(cue in text for cue in ("streak", "straight", "in a row", "run", "each of")):
        number = int(next(g for g in said.groups() if g))
        actual = current["sessions"] if current else 0
        if actual != number:
            yield f"says {number} sessions in a row; the current streak is {actual}"
    matching = re.search(
        r"matching the record|matching the \d{4} record|tying the \d{4} record"
        r"|ties a record|equals the longest such run",
        text,
    )
    if matching and not relative["matches_record"]:
        yield "says the streak matches the record; it does not"
    record = re.search(r"a record:|is a record|sets a record|longest such streak", text)
    if not matching and record and not relative["is_record"]:
        yield "says the streak is a record; it is not"
