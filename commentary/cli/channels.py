"""Channels beyond email: chat messages (``notify``) and a shareable card image (``card``)."""

from __future__ import annotations

import os
from pathlib import Path

import click

from . import _note, _source_options, cli
from .recording import archive_memory, archive_option, playbook_identity, record_issue

#: Where each target's endpoint comes from when ``--url`` is not given (the URL is a secret).
URL_VARIABLES = {
    "slack": "COMMENTARY_SLACK_WEBHOOK_URL",
    "discord": "COMMENTARY_DISCORD_WEBHOOK_URL",
    "webhook": "COMMENTARY_WEBHOOK_URL",
}
TELEGRAM_API = "https://api.telegram.org"


@cli.command()
@click.argument("playbook", required=False)
@click.option("--to", "target", type=click.Choice(["slack", "discord", "telegram", "webhook"]),
              required=True, help="Where to post.")  # fmt: skip
@click.option("--url", help="The webhook URL (Telegram: the Bot API's base URL). Prefer the "
              "environment: COMMENTARY_SLACK_WEBHOOK_URL, COMMENTARY_DISCORD_WEBHOOK_URL, "
              "COMMENTARY_WEBHOOK_URL.")  # fmt: skip
@click.option("--chat-id", help="Telegram chat id (or COMMENTARY_TELEGRAM_CHAT_ID).")
@click.option("--article-url", help="Link to the full article.")
@click.option("--as-of", "as_of", help="Write as of the last session on or before YYYY-MM-DD.")
@_source_options
@click.option("--ledger", "ledger_path", type=click.Path(dir_okay=False, path_type=Path),
              help="The sent-ledger (SQLite) shared with email; default in the user data "
              "directory.")  # fmt: skip
@archive_option
def notify(
    playbook: str | None, target: str, url: str | None, chat_id: str | None,
    article_url: str | None, as_of: str | None, source: str | None, data_dir: Path | None,
    ledger_path: Path | None, archive_path: Path | None,
) -> None:  # fmt: skip
    """Post the headline, the lead and the levels to watch to a chat channel, once per issue.

    The Telegram bot token comes only from COMMENTARY_TELEGRAM_TOKEN.
    """
    from ..mailing import SentLedger
    from ..newsletter import default_ledger, issue_id
    from ..notify import chat_summary, deliver, payload_for
    from ..notify.post import endpoint_key
    from ..outputs import ledger_of
    from ..pipeline import parse_day, write_article
    from ..playbooks import load_playbook
    from ..sources import open_source

    endpoint, chat = _endpoint(target, url, chat_id)
    book = load_playbook(playbook)
    with archive_memory(archive_path, playbook_identity(playbook, book)) as memory:
        article = write_article(book, open_source(source, data_dir), parse_day(as_of),
                                memory=memory)  # fmt: skip
    issue = issue_id(book, article.analysis.as_of)
    payload = payload_for(target, chat_summary(article, article_url), ledger=ledger_of(article),
                          issue_id=issue, chat_id=chat)  # fmt: skip
    key = endpoint_key(target, endpoint, chat)
    with SentLedger(ledger_path or default_ledger()) as ledger:
        result = deliver(ledger, issue, key, endpoint, payload)
    if result.outcome == "in doubt":
        raise click.ClickException(
            f"{issue}: the {target} post is in doubt (no answer came; it may have been posted). "
            "Check the channel before posting again."
        )
    click.echo(f"{issue}: {result.outcome} to {target}")
    record_issue(archive_path, playbook_identity(playbook, book), article, (target, key))


def _endpoint(target: str, url: str | None, chat_id: str | None) -> tuple[str, str | None]:
    """The URL to post to and the chat id, from the options or the environment."""
    if target != "telegram":
        url = url or os.environ.get(URL_VARIABLES[target])
        if not url:
            raise click.UsageError(f"give --url or set {URL_VARIABLES[target]}.")
        return url, None
    token = os.environ.get("COMMENTARY_TELEGRAM_TOKEN")
    chat_id = chat_id or os.environ.get("COMMENTARY_TELEGRAM_CHAT_ID")
    if not token or not chat_id:
        raise click.UsageError(
            "Telegram needs COMMENTARY_TELEGRAM_TOKEN in the environment and --chat-id "
            "(or COMMENTARY_TELEGRAM_CHAT_ID)."
        )
    return f"{(url or TELEGRAM_API).rstrip('/')}/bot{token}/sendMessage", chat_id


@cli.command()
@click.argument("playbook", required=False)
@click.option("--as-of", "as_of", help="Write as of the last session on or before YYYY-MM-DD.")
@_source_options
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The PNG to write.")  # fmt: skip
def card(
    playbook: str | None, as_of: str | None, source: str | None, data_dir: Path | None,
    output: Path,
) -> None:  # fmt: skip
    """A 1200×675 PNG for social posts: the headline, the story's figure, a mini chart and the
    key levels. The same inputs give the same bytes."""
    from ..card import card_png
    from ..files import write_atomic
    from ..notify import chat_summary
    from ..pipeline import parse_day, write_article
    from ..playbooks import load_playbook
    from ..sources import open_source

    article = write_article(
        load_playbook(playbook), open_source(source, data_dir), parse_day(as_of)
    )
    write_atomic(output, card_png(article, chat_summary(article).headline))
    _note(f"wrote {output}")
