"""Delivery commands: publish a blog post, email subscribers, and the daily job."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from ..mailing.transport import FINAL_REPLY_TIMEOUT
from . import _allow_stale_option, _note, _progress, _quality, _source_options, cli, generate
from .email_doubts import SUBCOMMANDS, EmailCommand
from .recording import archive_memory, archive_option, playbook_identity, record_issue


@cli.command()
@click.argument("playbook", required=False)
@click.option("--as-of", "as_of", help="Write as of the last session on or before YYYY-MM-DD.")
@_source_options
@click.option("--site", type=click.Path(file_okay=False, path_type=Path), help="The site's folder.")
@click.option("--flavor", type=click.Choice(["hugo", "jekyll", "pelican", "mkdocs"]))
@click.option("--site-url", help="The site's address, for the Atom feed's links.")
@click.option("--draft/--no-draft", default=None,
              help="Publish as a draft, or live (default: [blog] draft, else draft).")  # fmt: skip
@click.option("--chart/--no-chart", default=True, show_default=True)
@archive_option
@_allow_stale_option
def publish(
    playbook: str | None, as_of: str | None, source: str | None, data_dir: Path | None,
    site: Path | None, flavor: str | None, site_url: str | None, draft: bool | None, chart: bool,
    archive_path: Path | None, allow_stale: bool = False,
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
    with archive_memory(archive_path, playbook_identity(playbook, book)) as memory:
        article = write_article(book, open_source(source, data_dir), parse_day(as_of),
                                quality=_quality(), allow_stale=allow_stale,
                                memory=memory)  # fmt: skip
    if draft is None:
        draft = bool(blog.get("draft", True))  # the config checked it is true or false
    post = article_post(article, charts=chart, draft=draft)
    written, feed = publish_article(post, site, flavor, site_url or blog.get("site_url"),  # type: ignore[arg-type]
                                    book.byline, book.title)  # fmt: skip
    for path in written:
        click.echo(str(path))
    record_issue(archive_path, playbook_identity(playbook, book), article,
                 ("blog", str(written[0].resolve())))  # fmt: skip
    missing = "feed: not written (no published post, or no --site-url)"
    _note(f"feed: {feed}" if feed else missing)


@cli.command("email", cls=EmailCommand, subcommands=SUBCOMMANDS)
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
@archive_option
@click.option("--final-reply-timeout", type=float, metavar="SECONDS",
              help="How long to wait for the server's answer once a whole message is sent "
                   f"[default: {FINAL_REPLY_TIMEOUT:.0f}, RFC 5321's ten minutes].")  # fmt: skip
@click.option("--view-url", help="The issue on the web, for a 'view in browser' link ({date} and "
              "{issue} are filled in; or [email] view_url).")  # fmt: skip
@click.option("--postal-address", help="The sender's postal address for the footer (required "
              "to send; or [email] postal_address).")  # fmt: skip
@click.option("--skip-invalid", is_flag=True,
              help="Report bad subscriber rows and send to the valid ones.")  # fmt: skip
@_allow_stale_option
def email_command(
    playbook: str | None, as_of: str | None, source: str | None, data_dir: Path | None,
    subscribers: Path | None, sender: str | None, unsubscribe_url: str | None,
    unsubscribe_mailto: str | None, dry_run: Path | None, host: str | None, port: int | None,
    security: str | None, rate: float, ledger_path: Path | None, archive_path: Path | None,
    final_reply_timeout: float | None, view_url: str | None, postal_address: str | None,
    skip_invalid: bool, allow_stale: bool = False,
) -> None:  # fmt: skip
    """Email the article to every subscriber once (credentials from COMMENTARY_SMTP_*).

    `email doubts` lists the messages in doubt; `email resolve` settles one.
    """
    from ..config import load_config
    from ..mailing import (
        SentLedger,
        Unsubscribe,
        make_builder,
        send_issue,
        write_dry_run,
    )
    from ..newsletter import (
        default_ledger,
        issue_content,
        issue_id,
        legacy_issue_id,
        parse_sender,
        parse_timeout,
    )
    from ..pipeline import parse_day, write_article
    from ..playbooks import load_playbook
    from ..sources import open_source

    settings = load_config()["email"]
    subscribers = subscribers or (Path(settings["subscribers"]).expanduser()
                                  if "subscribers" in settings else None)  # fmt: skip
    sender = sender or settings.get("sender")
    unsubscribe_url = unsubscribe_url or settings.get("unsubscribe_url")
    unsubscribe_mailto = unsubscribe_mailto or settings.get("unsubscribe_mailto")
    view_url = view_url or settings.get("view_url")
    postal_address = postal_address or settings.get("postal_address")
    host = host or settings.get("host")
    _missing_settings(subscribers=subscribers, sender=sender, unsubscribe_url=unsubscribe_url,
                      unsubscribe_mailto=unsubscribe_mailto, postal_address=postal_address,
                      host=host, sending=dry_run is None)  # fmt: skip
    from_address = parse_sender(sender)  # type: ignore[arg-type]
    wait = parse_timeout(final_reply_timeout if final_reply_timeout is not None
                         else settings.get("final_reply_timeout"))  # fmt: skip
    book = load_playbook(playbook)
    with archive_memory(archive_path, playbook_identity(playbook, book)) as memory:
        article = write_article(book, open_source(source, data_dir), parse_day(as_of),
                                quality=_quality(), allow_stale=allow_stale,
                                memory=memory)  # fmt: skip
    as_of_day = article.analysis.as_of
    issue = issue_content(article, issue_id(book, as_of_day), view_url=view_url,
                          postal_address=postal_address or "",
                          list_domain=from_address.address.rpartition("@")[2])  # fmt: skip
    people = _subscribers(subscribers, skip_invalid)  # type: ignore[arg-type]
    unsubscribe = Unsubscribe.from_env(str(unsubscribe_url), str(unsubscribe_mailto))
    build = make_builder(issue, sender=from_address, unsubscribe=unsubscribe)
    if dry_run is not None:
        paths = write_dry_run(dry_run, (build(person) for person in people))
        click.echo(f"wrote {len(paths)} message(s) to {dry_run}")
        record_issue(archive_path, playbook_identity(playbook, book), article,
                     ("email dry run", str(dry_run.resolve())))  # fmt: skip
        return
    # A progress bar on stderr: click draws it only on a terminal, and --quiet hides it.
    bar = _progress(len(people), "sending")

    def build_and_tick(person: Any) -> Any:
        bar.update(1)
        return build(person)

    with (
        bar,
        _notes_from("commentary.mailing"),
        SentLedger(ledger_path or default_ledger()) as ledger,
    ):
        report = send_issue(
            build_and_tick, people, issue_id=issue.issue_id, host=host,  # type: ignore[arg-type]
            port=port or int(settings.get("port", 587)),
            security=security or settings.get("security", "starttls"),  # type: ignore[arg-type]
            ledger=ledger, rate_per_second=rate, final_reply_timeout=wait,
            earlier_ids=[legacy_issue_id(book.title, as_of_day)],
        )  # fmt: skip
    click.echo(
        f"{issue.issue_id}: sent {len(report.sent)}, already sent {len(report.already_sent)}"
    )
    record_issue(archive_path, playbook_identity(playbook, book), article, ("email", str(host)))
    for entry in report.in_doubt:
        click.echo(
            f"in doubt: {entry.email} (issue {entry.issue_id}, Message-ID {entry.message_id}): "
            "the server may have it; check its log, then run `commentary email resolve "
            f"{entry.email} --issue {entry.issue_id} --sent` (or --unsent to send it again).",
            err=True,
        )
    for address, reply in report.refused.items():
        click.echo(f"refused: {address}: {reply}", err=True)


@contextmanager
def _notes_from(logger_name: str) -> Iterator[None]:
    """Show the library's warnings as notes (hidden by --quiet), except those the caller prints
    from the report itself (marked ``reported``): each refusal or doubt is shown once."""

    class Notes(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if not getattr(record, "reported", False):
                _note(f"warning: {record.getMessage()}")

    logger, handler = logging.getLogger(logger_name), Notes(logging.WARNING)
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)


@cli.command()
@click.argument("playbook", required=False)
@click.option("--date", "day", help="The session to write for (default: today in New York).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Where the drafts go (default: ./drafts or [daily] out).")  # fmt: skip
@click.option("--publish/--no-publish", "to_blog", default=None,
              help="Publish the post live; without it, the post is published when [blog] is "
              "configured, as a draft unless [blog] draft = false.")  # fmt: skip
@click.option("--email/--no-email", "to_email", default=None,
              help="Send the email (default: when [email] is configured).")  # fmt: skip
@archive_option
@click.pass_context
def daily(
    ctx: click.Context, playbook: str | None, day: str | None, out: Path | None,
    to_blog: bool | None, to_email: bool | None, archive_path: Path | None,
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
    stem = folder / issue_id(book, session)
    # A daily issue reports its session's close: no instrument may lag it (``_quality``), and
    # a refusal comes before anything is written, published or sent.
    ctx.find_root().meta["daily"] = True
    sending = to_email or (to_email is None and config["email"].get("host"))
    if sending:  # a send that could not happen is refused before the drafts are written
        mail = config["email"]
        _missing_settings(sending=True, **{key: mail.get(key) for key in (
            "subscribers", "sender", "unsubscribe_url", "unsubscribe_mailto", "postal_address",
            "host")})  # fmt: skip
    prices = {"source": config["generate"].get("source"),
              "data_dir": Path(config["generate"]["data_dir"]).expanduser()
              if "data_dir" in config["generate"] else None}  # fmt: skip
    try:
        for fmt, suffix in (("markdown", ".md"), ("html", ".html")):
            ctx.invoke(generate, playbook=playbook, as_of=str(session), fmt=fmt,
                       output=stem.with_suffix(suffix), archive_path=archive_path)  # fmt: skip
        if to_blog or (to_blog is None and config["blog"].get("site")):
            ctx.invoke(publish, playbook=playbook, as_of=str(session), archive_path=archive_path,
                       draft=False if to_blog else None, **prices)  # fmt: skip
        if to_email or (to_email is None and config["email"].get("host")):
            ctx.invoke(email_command, playbook=playbook, as_of=str(session),
                       archive_path=archive_path, **prices)  # fmt: skip
    except StaleData as error:
        behind = ", ".join(f"{s}'s data ends on {d}" for s, d in error.last_dates.items())
        earliest = min(error.last_dates.values())
        raise StaleData(
            f"the daily issue reports the close of {session}, but {behind}; refresh the data "
            f"(commentary fetch), or pass --date {earliest} or earlier for an older issue.",
            error.last_dates,
        ) from None


def _missing_settings(*, sending: bool, **values: Any) -> None:
    """Every setting the email needs and lacks, in one line, before anything is written: the
    postal address and the server only for a real send (a dry run writes files)."""
    import os

    from ..mailing import SECRET_VARIABLE

    flags = {
        "subscribers": "--subscribers FILE", "sender": "--sender 'Name <address>'",
        "unsubscribe_url": "--unsubscribe-url", "unsubscribe_mailto": "--unsubscribe-mailto",
        "postal_address": "--postal-address (CAN-SPAM asks for one)", "host": "--host",
    }  # fmt: skip
    needed = [key for key in flags if key not in ("postal_address", "host") or sending]
    missing = [flags[key] for key in needed if not values.get(key)]
    if not os.environ.get(SECRET_VARIABLE):
        missing.append(f"{SECRET_VARIABLE} in the environment (it signs unsubscribe links)")
    if missing:
        raise click.UsageError(
            "the email needs " + ", ".join(missing) + " (the options can also be set in the "
            "config's [email])."
        )


def _subscribers(path: Path, skip_invalid: bool) -> list[Any]:
    """The subscribers; with ``skip_invalid`` the bad rows are reported and left out."""
    from ..mailing import read_subscribers
    from ..mailing.subscribers import BadRows

    try:
        return read_subscribers(path)
    except BadRows as error:
        if not skip_invalid or not error.valid:
            raise
        for problem in error.problems:
            _note(f"skipped {path} {problem}")
        return error.valid
