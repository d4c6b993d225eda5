"""The ``{% variants %}`` block: plain-text alternatives an editor can change without code."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import jinja2
import jinja2.sandbox
import pytest

from commentary.render.environment import environment, variant
from commentary.render.variants import VariantsExtension

SOURCE = """{% variants s %}
First {{ x }}.
{% or %}
Second {{ x }}.
{% or %}
Third{% if x %} and {{ x }}{% endif %}.
{% endvariants %}"""


@pytest.mark.parametrize("kind", [jinja2.Environment, jinja2.sandbox.SandboxedEnvironment])
def test_exactly_the_picked_alternative_is_rendered_stripped(kind: type) -> None:
    env = kind(extensions=[VariantsExtension], trim_blocks=True, lstrip_blocks=True)
    asked: list[tuple[object, ...]] = []

    def pick(*args: object) -> int:
        asked.append(args)
        return int(str(args[0]))

    env.globals["pick"] = pick
    template = env.from_string(SOURCE)
    assert [template.render(s=n, x="y") for n in range(3)] == [
        "First y.",
        "Second y.",
        "Third and y.",
    ]
    assert asked[0] == (0, 3)  # the count is the number of alternatives


def test_a_key_goes_to_pick_and_adding_an_alternative_changes_the_count() -> None:
    env = jinja2.Environment(extensions=[VariantsExtension])
    env.globals["pick"] = lambda s, n, key="": n - 1 if key == "last" else 0
    four = "{% variants s, 'last' %}a{% or %}b{% or %}c{% or %}d{% endvariants %}"
    assert env.from_string(four).render(s=None) == "d"
    assert env.from_string(four.replace("'last'", "'first'")).render(s=None) == "a"


def test_nested_blocks_choose_independently() -> None:
    env = jinja2.Environment(extensions=[VariantsExtension])
    env.globals["pick"] = lambda s, n, key="": {"outer": 1, "inner": 0}[key] % n
    source = ("{% variants s, 'outer' %}x{% or %}y[{% variants s, 'inner' %}p{% or %}q"
              "{% endvariants %}]{% endvariants %}")  # fmt: skip
    assert env.from_string(source).render(s=None) == "y[p]"


def test_the_bundled_environment_has_the_block_and_picks_by_seed_and_date(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "article.md").write_text(SOURCE)
    env = environment("mine", tmp_path)
    env.globals["pick"] = lambda s, n, key="": variant(0, dt.date(2020, 4, 17), f"{s}|{key}", n)
    rendered = {env.get_template("article.md").render(s=f"subject-{n}", x="z") for n in range(12)}
    assert rendered == {"First z.", "Second z.", "Third and z."}
