"""The archive of issues: listing, showing and backfilling it, and the scorecard of our calls."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from . import _note, _source_options, cli
from .recording import archive_option, open_archive, playbook_identity


@cli.group("archive")
def archive_group() -> None:
    """The archive of every issue written: list, show, backfill."""


@archive_group.command("list")
@click.option("--playbook", help="Only this playbook's issues (its name, or a file's path).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)  # fmt: skip
@archive_option
def archive_list(playbook: str | None, fmt: str, archive_path: Path | None) -> None:
    """One line per archived issue version, oldest first."""
    with open_archive(archive_path) as archive:
        issues = archive.issues(playbook_identity(playbook) if playbook else None)
        rows: list[dict[str, Any]] = [
            {"playbook": i.playbook, "as_of": i.as_of.isoformat(), "persona": i.persona,
             "version": i.version, "article_sha256": i.article_sha256,
             "created_at": i.created_at,
             "went_to": [f"{channel}:{target}" for channel, target in archive.deliveries(i.id)]}
            for i in issues
        ]  # fmt: skip
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        click.echo(f"{row['as_of']}  {row['playbook']}  {row['persona']}  v{row['version']}  "
                   f"{row['article_sha256'][:12]}  {', '.join(row['went_to']) or '-'}")  # fmt: skip
    if not rows:
        _note("the archive holds no issues yet.")


@archive_group.command("show")
@click.argument("day", metavar="DATE")
@click.option("--playbook", default="default", show_default=True,
              help="The playbook's name, or a file's path.")  # fmt: skip
@click.option("--version", type=int, help="A version other than the newest.")
@archive_option
def archive_show(day: str, playbook: str, version: int | None, archive_path: Path | None) -> None:
    """Print an archived issue's Markdown."""
    from ..errors import UsageError
    from ..pipeline import parse_day

    when = parse_day(day)
    identity = playbook_identity(playbook)
    with open_archive(archive_path) as archive:
        found = [i for i in archive.issues(identity) if i.as_of == when]
        if version is not None:
            found = [i for i in found if i.version == version]
        if not found:
            raise UsageError(
                f"the archive has no issue of {identity} for {day}"
                + (f" in version {version}" if version else "")
                + "; see 'commentary archive list'."
            )
        click.echo(archive.markdown_of(found[-1].id), nl=False)


@archive_group.command("backfill")
@click.argument("playbook")
@click.option("--from", "start", required=True, help="First session (YYYY-MM-DD).")
@click.option("--to", "end", required=True, help="Last session (YYYY-MM-DD).")
@_source_options
@archive_option
def archive_backfill(
    playbook: str, start: str, end: str, source: str | None, data_dir: Path | None,
    archive_path: Path | None,
) -> None:  # fmt: skip
    """Write and archive PLAYBOOK's issue for every session in a range, from the data as of each
    session; sessions already archived are skipped, so a rerun completes what was stopped."""
    from ..archive.backfill import backfill
    from ..errors import UsageError
    from ..pipeline import parse_day
    from ..playbooks import load_playbook
    from ..sources import open_source

    first, last = parse_day(start), parse_day(end)
    if first is None or last is None or first > last:
        raise UsageError(f"--from {start} must be on or before --to {end}.")
    book = load_playbook(playbook)
    with open_archive(archive_path) as archive:
        report = backfill(archive, playbook_identity(playbook, book), book,
                          open_source(source, data_dir), first, last,
                          progress=lambda day, outcome: _note(f"{day}: {outcome}"))  # fmt: skip
    click.echo(f"written {len(report.written)}, already archived {len(report.skipped)}, "
               f"failed {len(report.failed)}")  # fmt: skip
    for day, reason in report.failed.items():
        click.echo(f"{day}: {reason}", err=True)
    if report.failed:
        raise SystemExit(1)


@cli.command()
@click.argument("playbook", required=False)
@click.option("--since", help="Only calls made on or after YYYY-MM-DD.")
@click.option("--as-of", "as_of", help="Grade with the data up to YYYY-MM-DD only.")
@click.option("--horizon", "horizons", type=click.IntRange(1, 252), multiple=True,
              help="Sessions after the call (repeatable; default 5 and 21).")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)  # fmt: skip
@_source_options
@archive_option
def scorecard(
    playbook: str | None, since: str | None, as_of: str | None, horizons: tuple[int, ...],
    fmt: str, source: str | None, data_dir: Path | None, archive_path: Path | None,
) -> None:  # fmt: skip
    """The record of the archive's calls: did each bottom line's level hold, and did the price
    move the way its lean said? Beside it, how often the price rose anyway (docs/archive.md)."""
    from ..archive.scorecard import grade, tally
    from ..pipeline import parse_day
    from ..sources import open_source

    identity = playbook_identity(playbook)
    data = open_source(source, data_dir)
    with open_archive(archive_path) as archive:
        subjects = {
            call["subject"]
            for issue in archive.issues(identity)
            for call in archive.ledger_of(issue.id).get("calls", [])
        }
        bars = {symbol: data.load(symbol) for symbol in sorted(subjects)}
        grades = grade(archive, identity, bars, horizons or (5, 21), parse_day(since),
                       parse_day(as_of))  # fmt: skip
    totals = tally(grades)
    if fmt == "json":
        click.echo(json.dumps({
            "playbook": identity,
            "totals": [t.__dict__ for t in totals],
            "calls": [{**g.__dict__, "issue_date": g.issue_date.isoformat(),
                       "end_date": g.end_date.isoformat()} for g in grades],
        }, indent=2))  # fmt: skip
        return
    if not totals:
        click.echo(f"{identity}: no call can be graded yet (the archive needs issues, and the "
                   "data the sessions after them).")  # fmt: skip
        return
    for t in totals:
        click.echo(
            f"{identity}, {t.horizon} sessions on: {t.calls} calls; levels held {t.held} of "
            f"{t.levels}; leans right {t.right} of {t.leans}; the price rose anyway in {t.rose} "
            f"of {t.calls}."
        )
