"""The data-quality gate: NYSE calendar checks (exchange_calendars), split-like jumps, volume."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from commentary import calendars
from commentary.bars import Bars
from commentary.errors import DataError, UsageError
from commentary.quality import QualityIssue, QualitySettings, assess, refuse_if_needed
from commentary.sources import CsvSource
from tests.conftest import build_bars

NY = ZoneInfo("America/New_York")
WHOLE = QualitySettings(lookback=None)
SAMPLES = ("^GSPC", "^IXIC", "AAPL", "AMZN", "GOOG", "META", "NFLX", "NVDA")


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    """A moment in New York: ``at(2020, 4, 20, 17)``."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=NY)


def kinds(issues: tuple[QualityIssue, ...]) -> list[tuple[str, str]]:
    return [(issue.kind, issue.severity) for issue in issues]


def days(*isos: str) -> tuple[dt.date, ...]:
    return tuple(dt.date.fromisoformat(iso) for iso in isos)


def changed(bars: Bars, keep: np.ndarray | None = None, **columns: np.ndarray) -> Bars:
    """``bars`` with some columns replaced and only the rows where ``keep`` is true."""
    names = ("dates", "open", "high", "low", "close", "volume")
    arrays: dict[str, Any] = {name: np.array(getattr(bars, name)) for name in names} | columns
    if keep is not None:
        arrays = {name: array[keep] for name, array in arrays.items()}
    return dataclasses.replace(bars, **arrays)


@pytest.fixture(scope="module")
def source() -> CsvSource:
    return CsvSource.samples()


@pytest.fixture(scope="module")
def spx(source: CsvSource) -> Bars:
    """^GSPC, 2000-01-03 .. 2020-04-17: its dates are exactly the NYSE sessions."""
    return source.load("^GSPC")


# --- the bundled samples ---------------------------------------------------------------------


def test_gspc_whole_history_has_no_missing_sessions(spx: Bars) -> None:
    # 2001-09-11..14, 2004-06-11, 2007-01-02 and 2012-10-29/30 were real closures: not reported.
    assert len(spx) == 5105
    assert assess(spx, settings=WHOLE) == ()


@pytest.mark.parametrize("symbol", SAMPLES)
def test_samples_are_clean_but_for_ixic_volume(source: CsvSource, symbol: str) -> None:
    issues = assess(source.load(symbol), settings=WHOLE, benchmark=source.load("^GSPC"))
    expected = [("zero_volume", "note")] if symbol == "^IXIC" else []
    assert kinds(issues) == expected


def test_ixic_zero_volume_names_the_sessions(source: CsvSource) -> None:
    ixic = source.load("^IXIC")
    (issue,) = assess(ixic, as_of=dt.date(2018, 12, 31), settings=QualitySettings(lookback=1000))
    assert issue.kind == "zero_volume" and issue.severity == "note"
    assert issue.dates == days("2015-05-12", "2018-01-09")
    assert "^IXIC" in issue.message and "2015-05-12 and 2018-01-09" in issue.message
    (recent,) = assess(ixic, as_of=dt.date(2015, 6, 30))
    assert recent.dates == days("2015-05-12")
    assert assess(ixic, as_of=dt.date(2014, 12, 31)) == ()


def test_the_2008_crash_is_not_a_split(source: CsvSource) -> None:
    for symbol in ("^GSPC", "^IXIC"):
        assert assess(source.load(symbol), as_of=dt.date(2008, 12, 31), settings=WHOLE) == ()


# --- suspicious jumps --------------------------------------------------------------------------


def test_a_planted_two_for_one_split_is_refused(spx: Bars) -> None:
    bars = spx.until("2020-12-31")
    close = np.array(bars.close)
    split = int(np.searchsorted(bars.dates, np.datetime64("2019-08-30")))
    close[split:] /= 2
    (issue,) = assess(changed(bars, close=close))
    assert issue.kind == "suspicious_jump" and issue.severity == "refuse"
    assert issue.dates == days("2019-08-30")
    assert "unadjusted 2-for-1 split" in issue.message and "split-adjusted" in issue.message


def test_reverse_splits_and_several_jumps(spx: Bars) -> None:
    close = np.array(spx.close)
    for day, factor in (("2010-03-01", 10.0), ("2012-03-01", 1 / 3), ("2015-03-02", 4.0)):
        close[np.searchsorted(spx.dates, np.datetime64(day)) :] *= factor
    (issue,) = assess(changed(spx, close=close))
    assert issue.dates == days("2010-03-01", "2012-03-01", "2015-03-02")
    assert "1-for-10 reverse split" in issue.message and "3-for-1 split" in issue.message


def test_ordinary_crashes_and_near_split_moves_are_not_flagged() -> None:
    # -20 % (1987-style), +42 % and -35 % (NFLX 2013 and 2022: real, 2.7 % from a 3:2 ratio).
    close = [100.0, 80.0, 81.0, 115.0, 116.0, 75.3, 76.0]
    assert assess(build_bars(close, start="2020-01-06")) == ()


def test_a_price_that_never_moves_is_refused() -> None:
    """TA-Lib's RSI of a flat history is 0.0, which would read as "oversold"."""
    flat = [
        i
        for i in assess(build_bars([100.0] * 30, start="2020-01-06"))
        if i.kind != "calendar_mismatch"
    ]
    assert kinds(tuple(flat)) == [("no_movement", "refuse")]
    assert "every close from 2020-01-06 to 2020-02-14 is 100" in flat[0].message
    moved = assess(build_bars([100.0] * 29 + [100.5], start="2020-01-06"))
    assert "no_movement" not in [i.kind for i in moved]


# --- the calendar ------------------------------------------------------------------------------


def test_a_few_missing_sessions_are_a_note_many_are_refused(spx: Bars) -> None:
    gone = np.isin(spx.dates, np.array(["2020-03-02", "2020-03-03"], dtype="datetime64[D]"))
    (issue,) = assess(changed(spx, keep=~gone))
    assert (issue.kind, issue.severity) == ("missing_sessions", "note")
    assert issue.dates == days("2020-03-02", "2020-03-03")
    five = np.isin(np.arange(len(spx)), np.arange(len(spx) - 20, len(spx) - 15))
    (issue,) = assess(changed(spx, keep=~five))
    assert (issue.kind, issue.severity) == ("missing_sessions", "refuse")
    assert len(issue.dates) == 5 and issue.message.count("2020-") == 3
    assert "(2020-03-20, 2020-03-23, 2020-03-24 and 2 more)" in issue.message


def test_only_the_lookback_window_is_searched(spx: Bars) -> None:
    gone = spx.dates == np.datetime64("2015-03-02")
    assert assess(changed(spx, keep=~gone)) == ()
    (issue,) = assess(changed(spx, keep=~gone), settings=WHOLE)
    assert issue.dates == days("2015-03-02")


def test_business_days_on_holidays_are_a_calendar_mismatch() -> None:
    # build_bars uses numpy business days, which include New Year, MLK and Presidents' days.
    (issue,) = assess(build_bars(np.linspace(100, 110, 60), start="2020-01-01"))
    assert (issue.kind, issue.severity) == ("calendar_mismatch", "note")
    assert issue.dates == days("2020-01-01", "2020-01-20", "2020-02-17")


def test_disagreement_with_the_benchmark(spx: Bars) -> None:
    stock = dataclasses.replace(spx, symbol="STOCK")
    bench = changed(spx, keep=np.arange(len(spx)) % 50 != 7)  # 5 gaps in the last 252
    issues = assess(stock, benchmark=bench)
    assert kinds(issues) == [("calendar_mismatch", "note")]
    assert "STOCK and ^GSPC disagree on 5 sessions" in issues[0].message
    few = changed(spx, keep=np.arange(len(spx)) % 100 != 7)
    assert assess(stock, benchmark=few) == ()


# --- staleness and partial bars ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(2020, 4, 17, 18), []),  # Friday after the close: current
        (at(2020, 4, 19, 12), []),  # Sunday: Friday is still the last session
        (at(2020, 4, 20, 10), []),  # Monday before the close
        (at(2020, 4, 20, 17), [("stale", "note")]),  # Monday after the close: one behind
        (at(2020, 4, 21, 17), [("stale", "refuse")]),  # two behind
    ],
)
def test_live_staleness(spx: Bars, now: dt.datetime, expected: list[tuple[str, str]]) -> None:
    assert kinds(assess(spx, live=True, now=now)) == expected


def test_stale_message_and_cached_data(spx: Bars) -> None:
    cached = dataclasses.replace(spx, stale=True)
    (issue,) = assess(cached, live=True, now=at(2020, 4, 22, 20))
    assert issue.dates == days("2020-04-20", "2020-04-21", "2020-04-22")
    assert "from the cache" in issue.message and "refresh the data" in issue.message


def test_partial_bar_before_the_close(spx: Bars) -> None:
    (issue,) = assess(spx, live=True, now=at(2020, 4, 17, 12, 30))
    assert (issue.kind, issue.severity, issue.dates) == (
        "partial_bar",
        "refuse",
        days("2020-04-17"),
    )
    assert "16:00 EDT" in issue.message
    assert assess(spx, live=True, now=at(2020, 4, 17, 16)) == ()


def test_early_close_is_respected(spx: Bars) -> None:
    friday = spx.until("2019-11-29")  # the day after Thanksgiving closes at 13:00
    assert assess(friday, live=True, now=at(2019, 11, 29, 13, 30)) == ()
    (issue,) = assess(friday, live=True, now=at(2019, 11, 29, 12, 59))
    assert issue.kind == "partial_bar" and "13:00" in issue.message


def test_historical_data_a_few_sessions_behind_is_a_note(spx: Bars) -> None:
    (issue,) = assess(spx, as_of=dt.date(2020, 4, 22))  # three sessions behind: the limit
    assert (issue.kind, issue.severity) == ("stale", "note")
    assert len(issue.dates) == 3 and "as of the close on 2020-04-17" in issue.message
    (issue,) = assess(spx, as_of=dt.date(2020, 4, 25))  # a Saturday: five behind
    assert (issue.kind, issue.severity, issue.last_date) == (
        "stale",
        "refuse",
        dt.date(2020, 4, 17),
    )
    assert assess(spx, as_of=dt.date(2020, 4, 18)) == ()
    assert assess(spx, as_of=dt.date(2019, 6, 28)) == ()  # later bars are invisible
    assert assess(spx, now=at(2024, 1, 2, 12)) == ()  # not live: `now` is not a reference


def test_live_with_as_of_caps_at_now(spx: Bars) -> None:
    (issue,) = assess(spx, live=True, as_of=dt.date(2020, 5, 29), now=at(2020, 4, 21, 17))
    assert (issue.kind, issue.severity) == ("stale", "note")
    assert issue.dates == days("2020-04-20", "2020-04-21")


def test_the_calendar_is_built_once_and_widened_on_demand(spx: Bars) -> None:
    assess(spx)
    built = calendars.CALENDARS["XNYS"]
    assess(spx.until("2010-06-30"), live=True, now=at(2010, 7, 1, 12))
    assert calendars.CALENDARS["XNYS"] is built
    assess(build_bars([1.0, 1.0, 1.0], start="1995-03-01"))
    assert calendars.CALENDARS["XNYS"].start <= np.datetime64("1995-03-01") < built.start


def test_bad_arguments(spx: Bars) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        assess(spx, live=True, now=dt.datetime(2020, 4, 20, 17))
    with pytest.raises(UsageError, match="'XNYZ' is not an exchange calendar"):
        assess(spx, calendar="XNYZ")


# --- refusing ----------------------------------------------------------------------------------


def test_refuse_if_needed(spx: Bars) -> None:
    note = QualityIssue("zero_volume", "X", "note", "X: zero volume on 2020-01-02; fix it.", ())
    refuse_if_needed([], strict=True)
    refuse_if_needed([note], strict=False)
    with pytest.raises(DataError, match=r"^Cannot publish in strict mode: X: zero volume .*it\.$"):
        refuse_if_needed([note], strict=True)
    partial = assess(spx, live=True, now=at(2020, 4, 17, 12))
    with pytest.raises(DataError, match=r"^Cannot publish: \^GSPC: the bar for 2020-04-17"):
        refuse_if_needed((note, *partial), strict=False)
    with pytest.raises(DataError, match=r"because of 2 data problems: \(1\) X: .*; \(2\) \^GSPC"):
        refuse_if_needed((note, *partial), strict=True)
