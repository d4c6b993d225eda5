"""Malformed playbooks, rule files and configuration files, fuzzed through the command line:
an article, or exit 1 or 2 with one ``error:`` line on stderr; never a traceback."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from commentary.cli import cli

PLAYBOOK: dict[str, Any] = {
    "title": "Fuzzed",
    "byline": "The desk",
    "seed": 3,
    "notes": ["A note."],
    "instrument": [
        {"symbol": "AAPL", "name": "Apple", "kind": "stock"},
        {"symbol": "^GSPC", "name": "S&P 500", "kind": "index"},
    ],
    "comparison": [{"symbol": "AAPL", "benchmark": "^GSPC"}],
}
RULE: dict[str, Any] = {
    "id": "house.rsi.hot",
    "topic": "momentum.rsi",
    "scope": "symbol",
    "section": "momentum",
    "polarity": "bearish",
    "salience": 0.9,
    "message": "rsi",
    "description": "RSI above a house threshold",
    "when": {"all": [
        {"path": "momentum.rsi", "gt": {"setting": "momentum.rsi_oversold", "scale": 1.5}},
        {"path": "momentum.rsi_zone", "in": ["neutral", "overbought"]},
    ]},
    "values": {"rsi_14": "momentum.rsi", "zone": "momentum.rsi_zone"},
    "text": "RSI hot at {rsi_14:.1f} ({zone})",
}  # fmt: skip
CONFIG: dict[str, Any] = {
    "generate": {"playbook": "default", "source": "samples", "rules": []},
    "email": {"host": "127.0.0.1", "port": 2525, "security": "none"},
    "daily": {"out": "drafts"},
    "blog": {"flavor": "hugo"},
}

# Values a user might mistype, and values chosen to break a loader.
SCALARS = st.one_of(
    st.sampled_from(["", " ", "__class__", "momentum.__class__", "a\nb", "{x}", "{x:>999}",
                     "../x", "momentum.rsi", "facts.min_streak", "x.toml", "\u202e", "🙂" * 3,
                     "%s", "{0}", "\\", "nan", "eq", "between", "all", "rsi"]),
    st.integers(-(2**70), 2**70),
    st.sampled_from([0, 1, -1, 65536, 10**400]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.text(max_size=12),
)  # fmt: skip
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(["path", "setting", "scale", "eq", "gt", "in", "between",
                                       "exists", "all", "any", "none", "symbol", "x"]),
                      inner, max_size=3),
    max_leaves=8,
)  # fmt: skip


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return (
            "nan"
            if math.isnan(value)
            else ("inf" if value > 0 else "-inf")
            if math.isinf(value)
            else repr(value)
        )
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return "{ " + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + " }"


def toml_document(document: dict[str, Any]) -> str:
    lines = []
    for key, value in document.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for table in value:
                lines.append(f"\n[[{key}]]")
                lines += [f"{json.dumps(k)} = {toml_value(v)}" for k, v in table.items()]
        elif isinstance(value, dict) and key in CONFIG:
            lines.append(f"\n[{key}]")
            lines += [f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()]
        else:
            lines.insert(0, f"{json.dumps(key)} = {toml_value(value)}")
    return "\n".join(lines) + "\n"


@st.composite
def mutated(draw: st.DrawFn, document: dict[str, Any], keep: tuple[str, ...] = ()) -> str:
    """``document`` with a few values replaced, keys dropped or added, then perhaps its text
    damaged."""
    data = json.loads(json.dumps(document))
    tables = (
        [data]
        + [t for v in data.values() if isinstance(v, list) for t in v if isinstance(t, dict)]
        + [v for v in data.values() if isinstance(v, dict)]
    )
    for _ in range(draw(st.integers(1, 4))):
        table = draw(st.sampled_from(tables))
        keys = [k for k in table if k not in keep]
        action = draw(st.sampled_from(["replace", "replace", "drop", "add", "nest"]))
        if action == "add" or not keys:
            table[draw(st.sampled_from(["extra", "when", "values", "rules", "port", "kind"]))] = (
                draw(VALUES)
            )
            continue
        key = draw(st.sampled_from(keys))
        if action == "replace":
            table[key] = draw(VALUES)
        elif action == "drop":
            del table[key]
        else:
            depth = draw(st.sampled_from([2, 9, 60]))
            value: Any = {"path": "momentum.rsi", "gt": 1}
            for _ in range(depth):
                value = {"all": [value]}
            table[key] = value
    text = toml_document(data)
    damage = draw(st.sampled_from(["none", "none", "none", "truncate", "insert", "deep"]))
    if damage == "truncate":
        text = text[: draw(st.integers(0, len(text)))]
    elif damage == "insert":
        at = draw(st.integers(0, len(text)))
        junk = ["[", "]]", "=", '"', "\\u0000", "\n[[x]]\n", "x = [[[[[[", "\x00", "{"]
        text = text[:at] + draw(st.sampled_from(junk)) + text[at:]
    elif damage == "deep":
        text += "deep = " + "[" * 300 + "]" * 300 + "\n"
    return text


def assert_clean(result: Any) -> None:
    """An article (exit 0), or exit 1/2 with exactly one ``error:`` line; never a traceback. A
    status ``note:`` (an issue archived as a new version) may stand beside either."""
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.stderr, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    lines = result.stderr.splitlines()
    assert "Traceback" not in result.stderr
    assert all(line.startswith(("warning: ", "error: ", "note: ")) for line in lines), result.stderr
    if result.exit_code == 1:
        assert sum(line.startswith("error: ") for line in lines) == 1, result.stderr


FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@FUZZ
@given(text=mutated(PLAYBOOK, keep=("persona",)))
@example(text='title = "T"\nbyline = "B"\ninstrument = 0\n')  # was a TypeError
@example(text='title = "T"\nbyline = "B"\n[[instrument]]\nsymbol = "AAPL"\nname = { a = 1 }\n')
def test_any_malformed_playbook_gives_an_article_or_one_error_line(
    text: str, tmp_path: Path
) -> None:
    path = tmp_path / "book.toml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    assert_clean(CliRunner().invoke(cli, ["generate", "--playbook", str(path),
                                          "--as-of", "2019-06-28"]))  # fmt: skip


@FUZZ
@given(text=mutated({"rule": [RULE]}))
@example(text="[[rule]]\nwhen = " + "{ all = [" * 400 + "] }" * 400 + "\n")  # RecursionError
@example(text="x = " + "9" * 5000 + "\n")  # beyond Python's integer digit limit
def test_any_malformed_rule_file_gives_an_article_or_one_error_line(
    text: str, tmp_path: Path
) -> None:
    path = tmp_path / "house.toml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    assert_clean(CliRunner().invoke(cli, ["generate", "AAPL", "--as-of", "2019-06-28",
                                          "--rules", str(path)]))  # fmt: skip
    assert_clean(CliRunner().invoke(cli, ["rules", "list", "--rules", str(path)]))


@FUZZ
@given(text=mutated(CONFIG, keep=("persona",)))
@example(text="[generate]\ndata_dir = 5\n")  # was a TypeError in generate
@example(text='[generate]\nplaybook = ["a"]\n')
def test_any_malformed_config_gives_an_article_or_one_error_line(
    text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    monkeypatch.setenv("COMMENTARY_CONFIG", str(path))
    assert_clean(CliRunner().invoke(cli, ["config", "show"]))
    assert_clean(CliRunner().invoke(cli, ["generate", "--as-of", "2019-06-28"]))


#: Real state fields of every kind (number, text, enum, date, true/false, list, mapping), real
#: settings, and the message types the bundled templates phrase: rules that load, then run.
STATE_PATHS = [
    "close", "date", "sessions", "stale", "symbol", "momentum.rsi", "momentum.rsi_zone",
    "momentum.rsi_rising", "averages.order", "trend.channels", "levels.levels",
    "levels.support.first_touch", "levels.support.price", "performance.returns_pct",
    "performance.returns_pct.21", "averages.cross", "levels.extremes.new_52w_high",
]  # fmt: skip
SETTINGS = ["facts.min_streak", "momentum.rsi_overbought", "facts.pop_pct", "data.min_sessions"]
LITERALS = st.one_of(
    st.sampled_from(["overbought", "abc", "2019-01-02", "", 0, 1, -1.5, 70.0, True, False]),
    st.dates(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.lists(st.sampled_from(["neutral", 1, 2.5, "x"]), max_size=3),
)
OPERANDS = st.one_of(
    LITERALS,
    st.builds(lambda p: {"path": p}, st.sampled_from(STATE_PATHS)),
    st.builds(
        lambda s, k: {"setting": s, "scale": k},
        st.sampled_from(SETTINGS),
        st.sampled_from([1.0, -1.0, 0.5]),
    ),
)


@st.composite
def runnable_rule(draw: st.DrawFn) -> str:
    op = draw(st.sampled_from(["eq", "ne", "lt", "le", "gt", "ge", "in", "between", "exists"]))
    operand: Any = draw(OPERANDS)
    if op == "between":
        operand = [draw(OPERANDS), draw(OPERANDS)]
    elif op == "in":
        operand = draw(st.lists(OPERANDS, max_size=3))
    value = draw(st.sampled_from(STATE_PATHS))
    spec = draw(st.sampled_from(["", ":.1f", ":+.2f", ":,.2f", ":d", ":>10", ":%", ":s", ":x"]))
    rule = dict(RULE, when={"path": draw(st.sampled_from(STATE_PATHS)), op: operand},
                values={"v": value}, text=f"Value {{v{spec}}}",
                message=draw(st.sampled_from(["rsi", "pop", "nothing_like_it"])),
                scope=draw(st.sampled_from(["symbol", "symbol", "pair"])))  # fmt: skip
    return toml_document({"rule": [rule]})


@FUZZ
@given(text=runnable_rule())
@example(
    text=toml_document(
        {
            "rule": [
                dict(
                    RULE,
                    message="pop",
                    when={"path": "close", "gt": 0},
                    values={"pct": "symbol"},
                    text="{pct}",
                )
            ]
        }
    )
)
def test_any_rule_that_loads_runs_or_gives_one_error_line(text: str, tmp_path: Path) -> None:
    path = tmp_path / "house.toml"
    path.write_text(text, encoding="utf-8")
    arguments = ["generate", "AAPL", "--benchmark", "^GSPC", "--as-of", "2019-06-28"]
    assert_clean(CliRunner().invoke(cli, [*arguments, "--rules", str(path)]))
