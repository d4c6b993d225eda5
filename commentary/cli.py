"""The command line: a thin client of the library. Results go to stdout; warnings and errors to
stderr as one line each; exit 0 ok, 1 error, 2 usage."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from .errors import CommentaryError, DataWarning

F = Callable[..., Any]


def _source_options(command: F) -> F:
    command = click.option(
        "--data-dir",
        type=click.Path(file_okay=False, path_type=Path),
        help="Read DIR/<SYMBOL>.csv (implies --source csv).",
    )(command)
    return click.option(
        "--source",
        type=click.Choice(["samples", "csv", "yfinance"]),
        help="Where prices come from (default: the bundled samples).",
    )(command)


def _show_warning(message: Warning | str, category: type[Warning], *_: Any, **__: Any) -> None:
    click.echo(f"warning: {message}", err=True)


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    from .files import write_atomic

    write_atomic(output, text)
    click.echo(f"wrote {output}", err=True)


class _Failure(click.ClickException):
    """A library error, shown as ``error: <one sentence>`` with exit code 1."""

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.message}", err=True)


class _Commands(click.Group):
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
def cli() -> None:
    """Technical-analysis market commentary from price data."""


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
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE.")
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
    from .exports import indicator_table
    from .pipeline import parse_day
    from .sources import open_source

    bars = open_source(source, data_dir).load(symbol).until(parse_day(end))
    _emit(indicator_table(bars, parse_day(start), fmt), output)


@cli.command()
@click.argument("symbols", nargs=-1, required=True)
@click.option("--benchmark", help="Compare each symbol with this one, e.g. ^GSPC.")
@click.option("--as-of", "as_of", help="Report as of the last session on or before YYYY-MM-DD.")
@_source_options
@click.option(
    "--format", "fmt", type=click.Choice(["json", "table"]), default="table", show_default=True
)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE.")
def facts(
    symbols: tuple[str, ...],
    benchmark: str | None,
    as_of: str | None,
    source: str | None,
    data_dir: Path | None,
    fmt: str,
    output: Path | None,
) -> None:
    """Print the facts ledger of SYMBOLS (the JSON contract, or a table)."""
    from .ledger import build_ledger, dumps
    from .pipeline import analyse, parse_day
    from .sources import open_source
    from .tables import ledger_table

    analysis = analyse(symbols, benchmark, open_source(source, data_dir), parse_day(as_of))
    ledger = build_ledger(analysis)
    _emit(dumps(ledger) if fmt == "json" else ledger_table(ledger), output)


@cli.command()
@click.argument("symbols", nargs=-1, required=True)
def fetch(symbols: tuple[str, ...]) -> None:
    """Download SYMBOLS from yfinance into the local price cache."""
    from .sources.yahoo import YFinanceSource

    source = YFinanceSource()
    for symbol in symbols:
        bars = source.fetch(symbol)
        click.echo(
            f"{bars.symbol}: {len(bars)} sessions {bars.dates[0]} to {bars.last_date} "
            f"cached in {source.cache_path(bars.symbol)}"
        )


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="commentary")
