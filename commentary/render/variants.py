"""``{% variants %}``: phrasing alternatives written as plain sentence text, for editors.

::

    {% variants s %}
    {{ w.Name(i) }} rose {{ rise }} in {{ span }}.
    {% or %}
    The rally has been brisk: {{ rise }} in {{ span }}.
    {% or %}
    Buyers pushed {{ w.name(i) }} up {{ rise }} in just {{ span }}.
    {% endvariants %}

Exactly one alternative is rendered, the one ``pick(s, n[, key])`` chooses from the seed, the
as-of date, the subject and the key (``{% variants s, 'key' %}``), so the same inputs give the same
words and the next session reads differently. An editor changes, adds or removes an alternative
without touching any expression: the count is the number of ``{% or %}`` blocks plus one.
Whitespace around each alternative is stripped, so each may sit on its own lines.
"""

from __future__ import annotations

import itertools
from typing import Any

from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.parser import Parser

_NAMES = itertools.count()


class VariantsExtension(Extension):
    """The ``variants`` / ``or`` / ``endvariants`` block."""

    tags = {"variants"}  # noqa: RUF012 - Jinja reads it as a plain class attribute

    def parse(self, parser: Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        args: list[nodes.Expr] = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            args.append(parser.parse_expression())
        bodies: list[list[nodes.Node]] = []
        while True:
            bodies.append(_strip(parser.parse_statements(("name:or", "name:endvariants"))))
            if next(parser.stream).value == "endvariants":
                break
        name = f"_variant_{next(_NAMES)}"
        count = nodes.Const(len(bodies))
        chosen = nodes.Call(nodes.Name("pick", "load"), [args[0], count, *args[1:]], [], None, None)
        assign = nodes.Assign(nodes.Name(name, "store"), chosen, lineno=lineno)
        branches = [
            nodes.If(
                nodes.Compare(nodes.Name(name, "load"), [nodes.Operand("eq", nodes.Const(n))]),
                body,
                [],
                [],
                lineno=lineno,
            )
            for n, body in enumerate(bodies)
        ]
        first = branches[0]
        first.elif_ = branches[1:]
        return [assign, first]  # type: ignore[return-value]


def _strip(body: list[Any]) -> list[Any]:
    """Drop the whitespace an alternative's own lines add around it."""
    for index, edge in ((0, str.lstrip), (-1, str.rstrip)):
        if body and isinstance(body[index], nodes.Output):
            parts = body[index].nodes
            position = 0 if index == 0 else -1
            if parts and isinstance(parts[position], nodes.TemplateData):
                parts[position].data = edge(parts[position].data)
    return body
