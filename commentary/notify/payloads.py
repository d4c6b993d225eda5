"""Each platform's message, within its limits.

Limits (characters, as the platforms document them): a Discord message's ``content`` 2,000; a
Telegram message's ``text`` 4,096; a Slack ``header`` block's text 150 and a ``section`` block's
text 3,000. When a message would run over, the levels are kept whole and the lead is cut at the
last sentence (or word) that fits, ending in an ellipsis; the link is never cut.
"""

from __future__ import annotations

import re
from typing import Any

from .summary import ChatSummary

TARGETS = ("slack", "discord", "telegram", "webhook")
DISCORD_LIMIT = 2000
TELEGRAM_LIMIT = 4096
SLACK_HEADER_LIMIT = 150
SLACK_SECTION_LIMIT = 3000
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def fit(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a sentence or word boundary.

    >>> fit("One. Two three.", 10)
    'One. …'
    >>> fit("short", 10)
    'short'
    """
    if len(text) <= limit:
        return text
    room = text[: max(0, limit - 1)]
    for boundary in (room.rfind(". ") + 1, room.rfind(" ")):
        if boundary > 0:
            return room[:boundary].rstrip() + " …" if boundary + 2 <= limit else room[:boundary]
    return room + "…"


def _plain(markdown: str) -> str:
    return _BOLD.sub(r"\1", markdown)


def _slack_text(markdown: str) -> str:
    """Slack mrkdwn: its three control characters escaped, ``**bold**`` as ``*bold*``."""
    escaped = markdown.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BOLD.sub(r"*\1*", escaped)


def _within(limit: int, head: str, lead: str, tail: str) -> str:
    """``head``, the lead cut to what room is left, then ``tail`` (kept whole)."""
    room = limit - len(head) - len(tail)
    body = fit(lead, room) if room > 0 else ""
    return (head + body + tail)[:limit]


def discord(summary: ChatSummary) -> dict[str, Any]:
    head = f"**{_plain(summary.headline)}**\n\n"
    tail = "".join(f"\n- {line}" for line in summary.levels)
    tail = ("\n\n**Key levels to watch**" + tail if tail else "") + (
        f"\n\n{summary.url}" if summary.url else ""
    )
    return {
        "content": _within(DISCORD_LIMIT, head, summary.lead, tail),
        "allowed_mentions": {"parse": []},
    }


def telegram(summary: ChatSummary, chat_id: str) -> dict[str, Any]:
    """Plain text (no ``parse_mode``): nothing in an article can be read as markup."""
    head = f"{_plain(summary.headline)}\n\n"
    tail = "".join(f"\n• {_plain(line)}" for line in summary.levels)
    tail = ("\n\nKey levels to watch:" + tail if tail else "") + (
        f"\n\nFull article: {summary.url}" if summary.url else ""
    )
    text = _within(TELEGRAM_LIMIT, head, _plain(summary.lead), tail)
    return {"chat_id": chat_id, "text": text, "disable_web_page_preview": summary.url is None}


def slack(summary: ChatSummary) -> dict[str, Any]:
    headline = fit(_plain(summary.headline), SLACK_HEADER_LIMIT)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": headline}}
    ]
    if summary.lead:
        lead = fit(_slack_text(summary.lead), SLACK_SECTION_LIMIT)
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": lead}})
    if summary.levels:
        levels = "*Key levels to watch*" + "".join(
            f"\n• {_slack_text(line)}" for line in summary.levels
        )
        text = fit(levels, SLACK_SECTION_LIMIT)
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": text}})
    if summary.url:
        link = f"<{summary.url}|Read the full article>"
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": link}]})
    return {"text": headline, "blocks": blocks}


def webhook(summary: ChatSummary, ledger: dict[str, Any], issue_id: str) -> dict[str, Any]:
    """The JSON ledger (which carries the article) plus the chat summary and the issue id."""
    chat = {"headline": summary.headline, "lead": summary.lead, "levels": list(summary.levels),
            "url": summary.url}  # fmt: skip
    return {"issue_id": issue_id, "chat": chat, **ledger}


def payload_for(
    target: str,
    summary: ChatSummary,
    *,
    ledger: dict[str, Any],
    issue_id: str,
    chat_id: str | None = None,
) -> dict[str, Any]:
    """The JSON body to post to ``target``."""
    if target == "slack":
        return slack(summary)
    if target == "discord":
        return discord(summary)
    if target == "telegram":
        return telegram(summary, chat_id or "")
    return webhook(summary, ledger, issue_id)
