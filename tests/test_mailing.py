"""Email delivery: subscribers CSV, messages, the sent-ledger and SMTP against a local aiosmtpd."""

from __future__ import annotations

import email
import email.policy
import hashlib
import hmac
import logging
import shutil
import socket
import ssl
import struct
import subprocess
import traceback
import zlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from commentary.errors import DataError
from commentary.mailing import (
    HTML_LIMIT,
    Chart,
    DeliveryError,
    HeaderInjection,
    IssueContent,
    LedgerError,
    MailingConfigError,
    MailingError,
    MessageTooLarge,
    Sender,
    SentLedger,
    Subscriber,
    Unsubscribe,
    build_message,
    html_fragment,
    make_builder,
    parse_subscribers,
    read_subscribers,
    send_issue,
    write_dry_run,
)

NOW = datetime(2020, 4, 17, 21, 30, tzinfo=UTC)
ISSUE_ID = "market-pulse-2020-04-17"
SECRET = "test-unsubscribe-secret"
SENDER = Sender("pulse@news.example.com", "The Market Pulse")
UNSUBSCRIBE = Unsubscribe("https://news.example.com/unsubscribe", "unsub@news.example.com", SECRET)
MARKDOWN = (
    "# The Market Pulse\n\n## S&P 500\n\nThe index **rose** 1.2% <b>today</b>.\n\n- RSI 52.6\n"
)


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x80")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def issue(subject: str = "The Market Pulse: stocks rise", chart: bool = True) -> IssueContent:
    return IssueContent(
        issue_id=ISSUE_ID,
        subject=subject,
        html_body=html_fragment(MARKDOWN),
        plain_text="The Market Pulse\n\nThe index rose 1.2% today.\n",
        charts=(Chart("S&P 500", tiny_png(), "Chart of the S&P 500"),) if chart else (),
    )


def people(count: int) -> list[Subscriber]:
    return [Subscriber(f"reader{n}@example.org", f"Reader Nº{n}") for n in range(1, count + 1)]


def builder() -> Callable[[Subscriber], EmailMessage]:
    return make_builder(issue(), sender=SENDER, unsubscribe=UNSUBSCRIBE, now=lambda: NOW)


# --- a local SMTP server ------------------------------------------------------------------------


class Recorder:
    """Stores every message; ``fail_from`` makes the n-th and later messages fail as ``mode``."""

    def __init__(self, mode: str = "ok", fail_from: int = 0, only_once: bool = False) -> None:
        self.mode, self.fail_from, self.only_once = mode, fail_from, only_once
        self.received: list[bytes] = []
        self.attempts = 0

    def _failing(self) -> bool:
        if not self.fail_from:
            return False
        return self.attempts == self.fail_from or (
            not self.only_once and self.attempts > self.fail_from
        )

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        self.attempts += 1
        if self.mode == "drop-at-rcpt" and self._failing():
            server.transport.abort()
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.mode == "421" and self._failing():
            return "421 closing"
        self.received.append(envelope.content)
        if self.mode == "accept-then-drop" and self._failing():
            server.transport.abort()
        return "250 OK"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server(request: pytest.FixtureRequest) -> Callable[..., int]:
    def start(handler: Recorder, **options: Any) -> int:
        port = free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port, **options)
        controller.start()
        request.addfinalizer(controller.stop)
        return port

    return start


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[SentLedger]:
    with SentLedger(tmp_path / "sent.sqlite") as opened:
        yield opened


def send(port: int, ledger: SentLedger, recipients: list[Subscriber], **options: Any) -> Any:
    sleeps: list[float] = []
    options.setdefault("sleep", sleeps.append)
    options.setdefault("security", "none")
    return send_issue(
        builder(),
        recipients,
        issue_id=ISSUE_ID,
        host="127.0.0.1",
        port=port,
        ledger=ledger,
        rate_per_second=100.0,
        now=lambda: NOW,
        timeout=5.0,
        **options,
    )


def to_addresses(*servers: Recorder) -> list[str]:
    parsed = [
        email.message_from_bytes(raw, policy=email.policy.default)
        for s in servers
        for raw in s.received
    ]
    return sorted(str(message["To"].addresses[0].addr_spec) for message in parsed)


# --- subscribers --------------------------------------------------------------------------------


def test_subscribers_csv_any_case_header_and_order(tmp_path: Path) -> None:
    path = tmp_path / "subscribers.csv"
    path.write_text('\ufeffName,EMAIL\nAnn Lee,ann@example.com\n\n"Bo, Jr.",bo@example.org\n')
    assert read_subscribers(path) == [
        Subscriber("ann@example.com", "Ann Lee"),
        Subscriber("bo@example.org", "Bo, Jr."),
    ]


def test_subscribers_csv_reports_every_bad_row_with_its_line(tmp_path: Path) -> None:
    rows = [
        "email,name",
        "ann@example.com,Ann",  # 2 ok
        "bob@,Bob",  # 3 not an address
        "carl@example.com,Carl",  # 4 ok
        "ANN@Example.com,Ann again",  # 5 duplicate of 2
        "dora@example.com,Dora,extra",  # 6 three fields
        'eve@example.com,"Eve\r\nBcc: x@evil.test"',  # 7-8 CR/LF inside a quoted name
        "fay@example.com\r,Fay",  # 9 a bare CR ends the line: one field, then 10: no address
        "gus@exa mple.com,Gus",  # 11 a space in the domain
        "hal@example.com,Hal",  # 12 ok
    ]
    path = tmp_path / "subs.csv"
    path.write_bytes("\n".join(rows).encode() + b"\n")
    with pytest.raises(DataError) as caught:
        read_subscribers(path)
    message = str(caught.value)
    assert message.startswith(f"{path} has 7 bad rows: line 3: the address 'bob@' is not")
    for expected in (
        "line 5: ANN@Example.com is a duplicate of line 2",
        "line 6: has 3 fields, the header has 2",
        "line 7: contains a line break or control character",
        "line 9: has 1 fields",
        "line 10: the address is empty",
        "line 11: the address 'gus@exa mple.com' is not an email address",
    ):
        assert expected in message, (expected, message)
    for good in (2, 4, 8, 12):
        assert f"line {good}:" not in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "is empty"),
        ("mail,name\nann@example.com,Ann\n", "line 1"),
        ("email,name\n", "no subscribers"),
    ],
)
def test_subscribers_csv_header_and_empty_file(text: str, expected: str) -> None:
    with pytest.raises(DataError, match=expected):
        parse_subscribers(text.splitlines(keepends=True))


# --- messages -----------------------------------------------------------------------------------


def test_message_structure_headers_and_unsubscribe() -> None:
    subscriber = Subscriber("ann@example.com", "Ännä Lee, CFA")
    raw = build_message(
        issue(), subscriber, sender=SENDER, unsubscribe=UNSUBSCRIBE, now=NOW
    ).as_bytes()
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message.get_content_type() == "multipart/alternative"
    assert message["To"].addresses[0].display_name == "Ännä Lee, CFA"
    assert message["From"].addresses[0].addr_spec == SENDER.address
    assert message["Date"].datetime == NOW
    assert message["Message-ID"].endswith("@news.example.com>")
    token = hmac.new(SECRET.encode(), b"ann@example.com", hashlib.sha256).hexdigest()
    link = f"https://news.example.com/unsubscribe?token={token}"
    assert str(message["List-Unsubscribe"]) == (
        f"<{link}>, <mailto:unsub@news.example.com?subject=unsubscribe-{token}>"
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    assert link in text.get_content()
    html_text = html.get_content()
    assert link.replace("&", "&amp;") in html_text
    assert 'style="' in html_text and "<style" not in html_text  # CSS inlined
    assert "&lt;b&gt;today" in html_text  # raw HTML in the article stays text


def test_chart_is_inline_related_image_referenced_by_cid() -> None:
    raw = build_message(
        issue(), people(1)[0], sender=SENDER, unsubscribe=UNSUBSCRIBE, now=NOW
    ).as_bytes()
    check_received(raw)


def check_received(raw: bytes) -> None:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    for header in ("Date", "Message-ID", "From", "To", "List-Unsubscribe", "List-Unsubscribe-Post"):
        assert message[header], header
    plain, related = message.iter_parts()
    assert plain.get_content_type() == "text/plain"
    assert related.get_content_type() == "multipart/related"
    html_part, image = related.iter_parts()
    assert html_part.get_content_type() == "text/html"
    assert len(html_part.get_content().encode()) < HTML_LIMIT
    assert image.get_content_type() == "image/png"
    assert image.get_content_disposition() == "inline"
    assert image.get_content().startswith(b"\x89PNG")
    cid = image["Content-ID"].strip("<>")
    assert f'src="cid:{cid}"' in html_part.get_content()


def test_without_chart_there_is_no_related_part() -> None:
    message = build_message(
        issue(chart=False), people(1)[0], sender=SENDER, unsubscribe=UNSUBSCRIBE, now=NOW
    )
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]


def test_html_part_over_the_limit_is_refused() -> None:
    huge = IssueContent(ISSUE_ID, "Big", "<p>" + "x" * HTML_LIMIT + "</p>", "x")
    with pytest.raises(MessageTooLarge, match="90 KB"):
        build_message(huge, people(1)[0], sender=SENDER, unsubscribe=UNSUBSCRIBE, now=NOW)


@pytest.mark.parametrize(
    ("subject", "subscriber", "sender"),
    [
        ("Pulse\r\nBcc: victim@example.net", Subscriber("ann@example.com", "Ann"), SENDER),
        ("Pulse\nX: y", Subscriber("ann@example.com", "Ann"), SENDER),
        ("Pulse", Subscriber("ann@example.com", "Ann\r\nBcc: victim@example.net"), SENDER),
        ("Pulse", Subscriber("ann@example.com\r\nBcc: victim@example.net", "Ann"), SENDER),
        ("Pulse", Subscriber("ann@example.com", "Ann"), Sender("pulse@news.example.com", "P\rQ")),
        ("Pulse", Subscriber("ann@example.com", "Ann"), Sender("p@x.example\n", "P")),
    ],
)
def test_header_injection_is_refused(subject: str, subscriber: Subscriber, sender: Sender) -> None:
    with pytest.raises(HeaderInjection, match=r"line break|control"):
        build_message(issue(subject), subscriber, sender=sender, unsubscribe=UNSUBSCRIBE, now=NOW)


@pytest.mark.parametrize("header", ["Subject", "To", "From"])
def test_the_smtp_policy_refuses_line_breaks_too(header: str) -> None:
    message = EmailMessage(policy=email.policy.SMTP)
    with pytest.raises(ValueError, match="linefeed or carriage return"):
        message[header] = "ann@example.com\r\nBcc: victim@example.net"


def test_unsubscribe_secret_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COMMENTARY_UNSUBSCRIBE_SECRET", raising=False)
    with pytest.raises(MailingConfigError, match="COMMENTARY_UNSUBSCRIBE_SECRET is not set"):
        Unsubscribe.from_env("https://news.example.com/unsubscribe", "unsub@news.example.com")
    monkeypatch.setenv("COMMENTARY_UNSUBSCRIBE_SECRET", SECRET)
    from_env = Unsubscribe.from_env(
        "https://news.example.com/unsubscribe", "unsub@news.example.com"
    )
    assert from_env.token("Ann@Example.com") == UNSUBSCRIBE.token("ann@example.com")
    with pytest.raises(MailingConfigError, match="https"):
        Unsubscribe("http://news.example.com/u", "unsub@news.example.com", SECRET)


def test_dry_run_writes_eml_files_that_parse_back(tmp_path: Path) -> None:
    recipients = [*people(3), Subscriber("o'hara/x@example.org", "O'Hara")]
    build = builder()
    paths = write_dry_run(tmp_path / "out", [build(person) for person in recipients])
    assert [p.name for p in paths] == sorted(p.name for p in (tmp_path / "out").iterdir())
    assert paths[3].name == "0004-o_hara_x@example.org.eml"
    for path, person in zip(paths, recipients, strict=True):
        check_received(path.read_bytes())
        parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert parsed["To"].addresses[0].addr_spec == person.email


# --- the ledger ---------------------------------------------------------------------------------


def test_ledger_never_claims_a_recipient_twice(ledger: SentLedger) -> None:
    ann = Subscriber("Ann@Example.com", "Ann")
    ledger.mark_sending(ISSUE_ID, ann.email, "<1@x>", NOW)
    with pytest.raises(LedgerError, match="already marked 'sending'"):
        ledger.mark_sending(ISSUE_ID, "ann@example.com", "<2@x>", NOW)
    assert ledger.pending(ISSUE_ID, [ann]) == []
    assert [entry.message_id for entry in ledger.in_doubt(ISSUE_ID)] == ["<1@x>"]
    ledger.resolve(ISSUE_ID, ann.email, delivered=False, now=NOW)
    assert ledger.pending(ISSUE_ID, [ann]) == [ann]
    ledger.mark_sending(ISSUE_ID, ann.email, "<3@x>", NOW)
    ledger.mark_sent(ISSUE_ID, ann.email, NOW)
    assert ledger.pending(ISSUE_ID, [ann]) == [] and ledger.in_doubt(ISSUE_ID) == []
    assert ledger.pending("another-issue", [ann]) == [ann]
    mode = ledger._db.execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


# --- sending ------------------------------------------------------------------------------------


def test_duplicate_recipients_are_refused_before_sending(ledger: SentLedger) -> None:
    twice = [*people(2), Subscriber("READER1@example.org", "Again")]
    with pytest.raises(MailingError, match=r"listed twice: reader1@example\.org"):
        send(free_port(), ledger, twice)


def test_send_delivers_a_complete_message(
    smtp_server: Callable[..., int], ledger: SentLedger
) -> None:
    server = Recorder()
    sleeps: list[float] = []
    report = send(smtp_server(server), ledger, people(3), sleep=sleeps.append)
    assert report.complete and report.sent == [p.email for p in people(3)]
    assert to_addresses(server) == sorted(p.email for p in people(3))
    for raw in server.received:
        check_received(raw)
    assert len(sleeps) <= 2 and all(0 < s <= 0.01 for s in sleeps)  # 100 per second


def test_rerun_skips_the_already_sent(smtp_server: Callable[..., int], ledger: SentLedger) -> None:
    first, second = Recorder(), Recorder()
    send(smtp_server(first), ledger, people(3))
    report = send(smtp_server(second), ledger, people(4))
    assert second.received and to_addresses(second) == ["reader4@example.org"]
    assert report.already_sent == [p.email for p in people(3)] and report.sent == [
        "reader4@example.org"
    ]


@pytest.mark.parametrize("mode", ["421", "drop-at-rcpt"])
def test_a_server_failing_mid_batch_then_a_rerun_sends_everyone_once(
    smtp_server: Callable[..., int], ledger: SentLedger, mode: str
) -> None:
    broken, healthy = Recorder(mode, fail_from=3), Recorder()
    recipients = people(6)
    sleeps: list[float] = []
    with pytest.raises(DeliveryError, match="ledger is consistent") as caught:
        send(smtp_server(broken), ledger, recipients, sleep=sleeps.append, max_reconnects=2)
    report = caught.value.report
    assert report is not None and report.sent == [p.email for p in recipients[:2]]
    assert report.remaining == [p.email for p in recipients[2:]] and report.reconnects == 2
    assert [p.email for p in ledger.pending(ISSUE_ID, recipients)] == report.remaining
    rerun = send(smtp_server(healthy), ledger, recipients)
    assert rerun.complete and rerun.sent == report.remaining
    assert to_addresses(broken, healthy) == sorted(p.email for p in recipients)


def test_a_transient_drop_before_the_data_is_retried_on_a_new_connection(
    smtp_server: Callable[..., int], ledger: SentLedger
) -> None:
    server = Recorder("drop-at-rcpt", fail_from=2, only_once=True)
    report = send(smtp_server(server), ledger, people(4))
    assert report.complete and report.reconnects == 1
    assert to_addresses(server) == sorted(p.email for p in people(4))


def test_accepted_but_no_reply_is_in_doubt_and_never_resent(
    smtp_server: Callable[..., int], ledger: SentLedger
) -> None:
    flaky, healthy = Recorder("accept-then-drop", fail_from=3, only_once=True), Recorder()
    recipients = people(5)
    report = send(smtp_server(flaky), ledger, recipients)
    assert [entry.email for entry in report.in_doubt] == ["reader3@example.org"]
    assert not report.complete and len(report.sent) == 4
    rerun = send(smtp_server(healthy), ledger, recipients)
    assert healthy.received == [] and [e.email for e in rerun.in_doubt] == ["reader3@example.org"]
    assert to_addresses(flaky, healthy) == sorted(p.email for p in recipients)
    ledger.resolve(ISSUE_ID, "reader3@example.org", delivered=True, now=NOW)
    assert send(smtp_server(healthy), ledger, recipients).complete


def test_a_refused_recipient_is_reported_and_pending_again(
    smtp_server: Callable[..., int], ledger: SentLedger
) -> None:
    class Picky(Recorder):
        async def handle_RCPT(
            self, server: Any, session: Any, envelope: Any, address: str, options: Any
        ) -> str:
            if address.startswith("reader2@"):
                return "550 no such user"
            return await super().handle_RCPT(server, session, envelope, address, options)

    server = Picky()
    report = send(smtp_server(server), ledger, people(3))
    assert report.refused == {"reader2@example.org": "550 no such user"}
    assert to_addresses(server) == ["reader1@example.org", "reader3@example.org"]
    assert ledger.pending(ISSUE_ID, people(3)) == [people(3)[1]]


def test_credentials_never_appear_in_errors_or_logs(
    smtp_server: Callable[..., int],
    ledger: SentLedger,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    user, password = "newsletter-bot-user", "hunter2-Sup3r-S3cret"
    monkeypatch.setenv("COMMENTARY_SMTP_USER", user)
    monkeypatch.setenv("COMMENTARY_SMTP_PASSWORD", password)
    seen: list[tuple[Any, ...]] = []

    def authenticator(*args: Any) -> AuthResult:
        seen.append(args)
        return AuthResult(success=False, handled=False)

    caplog.set_level(logging.DEBUG, logger="commentary")
    port = smtp_server(Recorder(), authenticator=authenticator, auth_require_tls=False)
    with pytest.raises(DeliveryError, match="refused the SMTP login") as caught:
        send(port, ledger, people(2))
    assert seen  # the server really was asked
    shown = "".join(traceback.format_exception(caught.value)) + caplog.text
    assert user not in shown and password not in shown
    assert ledger.pending(ISSUE_ID, people(2)) == people(2)

    # A server that is not there: retried, then stopped, still without the secrets.
    with pytest.raises(DeliveryError, match="cannot connect") as caught:
        send(free_port(), ledger, people(2), max_reconnects=1)
    assert caught.value.report is not None
    assert caught.value.report.remaining == [p.email for p in people(2)]
    shown = "".join(traceback.format_exception(caught.value)) + caplog.text
    assert user not in shown and password not in shown


def test_credentials_are_not_sent_in_clear_to_a_remote_host(
    monkeypatch: pytest.MonkeyPatch, ledger: SentLedger
) -> None:
    def send_in_clear() -> None:
        send_issue(builder(), people(1), issue_id=ISSUE_ID, host="smtp.example.com", port=25,
                   security="none", ledger=ledger, rate_per_second=1.0)  # fmt: skip

    monkeypatch.setenv("COMMENTARY_SMTP_USER", "u")
    monkeypatch.delenv("COMMENTARY_SMTP_PASSWORD", raising=False)
    with pytest.raises(MailingConfigError, match="COMMENTARY_SMTP_PASSWORD is not set"):
        send_in_clear()
    monkeypatch.setenv("COMMENTARY_SMTP_PASSWORD", "p")
    with pytest.raises(MailingConfigError, match="unencrypted"):
        send_in_clear()


def test_starttls_is_required_when_asked(
    smtp_server: Callable[..., int], ledger: SentLedger
) -> None:
    server = Recorder()
    with pytest.raises(DeliveryError, match="does not offer STARTTLS; nothing was sent"):
        send(smtp_server(server), ledger, people(1), security="starttls")
    assert server.received == [] and ledger.pending(ISSUE_ID, people(1)) == people(1)


# --- TLS (a throw-away self-signed certificate for 127.0.0.1, made with the openssl tool) -------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def server_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    return context


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_tls_with_login(
    smtp_server: Callable[..., int],
    ledger: SentLedger,
    monkeypatch: pytest.MonkeyPatch,
    certificate: tuple[Path, Path],
    security: str,
) -> None:
    monkeypatch.setenv("COMMENTARY_SMTP_USER", "bot")
    monkeypatch.setenv("COMMENTARY_SMTP_PASSWORD", "pw")
    logins: list[Any] = []

    def authenticator(
        server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        tls = server.transport.get_extra_info("ssl_object") is not None
        logins.append((data.login, data.password, tls))
        return AuthResult(success=data.login == b"bot" and data.password == b"pw")

    if security == "starttls":
        options = {"tls_context": server_context(certificate), "require_starttls": True}
    else:
        # aiosmtpd only counts STARTTLS as TLS for AUTH; the implicit-TLS socket is TLS anyway.
        options = {"ssl_context": server_context(certificate), "auth_require_tls": False}
    server = Recorder()
    port = smtp_server(server, authenticator=authenticator, **options)
    client = ssl.create_default_context(cafile=str(certificate[0]))
    report = send(port, ledger, people(2), security=security, ssl_context=client)
    assert report.complete and len(server.received) == 2
    assert logins == [(b"bot", b"pw", True)]  # one login, over TLS, one connection reused


def test_an_untrusted_certificate_stops_before_anything_is_sent(
    smtp_server: Callable[..., int], ledger: SentLedger, certificate: tuple[Path, Path]
) -> None:
    server = Recorder()
    port = smtp_server(server, ssl_context=server_context(certificate))
    with pytest.raises(DeliveryError, match="certificate"):
        send(port, ledger, people(1), security="ssl")
    assert server.received == [] and ledger.pending(ISSUE_ID, people(1)) == people(1)
