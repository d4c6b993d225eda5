"""The rules engine: loading (every problem at once), evaluation, one fact per topic, user rules."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from commentary.cli import cli
from commentary.errors import RuleError
from commentary.indicators import compute_indicators
from commentary.rules import RuleBook, render_text
from commentary.rules.engine import path_problems
from commentary.rules.loader import parse_rules
from commentary.settings import DEFAULT_SETTINGS
from commentary.states import classify
from tests.conftest import build_bars

RULE = """
[[rule]]
id = "custom.rsi.hot"
topic = "momentum.rsi"
scope = "symbol"
section = "momentum"
polarity = "bearish"
salience = 0.9
message = "rsi"
description = "RSI above 60 (a stricter house threshold)"
when = {{ path = "momentum.rsi", gt = {threshold} }}
values = {{ rsi_14 = "momentum.rsi", zone = "momentum.rsi_zone", rising = "momentum.rsi_rising" }}
text = "RSI hot at {{rsi_14:.1f}}"
"""


def states_of(close: np.ndarray):  # type: ignore[no-untyped-def]
    bars = build_bars(close)
    return classify(bars, compute_indicators(bars))


def uptrend(n: int = 400, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return 100 * np.exp(np.cumsum(rng.normal(0.002, 0.01, n)))


def test_builtin_rules_load_and_every_rule_is_documented() -> None:
    book = RuleBook.load()
    assert len(book.rules) >= 60
    assert len({r.id for r in book.rules}) == len(book.rules)
    for rule in book.rules:
        assert rule.description.strip(), rule.id
        assert rule.message, rule.id


def test_every_builtin_rule_reads_existing_state_fields() -> None:
    """RuleBook.load checks only user rules' paths (speed); this checks the built-in ones."""
    assert [p for rule in RuleBook.load().rules for p in path_problems(rule)] == []


def test_rules_list_shows_every_rule_with_its_trigger() -> None:
    """Fails when a rule is undocumented in `commentary rules list`."""
    result = CliRunner().invoke(cli, ["rules", "list"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["id", "section", "polarity", "message", "triggers"]
    for rule in RuleBook.load().rules:
        row = next((line for line in lines if line.split()[0] == rule.id), None)
        assert row is not None, f"{rule.id} missing from rules list"
        assert row.split()[1:4] == [rule.section, rule.polarity.value, rule.message]
        assert row.rstrip().endswith(rule.description)


def test_one_fact_per_topic_and_no_contradictions_on_real_data(samples) -> None:  # type: ignore[no-untyped-def]
    book = RuleBook.load()
    bars = samples.load("^GSPC")
    for day in ("2000-03-24", "2003-03-11", "2008-10-10", "2013-05-21", "2018-12-24", "2020-02-19"):
        cut = bars.until(day)
        facts = book.evaluate(classify(cut, compute_indicators(cut)), "^GSPC", dt.date(2000, 1, 1))
        topics = [f.topic for f in facts]
        assert len(topics) == len(set(topics)), day


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**31), drift=st.floats(-0.003, 0.003), sessions=st.integers(60, 900))
def test_contradictory_facts_are_impossible(seed: int, drift: float, sessions: int) -> None:
    """Golden and death cross, overbought and oversold, rising and falling channel on one horizon,
    a break above and below: never together, because each pair shares a topic."""
    rng = np.random.default_rng(seed)
    close = 50 * np.exp(np.cumsum(rng.normal(drift, 0.015, sessions)))
    facts = RuleBook.load().evaluate(states_of(close), "T", dt.date(2020, 1, 1))
    ids = {f.id for f in facts}
    topics = [f.topic for f in facts]
    assert len(topics) == len(set(topics))
    exclusive = [
        ("averages.cross.golden", "averages.cross.death"),
        ("momentum.rsi.overbought", "momentum.rsi.oversold"),
        ("levels.break.above", "levels.break.below"),
        ("momentum.macd.positive", "momentum.macd.negative"),
    ]
    for a, b in exclusive:
        assert not (any(i.startswith(a) for i in ids) and any(i.startswith(b) for i in ids))
    for horizon in ("short", "medium", "long"):
        assert not {f"trend.channel.{horizon}.rising", f"trend.channel.{horizon}.falling"} <= ids


def test_user_rule_takes_precedence_in_its_topic(tmp_path: Path) -> None:
    path = tmp_path / "house.toml"
    path.write_text(RULE.format(threshold=60.0))
    states = states_of(uptrend())
    assert states.momentum.rsi > 60
    facts = RuleBook.load([path]).evaluate(states, "T", dt.date(2020, 1, 1))
    rsi = [f for f in facts if f.topic == "momentum.rsi"]
    assert [f.id for f in rsi] == ["custom.rsi.hot"]
    assert rsi[0].text == f"RSI hot at {states.momentum.rsi:.1f}"
    assert rsi[0].rule_origin == str(path)


def test_user_rule_with_a_builtin_id_replaces_it(tmp_path: Path) -> None:
    path = tmp_path / "house.toml"
    path.write_text(RULE.format(threshold=99.0).replace("custom.rsi.hot", "momentum.rsi.neutral"))
    book = RuleBook.load([path])
    assert [r.origin for r in book.rules if r.id == "momentum.rsi.neutral"] == [str(path)]


def test_every_problem_in_a_rule_file_is_listed_at_once_with_lines() -> None:
    text = """
[[rule]]
id = "Bad Id"
topic = "x"
scope = "galaxy"
section = "momentum"
polarity = "sideways"
salience = 2
message = "m"
description = "d"
when = { path = "momentum.rsi", approx = 3 }
text = "{missing}"

[[rule]]
id = "fine.rule"
topic = "x"
scope = "symbol"
section = "nowhere"
polarity = "neutral"
salience = 0.5
message = "m"
description = "d"
when = { path = "momentum.rsi", gt = 1 }
text = "t"
"""
    with pytest.raises(RuleError) as caught:
        parse_rules(text, "house.toml")
    message = str(caught.value)
    assert message.startswith("7 problem(s) in rules:")
    for expected in (
        "house.toml:3: id 'Bad Id' must be dotted lower-case",
        "house.toml:3: scope must be symbol or pair",
        "house.toml:3: polarity must be bullish, bearish or neutral",
        "house.toml:3: salience must be a number from 0 to 1",
        "house.toml:3: text uses {missing}, which is not in values",
        "needs a path and one of eq, ne, lt, le, gt, ge, in, between, exists",
        "house.toml:15: rule fine.rule: section must be one of",
    ):
        assert expected in message


def test_unknown_state_path_is_refused_with_the_rule_named(tmp_path: Path) -> None:
    path = tmp_path / "house.toml"
    path.write_text(RULE.format(threshold=60.0).replace('"momentum.rsi", gt', '"momentum.rsy", gt'))
    with pytest.raises(RuleError, match=r"rule custom.rsi.hot: no state field 'momentum.rsy'"):
        RuleBook.load([path])


def test_rule_text_is_never_evaluated_as_code() -> None:
    assert render_text("{x.__class__}", {"x": 1}) == "{x.__class__}"
    assert render_text("{x!r}", {"x": 1}) == "{x!r}"
    assert render_text("{x:.2f} and {y}", {"x": 1.0, "y": None}) == "1.00 and n/a"


def test_thresholds_come_from_settings() -> None:
    text = (
        Path(__file__).resolve().parent.parent / "commentary" / "rules" / "builtin.toml"
    ).read_text()
    conditions = re.findall(r"\b(?:lt|le|gt|ge) = (-?\d+\.?\d*)", text)
    assert set(conditions) <= {"0.0"}, "thresholds other than the sign belong in settings"
    assert DEFAULT_SETTINGS.facts.pop_pct == 8.0


def test_a_rule_reading_the_events_keeps_them_for_the_previous_session(tmp_path: Path) -> None:
    """The previous session skips the events stage only while no rule on the topics it reads
    looks at the events: a house rule on level breaks that does makes it detect them."""
    from commentary.changes.news import EVENTS

    topics = frozenset(EVENTS)
    assert not RuleBook.load().on_topics(topics).reads_events
    path = tmp_path / "house.toml"
    path.write_text("""
[[rule]]
id = "house.break.rare"
topic = "levels.break"
scope = "symbol"
section = "levels"
polarity = "bullish"
salience = 0.8
message = "level_break"
description = "A break above a level on a day rarer than a month's"
when = { all = [
  { path = "levels.crossed_above", exists = true },
  { path = "events.session.reversal_from_low.news_period", ge = 21 },
] }
values.level = "levels.crossed_above.price"
values.touches = "levels.crossed_above.touches"
values.close = "close"
text = "broke above the {level:,.2f} level"
""")  # fmt: skip
    book = RuleBook.load([path])
    assert book.on_topics(topics).reads_events
    assert [r.id for r in book.on_topics(topics).rules][:1] == ["house.break.rare"]
