"""Delivery commands: publish a blog post, email subscribers, and the daily job."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from . import _allow_stale_option, _note, _progress, _quality, _source_options, cli, generate


@cli.command()
@click.argument("playbook", required=False)
@click.option("--as-of", "as_of", help="Write as of the last session on or before YYYY-MM-DD.")
@_source_options
@click.option("--site", type=click.Path(file_okay=False, path_type=Path), help="The site's folder.")
@click.option("--flavor", type=click.Choice(["hugo", "jekyll", "pelican", "mkdocs"]))
@click.option("--site-url", help="The site's address, for the Atom feed's links.")
@click.option("--draft/--no-draft", default=True, show_default=True, help="Publish as a draft.")
@click.option("--chart/--no-chart", default=True, show_default=True)
@_allow_stale_option
def publish(
    playbook: str | None, as_of: str | None, source: str | None, data_dir: Path | None,
    site: Path | None, flavor: str | None, site_url: str | None, draft: bool, chart: bool,
    allow_stale: bool = False,
) -> None:  # fmt: skip
    """Write the article as a blog post for a static-site generator, with its charts and feed."""
    from ..config import load_config
    from ..pipeline import parse_day, write_article
    from ..playbooks import load_playbook
    from ..publishing import article_post, publish_article
    from ..sources import open_source

    blog = load_config()["blog"]
    site = site or (Path(blog["site"]).expanduser() if "site" in blog else None)
    flavor = flavor or blog.get("flavor")
    if site is None or flavor is None:
        raise click.UsageError("name the site: --site DIR --flavor hugo|jekyll|pelican|mkdocs.")
    book = load_playbook(playbook)
    article = write_article(book, open_source(source, data_dir), parse_day(as_of),
                            quality=_quality(), allow_stale=allow_stale)  # fmt: skip
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
@_allow_stale_option
def email_command(
    playbook: str | None, as_of: str | None, source: str | None, data_dir: Path | None,
    subscribers: Path | None, sender: str | None, unsubscribe_url: str | None,
    unsubscribe_mailto: str | None, dry_run: Path | None, host: str | None, port: int | None,
    security: str | None, rate: float, ledger_path: Path | None, allow_stale: bool = False,
) -> None:  # fmt: skip
    """Email the article to every subscriber once (credentials from COMMENTARY_SMTP_*)."""
    from ..config import load_config
    from ..mailing import (
        SentLedger,
        Unsubscribe,
        make_builder,
        read_subscribers,
        send_issue,
        write_dry_run,
    )
    from ..newsletter import default_ledger, issue_content, issue_id, parse_sender
    from ..pipeline import parse_day, write_article
    from ..playbooks import load_playbook
    from ..sources import open_source

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
    article = write_article(book, open_source(source, data_dir), parse_day(as_of),
                            quality=_quality(), allow_stale=allow_stale)  # fmt: skip
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
    from ..calendars import is_session, session_close
    from ..config import load_config
    from ..errors import StaleData, UsageError
    from ..newsletter import issue_id, new_york_now
    from ..pipeline import parse_day
    from ..playbooks import load_playbook

    config = load_config()
    playbook = playbook or config["daily"].get("playbook")
    now = new_york_now()
    session = parse_day(day) or now.date()
    if not is_session(session):
        click.echo(f"{session} is not a NYSE session (a weekend or holiday); nothing to do.")
        return
    close = session_close(session)
    if now < close:
        raise UsageError(
            f"the {session} session closes at {close:%H:%M %Z}, so its issue cannot be written "
            "yet; run the daily job after the close, or pass --date for an earlier session."
        )
    book = load_playbook(playbook)
    folder = out or Path(config["daily"].get("out", "drafts")).expanduser()
    stem = folder / issue_id(book.title, session)
    # A daily issue reports its session's close: no instrument may lag it (``_quality``), and
    # a refusal comes before anything is written, published or sent.
    ctx.find_root().meta["daily"] = True
    prices = {"source": config["generate"].get("source"),
              "data_dir": Path(config["generate"]["data_dir"]).expanduser()
              if "data_dir" in config["generate"] else None}  # fmt: skip
    try:
        for fmt, suffix in (("markdown", ".md"), ("html", ".html")):
            ctx.invoke(generate, playbook=playbook, as_of=str(session), fmt=fmt,
                       output=stem.with_suffix(suffix))  # fmt: skip
        if to_blog or (to_blog is None and config["blog"].get("site")):
            ctx.invoke(publish, playbook=playbook, as_of=str(session), **prices)
        if to_email or (to_email is None and config["email"].get("host")):
            ctx.invoke(email_command, playbook=playbook, as_of=str(session), **prices)
    except StaleData as error:
        behind = ", ".join(f"{s}'s data ends on {d}" for s, d in error.last_dates.items())
        earliest = min(error.last_dates.values())
        raise StaleData(
            f"the daily issue reports the close of {session}, but {behind}; refresh the data "
            f"(commentary fetch), or pass --date {earliest} or earlier for an older issue.",
            error.last_dates,
        ) from None
