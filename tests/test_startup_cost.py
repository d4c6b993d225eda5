"""A cold ``commentary generate`` loads only what one article needs (issue #15, cold start)."""

from __future__ import annotations

import dataclasses
import importlib
import itertools
import json
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import numpy as np
import pytest

from commentary.calendars import package_version
from commentary.cli import LAZY_COMMANDS, cli
from commentary.settings import DEFAULT_SETTINGS
from commentary.sources.clean_csv import parse_clean_csv, plain_numbers

#: What a bundled-sample article never uses: mail, channels, the batch, editor's items and
#: package metadata.
NOT_FOR_ONE_ARTICLE = (
    "commentary.mailing",
    "commentary.cli.delivery",
    "commentary.cli.channels",
    "commentary.cli.universe",
    "commentary.batch",
    "commentary.items",
    "importlib.metadata",
)

_PROBE = """
import io, contextlib, json, sys
from commentary.cli import main
sys.argv = ["commentary", "generate", "--archive", sys.argv[1]]
with contextlib.redirect_stdout(io.StringIO()) as out:
    try:
        main()
    except SystemExit as done:
        assert not done.code, done.code
assert out.getvalue().startswith("# ")
print(json.dumps(sorted(sys.modules)))
"""


def test_generate_imports_nothing_one_article_does_not_use(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, str(tmp_path / "archive.sqlite3")],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    loaded = set(json.loads(result.stdout.splitlines()[-1]))
    assert "commentary.verify" in loaded  # the probe did write and check an article
    assert [m for m in NOT_FOR_ONE_ARTICLE if m in loaded] == []


def test_every_lazy_command_is_defined_by_the_module_named():
    for name, module in LAZY_COMMANDS.items():
        importlib.import_module(f"commentary.cli.{module}")
        assert cli.commands[name].name == name


def test_help_lists_the_lazy_commands():
    from click.testing import CliRunner

    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in LAZY_COMMANDS:
        assert re.search(rf"^  {re.escape(name)}\s", result.output, re.MULTILINE), name


#: The check ``plain_numbers`` replaces: one plain decimal number a line.
_OLD_NUMBERS = re.compile(r"(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\n)*")


def test_plain_numbers_accepts_exactly_what_the_pattern_did():
    # Every cell of up to five characters over the number alphabet and a few others.
    for size in range(6):
        for cell in map("".join, itertools.product("0.eE+-1 n_", repeat=size)):
            expected = bool(_OLD_NUMBERS.fullmatch(cell + "\n"))
            assert (plain_numbers([cell]) is not None) == expected, repr(cell)


def test_plain_numbers_refuses_what_float_alone_would_take():
    for cell in ("nan", "inf", "1_000", " 1", "١٢", "Infinity", ""):
        assert plain_numbers(["1.5", cell]) is None, cell
    values = plain_numbers(["1.5", "-2e3", ".25", "7."])
    assert values is not None and values.tolist() == [1.5, -2000.0, 0.25, 7.0]


def test_a_date_cell_holding_a_line_break_is_left_to_the_full_check():
    rows = [f"2020-01-{d:02d},1,2,0.5,1.5,10" for d in range(3, 31)]
    text = "Date,Open,High,Low,Close,Volume\n" + "\n".join(rows) + "\n"
    settings = DEFAULT_SETTINGS.data
    assert parse_clean_csv(text.replace("2020-01-03", '"2020-01-02\n2020-01-03"'), "X", "x",
                           settings) is None  # fmt: skip
    clean = parse_clean_csv(text, "X", "x", dataclasses.replace(settings, min_sessions=1))
    assert clean is not None and clean.dates[0] == np.datetime64("2020-01-03")


@pytest.mark.parametrize("name", ["exchange_calendars", "numpy", "jinja2"])
def test_package_version_is_what_importlib_metadata_says(name):
    assert package_version(name) == metadata.version(name)


def test_package_version_of_a_missing_package_is_none():
    assert package_version("no_such_package_for_commentary") is None


def test_cues_read_from_the_unexpanded_patterns_are_those_of_the_full_regexes():
    from commentary.verify import binder
    from commentary.verify.bindings import BINDINGS

    for binding in BINDINGS:
        full = binder._expanded(binding.pattern)
        assert binder._cue(binder._unslotted(binding.pattern)) == binder._cue(full), binding.name


def test_candidates_are_those_the_digit_search_per_cue_gave():
    from commentary.verify import binder

    golden = (Path(__file__).parent.parent / "samples" / "articles").rglob("*.md")
    skeletons = {binder._DIGIT_RUN.sub("0", line) for path in golden for line in
                 path.read_text(encoding="utf-8").splitlines()}  # fmt: skip
    assert len(skeletons) > 100
    for skeleton in skeletons:
        # A digit cue is tested again on each sentence, so its cues come along; a word cue is
        # settled by the skeleton, and its cues are left empty.
        expected = tuple(
            (b, n, cues if any(binder._DIGIT_RUN.search(cue) for cue in cues) else ())
            for b, n, cues in binder._cues()
            if any(binder._DIGIT_RUN.search(cue) or cue in skeleton for cue in cues)
        )
        assert binder._candidates(skeleton) == expected


def test_parsed_rules_come_back_from_the_cache_equal(tmp_path, monkeypatch):
    import commentary.rules
    from commentary.errors import RuleError
    from commentary.rules import RuleBook
    from commentary.tomltext import parse_toml, parse_toml_cached

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    text = (Path(commentary.rules.__file__).parent / "builtin.toml").read_text(encoding="utf-8")
    parsed = parse_toml_cached(text, "builtin", RuleError)  # parses, and keeps it
    (kept,) = (tmp_path / "commentary" / "toml").iterdir()
    assert (
        parse_toml_cached(text, "builtin", RuleError) == parsed == parse_toml(text, "b", RuleError)
    )
    assert RuleBook.load().rules == RuleBook.load().rules
    kept.write_text('{"rule": [', encoding="utf-8")  # a damaged cache file is parsed anew
    assert parse_toml_cached(text, "builtin", RuleError) == parsed


def test_only_documents_json_gives_back_are_cached(tmp_path, monkeypatch):
    from commentary.errors import RuleError
    from commentary.tomltext import parse_toml_cached

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    dated = parse_toml_cached("when = 2020-04-17\nx = nan\n", "t", RuleError)
    assert str(dated["when"]) == "2020-04-17"
    assert not (tmp_path / "commentary" / "toml").exists()
    with pytest.raises(RuleError, match="not valid TOML"):
        parse_toml_cached("x = = 1", "t", RuleError)
