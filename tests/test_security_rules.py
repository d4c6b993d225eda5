"""Hostile and broken rule files: refused at load with one line naming the rule and its line,
never a traceback, never a value reached through a path (the environment least of all)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from click.testing import CliRunner

from commentary.cli import cli
from commentary.errors import RuleError
from commentary.rules import RuleBook, resolve
from commentary.rules.loader import parse_rules
from commentary.settings import DEFAULT_SETTINGS

SECRET = "s3cret-marker"
#: A walk from the settings object to ``os.environ`` through Python internals.
WALK = "__class__.__init__.__globals__.field.__globals__.sys.modules.os.environ"

RULE = """
[[rule]]
id = "house.probe"
topic = "house.probe"
scope = "symbol"
section = "momentum"
polarity = "neutral"
salience = 0.5
message = "rsi"
description = "A probe"
when = {when}
values = {values}
text = "{text}"
"""


#: The values the built-in ``rsi`` message type reads (a rule phrased by it must carry them).
RSI_VALUES = (
    '{ rsi = "momentum.rsi", rsi_14 = "momentum.rsi", zone = "momentum.rsi_zone", '
    'rising = "momentum.rsi_rising" }'
)


def rule(when: str, values: str = RSI_VALUES, text: str = "RSI {rsi:.1f}") -> str:
    return RULE.format(when=when, values=values, text=text)


def generate_with(tmp_path: Path, rules: str) -> Any:
    path = tmp_path / "house.toml"
    path.write_text(rules)
    return CliRunner().invoke(cli, ["generate", "AAPL", "--as-of", "2019-06-28",
                                    "--rules", str(path)])  # fmt: skip


def assert_refused_in_one_line(result: Any, *expected: str) -> str:
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    stderr = result.stderr
    assert stderr.startswith("error: ") and stderr.count("\n") == 1, stderr
    for text in expected:
        assert text in stderr, (text, stderr)
    return str(stderr)


MALICIOUS = {
    "setting walk compared": rule(f'{{ path = "momentum.rsi", gt = {{ setting = "{WALK}" }} }}'),
    "setting walk in between": rule(
        f'{{ path = "momentum.rsi", between = [{{ setting = "{WALK}" }}, 100] }}'
    ),
    "setting walk scaled": rule(
        f'{{ path = "momentum.rsi", gt = {{ setting = "{WALK}", scale = 2.0 }} }}'
    ),
    "setting walk in a list": rule(f'{{ path = "momentum.rsi", in = [{{ setting = "{WALK}" }}] }}'),
    "setting dunder of a field": rule(
        '{ path = "momentum.rsi", eq = { setting = "facts.min_streak.__class__" } }'
    ),
    "setting below a field": rule(
        '{ path = "momentum.rsi", eq = { setting = "facts.min_streak.real" } }'
    ),
    "state walk": rule(f'{{ path = "momentum.{WALK}", exists = true }}'),
    "state walk as operand": rule(
        f'{{ path = "momentum.rsi", gt = {{ path = "momentum.{WALK}" }} }}'
    ),
    "state walk in values": rule(
        '{ path = "momentum.rsi", exists = true }', f'{{ env = "momentum.{WALK}" }}', "{env}"
    ),
    "setting not a string": rule('{ path = "momentum.rsi", gt = { setting = 5 } }'),
    "path not a string": rule('{ path = ["momentum", "rsi"], gt = 1 }'),
}


@pytest.mark.parametrize("name", list(MALICIOUS))
def test_a_rule_cannot_walk_python_internals_or_print_the_environment(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMMENTARY_SMTP_PASSWORD", SECRET)
    result = generate_with(tmp_path, MALICIOUS[name])
    assert SECRET not in result.stdout + result.stderr
    assert_refused_in_one_line(result, f"{tmp_path / 'house.toml'}:3", "house.probe")


def test_setting_paths_are_checked_against_the_settings_fields(tmp_path: Path) -> None:
    result = generate_with(
        tmp_path, rule('{ path = "momentum.rsi", gt = { setting = "facts.min_streek" } }')
    )
    assert_refused_in_one_line(result, "house.probe", "no setting 'facts.min_streek'")
    good = rule('{ path = "momentum.rsi", gt = { setting = "momentum.rsi_oversold" } }')
    path = tmp_path / "good.toml"
    path.write_text(good)
    assert RuleBook.load([path]).rules[0].id == "house.probe"


def test_resolve_never_follows_a_private_or_dunder_name() -> None:
    assert resolve(DEFAULT_SETTINGS, WALK) is None
    assert resolve(DEFAULT_SETTINGS, "facts._private") is None
    assert resolve(DEFAULT_SETTINGS, "facts.min_streak") == 4


def test_a_comparison_of_unlike_values_names_the_rule_but_no_value(tmp_path: Path) -> None:
    result = generate_with(tmp_path, rule('{ path = "momentum.rsi", gt = "abc" }'))
    stderr = assert_refused_in_one_line(result, "house.probe", "momentum.rsi")
    assert "abc" not in stderr and "RSI" not in stderr


def nested(depth: int) -> str:
    return "{ all = [" * depth + '{ path = "momentum.rsi", gt = 1 }' + "] }" * depth


@pytest.mark.parametrize("depth", [40, 400])
def test_deeply_nested_conditions_are_refused_in_one_line(tmp_path: Path, depth: int) -> None:
    assert_refused_in_one_line(generate_with(tmp_path, rule(nested(depth))), "nest")


def test_a_format_spec_on_text_is_refused_at_load(tmp_path: Path) -> None:
    result = generate_with(
        tmp_path,
        rule('{ path = "momentum.rsi", exists = true }', '{ zone = "momentum.rsi_zone" }',
             "RSI zone {zone:.1f}"),
    )  # fmt: skip
    assert_refused_in_one_line(result, "house.toml:3", "house.probe", "{zone:.1f}")


@pytest.mark.parametrize("spec", ["zz", ">999999999", ".999999999f", "d"])
def test_bad_or_huge_format_specs_are_refused_at_load(tmp_path: Path, spec: str) -> None:
    result = generate_with(tmp_path, rule('{ path = "momentum.rsi", exists = true }',
                                          text=f"RSI {{rsi:{spec}}}"))  # fmt: skip
    assert_refused_in_one_line(result, "house.probe")


@pytest.mark.parametrize(
    "operand",
    ['{ path = "momentum.rsi_zone", scale = -1.0 }',
     '{ setting = "trend.channel_horizons", scale = 2.0 }'],
)  # fmt: skip
def test_scale_on_a_non_number_is_refused_at_load(tmp_path: Path, operand: str) -> None:
    result = generate_with(tmp_path, rule(f'{{ path = "momentum.rsi", gt = {operand} }}'))
    assert_refused_in_one_line(result, "house.toml:3", "house.probe", "scale")


def test_every_problem_in_a_rule_file_is_one_line(tmp_path: Path) -> None:
    text = rule('{ path = "momentum.rsy", gt = 1 }') + rule(
        '{ path = "momentum.rsi", gt = { setting = "facts.nope" } }'
    ).replace("house.probe", "house.other")
    result = generate_with(tmp_path, text)
    assert_refused_in_one_line(result, "2 problem(s)", "house.toml:3", "house.toml:16")


def line_events(function: Any, *args: Any) -> int:
    """How many Python lines ``function(*args)`` executes: a count of work, not a timing."""
    count = 0

    def trace(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return trace

    sys.settrace(trace)
    try:
        function(*args)
    finally:
        sys.settrace(None)
    return count


def many_rules(count: int) -> str:
    def one(n: int) -> Iterator[str]:
        yield rule('{ path = "momentum.rsi", gt = 1 }').replace("house.probe", f"house.r{n}")

    return "".join(text for n in range(count) for text in one(n))


def test_rule_loading_work_grows_linearly_with_the_file() -> None:
    # Four times the rules must cost about four times the work; the quadratic line search this
    # replaces cost sixteen times (1.2 MB of rules took 143 s). benchmarks/rule_loading.py times it.
    small = line_events(parse_rules, many_rules(100), "house.toml")
    large = line_events(parse_rules, many_rules(400), "house.toml")
    assert large < 5 * small, (small, large)


def test_duplicate_ids_are_reported_at_the_second_rules_line() -> None:
    text = rule('{ path = "momentum.rsi", gt = 1 }') * 2
    with pytest.raises(RuleError, match=r"house.toml:16: rule id 'house.probe' appears twice"):
        parse_rules(text, "house.toml")


def test_a_rule_phrased_by_a_builtin_message_carries_what_the_phrasing_reads(
    tmp_path: Path,
) -> None:
    # The "pop" phrasing does arithmetic on pct: text there failed mid-article with a traceback.
    result = generate_with(
        tmp_path,
        rule('{ path = "close", gt = 0 }', '{ pct = "symbol", sessions = "sessions" }', "{pct}")
        .replace('message = "rsi"', 'message = "pop"'),
    )  # fmt: skip
    assert_refused_in_one_line(result, "house.toml:3", "house.probe", "value pct of message pop")
