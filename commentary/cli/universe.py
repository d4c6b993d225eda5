"""Universe commands: batch a commentary per ticker, fetch and import into the store."""

from __future__ import annotations

from pathlib import Path

import click

from . import _allow_stale_option, _progress, _source_options, cli


@cli.command()
@click.option("--universe", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              required=True, help="One symbol a line, optionally ',BENCHMARK'.")  # fmt: skip
@click.option("--out", type=click.Path(path_type=Path), required=True,
              help="The folder of files, or with --sink the one file.")  # fmt: skip
@click.option("--benchmark", help="The benchmark of lines that name none, e.g. ^GSPC.")
@click.option("--as-of", "as_of", help="Write as of the last session on or before YYYY-MM-DD.")
@_source_options
@click.option("--format", "fmt", type=click.Choice(["markdown", "html", "text"]),
              default="markdown", show_default=True)  # fmt: skip
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True)
@click.option("--dask", help="Run on an existing Dask cluster at ADDRESS (tcp://host:8786).")
@_allow_stale_option
@click.option("--sink", type=click.Choice(["parquet", "sqlite", "jsonl"]),
              help="Write the universe into the one file --out, a row per ticker.")  # fmt: skip
@click.option("--verify-sample", type=click.FloatRange(0.0, 1.0), default=1.0, show_default=True,
              help="The share of pages also read back in full (every page's bound claims are "
                   "always checked); 1 reads back every page.")  # fmt: skip
def batch(
    universe: Path, out: Path, benchmark: str | None, as_of: str | None, source: str | None,
    data_dir: Path | None, fmt: str, workers: int, dask: str | None, allow_stale: bool,
    sink: str | None, verify_sample: float,
) -> None:  # fmt: skip
    """An article and facts ledger for every ticker in a universe; resumable.

    Exit 1 when any ticker failed (each is reported, the rest are written).
    """
    from ..batch import read_universe, run_batch
    from ..pipeline import parse_day
    from ..sources import open_source

    pairs = read_universe(universe, benchmark)
    bar = _progress(len(pairs), "tickers")
    prices = open_source(source, data_dir)
    with bar:
        report = run_batch(pairs, prices, out, fmt=fmt, as_of=parse_day(as_of), workers=workers,
                           progress=bar.update, dask=dask, allow_stale=allow_stale,
                           sink=sink, verify_sample=verify_sample)  # fmt: skip
    for symbol, reason in report.failed.items():
        click.echo(f"skipped {symbol}: {reason}", err=True)
    click.echo(report.summary())
    if report.failed:  # after the rest are done: cron and scripts must notice a failed ticker
        raise SystemExit(1)


@cli.command()
@click.argument("symbols", nargs=-1)
@click.option("--universe", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Fetch every symbol of this universe file instead.")  # fmt: skip
@click.option("--store", "store_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Also write the fetched bars into this columnar store.")  # fmt: skip
def fetch(symbols: tuple[str, ...], universe: Path | None, store_dir: Path | None) -> None:
    """Download SYMBOLS (or a universe) from yfinance into the local price cache (and a store).

    A symbol that fails is reported and skipped; the rest are fetched.
    """
    from ..batch import read_universe
    from ..config import fetch_deadline
    from ..errors import CommentaryError
    from ..sources.yahoo import YFinanceSource

    wanted = list(symbols)
    if universe is not None:
        pairs = read_universe(universe, None)
        wanted += [s for pair in pairs for s in pair if s]
    if not wanted:
        raise click.UsageError("name SYMBOLS or --universe FILE.")
    source = YFinanceSource(deadline=fetch_deadline())
    fetched = {}
    for symbol in dict.fromkeys(wanted):
        try:
            bars = source.fetch(symbol)
        except CommentaryError as error:
            click.echo(f"skipped {symbol}: {error}", err=True)
            continue
        fetched[bars.symbol] = bars
        click.echo(
            f"{bars.symbol}: {len(bars)} sessions {bars.dates[0]} to {bars.last_date} "
            f"cached in {source.cache_path(bars.symbol)}"
        )
    if store_dir is not None and fetched:
        from ..sources.store import UniverseStore

        UniverseStore(store_dir).write(fetched)
        click.echo(f"stored {len(fetched)} series in {store_dir}")


@cli.command("import")
@click.argument("csv_dir", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--store", "store_dir", type=click.Path(file_okay=False, path_type=Path),
              required=True, help="The columnar store to write into.")  # fmt: skip
@click.pass_context
def import_command(ctx: click.Context, csv_dir: Path, store_dir: Path) -> None:
    """Import a folder of <SYMBOL>.csv files into a columnar store.

    A bad file is reported in one line and skipped; the rest are imported, and the exit code is
    1 when any file was skipped, so a scheduled import that lost a symbol does not pass unseen.
    """
    from ..sources.store import UniverseStore

    report = UniverseStore(store_dir).import_csv_dir(csv_dir)
    for symbol, reason in report.failed.items():
        click.echo(f"skipped {symbol}: {reason}", err=True)
    click.echo(f"stored {len(report.stored)} series in {store_dir}")
    if report.failed:
        ctx.exit(1)
