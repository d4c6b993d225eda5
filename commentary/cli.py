"""The command line: a thin client of the library. Results go to stdout; warnings and errors to
stderr as one line each; exit 0 ok, 1 error, 2 usage."""

from __future__ import annotations

import dataclasses
import json
import sys
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
        type=click.Choice(["samples", "csv", "yfinance", "store"]),
        help="Where prices come from (default: the bundled samples).",
    )(command)


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


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    from .files import write_atomic

    write_atomic(output, text)
    _note(f"wrote {output}")


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
@click.argument("symbols", nargs=-1)
@click.option("--benchmark", help="Compare each symbol with this one, e.g. ^GSPC.")
@click.option("--playbook", help="A bundled playbook's name or a playbook file (default: default).")
@click.option("--as-of", "as_of", help="Write as of the last session on or before YYYY-MM-DD.")
@_source_options
@click.option(
    "--format", "fmt", type=click.Choice(["markdown", "html", "json", "text"]),
    default="markdown", show_default=True,
)  # fmt: skip
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE.")
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
@click.option(
    "--verify/--no-verify", default=True, show_default=True,
    help="Check every claim against the ledger before writing; refuse a failing article.",
)  # fmt: skip
@click.option(
    "--rules", "rule_files", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
    help="Extra rule file (TOML); repeatable.",
)  # fmt: skip
def generate(
    symbols: tuple[str, ...], benchmark: str | None, playbook: str | None, as_of: str | None,
    source: str | None, data_dir: Path | None, fmt: str, output: Path | None, seed: int | None,
    persona: str | None, templates: Path | None, chart: bool, strict: bool, verify: bool,
    rule_files: tuple[Path, ...],
) -> None:  # fmt: skip
    """Write an article: a playbook's (default: the bundled default) or SYMBOLS'."""
    from .config import load_config
    from .outputs import ledger_of, render_output
    from .pipeline import parse_day, write_article
    from .playbooks import adhoc_playbook, load_playbook
    from .rules import RuleBook
    from .sources import open_source
    from .verify import check_article

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
    article = write_article(
        book, open_source(source, data_dir), parse_day(as_of),
        rules=RuleBook.load(rule_files), strict=strict, templates=templates,
    )  # fmt: skip
    text = render_output(article, fmt, charts=chart)
    if verify:
        check_article(text if fmt != "json" else article.markdown, ledger_of(article))
    else:
        click.echo(
            "warning: --no-verify: the article was not checked against its ledger.", err=True
        )
    _emit(text, output)


@cli.command()
@click.argument("playbook", required=False)
@click.option("--as-of", "as_of", help="Write as of the last session on or before YYYY-MM-DD.")
@_source_options
@click.option("--site", type=click.Path(file_okay=False, path_type=Path), help="The site's folder.")
@click.option("--flavor", type=click.Choice(["hugo", "jekyll", "pelican", "mkdocs"]))
@click.option("--site-url", help="The site's address, for the Atom feed's links.")
@click.option("--draft/--no-draft", default=True, show_default=True, help="Publish as a draft.")
@click.option("--chart/--no-chart", default=True, show_default=True)
def publish(
    playbook: str | None, as_of: str | None, source: str | None, data_dir: Path | None,
    site: Path | None, flavor: str | None, site_url: str | None, draft: bool, chart: bool,
) -> None:  # fmt: skip
    """Write the article as a blog post for a static-site generator, with its charts and feed."""
    from .config import load_config
    from .outputs import ledger_of
    from .pipeline import parse_day, write_article
    from .playbooks import load_playbook
    from .publishing import article_post, publish_article
    from .sources import open_source
    from .verify import check_article

    blog = load_config()["blog"]
    site = site or (Path(blog["site"]).expanduser() if "site" in blog else None)
    flavor = flavor or blog.get("flavor")
    if site is None or flavor is None:
        raise click.UsageError("name the site: --site DIR --flavor hugo|jekyll|pelican|mkdocs.")
    book = load_playbook(playbook)
    article = write_article(book, open_source(source, data_dir), parse_day(as_of))
    check_article(article.markdown, ledger_of(article))
    post = article_post(article, charts=chart, draft=draft)
    written, feed = publish_article(post, site, flavor, site_url or blog.get("site_url"),  # type: ignore[arg-type]
                                    book.byline)  # fmt: skip
    for path in written:
        click.echo(str(path))
    missing = "feed: not written (no published post, or no --site-url)"
    _note(f"feed: {feed}" if feed else missing)


@cli.command("email")
@click.argument("playbook", required=False)
@click.option("--as-of", "as_of", help="Write as of the last session on or before YYYY-MM-DD.")
@_source_options
@click.option("--subscribers", type=click.Path(dir_okay=False, path_type=Path),
              help="CSV with columns email,name.")  # fmt: skip
@click.option("--sender", help="From: 'Name <address>'.")
@click.option("--unsubscribe-url", help="https endpoint for one-click unsubscribe.")
@click.option("--unsubscribe-mailto", help="Address for mailto unsubscribe.")
@click.option("--dry-run", type=click.Path(file_okay=False, path_type=Path),
              help="Write one .eml per subscriber into DIR instead of sending.")  # fmt: skip
@click.option("--host", help="SMTP host.")
@click.option("--port", type=int, help="SMTP port.")
@click.option("--security", type=click.Choice(["starttls", "ssl", "none"]))
@click.option("--rate", type=float, default=5.0, show_default=True, help="Messages per second.")
@click.option("--ledger", "ledger_path", type=click.Path(dir_okay=False, path_type=Path),
              help="The sent-ledger (SQLite); default in the user data directory.")  # fmt: skip
def email_command(
    playbook: str | None, as_of: str | None, source: str | None, data_dir: Path | None,
    subscribers: Path | None, sender: str | None, unsubscribe_url: str | None,
    unsubscribe_mailto: str | None, dry_run: Path | None, host: str | None, port: int | None,
    security: str | None, rate: float, ledger_path: Path | None,
) -> None:  # fmt: skip
    """Email the article to every subscriber once (credentials from COMMENTARY_SMTP_*)."""
    from .config import load_config
    from .mailing import (
        SentLedger,
        Unsubscribe,
        make_builder,
        read_subscribers,
        send_issue,
        write_dry_run,
    )
    from .newsletter import default_ledger, issue_content, issue_id, parse_sender
    from .outputs import ledger_of
    from .pipeline import parse_day, write_article
    from .playbooks import load_playbook
    from .sources import open_source
    from .verify import check_article

    settings = load_config()["email"]
    subscribers = subscribers or (Path(settings["subscribers"]).expanduser()
                                  if "subscribers" in settings else None)  # fmt: skip
    sender = sender or settings.get("sender")
    unsubscribe_url = unsubscribe_url or settings.get("unsubscribe_url")
    unsubscribe_mailto = unsubscribe_mailto or settings.get("unsubscribe_mailto")
    if subscribers is None or sender is None or not unsubscribe_url or not unsubscribe_mailto:
        raise click.UsageError(
            "name --subscribers FILE, --sender 'Name <address>', --unsubscribe-url and "
            "--unsubscribe-mailto (or set them in the config's [email])."
        )
    book = load_playbook(playbook)
    article = write_article(book, open_source(source, data_dir), parse_day(as_of))
    check_article(article.markdown, ledger_of(article))
    issue = issue_content(article, issue_id(book.title, article.analysis.as_of))
    people = read_subscribers(subscribers)
    unsubscribe = Unsubscribe.from_env(unsubscribe_url, unsubscribe_mailto)
    build = make_builder(issue, sender=parse_sender(sender), unsubscribe=unsubscribe)
    if dry_run is not None:
        paths = write_dry_run(dry_run, (build(person) for person in people))
        click.echo(f"wrote {len(paths)} message(s) to {dry_run}")
        return
    host = host or settings.get("host")
    if host is None:
        raise click.UsageError("name the SMTP server: --host (or [email] host in the config).")
    # A progress bar on stderr: click draws it only on a terminal, and --quiet hides it.
    bar = _progress(len(people), "sending")

    def build_and_tick(person: Any) -> Any:
        bar.update(1)
        return build(person)

    with bar, SentLedger(ledger_path or default_ledger()) as ledger:
        report = send_issue(
            build_and_tick, people, issue_id=issue.issue_id, host=host,
            port=port or int(settings.get("port", 587)),
            security=security or settings.get("security", "starttls"),  # type: ignore[arg-type]
            ledger=ledger, rate_per_second=rate,
        )  # fmt: skip
    click.echo(
        f"{issue.issue_id}: sent {len(report.sent)}, already sent {len(report.already_sent)}"
    )
    for entry in report.in_doubt:
        click.echo(f"in doubt (check by hand): {entry}", err=True)
    for address, reply in report.refused.items():
        click.echo(f"refused: {address}: {reply}", err=True)


@cli.command()
@click.argument("playbook", required=False)
@click.option("--date", "day", help="The session to write for (default: today in New York).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Where the drafts go (default: ./drafts or [daily] out).")  # fmt: skip
@click.option("--publish/--no-publish", "to_blog", default=None,
              help="Publish the post (default: when [blog] is configured).")  # fmt: skip
@click.option("--email/--no-email", "to_email", default=None,
              help="Send the email (default: when [email] is configured).")  # fmt: skip
@click.pass_context
def daily(
    ctx: click.Context, playbook: str | None, day: str | None, out: Path | None,
    to_blog: bool | None, to_email: bool | None,
) -> None:  # fmt: skip
    """The evening job: write, verify, publish and send one session's issue, once."""
    import datetime as dt
    import zoneinfo

    from .config import load_config
    from .newsletter import issue_id
    from .pipeline import parse_day
    from .playbooks import load_playbook
    from .quality import is_session

    config = load_config()
    playbook = playbook or config["daily"].get("playbook")
    session = parse_day(day) or dt.datetime.now(zoneinfo.ZoneInfo("America/New_York")).date()
    if not is_session(session):
        click.echo(f"{session} is not a NYSE session (a weekend or holiday); nothing to do.")
        return
    book = load_playbook(playbook)
    folder = out or Path(config["daily"].get("out", "drafts")).expanduser()
    stem = folder / issue_id(book.title, session)
    for fmt, suffix in (("markdown", ".md"), ("html", ".html")):
        ctx.invoke(generate, playbook=playbook, as_of=str(session), fmt=fmt,
                   output=stem.with_suffix(suffix))  # fmt: skip
    if to_blog or (to_blog is None and config["blog"].get("site")):
        ctx.invoke(publish, playbook=playbook, as_of=str(session))
    if to_email or (to_email is None and config["email"].get("host")):
        ctx.invoke(email_command, playbook=playbook, as_of=str(session))


@cli.command()
@click.option("--universe", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              required=True, help="One symbol a line, optionally ',BENCHMARK'.")  # fmt: skip
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option("--benchmark", help="The benchmark of lines that name none, e.g. ^GSPC.")
@click.option("--as-of", "as_of", help="Write as of the last session on or before YYYY-MM-DD.")
@_source_options
@click.option("--format", "fmt", type=click.Choice(["markdown", "html", "text"]),
              default="markdown", show_default=True)  # fmt: skip
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True)
@click.option("--dask", help="Run on an existing Dask cluster at ADDRESS (tcp://host:8786).")
def batch(
    universe: Path, out: Path, benchmark: str | None, as_of: str | None, source: str | None,
    data_dir: Path | None, fmt: str, workers: int, dask: str | None,
) -> None:  # fmt: skip
    """An article and facts ledger for every ticker in a universe; resumable."""
    from .batch import read_universe, run_batch
    from .pipeline import parse_day
    from .sources import open_source

    pairs = read_universe(universe, benchmark)
    bar = _progress(len(pairs), "tickers")
    prices = open_source(source, data_dir)
    with bar:
        report = run_batch(pairs, prices, out, fmt=fmt, as_of=parse_day(as_of), workers=workers,
                           progress=bar.update, dask=dask)  # fmt: skip
    for symbol, reason in report.failed.items():
        click.echo(f"skipped {symbol}: {reason}", err=True)
    click.echo(report.summary())


@cli.command()
@click.argument("article", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option(
    "--facts", "ledger_path", required=True,
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="The JSON ledger the article was written from (generate --format json).",
)  # fmt: skip
def check(article: Path, ledger_path: Path) -> None:
    """Check every claim in ARTICLE (Markdown, text or HTML) against its facts ledger."""
    from .verify import check_article, read_ledger

    text = article.read_text(encoding="utf-8")
    count = check_article(text, read_ledger(ledger_path), source=str(article))
    click.echo(f"{article}: {count} sentences checked, every claim agrees with {ledger_path}.")


@cli.group()
def config() -> None:
    """The configuration file and environment (flags > environment > file > defaults)."""


@config.command("show")
def config_show() -> None:
    """Print the effective configuration; secrets are shown only as set or not set."""
    from .config import config_path, load_config, redacted

    click.echo(f"# {config_path()}")
    click.echo(redacted(load_config()), nl=False)


@config.command("path")
def config_path_command() -> None:
    """Print where the configuration file is read from."""
    from .config import config_path

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
    from .rules import RuleBook
    from .tables import rules_table

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
    from .batch import read_universe
    from .errors import CommentaryError
    from .sources.yahoo import YFinanceSource

    wanted = list(symbols)
    if universe is not None:
        pairs = read_universe(universe, None)
        wanted += [s for pair in pairs for s in pair if s]
    if not wanted:
        raise click.UsageError("name SYMBOLS or --universe FILE.")
    source = YFinanceSource()
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
        from .sources.store import UniverseStore

        UniverseStore(store_dir).write(fetched)
        click.echo(f"stored {len(fetched)} series in {store_dir}")


@cli.command("import")
@click.argument("csv_dir", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--store", "store_dir", type=click.Path(file_okay=False, path_type=Path),
              required=True, help="The columnar store to write into.")  # fmt: skip
def import_command(csv_dir: Path, store_dir: Path) -> None:
    """Import a folder of <SYMBOL>.csv files into a columnar store (bad files reported)."""
    from .sources.store import UniverseStore

    report = UniverseStore(store_dir).import_csv_dir(csv_dir)
    for symbol, reason in report.failed.items():
        click.echo(f"skipped {symbol}: {reason}", err=True)
    click.echo(f"stored {len(report.stored)} series in {store_dir}")


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="commentary")
