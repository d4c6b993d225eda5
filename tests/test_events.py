"""The events stage: planted events give exactly the planted answers, nothing looks past the
as-of session, and the bundled samples' dramatic dates lead with their rare event."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commentary.cli import cli
from commentary.events import detect_events
from commentary.events.baserates import base_rate
from commentary.events.drawdown import drawdown_events
from commentary.events.rarity import rank_today, salience_from_return_period
from commentary.indicators import compute_indicators
from commentary.pipeline import write_article
from commentary.playbooks import adhoc_playbook, load_playbook
from commentary.rules import RuleBook
from commentary.settings import DEFAULT_SETTINGS, EventSettings
from commentary.states import classify
from tests import event_scenarios as es
from tests.conftest import build_bars

DATA = Path(__file__).resolve().parent.parent / "samples" / "data"
EVENTS = EventSettings()


def events_of(bars):  # type: ignore[no-untyped-def]
    return detect_events(bars, compute_indicators(bars))


# ── planted events ───────────────────────────────────────────────────────────────────────────


def test_a_planted_worst_day_is_the_worst_in_the_data() -> None:
    bars = es.crash_day()
    change = events_of(bars).session.change
    assert change is not None
    assert change.rank == 1 and change.since is None and change.extreme == "low"
    assert change.value == pytest.approx(-15.0)
    assert change.count == len(bars) - 1  # every session with a previous close
    assert change.return_period == change.count
    assert change.history_start == bars.dates[1].item()


def test_a_planted_second_worst_day_names_the_worse_one() -> None:
    close = es._walk()
    close[200:] *= 0.8  # a 20% loss on session 200
    bars = build_bars(es._with(close, -0.12))
    change = events_of(bars).session.change
    assert change is not None
    assert change.rank == 2
    assert change.since == bars.dates[200].item()
    assert change.sessions_since == len(bars) - 1 - 200


def test_a_planted_bear_market_and_its_speed() -> None:
    # A first decline: 100 → 70 in 60 sessions, back to a new high, then 30% in 15 sessions.
    up = np.linspace(50.0, 100.0, 100)
    first = 100.0 * (0.7 ** (np.arange(1, 61) / 60))
    back = np.linspace(70.0, 120.0, 80)[1:]
    second = 120.0 * (0.7 ** (np.arange(1, 16) / 15))
    bars = build_bars(np.concatenate((up, first, back, second)))
    down = drawdown_events(bars, EVENTS)
    assert down.regime == "bear market" and down.at_trough
    assert down.from_peak_pct == pytest.approx(-30.0)
    assert down.peak_date == bars.dates[100 + 60 + 78].item()
    assert down.speed is not None
    assert down.speed.sessions == 15 and down.speed.rank == 1 and down.speed.declines == 2
    assert down.speed.earlier_sessions == (60,)
    assert down.speed.earlier_peaks == (bars.dates[99].item(),)
    # The regime began on the first close at least 20% down: 0.7 ** (k/15) <= 0.8.
    first_bear = int(np.ceil(15 * np.log(0.8) / np.log(0.7)))
    assert down.regime_age == 15 - first_bear


def test_a_bear_market_that_has_bounced_is_a_standing_condition_without_speed() -> None:
    down = drawdown_events(es.bear_standing(), EVENTS)
    assert down.regime == "bear market" and not down.at_trough and down.speed is None
    assert down.regime_age is not None and down.regime_age > 0


def _path(*legs: tuple[float, int]) -> np.ndarray:
    """A close path through (level, sessions) legs, from 100."""
    closes, level = [100.0], 100.0
    for target, sessions in legs:
        closes.extend(np.linspace(level, target, sessions + 1)[1:])
        level = target
    return np.asarray(closes)


def test_a_bull_market_ends_the_bear_market_before_it() -> None:
    """100 falls to 50 (a bear market), rises to 80 (+60%: a bull market) and drifts to 76:
    76 is 24% below the record close, yet no longer in a bear market. Before, the 100 high
    never reset, and the index read "in a bear market" for years after its low."""
    down = drawdown_events(build_bars(_path((50.0, 60), (80.0, 60), (76.0, 40))), EVENTS)
    assert down.from_peak_pct == pytest.approx(-24.0)  # still measured from the record
    assert down.regime == "none"
    assert down.regime_peak == pytest.approx(80.0) and not down.at_record
    assert down.regime_from_peak_pct == pytest.approx(-5.0)


def test_a_bear_market_stands_through_a_bounce_short_of_a_bull_market() -> None:
    """100 to 76 (a bear market), then a bounce to 82, 18% below the high: still a bear market
    until a close 20% above its low, not a correction again (before: "Every chart here is in a
    correction" of the Nasdaq on December 26, 2018, two sessions after a 23.6% fall)."""
    down = drawdown_events(build_bars(_path((76.0, 40), (82.0, 5))), EVENTS)
    assert down.regime == "bear market" and down.regime_from_peak_pct == pytest.approx(-18.0)


def test_a_rally_that_gives_way_to_a_lower_low_was_a_bear_market_rally() -> None:
    """100 to 50, a 22% rally to 61, then 45 (below the 50 low) and up to 60: the bear market
    ran on to 45 (as the S&P 500's did from July to October 2002), and the bull market is
    measured from 45."""
    bars = build_bars(_path((50.0, 50), (61.0, 20), (45.0, 30), (60.0, 30)))
    down = drawdown_events(bars, EVENTS)
    assert down.bull_market and down.trough == pytest.approx(45.0)
    assert down.trough_date == bars.dates[50 + 20 + 30].item()
    assert down.regime == "none" and down.rise_from_trough_pct == pytest.approx(100 * 15 / 45)


def test_a_bear_market_in_a_later_cycle_is_measured_from_that_cycle_s_high() -> None:
    """After the first bear market's bull market (50 to 90), a fall to 70 is a new bear market
    from the 90 high (22%), not 30% from the record 100; its standing fact says which high."""
    bars = build_bars(_path((50.0, 60), (90.0, 80), (70.0, 30), (71.0, 10)))
    down = drawdown_events(bars, EVENTS)
    assert down.regime == "bear market" and not down.at_record
    assert down.regime_from_peak_pct == pytest.approx(-100 * (1 - 71 / 90))
    assert down.regime_peak_date == bars.dates[60 + 80].item()
    assert down.speed is None  # a fall's speed is ranked only from the record close
    facts = _facts(bars)
    bear = facts["performance.drawdown.bear"]
    assert bear.values["record"] is False
    assert bear.values["from_peak_pct"] == pytest.approx(-100 * (1 - 71 / 90))


def test_planted_base_rate_cases_are_declustered_with_their_forward_returns() -> None:
    horizon = EVENTS.base_rate_horizon
    close = np.full(400, 100.0)
    drops = [30, 40, 80, 130, 180, 230, 280, 330, 360, 385]
    for i in drops:
        close[i:] *= 0.94  # a 6% loss on session i
    # A known rise after each case, inside its forward window.
    for k, i in enumerate(drops):
        close[i + 5 :] *= 1.0 + 0.01 * k
    bars = build_bars(es._with(close, -0.07))
    rate = base_rate(bars, EVENTS)
    assert rate is not None
    # 40 is within the horizon of 30; 385's window ends after the as-of session.
    kept = [30, 80, 130, 180, 230, 280, 330, 360]
    assert [c.date for c in rate.cases] == [bars.dates[i].item() for i in kept]
    assert rate.threshold_pct == 5.0 and rate.direction == "fell"
    for case, i in zip(rate.cases, kept, strict=True):
        assert case.forward_pct == pytest.approx((close[i + horizon] / close[i] - 1) * 100)
        assert case.end == bars.dates[i + horizon].item()
        assert case.end <= bars.dates[-1].item()
    last = len(bars) - 1
    forward = bars.close[horizon:] / bars.close[:-horizon] - 1
    assert rate.baseline_sessions == last - horizon + 1
    assert rate.baseline_higher == int((forward > 0).sum())


def test_too_few_cases_state_no_base_rate() -> None:
    close = np.full(300, 100.0)
    close[100:] *= 0.94
    bars = build_bars(es._with(close, -0.07))
    assert base_rate(bars, EVENTS) is None
    fewer = dataclasses.replace(EVENTS, base_rate_min_cases=1)
    rate = base_rate(bars, fewer)
    assert rate is not None and rate.count == 1


def test_salience_grows_with_rarity() -> None:
    periods = [5, 21, 63, 252, 1260, 5040, 10000]
    values = [salience_from_return_period(p, EVENTS) for p in periods]
    assert values == sorted(values)
    assert values[1] == 0.5 and values[-2] == values[-1] == 1.0


# ── no look-ahead ────────────────────────────────────────────────────────────────────────────


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    cut=st.integers(300, 500),
    future=st.integers(1, 120),
    shock=st.floats(-0.3, 0.3),
)
def test_no_event_uses_a_bar_after_the_as_of_session(
    seed: int, cut: int, future: int, shock: float
) -> None:
    rng = np.random.default_rng(seed)
    steps = rng.normal(0, 0.02, cut + future - 1)
    steps[cut - 1] = shock  # the first bar after the as-of session may be a record move
    close = 100.0 * np.concatenate(([1.0], np.cumprod(1 + steps)))
    full = build_bars(close)
    as_of = full.dates[cut - 1]
    alone = build_bars(close[:cut])
    before = events_of(alone)
    after = events_of(full.until(as_of))
    assert before == after
    rate = before.base_rate
    if rate is not None:
        assert all(c.end <= as_of.item() for c in rate.cases)
    for rarity in (before.session.change, before.runs.week, before.extremes.rsi):
        if rarity is not None and rarity.since is not None:
            assert rarity.since < as_of.item()


# ── rules: rallies that were given back, freshness ───────────────────────────────────────────


def _facts(bars):  # type: ignore[no-untyped-def]
    indicators = compute_indicators(bars)
    states = dataclasses.replace(classify(bars, indicators), events=detect_events(bars, indicators))
    return {f.id: f for f in RuleBook.load().evaluate(states, "T", states.date)}


def test_a_pop_that_was_given_back_is_not_a_rally() -> None:
    bars = es.pop_given_back()
    facts = _facts(bars)
    assert not any(i.startswith("performance.pop") for i in facts)
    # The same pop, one session earlier (before it was given back), is one.
    earlier = _facts(bars.head(len(bars) - 1))
    assert any(i.startswith("performance.pop") for i in earlier)


def test_the_worst_day_in_twenty_years_outranks_any_fixed_salience() -> None:
    bars = build_bars(es._with(es._walk(n=5100), -0.15))
    facts = _facts(bars)
    top = max(facts.values(), key=lambda f: f.salience)
    assert top.id == "performance.day.rare_loss" and top.salience == 1.0
    fixed = [r.salience for r in RuleBook.load().rules if r.salience_path is None]
    assert top.salience > max(fixed)


def test_a_shorter_record_is_less_salient_than_a_longer_one() -> None:
    short, long = _facts(es.surge_day()), _facts(build_bars(es._with(es._walk(n=3000), 0.15)))
    assert short["performance.day.rare_gain"].salience < long["performance.day.rare_gain"].salience


def test_a_new_bull_market_is_news_on_its_session_then_a_standing_condition() -> None:
    today, later = _facts(es.bull_today()), _facts(es.bull_standing())
    assert "performance.recovery.bull_new" in today
    assert "performance.recovery.bull" in later and "performance.recovery.bull_new" not in later
    assert (
        today["performance.recovery.bull_new"].salience
        > later["performance.recovery.bull"].salience
    )
    assert later["performance.recovery.bull"].values["age"] > 0


def test_a_session_long_unmatched_is_news_however_common_such_days_were_before() -> None:
    """A loss as deep as today's came 40 times in the first 400 sessions and never in the 1,600
    since: once in 50 sessions over the whole history, but unmatched for 1,600. Ranked as a
    session, that is how rare it reads ("the worst since ..."); as a gauge, it is not."""
    from commentary.settings import EventSettings

    values = np.full(2001, -0.5)
    values[:400:10] = -5.0
    values[-1] = -5.0
    days = np.datetime64("2010-01-01") + np.arange(values.size)
    config = EventSettings()
    session = rank_today(values, days, "low", config, quiet_is_news=True)
    gauge = rank_today(values, days, "low", config)
    assert session is not None and gauge is not None
    assert session.return_period == gauge.return_period == 2001 / 41
    assert session.quiet_sessions == 1610 and session.news_period == 1610
    assert gauge.news_period == gauge.return_period
    assert session.salience == salience_from_return_period(1610, config) > gauge.salience


# ── the bundled samples ──────────────────────────────────────────────────────────────────────

#: (playbook or None for an ad-hoc run of the symbol, symbol, as-of, the top fact's id, checks).
DRAMATIC = [
    ("default", "^GSPC", "2020-03-16", "performance.day.rare_loss"),
    ("tech-vs-broad-market", "^GSPC", "2008-10-13", "performance.day.rare_gain"),
    # Both indexes had their best session since March 2009; the bigger move leads, and the S&P
    # 500's reversal from a 52-week low is the headline's second clause.
    ("tech-vs-broad-market", "^IXIC", "2018-12-26", "performance.day.rare_gain"),
    # Such a day was common in 2000-02 and 2008-09: it is news as the worst since August 2011.
    ("default", "^GSPC", "2018-02-05", "performance.day.rare_loss"),
    ("default", "^GSPC", "2020-03-23", "performance.drawdown.bear_speed"),
    (None, "NVDA", "2023-05-25", "performance.day.rare_gap_up"),
]


def _article(playbook: str | None, symbol: str, as_of: str):  # type: ignore[no-untyped-def]
    book = (
        load_playbook(playbook)
        if playbook
        else adhoc_playbook([symbol], None, "technical-trader", 0)
    )
    return write_article(book, as_of=dt.date.fromisoformat(as_of))


@pytest.mark.parametrize(("playbook", "symbol", "as_of", "fact_id"), DRAMATIC)
def test_dramatic_dates_lead_with_their_rare_event(
    playbook: str | None, symbol: str, as_of: str, fact_id: str
) -> None:
    article = _article(playbook, symbol, as_of)
    top = article.plan.headline[0]
    assert (top.id, top.subject) == (fact_id, symbol)
    everything = [f for facts in article.facts.symbols.values() for f in facts]
    everything += [f for facts in article.facts.pairs.values() for f in facts]
    assert top.salience == max(f.salience for f in everything)
    assert article.plan.lead[0].facts[0] == top


def _closes(symbol: str) -> dict[str, float]:
    with (DATA / f"{symbol}.csv").open(encoding="utf-8") as handle:
        return {row["Date"]: float(row["Close"]) for row in csv.DictReader(handle)}


def test_the_worst_session_in_the_data_is_true_to_the_csv() -> None:
    closes = _closes("^GSPC")
    days = sorted(d for d in closes if d <= "2020-03-16")
    moves = {b: closes[b] / closes[a] - 1 for a, b in itertools.pairwise(days)}
    fact = next(
        f
        for f in _article("default", "^GSPC", "2020-03-16").facts.for_symbol("^GSPC")
        if f.id == "performance.day.rare_loss"
    )
    assert min(moves, key=moves.__getitem__) == "2020-03-16"
    assert fact.values["rank"] == 1 and fact.values["since"] is None
    assert fact.values["change_pct"] == pytest.approx(moves["2020-03-16"] * 100)


def test_best_session_since_march_2009_is_true_to_the_csv() -> None:
    closes = _closes("^GSPC")
    days = sorted(d for d in closes if d <= "2018-12-26")
    moves = {b: closes[b] / closes[a] - 1 for a, b in itertools.pairwise(days)}
    today = moves["2018-12-26"]
    larger = [d for d, m in moves.items() if m >= today and d < "2018-12-26"]
    fact = next(
        f
        for f in _article("tech-vs-broad-market", "^GSPC", "2018-12-26").facts.for_symbol("^GSPC")
        if f.id == "performance.day.reversal_from_low"
    )
    assert fact.values["since"] == dt.date.fromisoformat(max(larger)) == dt.date(2009, 3, 23)
    assert fact.values["rank"] == len(larger) + 1


def test_facts_json_carries_base_rate_cases_recomputable_from_the_csv() -> None:
    result = CliRunner().invoke(
        cli, ["facts", "^GSPC", "--as-of", "2020-03-16", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    ledger = json.loads(result.output)
    rate = ledger["instruments"][0]["states"]["events"]["base_rate"]
    assert len(rate["cases"]) >= DEFAULT_SETTINGS.events.base_rate_min_cases
    closes = _closes("^GSPC")
    days = sorted(closes)
    horizon = rate["horizon"]
    for case in rate["cases"]:
        start = days.index(case["date"])
        assert days[start + horizon] == case["end"] <= "2020-03-16"
        expected = (closes[case["end"]] / closes[case["date"]] - 1) * 100
        assert case["forward_pct"] == pytest.approx(expected)
        assert (closes[case["date"]] / closes[days[start - 1]] - 1) * 100 <= -rate["threshold_pct"]
    assert rate["higher"] == sum(c["forward_pct"] > 0 for c in rate["cases"])
    usable = [d for d in days if d <= "2020-03-16"]
    pairs = list(zip(usable, usable[horizon:], strict=False))
    assert rate["baseline_sessions"] == len(pairs)
    assert rate["baseline_higher"] == sum(closes[b] > closes[a] for a, b in pairs)


def test_a_base_rate_has_an_edge_only_beyond_two_standard_errors() -> None:
    """7 of 12 against 62% is no edge; 12 of 12 against 55% is; 2 of 12 against 62% is worse."""
    from commentary.events.baserates import BaseRate, Case

    day = dt.date(2020, 3, 16)

    def edge(higher: int, cases: int, baseline_pct: float) -> str:
        case = Case(day, -4.0, 1.0, day)
        return BaseRate(
            "fell", 4.0, -4.0, 21, (case,) * cases, higher, 0.0, 0, 0, baseline_pct
        ).edge

    assert edge(7, 12, 62.0) == "none"
    assert edge(12, 12, 55.0) == "better"
    assert edge(2, 12, 62.0) == "worse"


def test_an_intraday_turn_needs_depth_and_a_close_that_kept_little_of_it() -> None:
    from commentary.events.session import _intraday_turn
    from commentary.settings import EventSettings

    s = EventSettings()  # 4% deep, at most a third of it kept at the close
    # 2008-10-10, the S&P 500: 7.7% down at the low, 1.18% down at the close.
    assert _intraday_turn(-1.18, 839.80, 936.36, 909.92, s) == "recovered"
    assert _intraday_turn(-3.0, 839.80, 936.36, 909.92, s) == ""  # kept more than a third
    assert _intraday_turn(-0.5, 97.0, 101.0, 100.0, s) == ""  # 3% is not deep enough
    assert _intraday_turn(1.0, 99.0, 105.0, 100.0, s) == "faded"
    assert _intraday_turn(2.5, 99.0, 105.0, 100.0, s) == ""


def test_a_record_close_counts_its_run_and_the_record_it_topped() -> None:
    from commentary.events.records import record_close

    days = np.arange("2024-01-01", "2024-01-09", dtype="datetime64[D]")
    close = np.array([1.0, 3.0, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0])
    found = record_close(close, days, EventSettings())
    assert found is not None
    # 3.0 on day 4 only ties day 1's record: the run is days 5 to 7, and day 1's close stood.
    assert (found.streak, found.previous, found.stood_sessions) == (3, 3.0, 4)
    assert found.since == dt.date(2024, 1, 5) - dt.timedelta(days=3)
    assert found.started == dt.date(2024, 1, 6)
    assert record_close(close[:5], days[:5], EventSettings()) is None  # a tie is no record
    assert record_close(close[:1], days[:1], EventSettings()) is None  # no history before it


def test_a_close_across_the_200_day_average_counts_the_sessions_on_the_other_side() -> None:
    from commentary.events.crossings import WATCHED_LINE_SALIENCE, average_cross

    days = np.arange("2024-01-01", "2024-01-08", dtype="datetime64[D]")
    average = np.array([np.nan, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0])
    close = np.array([9.0, 9.0, 11.0, 12.0, 11.0, 10.5, 9.5])
    found = average_cross(close, average, days, EventSettings())
    assert found is not None
    # Above from day 2 to day 5 (four sessions); the last close below was day 1's.
    assert (found.side, found.stood_sessions, found.since) == ("below", 4, dt.date(2024, 1, 2))
    assert found.salience == WATCHED_LINE_SALIENCE  # four sessions is no rarity of its own
    assert average_cross(close[:-1], average[:-1], days[:-1], EventSettings()) is None
    assert average_cross(close[:2], average[:2], days[:2], EventSettings()) is None  # undefined


def test_a_session_that_takes_back_all_of_the_one_before_is_marked() -> None:
    from commentary.events.session import session_events

    def erased(closes: list[float]) -> tuple[float | None, dt.date | None]:
        found = session_events(build_bars(np.array([100.0] * 30 + closes)), EventSettings())
        return found.erased_change_pct, found.erased_date

    move, when = erased([100.0, 110.0, 99.0])  # +10%, then under the close before it
    assert move is not None and round(move, 6) == 10.0 and when is not None
    assert erased([100.0, 110.0, 101.0]) == (None, None)  # gave back most, not all
    assert erased([100.0, 101.0, 95.0]) == (None, None)  # 1% is under ``erase_min_pct``
    move, _ = erased([100.0, 90.0, 101.0])  # a 10% loss taken back
    assert move is not None and move < 0


def test_a_months_rank_that_hangs_on_where_the_window_starts_is_not_news() -> None:
    """April 17, 2020: Nvidia's 44.1% over 21 sessions ranked as its best month since June 2017
    on a day it fell 0.8%, and over 20 and 22 sessions the record had been set the day before;
    the S&P 500's 19.9% ranked since April 2009 over 21 sessions, and was 13.7% over 22. October
    10, 2008: the Nasdaq's worst month since April 2000, over a green close (review 5). None is
    news. A month that is a record however it is counted still is."""
    from commentary.events.rarity import is_news, signed_rank
    from commentary.events.runs import _window_change, run_events
    from commentary.settings import DEFAULT_SETTINGS
    from tests.event_scenarios import month_gain
    from tests.test_verify_bindings import article

    events, performance = DEFAULT_SETTINGS.events, DEFAULT_SETTINGS.performance
    for playbook, day, symbols in (
        ("default", "2020-04-17", ("NVDA", "^GSPC")),
        ("tech-vs-broad-market", "2008-10-10", ("^IXIC",)),
    ):
        for item in article(playbook, day).analysis.instruments:
            if item.instrument.symbol not in symbols:
                continue
            bars = item.bars
            window = _window_change(bars.close, events.month_sessions)
            assert is_news(signed_rank(window, bars.dates, events), events), item
            assert run_events(bars, events, performance).month is None, item
    assert run_events(month_gain(), events, performance).month is not None


def test_a_closing_low_of_a_year_or_more_is_ranked_over_the_whole_history() -> None:
    """The S&P 500 on March 23, 2020 closed at its lowest since December 2016; a title called it
    a "52-Week Low" (reviews 7 and 8). A close under every close of the year before is ranked
    by the last earlier close at or under it, or as the lowest in the data."""
    from commentary.events.records import CLOSING_LOW_SESSIONS, closing_low

    n = CLOSING_LOW_SESSIONS
    dates = np.arange(np.datetime64("2015-01-01"), np.datetime64("2015-01-01") + n + 11)
    close = np.concatenate(([90.0], np.full(10, 120.0), np.full(n - 1, 110.0), [100.0, 95.0]))
    low = closing_low(close, dates)
    assert low is not None and low.since == dates[0].astype(object)
    assert closing_low(np.concatenate((close[:-1], [80.0])), dates).since is None  # a record
    assert closing_low(np.concatenate((close[:-1], [101.0])), dates) is None  # not under 100
