"""The command line: a thin client of the library. Results go to stdout; warnings and errors to
stderr as one line each; exit 0 ok, 1 error, 2 usage."""

from __future__ import annotations

import dataclasses
import importlib
import json
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..errors import CommentaryError, DataWarning
from ..startup import import_talib_without_pandas
from .recording import archive_memory, archive_option, playbook_identity, record_issue

F = Callable[..., Any]
#: An article is a few kilobytes; a file this large is not one.
ARTICLE_MAX_BYTES = 16 * 1024 * 1024


def _source_options(command: F) -> F:
    command = click.option(
        "--data-dir",
        type=click.Path(file_okay=False, path_type=Path),
        help="Read DIR/<SYMBOL>.csv (implies --source csv).",
    )(command)
    return click.option(
        "--source",
        type=click.Choice(["samples", "csv", "yfinance", "store"]),
        help="Where prices come from (default: the bundled samples).",
    )(command)


#: ``--output``: a file (replaced atomically), a device or pipe (written through), or ``-``.
_OUTPUT = click.Path(dir_okay=False, allow_dash=True, path_type=Path)
_OUTPUT_HELP = "Write to FILE (- for stdout; a pipe or device is written through)."


def _allow_stale_option(command: F) -> F:
    return click.option(
        "--allow-stale", is_flag=True,
        help="Leave out instruments whose data ends too long before the date (and their "
        "comparisons), with a note, instead of refusing.",
    )(command)  # fmt: skip


def _quality() -> Any:
    """The quality gate's settings: the daily job accepts no instrument behind its session."""
    from ..quality import DEFAULT_QUALITY

    context = click.get_current_context(silent=True)
    if context and context.find_root().meta.get("daily"):
        return dataclasses.replace(DEFAULT_QUALITY, max_stale_sessions=0, stale_sessions=0)
    return DEFAULT_QUALITY


def _quiet() -> bool:
    context = click.get_current_context(silent=True)
    return bool(context and context.find_root().meta.get("quiet"))


def _progress(length: int, label: str) -> Any:
    """A progress bar on stderr, only on a terminal and never with --quiet."""
    hidden = _quiet() or not sys.stderr.isatty()
    return click.progressbar(length=length, label=label, file=sys.stderr, hidden=hidden)


def _note(text: str) -> None:
    """A progress or status line on stderr, unless --quiet. (commentary prints no colour, so
    NO_COLOR holds by construction.)"""
    if not _quiet():
        click.echo(text, err=True)


def _show_warning(message: Warning | str, category: type[Warning], *_: Any, **__: Any) -> None:
    _note(f"warning: {message}")


def _emit(text: str, output: Path | None) -> tuple[str, str]:
    """The result on stdout (no ``--output``, or ``--output -``), else written to the file; where
    it went, as the archive records a delivery."""
    if output is None or str(output) == "-":
        click.echo(text, nl=False)
        return ("stdout", "-")
    from ..files import write_atomic

    write_atomic(output, text)
    _note(f"wrote {output}")
    return ("file", str(output.resolve()))


class _Failure(click.ClickException):
    """A library error, shown as ``error: <one sentence>`` with exit code 1."""

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.message}", err=True)


#: Commands defined in the modules beside this one, by name: a module is imported when one of its
#: commands runs (or help lists them), so a one-article ``generate`` never loads the mail,
#: channel, batch and archive commands (their imports cost a cold start more than the article).
LAZY_COMMANDS = {
    "archive": "archive", "scorecard": "archive", "notify": "channels", "card": "channels",
    "publish": "delivery", "email": "delivery", "daily": "delivery", "batch": "universe",
    "fetch": "universe", "import": "universe",
}  # fmt: skip


class _Commands(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in LAZY_COMMANDS:
            # The module registers its commands on ``cli`` as it is imported.
            importlib.import_module(f"{__name__}.{LAZY_COMMANDS[cmd_name]}")
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        # Repaired-data warnings reach the user as one line each, whatever the warning filters.
        with warnings.catch_warnings():
            warnings.simplefilter("always", DataWarning)
            warnings.showwarning = _show_warning
            try:
                return super().invoke(ctx)
            except CommentaryError as error:
                raise _Failure(str(error)) from None
            except BrokenPipeError:
                ctx.exit(0)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="commentary")
@click.option("--quiet", "-q", is_flag=True, help="Print results and errors only, no notes.")
@click.pass_context
def cli(ctx: click.Context, quiet: bool) -> None:
    """Technical-analysis market commentary from price data."""
    ctx.meta["quiet"] = quiet


@cli.command()
@click.argument("symbol")
@_source_options
@click.option("--start", help="First session to print (YYYY-MM-DD); earlier bars still warm up.")
@click.option(
    "--end", "--as-of", "end", help="Last session to print and to compute with (YYYY-MM-DD)."
)
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True
)
@click.option("--output", type=_OUTPUT, help=_OUTPUT_HELP)
def indicators(
    symbol: str,
    source: str | None,
    data_dir: Path | None,
    start: str | None,
    end: str | None,
    fmt: str,
    output: Path | None,
) -> None:
    """Print the bars and TA-Lib indicator series of SYMBOL."""
    from ..exports import indicator_table
    from ..pipeline import parse_day
    from ..sources import open_source

    bars = open_source(source, data_dir).load(symbol).until(parse_day(end))
    _emit(indicator_table(bars, parse_day(start), fmt), output)


@cli.command()
@click.argument("symbols", nargs=-1, required=True)
@click.option("--benchmark", help="Compare each symbol with this one, e.g. ^GSPC.")
@click.option("--as-of", "as_of", help="Report as of the last session on or before YYYY-MM-DD.")
@_source_options
@click.option(
    "--format", "fmt", type=click.Choice(["json", "table"]),
    help="json or table (default: from the --output file's extension, else table).",
)  # fmt: skip
@click.option("--output", type=_OUTPUT, help=_OUTPUT_HELP)
@_allow_stale_option
def facts(
    symbols: tuple[str, ...],
    benchmark: str | None,
    as_of: str | None,
    source: str | None,
    data_dir: Path | None,
    fmt: str | None,
    output: Path | None,
    allow_stale: bool,
) -> None:
    """Print the facts ledger of SYMBOLS (the JSON contract, or a table): the same facts
    `generate SYMBOLS --format json` writes its article from."""
    from ..ledger import dumps
    from ..pipeline import fact_ledger, parse_day
    from ..sources import open_source
    from ..tables import ledger_table

    fmt = _format_for(output, fmt)
    ledger = fact_ledger(symbols, benchmark, open_source(source, data_dir), parse_day(as_of),
                         allow_stale=allow_stale)  # fmt: skip
    _emit(dumps(ledger) if fmt == "json" else ledger_table(ledger), output)


#: What an --output file's extension says about the format ``facts`` writes.
_EXTENSIONS = {".json": "json", ".txt": "table", ".text": "table"}


def _format_for(output: Path | None, fmt: str | None) -> str:
    """The format asked for, else the one the output file's extension names, else a table; a
    format contradicting a known extension is refused (a table in a .json file)."""
    implied = _EXTENSIONS.get(output.suffix.lower()) if output is not None else None
    if fmt is not None and implied is not None and fmt != implied:
        wanted = "json" if fmt == "json" else "txt"
        raise click.UsageError(
            f"--format {fmt} does not fit {output}; name the file .{wanted} or drop --format "
            "to write what the extension says."
        )
    return fmt or implied or "table"


@cli.command()
@click.argument("symbols", nargs=-1)
@click.option("--benchmark", help="Compare each symbol with this one, e.g. ^GSPC.")
@click.option("--playbook", help="A bundled playbook's name or a playbook file (default: default).")
@click.option("--as-of", "as_of", help="Write as of the last session on or before YYYY-MM-DD.")
@_source_options
@click.option(
    "--format", "fmt", type=click.Choice(["markdown", "html", "json", "text"]),
    default="markdown", show_default=True,
)  # fmt: skip
@click.option("--output", type=_OUTPUT, help=_OUTPUT_HELP)
@click.option("--seed", type=int, help="Phrasing seed (default: the playbook's).")
@click.option("--persona", help="Template set under templates/ (default: the playbook's).")
@click.option(
    "--templates", type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Your own template folder (DIR/<persona>/article.md), rendered in Jinja's sandbox.",
)  # fmt: skip
@click.option(
    "--chart/--no-chart", default=True, show_default=True,
    help="Draw a chart per instrument into HTML output.",
)  # fmt: skip
@click.option("--strict", is_flag=True, help="Refuse on any data-quality issue at all.")
@_allow_stale_option
@click.option(
    "--verify/--no-verify", default=True, show_default=True,
    help="Check every claim against the ledger before writing; refuse a failing article.",
)  # fmt: skip
@click.option(
    "--rules", "rule_files", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
    help="Extra rule file (TOML); repeatable.",
)  # fmt: skip
@click.option("--items", "items_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Editor's items: TOML [[item]] tables, set after the sections.")  # fmt: skip
@archive_option
def generate(
    symbols: tuple[str, ...], benchmark: str | None, playbook: str | None, as_of: str | None,
    source: str | None, data_dir: Path | None, fmt: str, output: Path | None, seed: int | None,
    persona: str | None, templates: Path | None, chart: bool, strict: bool, allow_stale: bool,
    verify: bool, rule_files: tuple[Path, ...], items_file: Path | None, archive_path: Path | None,
) -> None:  # fmt: skip
    """Write an article: a playbook's (default: the bundled default) or SYMBOLS'."""
    from ..config import load_config
    from ..outputs import ledger_of, render_output
    from ..pipeline import parse_day, write_article
    from ..playbooks import adhoc_playbook, load_playbook
    from ..rules import RuleBook
    from ..sources import open_source
    from ..verify import check_article

    defaults = load_config()["generate"]
    source = source or defaults.get("source")
    data_dir = data_dir or (
        Path(defaults["data_dir"]).expanduser() if "data_dir" in defaults else None
    )
    persona = persona or defaults.get("persona")
    rule_files = rule_files or tuple(Path(p).expanduser() for p in defaults.get("rules", []))
    if not symbols and not playbook:
        playbook = defaults.get("playbook")
    if symbols and playbook:
        raise click.UsageError("name SYMBOLS or --playbook, not both.")
    if symbols:
        book = adhoc_playbook(list(symbols), benchmark, persona or "technical-trader", seed or 0)
    else:
        if benchmark:
            raise click.UsageError("--benchmark goes with SYMBOLS; a playbook names its own.")
        book = load_playbook(playbook)
    if seed is not None:
        book = dataclasses.replace(book, seed=seed)
    if persona is not None:
        book = dataclasses.replace(book, persona=persona)
    if items_file is not None:
        from ..items import load_items

        book = dataclasses.replace(book, items=book.items + load_items(items_file))
    day = parse_day(as_of)
    if day is None and source in (None, "samples") and data_dir is None:
        day = book.samples_as_of  # the bundled samples' own date: no warning on every run
    identity = playbook_identity(playbook, book)
    with archive_memory(archive_path, identity) as memory:
        article = write_article(
            book, open_source(source, data_dir), day,
            rules=RuleBook.load(rule_files), strict=strict, templates=templates, verify=verify,
            quality=_quality(), allow_stale=allow_stale, memory=memory,
        )  # fmt: skip
    text = render_output(article, fmt, charts=chart)
    if verify and fmt in ("html", "text"):
        # The Markdown was checked in the pipeline; a derived format is checked as delivered.
        check_article(text, ledger_of(article))
    elif not verify:
        click.echo(
            "warning: --no-verify: the article was not checked against its ledger.", err=True
        )
    # Where ``_emit`` sent it: "--output -" is stdout, not a file named "-" (a reviewer's run).
    record_issue(archive_path, identity, article, _emit(text, output))


def _recheck_past(ledger: dict[str, Any], ledger_path: Path, archive_path: Path,
                  source: str | None, data_dir: Path | None) -> None:  # fmt: skip
    from ..changes.recheck import recheck
    from ..errors import CommentaryError
    from ..sources import open_source
    from .recording import open_archive

    data = open_source(source, data_dir)
    with open_archive(archive_path) as kept:
        problems = recheck(ledger, kept, data.load)
    if problems:
        raise CommentaryError(f"{ledger_path} disagrees with {archive_path}: " + " ".join(problems))


@cli.command()
@click.argument("article", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option(
    "--facts", "ledger_path", required=True,
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="The JSON ledger the article was written from (generate --format json).",
)  # fmt: skip
@click.option(
    "--strict", is_flag=True,
    help="Also refuse any number or claim no phrase binding reads (an unbound claim).",
)  # fmt: skip
@click.option(
    "--archive", "archive_path", type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Also recompute what the article says about its past (the last issue it compares with, "
    "the scorecard line) from the archive rows its ledger names and the price data.",
)  # fmt: skip
@_source_options
def check(
    article: Path, ledger_path: Path, strict: bool, archive_path: Path | None,
    source: str | None, data_dir: Path | None,
) -> None:  # fmt: skip
    """Check every claim in ARTICLE (Markdown, text or HTML) against its facts ledger."""
    from ..errors import UsageError
    from ..inputs import read_text_file
    from ..verify import check_article, read_ledger

    text = read_text_file(article, what="an article", max_bytes=ARTICLE_MAX_BYTES, error=UsageError)
    ledger = read_ledger(ledger_path)
    if "verdicts" not in ledger:
        raise UsageError(
            f"{ledger_path} is a facts ledger: it has the facts but not the article's plan (its "
            "bottom lines), so an article cannot be checked against it; check against the "
            "ledger `commentary generate --format json` writes for the same inputs."
        )
    report = check_article(text, ledger, source=str(article), strict=strict)
    if archive_path is not None:
        _recheck_past(ledger, ledger_path, archive_path, source, data_dir)
    click.echo(
        f"{article}: {report.sentences} sentences checked, every claim agrees with "
        f"{ledger_path}; {report.bound} claims bound to their ledger fields, "
        f"{report.unbound} unbound."
    )
    for claim in report.unbound_claims:
        click.echo(f"unbound: {claim}", err=True)


@cli.group()
def config() -> None:
    """The configuration file and environment (flags > environment > file > defaults)."""


@config.command("show")
def config_show() -> None:
    """Print every setting's effective value and where it came from (the environment, the file
    or the default), and every environment variable read; secrets only as set or not set."""
    from ..config import described

    click.echo(described(), nl=False)


@config.command("path")
def config_path_command() -> None:
    """Print where the configuration file is read from."""
    from ..config import config_path

    click.echo(str(config_path()))


@cli.group()
def rules() -> None:
    """The rules that turn states into facts."""


@rules.command("list")
@click.option(
    "--rules", "rule_files", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
    help="Include the rules of FILE (TOML); repeatable.",
)  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def rules_list(rule_files: tuple[Path, ...], fmt: str) -> None:
    """Every rule: id, section, polarity, message type and what triggers it."""
    from ..rules import RuleBook
    from ..tables import rules_table

    book = RuleBook.load(rule_files)
    if fmt == "json":
        rows = [
            {"id": r.id, "topic": r.topic, "scope": r.scope, "section": r.section,
             "polarity": r.polarity.value, "salience": r.salience, "message": r.message,
             "triggers": r.description, "origin": r.origin}
            for r in book.rules
        ]  # fmt: skip
        click.echo(json.dumps(rows, indent=2))
    else:
        click.echo(rules_table(book.rules), nl=False)


def main() -> None:
    """Console-script entry point."""
    import_talib_without_pandas()
    cli(prog_name="commentary")
