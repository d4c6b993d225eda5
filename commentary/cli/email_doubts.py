"""`commentary email doubts` and `commentary email resolve`: the sent-ledger's in-doubt rows.

A row is in doubt when the whole message went to the server but its answer never arrived (see
``commentary.mailing.ledger``). It is never resent by itself: a person checks the Message-ID in
the server's or the recipient's logs, then records the verdict with ``resolve``.

``email`` stays one command that sends (``commentary email [PLAYBOOK] ...``); ``EmailCommand``
routes a first argument naming one of these verbs to it instead. A bundled playbook cannot be
named ``doubts`` or ``resolve``; a playbook file is given by its path, which has a suffix.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from . import _note

_LEDGER_HELP = "The sent-ledger (SQLite) `email` used; default in the user data directory."


class EmailCommand(click.Command):
    """A command whose first argument may name a subcommand (``doubts``, ``resolve``)."""

    def __init__(self, *args: Any, subcommands: dict[str, click.Command], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.subcommands = subcommands

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] in self.subcommands:
            ctx.meta["commentary.email.subcommand"] = (args[0], args[1:])
            return []
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        routed = ctx.meta.pop("commentary.email.subcommand", None)
        if routed is None:
            return super().invoke(ctx)
        name, rest = routed
        command = self.subcommands[name]
        # Parented by `email`'s parent so that usage reads `commentary email doubts`, without
        # `email`'s own [PLAYBOOK] argument in between.
        with command.make_context(f"{ctx.info_name} {name}", rest, parent=ctx.parent) as sub:
            return command.invoke(sub)

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_epilog(ctx, formatter)
        with formatter.section("Commands"):
            formatter.write_dl(
                [(name, command.get_short_help_str()) for name, command in self.subcommands.items()]
            )


def _open_ledger(path: Path | None) -> Any:
    from ..mailing import LedgerError, SentLedger
    from ..newsletter import default_ledger

    path = path or default_ledger()
    if not path.is_file():
        raise LedgerError(
            f"{path}: no sent-ledger there; name the one `commentary email` used with --ledger."
        )
    return SentLedger(path)


@click.command("doubts")
@click.option("--ledger", "ledger_path", type=click.Path(dir_okay=False, path_type=Path),
              help=_LEDGER_HELP)  # fmt: skip
@click.option("--issue", "issue_id", help="Only this issue (the id `email` prints).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)  # fmt: skip
def doubts(ledger_path: Path | None, issue_id: str | None, fmt: str) -> None:
    """List the messages that may or may not have been delivered (oldest first)."""
    with _open_ledger(ledger_path) as ledger:
        rows = ledger.in_doubt(issue_id)
    if fmt == "json":
        fields = [{"issue_id": r.issue_id, "email": r.email, "message_id": r.message_id,
                   "since": r.sent_at} for r in rows]  # fmt: skip
        click.echo(json.dumps(fields, indent=2))
        return
    if not rows:
        click.echo("no messages in doubt")
        return
    for row in rows:
        click.echo(f"{row.email}  issue {row.issue_id}  Message-ID {row.message_id}  "
                   f"since {row.sent_at}")  # fmt: skip
    _note(
        "Look each Message-ID up in the mail server's log, then run `commentary email resolve "
        "ADDRESS --issue ID --sent` (it arrived) or `--unsent` (the next run sends it)."
    )


@click.command("resolve")
@click.argument("address")
@click.option("--issue", "issue_id", required=True, help="The issue (see `email doubts`).")
@click.option(
    "--sent/--unsent",
    "delivered",
    default=None,
    help="Delivered (never send again) / not delivered (the next run sends it).",
)
@click.option("--ledger", "ledger_path", type=click.Path(dir_okay=False, path_type=Path),
              help=_LEDGER_HELP)  # fmt: skip
def resolve(address: str, issue_id: str, delivered: bool | None, ledger_path: Path | None) -> None:
    """Settle one in-doubt message: mark it sent, or unsent so the next run sends it."""
    if delivered is None:
        raise click.UsageError("say what the logs showed: --sent or --unsent.")
    with _open_ledger(ledger_path) as ledger:
        ledger.resolve(issue_id, address, delivered=delivered, now=datetime.now(UTC))
    verdict = "sent" if delivered else "unsent: the next `commentary email` run sends it"
    click.echo(f"{address.lower()}: issue {issue_id} marked {verdict}")


SUBCOMMANDS: dict[str, click.Command] = {"doubts": doubts, "resolve": resolve}
