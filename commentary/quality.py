"""The data-quality gate: are the bars fit to publish from, and what must the reader be told?

``assess`` checks one symbol's bars against an exchange calendar (``commentary.calendars``, NYSE by
default; real closures such as 2001-09-11..14 are not sessions there, so their absence is no issue)
and returns ``QualityIssue``s without changing the bars: a ``note`` is narrated visibly, a
``refuse`` stops publication. ``refuse_if_needed`` turns them into one ``DataError``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from .bars import Bars
from .calendars import Calendar, calendar_for, members
from .errors import DataError, StaleData

IssueKind = Literal[
    "stale",
    "partial_bar",
    "missing_sessions",
    "suspicious_jump",
    "calendar_mismatch",
    "zero_volume",
    "no_movement",
]
Severity = Literal["note", "refuse"]


@dataclass(frozen=True)
class QualityIssue:
    """One problem with one symbol's bars; ``message``: what is wrong and the fix, one sentence."""

    kind: IssueKind
    symbol: str
    severity: Severity
    message: str
    #: The sessions concerned, oldest first (may be empty).
    dates: tuple[dt.date, ...]
    #: For a ``note``: what the article's reader is told, without the operator's fix and without
    #: the symbol (the article names the instrument its own way).
    note: str = ""
    #: The benchmark, for an issue about the symbol's sessions against it (its comparisons).
    benchmark: str = ""
    #: For a ``stale`` issue: the date the data ends.
    last_date: dt.date | None = None


@dataclass(frozen=True)
class QualitySettings:
    """Thresholds of the quality gate; build a variant with ``dataclasses.replace``."""

    #: Sessions (of the calendar, ending at the last bar) searched for missing sessions, dates that
    #: are not sessions, disagreement with the benchmark and zero volume; ``None``: all history.
    lookback: int | None = 252
    #: Up to this many missing sessions is a note, more is refused; disagreement with the benchmark
    #: on more than this many sessions is a note.
    max_missing: int = 3
    #: Live data this many completed sessions behind is a note; further behind is refused.
    stale_sessions: int = 1
    #: Data ending more than this many sessions before the article's date (``--as-of``) is stale:
    #: refused (or, with ``allow_stale``, left out of the article with its comparisons); closer,
    #: a note. The daily job uses 0: it exists to report the session it is named for.
    max_stale_sessions: int = 3
    #: A close-to-close move (|ratio - 1|) anywhere in the history must exceed this to be a
    #: suspicious jump ...
    jump_min_move: float = 0.35
    #: ... and its ratio must be within this fraction of a split ratio: 1/n for an n-for-1 split,
    #: n for a 1-for-n reverse split, n in ``split_factors``. A 3-for-2 split (-33 %) is below
    #: ``jump_min_move`` and is not detected.
    jump_tolerance: float = 0.02
    split_factors: tuple[int, ...] = (2, 3, 4, 5, 6, 7, 8, 10, 15, 20, 25, 50)
    #: Dates named in a message before "and N more".
    dates_shown: int = 3


DEFAULT_QUALITY = QualitySettings()


def assess(
    bars: Bars,
    *,
    now: dt.datetime | None = None,
    as_of: dt.date | None = None,
    live: bool = False,
    calendar: str = "XNYS",
    settings: QualitySettings = DEFAULT_QUALITY,
    benchmark: Bars | None = None,
) -> tuple[QualityIssue, ...]:
    """Every quality issue of ``bars`` (only the bars on or before ``as_of`` are seen).

    ``live`` means the bars were fetched for ``now`` (tz-aware; default: the current time): they
    are judged against the last completed session, and an unfinished last bar is refused. Otherwise
    (historical data) they are judged against ``as_of``, if given, and never refused for their age.
    """
    if as_of is not None:
        bars = bars.until(as_of)
        benchmark = benchmark.until(as_of) if benchmark is not None else None
    now64 = None
    if live:
        now = now if now is not None else dt.datetime.now(dt.UTC)
        if now.tzinfo is None or now.utcoffset() is None:
            raise ValueError("assess(live=True) needs a timezone-aware `now`")
        now64 = np.datetime64(now.astimezone(dt.UTC).replace(tzinfo=None), "ns")
    first, last = bars.dates[0], bars.dates[-1]
    ends = [last, *([np.datetime64(as_of, "D")] if as_of else [])]
    ends += [now64.astype("datetime64[D]") + 1] if now64 is not None else []
    if benchmark is not None:
        first, ends = min(first, benchmark.dates[0]), [*ends, benchmark.dates[-1]]
    cal = calendar_for(calendar, first, max(ends))

    issues = _staleness(bars, cal, now64, as_of, settings)
    if now64 is not None:
        issues += _partial(bars, cal, now64)
    # The recent window: the last `lookback` sessions of the calendar up to the last bar.
    last_index = int(np.searchsorted(cal.days, last, side="right")) - 1
    first_index = int(np.searchsorted(cal.days, bars.dates[0], side="left"))
    start_index = first_index
    if settings.lookback is not None:
        start_index = max(first_index, last_index - settings.lookback + 1)
    expected = cal.days[start_index : last_index + 1]
    since = expected[0] if expected.size and start_index > first_index else bars.dates[0]
    recent = bars.dates >= since
    issues += _calendar_gaps(bars, cal, expected, bars.dates[recent], settings)
    issues += _jumps(bars, settings)
    if benchmark is not None:
        issues += _benchmark(bars, benchmark, since, settings)
    issues += _zero_volume(bars, bars.dates[recent], bars.volume[recent], settings)
    issues += _motionless(bars)
    return tuple(issues)


def _motionless(bars: Bars) -> list[QualityIssue]:
    """A close that never moves is no market: TA-Lib reads it as RSI 0 ("oversold"), and every
    other measure degenerates, so nothing true could be written about it."""
    if len(bars) < 2 or np.ptp(bars.close) > 0:
        return []
    message = (
        f"{bars.symbol}: every close from {bars.dates[0]} to {bars.dates[-1]} is "
        f"{bars.close[-1]:g}, and a price that never moves has no trend, momentum or levels to "
        "write about; check the data source."
    )
    return [_issue("no_movement", bars, "refuse", message, [bars.dates[-1]])]


def refuse_if_needed(issues: Iterable[QualityIssue], strict: bool) -> None:
    """Raise one ``DataError`` listing the ``refuse`` issues (every issue when ``strict``)."""
    blocking = [i for i in issues if strict or i.severity == "refuse"]
    if not blocking:
        return
    texts = [i.message.rstrip(".") for i in blocking]
    mode = " in strict mode" if strict else ""
    if len(texts) == 1:
        message = f"Cannot publish{mode}: {texts[0]}."
    else:
        listed = "; ".join(f"({n}) {text}" for n, text in enumerate(texts, 1))
        message = f"Cannot publish{mode} because of {len(texts)} data problems: {listed}."
    if all(i.kind == "stale" and i.severity == "refuse" for i in blocking):
        raise StaleData(message, {i.symbol: str(i.last_date) for i in blocking})
    raise DataError(message)


def _staleness(
    bars: Bars,
    cal: Calendar,
    now64: np.datetime64 | None,
    as_of: dt.date | None,
    settings: QualitySettings,
) -> list[QualityIssue]:
    last = bars.dates[-1]
    completed: np.datetime64 | None = None
    if now64 is not None:
        done = int(np.searchsorted(cal.closes, now64, side="right"))
        completed = cal.days[done - 1] if done else None
    if as_of is not None:
        on_or_before = int(np.searchsorted(cal.days, np.datetime64(as_of, "D"), side="right"))
        reference = cal.days[on_or_before - 1] if on_or_before else None
        if reference is not None and completed is not None:
            reference = min(reference, completed)
    else:
        reference = completed
    if reference is None or reference <= last:
        return []
    behind = cal.days[(cal.days > last) & (cal.days <= reference)]
    if behind.size == 0:
        return []
    n = behind.size
    sessions = f"{n} {cal.label} session{'s' if n > 1 else ''}"
    if as_of is None:
        refuse = n > settings.stale_sessions
        fix = "before publishing" if refuse else f"or say the figures are as of the close on {last}"
        cached = " (served from the cache after a failed refresh)" if bars.stale else ""
        message = (
            f"{bars.symbol}: the latest bar{cached} is from {last}, {sessions} behind the last "
            f"completed session ({reference}); refresh the data {fix}."
        )
        note = (
            f"the latest bar is from {last}, {sessions} behind the last completed session, "
            "so the figures are as of that close."
        )
        return [_stale(bars, "refuse" if refuse else "note", message, behind, note)]
    which = "" if str(reference) == str(as_of) else f" (the last session on or before {as_of})"
    if n > settings.max_stale_sessions:
        message = (
            f"{bars.symbol}: the data ends on {last}, {sessions} before {reference}{which}, too "
            f"old to report as of that date; pass --as-of {last} or earlier, supply data through "
            f"{reference}, or pass --allow-stale to leave {bars.symbol} out."
        )
        return [_stale(bars, "refuse", message, behind)]
    message = (
        f"{bars.symbol}: the data ends on {last}, {sessions} before {reference}{which}, so the "
        f"commentary is as of the close on {last}; say so, or supply data through {reference}."
    )
    note = (
        f"the data ends on {last}, {sessions} before {reference}, so the figures are as of "
        "that close."
    )
    return [_stale(bars, "note", message, behind, note)]


def _stale(
    bars: Bars, severity: Severity, message: str, behind: np.ndarray, note: str = ""
) -> QualityIssue:
    issue = _issue("stale", bars, severity, message, behind, note)
    return dataclasses.replace(issue, last_date=bars.dates[-1].astype("datetime64[D]").item())


def _partial(bars: Bars, cal: Calendar, now64: np.datetime64) -> list[QualityIssue]:
    last = bars.dates[-1]
    i = int(np.searchsorted(cal.days, last))
    if i >= cal.days.size or cal.days[i] != last or cal.closes[i] <= now64:
        return []
    seconds = int(cal.closes[i].astype("datetime64[s]").astype(np.int64))
    close = dt.datetime.fromtimestamp(seconds, dt.UTC).astimezone(cal.tz)
    message = (
        f"{bars.symbol}: the bar for {last} is still in progress (the {cal.label} closes at "
        f"{close:%H:%M} {close.tzname()}); drop that bar or wait for the close before publishing."
    )
    return [_issue("partial_bar", bars, "refuse", message, [last])]


def _calendar_gaps(
    bars: Bars, cal: Calendar, expected: np.ndarray, recent: np.ndarray, settings: QualitySettings
) -> list[QualityIssue]:
    """Sessions missing from the bars, and bars dated on days the exchange was closed."""
    issues = []
    absent = expected[~members(expected, bars.dates)]
    if absent.size:
        refuse = absent.size > settings.max_missing
        fix = "before publishing" if refuse else "or mention the gap (indicators skip over it)"
        are = "s are" if absent.size > 1 else " is"
        message = (
            f"{bars.symbol}: {absent.size} {cal.label} session{are} missing from the data "
            f"({_dates(absent, settings)}); supply the missing rows {fix}."
        )
        severity: Severity = "refuse" if refuse else "note"
        note = (
            f"{absent.size} {cal.label} session{are} missing from the data "
            f"({_dates(absent, settings)}); the indicators skip over the gap."
        )
        issues.append(_issue("missing_sessions", bars, severity, message, absent, note))
    extra = recent[~members(recent, cal.days)]
    if extra.size:
        message = (
            f"{bars.symbol}: {extra.size} bar{'s are' if extra.size > 1 else ' is'} dated on "
            f"{'days' if extra.size > 1 else 'a day'} the {cal.label} was closed "
            f"({_dates(extra, settings)}); check the dates or delete those rows."
        )
        note = (
            f"the data holds {extra.size} bar{'s' if extra.size > 1 else ''} dated on "
            f"{'days' if extra.size > 1 else 'a day'} the {cal.label} was closed "
            f"({_dates(extra, settings)})."
        )
        issues.append(_issue("calendar_mismatch", bars, "note", message, extra, note))
    return issues


def _jumps(bars: Bars, settings: QualitySettings) -> list[QualityIssue]:
    if len(bars) < 2 or not settings.split_factors:
        return []
    ratio = bars.close[1:] / bars.close[:-1]
    candidates = np.flatnonzero(np.abs(ratio - 1.0) > settings.jump_min_move)
    factors = np.asarray(settings.split_factors, dtype=np.float64)
    splits = np.concatenate([1.0 / factors, factors])
    found: list[tuple[np.datetime64, float, str]] = []
    for i in candidates:
        error = np.abs(ratio[i] / splits - 1.0)
        best = int(np.argmin(error))
        if error[best] <= settings.jump_tolerance:
            n = int(settings.split_factors[best % factors.size])
            name = f"{n}-for-1 split" if best < factors.size else f"1-for-{n} reverse split"
            found.append((bars.dates[i + 1], float(ratio[i] - 1.0), name))
    if not found:
        return []
    if len(found) == 1:
        day, move, name = found[0]
        what = f"the close moves {move:+.0%} on {day}, which looks like an unadjusted {name}"
    else:
        parts = [f"{day} ({move:+.0%}, {name})" for day, move, name in found]
        what = (
            f"the close moves by a split ratio on {_listing(parts, settings.dates_shown)}, "
            "which look like unadjusted splits"
        )
    message = f"{bars.symbol}: {what}; use split-adjusted prices."
    return [_issue("suspicious_jump", bars, "refuse", message, [day for day, _, _ in found])]


def _benchmark(
    bars: Bars, benchmark: Bars, since: np.datetime64, settings: QualitySettings
) -> list[QualityIssue]:
    lo = max(bars.dates[0], benchmark.dates[0], since)
    hi = min(bars.dates[-1], benchmark.dates[-1])
    ours = bars.dates[(bars.dates >= lo) & (bars.dates <= hi)]
    theirs = benchmark.dates[(benchmark.dates >= lo) & (benchmark.dates <= hi)]
    differ = np.sort(np.concatenate([ours[~members(ours, theirs)], theirs[~members(theirs, ours)]]))
    if differ.size <= settings.max_missing:
        return []
    message = (
        f"{bars.symbol} and {benchmark.symbol} disagree on {differ.size} sessions between {lo} "
        f"and {hi} ({_dates(differ, settings)}); comparisons use only the sessions both have, "
        "so fill the gaps or mention them."
    )
    note = (
        f"its sessions and the benchmark's differ on {differ.size} days between {lo} and {hi} "
        f"({_dates(differ, settings)}); comparisons use only the sessions both have."
    )
    issue = _issue("calendar_mismatch", bars, "note", message, differ, note)
    return [dataclasses.replace(issue, benchmark=benchmark.symbol)]


def _zero_volume(
    bars: Bars, dates: np.ndarray, volume: np.ndarray, settings: QualitySettings
) -> list[QualityIssue]:
    zero = dates[volume == 0]
    if zero.size == 0:
        return []
    if zero.size == dates.size:
        what = f"has no volume (all zero) from {dates[0]} to {dates[-1]}"
    else:
        what = f"has zero volume on {_dates(zero, settings)}"
    message = (
        f"{bars.symbol}: the data {what}; volume comparisons there are unreliable, so fill the "
        "volume from another source or leave volume out."
    )
    note = f"the data {what}, so volume readings there are unreliable."
    return [_issue("zero_volume", bars, "note", message, zero, note)]


def _issue(
    kind: IssueKind,
    bars: Bars,
    severity: Severity,
    message: str,
    days: Iterable[Any],
    note: str = "",
) -> QualityIssue:
    dates = tuple(day.astype("datetime64[D]").item() for day in days)
    return QualityIssue(kind, bars.symbol, severity, message, dates, note)


def _dates(days: np.ndarray, settings: QualitySettings) -> str:
    return _listing([str(d) for d in days], settings.dates_shown)


def _listing(items: Sequence[str], shown: int) -> str:
    """``a``, ``a and b``, ``a, b and c``, ``a, b, c and 4 more``."""
    if len(items) > shown:
        return f"{', '.join(items[:shown])} and {len(items) - shown} more"
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} and {items[-1]}"
