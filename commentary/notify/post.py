"""Posting a payload once per issue and channel, with retries, recorded in the sent-ledger.

The channel's row in the email sent-ledger (``issue_id``, ``<target>:<hash of the endpoint>``)
follows the email protocol: ``sending`` before the request, ``sent`` after a 2xx answer,
``failed`` when the endpoint certainly did not take it (a refused connection, a 4xx), so a rerun
tries again. A request whose answer never came stays ``sending``: it may have been posted, and it
is reported in doubt rather than posted twice.

Retries: a 429 or 5xx answer is retried after the ``Retry-After`` it gives (seconds or an HTTP
date), or else after a doubling backoff, until ``attempts`` are used or the total ``deadline``
would pass. Endpoint URLs carry their secret in the path (Slack and Discord webhooks, a Telegram
bot token), so no message ever shows more of a URL than its scheme and host.
"""

from __future__ import annotations

import email.utils
import hashlib
import http.client
import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..errors import CommentaryError
from ..mailing import SentLedger
from ..mailing.ledger import FAILED, SENDING, SENT
from ..mailing.transport import _is_loopback

_RETRYABLE = {429, 500, 502, 503, 504}


class NotifyError(CommentaryError):
    """A chat message could not be posted; the message never shows the endpoint's secret."""


@dataclass(frozen=True)
class Delivery:
    """What became of one post: ``sent``, ``already sent`` or ``in doubt``, and the tries."""

    outcome: str
    attempts: int = 0


def redact(url: str) -> str:
    """The scheme and host of ``url`` only: the path of a webhook URL is its secret.

    >>> redact("https://hooks.slack.com/services/T000/B000/XXXX")
    'https://hooks.slack.com/…'
    """
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or '?'}/…"


def check_endpoint(url: str) -> None:
    """Refuse anything but https, except plain http to this machine (tests, local relays)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and parts.hostname and _is_loopback(parts.hostname):
        return
    raise NotifyError(
        f"{redact(url) if parts.scheme else 'the endpoint'} is not an https URL; give the "
        "https address the platform issued (plain http is allowed only to this machine)."
    )


def endpoint_key(target: str, url: str, chat_id: str | None = None) -> str:
    """The channel's name in the sent-ledger: the target and a hash (never the secret itself)."""
    digest = hashlib.sha256(f"{url}|{chat_id or ''}".encode()).hexdigest()[:16]
    return f"{target}:{digest}"


def deliver(
    ledger: SentLedger,
    issue_id: str,
    key: str,
    url: str,
    payload: dict[str, Any],
    *,
    attempts: int = 5,
    backoff: float = 1.0,
    deadline: float = 120.0,
    timeout: float = 15.0,
    sleep: Callable[[float], None] = time.sleep,
) -> Delivery:
    """Post ``payload`` to ``url`` once for (``issue_id``, ``key``); see the module docstring."""
    check_endpoint(url)
    row = ledger.entries(issue_id).get(key.lower())
    if row is not None and row.status == SENT:
        return Delivery("already sent")
    if row is not None and row.status == SENDING:
        return Delivery("in doubt")
    ledger.mark_sending(issue_id, key, f"<{uuid.uuid4()}@commentary>", _now())
    body = json.dumps(payload, ensure_ascii=False).encode()
    started = time.monotonic()
    wait = backoff
    for attempt in range(1, attempts + 1):
        try:
            status, retry_after = _post(url, body, timeout)
        except _NotTaken as error:
            ledger.mark_failed(issue_id, key, _now())
            raise NotifyError(f"{redact(url)} could not be reached ({error}); run again.") from None
        except _Unanswered:
            return Delivery("in doubt", attempt)
        if 200 <= status < 300:
            ledger.mark_sent(issue_id, key, _now())
            return Delivery("sent", attempt)
        pause = retry_after if retry_after is not None else wait
        elapsed = time.monotonic() - started
        if status not in _RETRYABLE or attempt == attempts or elapsed + pause > deadline:
            ledger.mark_failed(issue_id, key, _now())
            raise NotifyError(
                f"{redact(url)} answered HTTP {status} after {attempt} attempt(s); "
                + _advice(status)
            )
        sleep(pause)
        wait *= 2
    raise AssertionError("unreachable")  # pragma: no cover


def _advice(status: int) -> str:
    if status in _RETRYABLE:
        return "try again later."
    return "check the URL, the chat id and the token."


class _NotTaken(Exception):
    """The endpoint certainly did not receive the request (no connection was made)."""


class _Unanswered(Exception):
    """The request may have reached the endpoint, but no answer came."""


def _post(url: str, body: bytes, timeout: float) -> tuple[int, float | None]:
    request = urllib.request.Request(
        url, data=body, method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "commentary"},
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
            return response.status, None
    except urllib.error.HTTPError as error:
        return error.code, _retry_after(error.headers.get("Retry-After"))
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, (ConnectionRefusedError, socket.gaierror)):
            raise _NotTaken(type(reason).__name__) from None
        if isinstance(reason, TimeoutError | socket.timeout):
            raise _Unanswered from None
        raise _NotTaken(str(reason)) from None
    except (TimeoutError, http.client.RemoteDisconnected, ConnectionResetError):
        raise _Unanswered from None


def _retry_after(value: str | None) -> float | None:
    """``Retry-After`` as seconds: a number, or an HTTP date (RFC 9110 §10.2.3)."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _now() -> datetime:
    return datetime.now(UTC)


__all__ = ["FAILED", "Delivery", "NotifyError", "deliver", "endpoint_key", "redact"]
