"""Exchange calendars: the sessions and closing times of an exchange, built once and cached.

Building one with ``exchange_calendars`` means importing it and pandas (about half a second), more
than the rest of a cold article, so a built calendar is kept in memory and on disk (user cache
directory, keyed by the package's version so new holidays rebuild it).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import importlib.util
import io
import threading
import warnings
import zoneinfo
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import OutputError, UsageError, did_you_mean
from .files import write_atomic

_EXCHANGE_NAMES = {"XNYS": "NYSE", "XNAS": "Nasdaq"}


@dataclass(frozen=True, eq=False)
class Calendar:
    """The sessions of one exchange calendar between ``start`` and ``end`` (inclusive)."""

    name: str
    start: np.datetime64
    end: np.datetime64
    days: np.ndarray  # datetime64[D], the sessions
    closes: np.ndarray  # datetime64[ns], each session's close in UTC (early closes included)
    tz: dt.tzinfo
    label: str  # for messages: "NYSE"


CALENDARS: dict[str, Calendar] = {}
_CALENDAR_LOCK = threading.Lock()
_PANDAS_VALUES = r"Series\.values returning an ndarray that drops timezone"


def calendar_for(name: str, start: np.datetime64, end: np.datetime64) -> Calendar:
    """Calendar ``name`` over ``start``..``end``, cached; a miss rebuilds it over the union of whole
    years asked for (a build takes about 0.1 s whatever the span; the import about 0.4 s)."""
    with _CALENDAR_LOCK:
        cached = CALENDARS.get(name)
        if cached is not None and cached.start <= start and end <= cached.end:
            return cached
        lo = start.astype("datetime64[Y]").astype("datetime64[D]")
        hi = (end.astype("datetime64[Y]") + 1).astype("datetime64[D]") - 1
        if cached is not None:
            lo, hi = min(lo, cached.start), max(hi, cached.end)
        loaded = _load_cached(name, lo, hi)
        if loaded is None:
            loaded = _build(name, lo, hi)
            _save_cached(loaded)
        CALENDARS[name] = loaded
        return loaded


def _cache_file(name: str, lo: np.datetime64, hi: np.datetime64) -> Path | None:
    """Where a built calendar is kept: importing and building exchange_calendars costs about
    half a second, more than the rest of a cold article. Keyed by its version, so an upgrade
    (new holidays) rebuilds."""
    version = package_version("exchange_calendars")
    if version is None:
        return None
    import platformdirs

    folder = Path(platformdirs.user_cache_dir("commentary")) / "calendars"
    return folder / f"{name}-{version}-{lo}-{hi}.npz"


@functools.cache
def package_version(name: str) -> str | None:
    """The installed version of package ``name`` (None when it is not installed), read from its
    ``.dist-info`` folder beside it: ``importlib.metadata`` costs a cold article more to import
    than the lookup it does (it falls back to it when there is no one folder to read)."""
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        return None
    found = list(Path(spec.origin).parent.parent.glob(f"{name}-*.dist-info"))
    if len(found) == 1:
        return found[0].name[len(name) + 1 : -len(".dist-info")]
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _load_cached(name: str, lo: np.datetime64, hi: np.datetime64) -> Calendar | None:
    path = _cache_file(name, lo, hi)
    if path is None or not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as stored:
            tz = zoneinfo.ZoneInfo(str(stored["tz"]))
            return Calendar(name, lo, hi, stored["days"], stored["closes"], tz,
                             _EXCHANGE_NAMES.get(name, name))  # fmt: skip
    except (OSError, ValueError, KeyError, zoneinfo.ZoneInfoNotFoundError):
        return None  # a damaged cache file: build again


def _save_cached(calendar: Calendar) -> None:
    path = _cache_file(calendar.name, calendar.start, calendar.end)
    if path is None:
        return
    buffer = io.BytesIO()
    np.savez(buffer, days=calendar.days, closes=calendar.closes, tz=np.array(str(calendar.tz)))
    with contextlib.suppress(OutputError):  # a read-only cache only costs speed
        write_atomic(path, buffer.getvalue())


def _build(name: str, lo: np.datetime64, hi: np.datetime64) -> Calendar:
    import exchange_calendars as xcals  # type: ignore[import-untyped]

    try:
        with warnings.catch_warnings():
            # exchange_calendars 4.13.2 reads Series.values, which pandas 3.1 deprecates.
            warnings.filterwarnings("ignore", _PANDAS_VALUES, DeprecationWarning)
            raw = xcals.get_calendar(name, start=str(lo), end=str(hi))
    except xcals.errors.InvalidCalendarName:
        hint = did_you_mean(name, xcals.get_calendar_names(include_aliases=False))
        raise UsageError(
            f"{name!r} is not an exchange calendar known to exchange_calendars; "
            f"use an ISO MIC code such as XNYS.{hint}"
        ) from None
    days = raw.sessions.to_numpy().astype("datetime64[D]")
    closes = raw.closes.to_numpy(dtype="datetime64[ns]")
    return Calendar(name, lo, hi, days, closes, raw.tz, _EXCHANGE_NAMES.get(name, name))


def is_session(day: dt.date, calendar: str = "XNYS") -> bool:
    """Whether ``day`` is a trading session of ``calendar`` (NYSE by default)."""
    when = np.datetime64(day, "D")
    cal = calendar_for(calendar, when, when)
    return bool(members(np.array([when]), cal.days)[0])


def session_close(day: dt.date, calendar: str = "XNYS") -> dt.datetime:
    """When the session ``day`` closes (early closes included), in the exchange's timezone."""
    when = np.datetime64(day, "D")
    cal = calendar_for(calendar, when, when)
    i = int(np.searchsorted(cal.days, when))
    if i >= cal.days.size or cal.days[i] != when:
        raise UsageError(f"{day} is not a {cal.label} session.")
    seconds = int(cal.closes[i].astype("datetime64[s]").astype(np.int64))
    return dt.datetime.fromtimestamp(seconds, dt.UTC).astimezone(cal.tz)


def members(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """Which ``values`` occur in the ascending ``sorted_set`` (what np.isin answers, by binary
    search: dates are already sorted, and isin's hashing costs more than the rest of a check)."""
    if not sorted_set.size:
        return np.zeros(values.shape, dtype=bool)
    at = np.minimum(np.searchsorted(sorted_set, values), sorted_set.size - 1)
    return sorted_set[at] == values  # type: ignore[no-any-return]
