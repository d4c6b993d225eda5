"""Every built-in rule fires on a hand-built scenario and stays silent on another.

``RULE_CASES`` maps each built-in rule id to (a scenario that makes it fire, a scenario where its
own condition is false); the scenarios live in ``tests/scenarios.py``. A new built-in rule without
a case fails ``test_every_builtin_rule_has_a_case``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import inspect
from collections.abc import Callable, Iterator

import numpy as np
import pytest

from commentary.bars import Bars, validate_bars
from commentary.events import detect_events
from commentary.indicators import compute_indicators
from commentary.rules import Rule, RuleBook, matches, resolve
from commentary.rules.model import AllOf, AnyOf, Compare, Condition, NoneOf, Ref
from commentary.settings import DEFAULT_SETTINGS, Settings
from commentary.states import PairStates, SymbolStates, classify, classify_pair
from tests import event_scenarios as es
from tests import scenarios as sc

Scenario = Callable[[], Bars | sc.Pair]
AS_OF = dt.date(2023, 6, 30)
BOOK = RuleBook.load()
RULES = {rule.id: rule for rule in BOOK.rules}

RULE_CASES: dict[str, tuple[Scenario, Scenario]] = {
    "performance.day.big_gain": (sc.big_up_day, sc.modest_up_day),
    "performance.day.big_loss": (sc.big_down_day, sc.modest_down_day),
    "performance.day.gain": (sc.steady_uptrend, sc.steady_downtrend),
    "performance.day.loss": (sc.steady_downtrend, sc.steady_uptrend),
    "performance.day.unchanged": (sc.unchanged_day, sc.steady_uptrend),
    "performance.pop.overextended": (sc.overbought_pop, sc.rally_after_dip),
    "performance.pop.rally": (sc.rally_after_dip, sc.pop_just_below),
    "performance.month.up": (sc.overbought_pop, sc.steady_uptrend),
    "performance.month.down": (sc.capitulation, sc.overbought_pop),
    "performance.quarter.up": (sc.fresh_golden_cross, sc.fresh_death_cross),
    "performance.quarter.down": (sc.fresh_death_cross, sc.fresh_golden_cross),
    "performance.ytd.up": (sc.steady_uptrend, sc.steady_downtrend),
    "performance.ytd.down": (sc.steady_downtrend, sc.steady_uptrend),
    "trend.channel.short.rising": (sc.steady_uptrend, sc.sideways_range),
    "trend.channel.short.falling": (sc.steady_downtrend, sc.sideways_range),
    "trend.channel.medium.rising": (sc.steady_uptrend, sc.sideways_range),
    "trend.channel.medium.falling": (sc.steady_downtrend, sc.sideways_range),
    "trend.channel.long.rising": (sc.steady_uptrend, sc.sideways_range),
    "trend.channel.long.falling": (sc.steady_downtrend, sc.sideways_range),
    "trend.structure.higher": (sc.steady_uptrend, sc.steady_downtrend),
    "trend.structure.lower": (sc.steady_downtrend, sc.steady_uptrend),
    "levels.high.new_all_time": (sc.new_all_time_high, sc.just_under_all_time_high),
    "levels.high.testing_all_time": (sc.just_under_all_time_high, sc.near_all_time_high),
    "levels.high.new_52_week": (sc.new_52_week_high, sc.near_all_time_high),
    "levels.close.record": (es.record_close, es.calm),
    "levels.prior_record.yesterday": (es.day_after_record_close, es.record_close),
    "averages.price.cross_below_200": (es.cross_below_200, es.calm),
    "averages.price.cross_above_200": (es.cross_above_200, es.calm),
    "averages.price.cross_below_50": (es.cross_below_50, es.calm),
    "averages.price.cross_above_50": (es.cross_above_50, es.calm),
    "levels.high.near_all_time": (sc.near_all_time_high, sc.new_52_week_high),
    "levels.high.below_all_time": (sc.steady_downtrend, sc.new_all_time_high),
    "levels.low.new_52_week": (sc.new_52_week_low, sc.steady_downtrend),
    "levels.break.above": (sc.breakout_above_resistance, sc.just_under_resistance),
    "levels.break.below": (sc.breakdown_below_support, sc.just_above_support),
    "levels.support.testing": (sc.just_above_support, sc.steady_uptrend),
    "levels.support.nearest": (sc.steady_uptrend, sc.steady_downtrend),
    "levels.resistance.testing": (sc.just_under_resistance, sc.steady_downtrend),
    "levels.resistance.nearest": (sc.steady_downtrend, sc.steady_uptrend),
    "momentum.rsi.overbought": (sc.overbought_pop, sc.steady_uptrend),
    "momentum.rsi.oversold": (sc.capitulation, sc.steady_downtrend),
    "momentum.rsi.neutral": (sc.steady_uptrend, sc.overbought_pop),
    "momentum.macd.bullish_cross": (sc.macd_bullish_cross, sc.steady_uptrend),
    "momentum.macd.bearish_cross": (sc.macd_bearish_cross, sc.steady_downtrend),
    "momentum.macd.positive": (sc.steady_uptrend, sc.steady_downtrend),
    "momentum.macd.negative": (sc.steady_downtrend, sc.steady_uptrend),
    "momentum.stochastic.overbought": (sc.overbought_pop, sc.steady_uptrend),
    "momentum.stochastic.oversold": (sc.capitulation, sc.steady_downtrend),
    "momentum.adx.strong": (sc.steady_uptrend, sc.choppy_flat),
    "momentum.adx.absent": (sc.choppy_flat, sc.steady_uptrend),
    "momentum.bollinger.above": (sc.overbought_pop, sc.steady_uptrend),
    "momentum.bollinger.below": (sc.capitulation, sc.steady_downtrend),
    "momentum.bollinger.squeeze": (sc.bollinger_squeeze, sc.volatility_expanding),
    "averages.cross.golden_fresh": (sc.fresh_golden_cross, sc.aging_golden_cross),
    "averages.cross.death_fresh": (sc.fresh_death_cross, sc.aging_death_cross),
    "averages.cross.golden": (sc.steady_uptrend, sc.steady_downtrend),
    "averages.cross.death": (sc.steady_downtrend, sc.steady_uptrend),
    "averages.stacking.bullish": (sc.steady_uptrend, sc.steady_downtrend),
    "averages.stacking.bearish": (sc.steady_downtrend, sc.steady_uptrend),
    "averages.stacking.mixed": (sc.rally_after_dip, sc.steady_uptrend),
    "volume.heavy.advance": (sc.heavy_volume_advance, sc.heavy_volume_decline),
    "volume.heavy.decline": (sc.heavy_volume_decline, sc.heavy_volume_advance),
    "volume.light.advance": (sc.light_volume_advance, sc.light_volume_decline),
    "volume.light.decline": (sc.light_volume_decline, sc.light_volume_advance),
    "rating.positive": (sc.steady_uptrend, sc.steady_downtrend),
    "rating.negative": (sc.steady_downtrend, sc.steady_uptrend),
    "rating.neutral": (sc.rally_after_dip, sc.steady_uptrend),
    "relative.streak.record": (sc.record_streak, sc.streak_matching_record),
    "relative.streak.matches_record": (sc.streak_matching_record, sc.record_streak),
    "relative.streak.longest_since": (sc.longest_streak_since, sc.record_streak),
    "relative.streak.run": (sc.first_underperformance_streak, sc.streak_one_short),
    "relative.ytd.ahead": (sc.ytd_ahead, sc.ytd_level),
    "relative.divergence.held_low": (
        sc.held_low_on_a_benchmark_low,
        sc.broke_low_with_the_benchmark,
    ),
    "relative.divergence.held_high": (
        sc.held_high_on_a_benchmark_high,
        sc.broke_high_with_the_benchmark,
    ),
    "relative.ytd.behind": (sc.ytd_behind, sc.ytd_level),
    "relative.ytd.level": (sc.ytd_level, sc.pair_within_first_year),
    # The events stage (tests/event_scenarios.py): facts ranked against the series' own history.
    "performance.day.reversal_from_low": (es.reversal_from_low, es.surge_day),
    "performance.day.rare_gap_up": (es.gap_up_held, es.surge_day),
    "performance.day.rare_gap_down": (es.gap_down_held, es.crash_day),
    "performance.day.rare_gain": (es.surge_day, es.calm),
    "performance.day.rare_loss": (es.crash_day, es.calm),
    "performance.base_rate.session": (es.crash_day, es.calm),
    "performance.drawdown.bear_speed": (es.bear_fast, es.bear_standing),
    "performance.drawdown.bear": (es.bear_standing, es.correction_standing),
    "performance.drawdown.correction_new": (es.correction_today, es.correction_standing),
    "performance.drawdown.brink": (es.correction_on_the_brink, es.correction_standing),
    "performance.drawdown.bear_line": (es.bear_line_reclaimed, es.bear_standing),
    "performance.drawdown.correction": (es.correction_standing, es.calm),
    "performance.recovery.bull_new": (es.bull_today, es.bull_standing),
    "performance.recovery.bull": (es.bull_standing, es.bear_standing),
    "performance.week.rare_gain": (es.week_gain, es.week_loss),
    "performance.week.rare_loss": (es.week_loss, es.week_gain),
    "performance.straight.rare_gain": (es.straight_gains, es.calm),
    "performance.straight.rare_loss": (es.straight_losses, es.calm),
    "performance.month.rare_gain": (es.month_gain, es.month_loss),
    "performance.month.rare_loss": (es.week_loss, es.month_gain),
    "momentum.extreme.rsi_low": (es.bear_fast, es.calm),
    "momentum.extreme.rsi_high": (es.month_gain, es.calm),
    "averages.extreme.sma_200_low": (es.crash_day, es.calm),
    "averages.extreme.sma_200_high": (es.month_gain, es.calm),
    "momentum.extreme.atr_high": (es.crash_day, es.calm),
}


@functools.cache
def states_of(scenario: Scenario) -> SymbolStates | PairStates:
    """The states of a scenario's last session (classified once per scenario)."""
    built = scenario()
    if isinstance(built, tuple):
        return classify_pair(*built)
    indicators = compute_indicators(built)
    states = classify(built, indicators)
    if scenario.__module__ != es.__name__:
        # The older scenarios are smooth series on which any move is "the biggest in the data";
        # they test their rules on the states alone, as those rules read nothing else.
        return states
    return dataclasses.replace(states, events=detect_events(built, indicators))


def fact_ids(states: SymbolStates | PairStates, settings: Settings = DEFAULT_SETTINGS) -> set[str]:
    return {fact.id for fact in BOOK.evaluate(states, "TEST", AS_OF, settings)}


def test_every_builtin_rule_has_a_case() -> None:
    assert set(RULE_CASES) == set(RULES)


@pytest.mark.parametrize("rule_id", sorted(RULE_CASES))
def test_scenario_scope_matches_rule(rule_id: str) -> None:
    """Pair rules get (symbol, benchmark) scenarios; symbol rules get single series."""
    expected = PairStates if RULES[rule_id].scope == "pair" else SymbolStates
    for scenario in RULE_CASES[rule_id]:
        assert isinstance(states_of(scenario), expected), scenario.__name__


@pytest.mark.parametrize("rule_id", sorted(RULE_CASES))
def test_rule_fires_on_its_scenario(rule_id: str) -> None:
    scenario = RULE_CASES[rule_id][0]
    facts = BOOK.evaluate(states_of(scenario), "TEST", AS_OF)
    fact = next((f for f in facts if f.id == rule_id), None)
    assert fact is not None, f"{scenario.__name__}: {sorted(f.id for f in facts)}"
    assert "n/a" not in fact.text


@pytest.mark.parametrize("rule_id", sorted(RULE_CASES))
def test_rule_stays_silent_against(rule_id: str) -> None:
    scenario = RULE_CASES[rule_id][1]
    assert rule_id not in fact_ids(states_of(scenario)), scenario.__name__


@pytest.mark.parametrize("rule_id", sorted(RULE_CASES))
def test_rule_condition_is_false_against(rule_id: str) -> None:
    """Silent because its own condition fails, not because an earlier rule took the topic."""
    states = states_of(RULE_CASES[rule_id][1])
    assert not matches(RULES[rule_id].when, states, DEFAULT_SETTINGS)


SCENARIOS = sorted(
    name
    for name, function in inspect.getmembers(sc, inspect.isfunction)
    if function.__module__ == sc.__name__
    and not name.startswith("_")
    and not inspect.signature(function).parameters
)


@pytest.mark.parametrize("name", SCENARIOS)
def test_scenario_is_deterministic_valid_data(name: str) -> None:
    """Two builds agree exactly, and the bars stage accepts them as they are (no repairs)."""
    first, second = getattr(sc, name)(), getattr(sc, name)()
    for bars, twin in zip(
        first if isinstance(first, tuple) else (first,),
        second if isinstance(second, tuple) else (second,),
        strict=True,
    ):
        frame = bars.to_frame()
        assert frame.equals(twin.to_frame())
        checked = validate_bars(frame.reset_index(), bars.symbol, name)
        assert checked.to_frame().equals(frame)


# ── thresholds hit exactly by the prices ────────────────────────────────────────────────────


EXACT = [
    # rule, scenario at the threshold, one just short of it, the state path and its threshold
    ("performance.day.big_gain", sc.big_up_day, sc.modest_up_day,
     "performance.returns_pct.1", "facts.big_move_pct", 1.0),
    ("performance.day.big_loss", sc.big_down_day, sc.modest_down_day,
     "performance.returns_pct.1", "facts.big_move_pct", -1.0),
    ("performance.pop.overextended", sc.pop_at_threshold, sc.pop_just_below,
     "performance.pop.pct", "facts.pop_pct", 1.0),
    ("volume.heavy.advance", sc.heavy_volume_advance, sc.busy_advance,
     "volume.ratio", "volume.heavy_ratio", 1.0),
    ("volume.light.decline", sc.light_volume_decline, sc.quiet_decline,
     "volume.ratio", "volume.light_ratio", 1.0),
    ("relative.ytd.ahead", sc.ytd_ahead, sc.ytd_almost_ahead,
     "relative.ytd_gap_pct", "facts.ytd_gap_points", 1.0),
    ("relative.ytd.behind", sc.ytd_behind, sc.ytd_almost_behind,
     "relative.ytd_gap_pct", "facts.ytd_gap_points", -1.0),
    ("relative.streak.run", sc.first_underperformance_streak, sc.streak_one_short,
     "relative.current.sessions", "facts.min_streak", 1.0),
    ("averages.cross.golden_fresh", sc.fresh_golden_cross, sc.aging_golden_cross,
     "averages.cross_age", "facts.fresh_cross_sessions", 1.0),
    ("averages.cross.death_fresh", sc.fresh_death_cross, sc.aging_death_cross,
     "averages.cross_age", "facts.fresh_cross_sessions", 1.0),
]  # fmt: skip


@pytest.mark.parametrize(
    ("rule_id", "at", "short", "path", "setting", "scale"), EXACT, ids=[e[0] for e in EXACT]
)
def test_threshold_hit_exactly(
    rule_id: str, at: Scenario, short: Scenario, path: str, setting: str, scale: float
) -> None:
    threshold = resolve(DEFAULT_SETTINGS, setting) * scale
    assert resolve(states_of(at), path) == pytest.approx(threshold, abs=1e-9)
    assert rule_id in fact_ids(states_of(at))
    assert rule_id not in fact_ids(states_of(short))


def _after_macd_cross(age: int) -> SymbolStates:
    """The swinging range cut ``age`` sessions after its last upward MACD signal-line cross."""
    bars = sc.sideways_range()
    above = compute_indicators(bars).series["macd_hist"] > 0
    cross = int(np.flatnonzero(above[1:] & ~above[:-1])[-1]) + 1
    cut = bars.head(cross + 1 + age)
    return classify(cut, compute_indicators(cut))


def test_macd_cross_is_recent_up_to_the_setting() -> None:
    limit = DEFAULT_SETTINGS.facts.recent_macd_cross
    recent, older = _after_macd_cross(limit), _after_macd_cross(limit + 1)
    assert (recent.momentum.macd_cross_age, older.momentum.macd_cross_age) == (limit, limit + 1)
    assert recent.momentum.macd_above_signal and older.momentum.macd_above_signal
    assert "momentum.macd.bullish_cross" in fact_ids(recent)
    assert "momentum.macd.bullish_cross" not in fact_ids(older)


def test_year_to_date_exactly_flat_says_nothing() -> None:
    """Last year's close and today's are both exactly 100: neither up nor down."""
    _, benchmark = sc.ytd_pair(100.0)
    states = classify(benchmark, compute_indicators(benchmark))
    assert states.performance.ytd_pct == 0.0
    assert not {"performance.ytd.up", "performance.ytd.down"} & fact_ids(states)


# ── thresholds read from settings ───────────────────────────────────────────────────────────


def _setting_compares(condition: Condition) -> Iterator[Compare]:
    if isinstance(condition, AllOf | AnyOf | NoneOf):
        for child in condition.conditions:
            yield from _setting_compares(child)
    elif isinstance(condition.operand, Ref) and condition.operand.setting:
        yield condition


def _with(setting: str, value: float) -> Settings:
    section, name = setting.split(".")
    changed = dataclasses.replace(getattr(DEFAULT_SETTINGS, section), **{name: value})
    return dataclasses.replace(DEFAULT_SETTINGS, **{section: changed})


SETTING_RULES = sorted(
    (r.id, k) for r in BOOK.rules for k, _ in enumerate(_setting_compares(r.when))
)


@pytest.mark.parametrize(("rule_id", "which"), SETTING_RULES)
def test_setting_threshold_is_inclusive_and_respected(rule_id: str, which: int) -> None:
    """Set one threshold to the scenario's exact reading: the rule fires. Move it by the least
    step past the reading: its condition fails."""
    rule: Rule = RULES[rule_id]
    compare = list(_setting_compares(rule.when))[which]
    assert isinstance(compare.operand, Ref) and compare.op in ("ge", "le")
    setting, scale = compare.operand.setting or "", compare.operand.scale
    states = states_of(RULE_CASES[rule_id][0])
    value = resolve(states, compare.path)
    if isinstance(resolve(DEFAULT_SETTINGS, setting), int):
        past = value + 1 if compare.op == "ge" else value - 1
        at, beyond = int(value / scale), int(past / scale)
    else:
        past = np.nextafter(value, np.inf if compare.op == "ge" else -np.inf)
        at, beyond = value / scale, float(past) / scale
    assert rule_id in fact_ids(states, _with(setting, at))
    assert not matches(rule.when, states, _with(setting, beyond))


# ── degenerate input: a perfectly flat series ───────────────────────────────────────────────


def test_flat_line_has_every_average_equal_to_the_close() -> None:
    """The premise of the two tie cases below."""
    averages = states_of(sc.flat_line).averages
    assert averages.close == averages.sma_5 == averages.sma_50 == averages.sma_200 == 100.0


def test_flat_line_is_not_bullish_stacking() -> None:
    assert "averages.stacking.bullish" not in fact_ids(states_of(sc.flat_line))


def test_flat_line_has_no_cross_configuration() -> None:
    assert not {"averages.cross.golden", "averages.cross.death"} & fact_ids(states_of(sc.flat_line))


def test_longest_since_needs_a_quarter_between_the_two_streaks() -> None:
    states = states_of(sc.longer_streak_weeks_ago)
    assert isinstance(states, PairStates)
    assert states.relative.sessions_since_last_as_long is not None
    assert (
        states.relative.sessions_since_last_as_long < DEFAULT_SETTINGS.facts.longest_since_min_gap
    )
    ids = fact_ids(states)
    assert "relative.streak.longest_since" not in ids and "relative.streak.run" in ids
