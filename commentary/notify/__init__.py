"""Chat channels: the article cut to chat size and posted to Slack, Discord, Telegram or any
webhook, once per issue and channel.

``summary`` renders the persona's ``chat.md`` (the headline, the lead and the levels to watch,
from the same partials and plan as the article); ``payloads`` shapes it for each platform within
its limits; ``post`` delivers it with retries and records it in the email sent-ledger.
"""

from __future__ import annotations

from .payloads import TARGETS, payload_for
from .post import Delivery, NotifyError, deliver
from .summary import ChatSummary, chat_summary

__all__ = [
    "TARGETS",
    "ChatSummary",
    "Delivery",
    "NotifyError",
    "chat_summary",
    "deliver",
    "payload_for",
]
