"""User templates in a cage: Jinja's sandbox, with limits on time, size and where files come from.

Templates bundled with commentary are ours and run in the plain environment. Any other template
(``generate --templates DIR``) may come from anyone, so it runs in ``LimitedSandbox``:

- Jinja's sandbox keeps it from Python internals (no ``__globals__``, no ``os``), files and the
  network;
- every article gets ``TIME_LIMIT`` seconds, checked at each loop step, call and output;
- no text or list it builds may exceed ``MAX_CHARS`` items, checked *before* the one-step
  amplifiers (``'a' * n``, ``x ** n``, padding widths, ``join``, ``replace``, format widths)
  allocate anything, and after every operator, call and filter;
- everything it writes, macro bodies included, counts against ``OUTPUT_BUDGET`` characters, so no
  hidden buffer can grow without bound; the article itself may be at most ``MAX_CHARS`` long;
- ``range`` gives at most ``MAX_RANGE`` numbers;
- ``FolderLoader`` reads only regular files whose real path stays inside the template folder.

Every limit is reported as a ``TemplateLimitError`` naming the template line.
"""

from __future__ import annotations

import contextvars
import functools
import re
import string
import time
import types
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import jinja2
import jinja2.sandbox
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame

from ..errors import TemplateError

#: Seconds one article's user templates may run.
TIME_LIMIT = 5.0
#: The longest text, list or article a user template may build.
MAX_CHARS = 1_000_000
#: Everything a user template writes, macro bodies and blocks included, for one article.
OUTPUT_BUDGET = 10 * MAX_CHARS
#: The most numbers one ``range()`` may give.
MAX_RANGE = 100_000
#: The largest width, padding or count argument a filter or text method may take.
MAX_WIDTH = 10_000
#: The largest whole number (in bits) ``**`` and ``*`` may make.
MAX_BITS = 100_000


class TemplateLimitError(TemplateError):
    """A user template went past a limit (time, size, range) or out of its folder."""


class _Run:
    """One article's clock and output budget."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self.output_left = OUTPUT_BUDGET

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise TemplateLimitError(
                f"the templates ran longer than {self.seconds:g} s, the limit for user "
                "templates (a loop or recursion that does not end?)"
            )


_RUN: contextvars.ContextVar[_Run | None] = contextvars.ContextVar("template_run", default=None)


def _tick() -> None:
    run = _RUN.get()
    if run is not None:
        run.tick()


def run_limited(render: Callable[[], Iterable[str]], seconds: float | None = None) -> str:
    """Run ``render`` (a template's ``generate``) under the clock and the output budget."""
    token = _RUN.set(_Run(TIME_LIMIT if seconds is None else seconds))
    try:
        pieces, length = [], 0
        for piece in render():
            length += len(piece)
            if length > MAX_CHARS:
                raise TemplateLimitError(
                    f"the article would be longer than {MAX_CHARS:,} characters, the limit "
                    "for user templates"
                )
            pieces.append(piece)
        return "".join(pieces)
    finally:
        _RUN.reset(token)


def _size_of(value: Any) -> int:
    return len(value) if isinstance(value, str | list | tuple | dict | set | frozenset) else 0


def _checked(value: Any) -> Any:
    """``value``, unless it is a text or collection longer than ``MAX_CHARS``."""
    _refuse_longer(_size_of(value))
    return value


def _refuse_longer(size: int) -> None:
    """Refuse, before it is built, a text or list of ``size`` items over ``MAX_CHARS``."""
    if size > MAX_CHARS:
        raise TemplateLimitError(
            f"a text or list of {size:,} items is longer than the {MAX_CHARS:,} user templates "
            "may build"
        )


def _too_big(operator: str) -> None:
    raise TemplateLimitError(
        f"'{operator}' would make a number of more than {MAX_BITS:,} bits, larger than user "
        "templates may make"
    )


def _check_width(value: Any, what: str) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_WIDTH:
        raise TemplateLimitError(
            f"{what} {value:,} is larger than the {MAX_WIDTH:,} user templates may use"
        )


def _check_format(text: str) -> None:
    """Refuse a format string whose widths or precisions could build a huge text."""
    specs: list[str] = _PERCENT_SPEC.findall(text)
    try:
        fields = list(string.Formatter().parse(text))
    except ValueError:
        fields = []  # not a valid {}-format: str.format will say so itself
    specs += [spec or "" for _, field, spec, _ in fields if field is not None]
    for spec in specs:
        if "{" in spec or "*" in spec:
            raise TemplateLimitError(
                f"format spec {spec!r}: user templates may not take widths from arguments"
            )
        for digits in _DIGITS.findall(spec):
            _check_width(int(digits), "format width")


_PERCENT_SPEC = re.compile(r"%((?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?)[a-zA-Z%]")
_DIGITS = re.compile(r"\d+")


def _limited_range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise TemplateLimitError(
            f"range() of {len(numbers):,} numbers is more than the {MAX_RANGE:,} user "
            "templates may ask for"
        )
    return numbers


def _join_size(items: list[Any], separator: Any) -> int:
    lengths = [len(item) if isinstance(item, str) else 20 for item in items]
    return sum(lengths) + len(str(separator)) * max(len(items) - 1, 0)


def _replace_size(text: str, old: Any, new: Any, count: Any = -1) -> int:
    if not isinstance(old, str) or not isinstance(new, str):
        return len(text)
    hits = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        hits = min(hits, count)
    return len(text) + hits * max(len(new) - len(old), 0)


def _before_filter(name: str, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """Check a filter's arguments; returns ``value`` (materialised when it must be measured)."""
    for argument in (*args, *kwargs.values()):
        _check_width(argument, f"the {name} filter's argument")
    if name == "join":
        value = list(value)
        _refuse_longer(_join_size(value, args[0] if args else kwargs.get("d", "")))
    elif name == "replace" and isinstance(value, str) and len(args) >= 2:
        _refuse_longer(_replace_size(value, *args[:3]))
    elif name == "indent" and isinstance(value, str):
        width = args[0] if args else kwargs.get("width", 4)
        pad = len(width) if isinstance(width, str) else int(width)
        _refuse_longer(len(value) + pad * (value.count("\n") + 1))
    elif name == "format" and isinstance(value, str):
        _check_format(value)
    return value


def _limited_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` with its arguments checked first and its result checked after."""
    # Filters marked pass_context / pass_environment get that object before the value.
    offset = 1 if getattr(function, "jinja_pass_arg", None) is not None else 0

    @functools.wraps(function)  # keeps jinja_pass_arg, so Jinja passes the same arguments
    def limited(*args: Any, **kwargs: Any) -> Any:
        _tick()
        if len(args) > offset:
            value = _before_filter(name, args[offset], args[offset + 1 :], kwargs)
            args = (*args[:offset], value, *args[offset + 1 :])
        return _checked(function(*args, **kwargs))

    limited.commentary_limited = True  # type: ignore[attr-defined]
    return limited


@jinja2.pass_context  # a context filter is never folded into a constant at compile time
def _loop_steps(context: Any, iterable: Any) -> Iterator[Any]:
    """Every ``{% for %}`` iterates through this, so the clock is checked at each step."""
    for item in iterable:
        _tick()
        yield item


_TEXT_WIDTH_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})


class _LimitedCodeGenerator(CodeGenerator):
    """Jinja's code generator, with a check around every output, concatenation and loop."""

    def _output_const_repr(self, group: Iterable[Any]) -> str:
        return f"environment.emitted({super()._output_const_repr(group)})"

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        self.write("environment.emitted(")
        super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        super()._output_child_post(node, frame, finalize)
        self.write(")")

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:  # a ~ b
        self.write("environment.checked(")
        super().visit_Concat(node, frame)
        self.write(")")


class LimitedSandbox(jinja2.sandbox.SandboxedEnvironment):
    """Jinja's sandbox with the limits of this module (see the module docstring)."""

    code_generator_class = _LimitedCodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.globals["range"] = _limited_range
        self.globals.pop("lipsum", None)  # lipsum(n) writes n paragraphs; nothing here needs it
        self.filters["_loop_steps"] = _loop_steps
        self.add_filters({})  # Jinja's own filters get their limits from the start

    def add_filters(self, filters: dict[str, Callable[..., Any]]) -> None:
        """Install ``filters`` (and re-wrap Jinja's own) with their limits."""
        self.filters.update(filters)
        for name, function in list(self.filters.items()):
            if name != "_loop_steps" and not getattr(function, "commentary_limited", False):
                self.filters[name] = _limited_filter(name, function)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """The template's tree, every ``{% for %}`` stepping through ``_loop_steps``."""
        tree = super()._parse(source, name, filename)
        for loop in list(tree.find_all(nodes.For)):
            loop.iter = nodes.Filter(loop.iter, "_loop_steps", [], [], None, None,
                                     lineno=loop.lineno)  # fmt: skip
        return tree

    def emitted(self, text: str) -> str:
        run = _RUN.get()
        if run is not None:
            run.tick()
            run.output_left -= len(text)
            if run.output_left < 0:
                raise TemplateLimitError(
                    f"the templates wrote more than {OUTPUT_BUDGET:,} characters in all "
                    "(macros and blocks included), the limit for user templates"
                )
        return text

    def checked(self, value: Any) -> Any:
        _tick()
        return _checked(value)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _tick()
        whole = isinstance(left, int) and isinstance(right, int)
        if operator == "*":
            for sequence, times in ((left, right), (right, left)):
                if isinstance(times, int):
                    _refuse_longer(_size_of(sequence) * times)
            if whole and left.bit_length() + right.bit_length() > MAX_BITS:
                _too_big(operator)
        elif operator == "**" and whole and right > 0 and abs(left) > 1:
            if right * abs(left).bit_length() > MAX_BITS:
                _too_big(operator)
        elif operator == "+":
            _refuse_longer(_size_of(left) + _size_of(right))
        elif operator == "%" and isinstance(left, str):
            _check_format(left)
        return _checked(super().call_binop(context, operator, left, right))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _tick()
        owner = getattr(__obj, "__self__", None)
        if isinstance(__obj, types.BuiltinMethodType) and isinstance(owner, str):
            method = __obj.__name__
            if method in _TEXT_WIDTH_METHODS:
                for argument in (*args, *kwargs.values()):
                    _check_width(argument, f"str.{method}'s argument")
            elif method == "join" and args:
                args = (list(args[0]), *args[1:])
                _refuse_longer(_join_size(args[0], owner))
            elif method == "replace" and len(args) >= 2:
                _refuse_longer(_replace_size(owner, *args[:3]))
        return _checked(super().call(__context, __obj, *args, **kwargs))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        formatter = super().wrap_str_format(value)
        if formatter is None:
            return None
        _check_format(value.__self__)

        @functools.wraps(formatter)
        def limited(*args: Any, **kwargs: Any) -> str:
            _tick()
            return str(_checked(formatter(*args, **kwargs)))

        return limited


class FolderLoader(jinja2.BaseLoader):
    """Templates from one folder: regular files whose real path stays inside it.

    A template that is a link to somewhere else (``_x.md -> /etc/passwd``) is refused, and so is
    anything that is not a regular file (a FIFO would block the read forever).
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder.resolve()

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        from jinja2.loaders import split_template_path

        path = self.folder.joinpath(*split_template_path(template))
        real = path.resolve()
        if not real.is_relative_to(self.folder):
            raise TemplateLimitError(
                f"template {template!r} is a link to {real}, outside the template folder "
                f"{self.folder}; copy the file into the folder instead of linking it"
            )
        if not real.is_file():
            raise jinja2.TemplateNotFound(template)
        try:
            source = real.read_text(encoding="utf-8")
            mtime = real.stat().st_mtime
        except (OSError, UnicodeDecodeError) as error:
            raise TemplateError(f"{path}: cannot read the template ({error}).") from None

        def uptodate() -> bool:
            try:
                return real.stat().st_mtime == mtime
            except OSError:
                return False

        return source, str(path), uptodate

    def list_templates(self) -> list[str]:
        return sorted(
            p.relative_to(self.folder).as_posix() for p in self.folder.rglob("*") if p.is_file()
        )
