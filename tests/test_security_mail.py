"""Security of email delivery: header injection through RFC 2047 encoded words, end to end."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from commentary.cli import cli
from commentary.errors import DataError
from commentary.mailing import HeaderInjection, Sender, Subscriber, build_message, parse_subscribers
from commentary.mailing.message import check_wire_headers
from tests.test_mailing import NOW, SENDER, UNSUBSCRIBE, Recorder, issue, smtp_server  # noqa: F401

# Each decodes to "Ann\r\nBcc: evil@example.com" (or similar) when a mail library reads it.
ENCODED_WORDS = [
    "=?utf-8?q?Ann=0D=0ABcc=3A_evil=40example.com?=",
    "=?utf-8?b?QW5uDQpCY2M6IGV2aWxAZXhhbXBsZS5jb20=?=",
    "=?UTF-8*en?Q?Ann=0ABcc=3A_evil=40example.com?=",
    "Dear =?iso-8859-1?q?Ann=0ABcc=3A_evil=40example.com?= reader",
]
EVIL = "evil@example.com"


class RcptRecorder(Recorder):
    """Also records every envelope recipient the client named."""

    def __init__(self) -> None:
        super().__init__()
        self.recipients: list[str] = []

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        self.recipients.append(address)
        return await super().handle_RCPT(server, session, envelope, address, options)


@pytest.fixture
def secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMENTARY_UNSUBSCRIBE_SECRET", "test-secret")


def email_args(subscribers: Path, port: int, ledger: Path, sender: str) -> list[str]:
    return [
        "email", "mega-caps", "--subscribers", str(subscribers), "--sender", sender,
        "--unsubscribe-url", "https://example.com/u", "--unsubscribe-mailto", "u@example.com",
        "--postal-address", "The Desk, 1 Main Street",
        "--as-of", "2020-04-17", "--host", "127.0.0.1", "--port", str(port),
        "--security", "none", "--ledger", str(ledger),
    ]  # fmt: skip


def received(handler: Recorder) -> list[email.message.EmailMessage]:
    return [
        email.message_from_bytes(raw, policy=email.policy.default)  # type: ignore[misc]
        for raw in handler.received
    ]


@pytest.mark.parametrize("name", ENCODED_WORDS)
def test_an_encoded_word_in_a_subscriber_name_is_refused_with_its_line(name: str) -> None:
    rows = ["email,name\n", "bob@example.com,Bob\n", f'ann@example.com,"{name}"\n']
    with pytest.raises(DataError, match=r"line 3: the name contains an RFC 2047 encoded word"):
        parse_subscribers(rows)


@pytest.mark.parametrize("name", ENCODED_WORDS)
@pytest.mark.parametrize("where", ["subscriber", "sender", "subject"])
def test_an_encoded_word_in_any_header_value_is_refused(name: str, where: str) -> None:
    person = Subscriber("ann@example.com", name if where == "subscriber" else "Ann")
    sender = Sender(SENDER.address, name) if where == "sender" else SENDER
    content = issue(subject=f"Pulse {name}" if where == "subject" else "Pulse")
    with pytest.raises(HeaderInjection, match="RFC 2047 encoded word"):
        build_message(content, person, sender=sender, unsubscribe=UNSUBSCRIBE, now=NOW)


def test_an_encoded_word_in_an_address_is_refused() -> None:
    person = Subscriber("=?utf-8?q?a=0ABcc=3A_x=40y.z?=@example.com", "Ann")
    with pytest.raises(HeaderInjection):
        build_message(issue(), person, sender=SENDER, unsubscribe=UNSUBSCRIBE, now=NOW)


def test_the_wire_check_refuses_any_header_line_it_did_not_expect() -> None:
    message = build_message(
        issue(), Subscriber("ann@example.com", "Ann Lée"), sender=SENDER,
        unsubscribe=UNSUBSCRIBE, now=NOW,
    )  # fmt: skip
    check_wire_headers(message, "ann@example.com")  # a good message passes
    message["Bcc"] = EVIL
    with pytest.raises(HeaderInjection, match="Bcc"):
        check_wire_headers(message, "ann@example.com")


def test_a_bad_subscriber_name_over_smtp_sends_nothing_then_a_fixed_list_has_no_bcc(
    tmp_path: Path,
    secret: None,
    smtp_server: Callable[..., int],  # noqa: F811
) -> None:
    handler = RcptRecorder()
    port = smtp_server(handler)
    subscribers = tmp_path / "subscribers.csv"
    subscribers.write_text(
        f'email,name\nbob@example.com,Bob\nann@example.com,"{ENCODED_WORDS[0]}"\n'
    )
    args = email_args(subscribers, port, tmp_path / "sent.db", "Desk <desk@example.com>")
    refused = CliRunner().invoke(cli, args)
    assert refused.exit_code == 1
    assert refused.stderr.count("\n") == 1 and "line 3" in refused.stderr
    assert "encoded word" in refused.stderr and "Traceback" not in refused.stderr
    assert handler.received == [] and handler.recipients == []

    # The same list with the name written as text: it arrives encoded, with no extra header.
    subscribers.write_text("email,name\nbob@example.com,Bob\nann@example.com,Ann Lée\n")
    sent = CliRunner().invoke(cli, args)
    assert sent.exit_code == 0, sent.stderr
    assert sorted(handler.recipients) == ["ann@example.com", "bob@example.com"]
    for message in received(handler):
        assert message["Bcc"] is None and message["Cc"] is None
        assert len(message["To"].addresses) == 1
        assert EVIL not in message.as_string()
    ann = next(m for m in received(handler) if "ann@" in str(m["To"]))
    assert ann["To"].addresses[0].display_name == "Ann Lée"


@pytest.mark.parametrize("name", ENCODED_WORDS[:2])
def test_a_bad_sender_over_smtp_is_refused_in_one_line_and_sends_nothing(
    tmp_path: Path,
    secret: None,
    smtp_server: Callable[..., int],  # noqa: F811
    name: str,
) -> None:
    handler = RcptRecorder()
    port = smtp_server(handler)
    subscribers = tmp_path / "subscribers.csv"
    subscribers.write_text("email,name\nbob@example.com,Bob\n")
    args = email_args(subscribers, port, tmp_path / "sent.db", f"{name} <desk@example.com>")
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "sender" in result.stderr
    assert "encoded word" in result.stderr and "Traceback" not in result.stderr
    assert handler.received == [] and handler.recipients == []
