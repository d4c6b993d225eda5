"""`notify` and `card` end to end: chat payloads posted to a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from commentary.cli import cli
from commentary.notify import ChatSummary, payload_for
from commentary.notify.payloads import (
    DISCORD_LIMIT,
    SLACK_HEADER_LIMIT,
    SLACK_SECTION_LIMIT,
    TELEGRAM_LIMIT,
)

AS_OF = ["--as-of", "2020-04-17"]


class Recorder:
    """A local HTTP endpoint that records each POST and answers from a script of statuses."""

    def __init__(self, statuses: list[tuple[int, dict[str, str]]] | None = None) -> None:
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self.statuses = list(statuses or [])
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                recorder.requests.append((self.path, json.loads(body)))
                status, headers = recorder.statuses.pop(0) if recorder.statuses else (200, {})
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    server = Recorder()
    thread = threading.Thread(target=server.server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


def _notify(tmp_path: Path, *args: str) -> Any:
    ledger = str(tmp_path / "sent.db")
    return CliRunner().invoke(cli, ["notify", *AS_OF, "--ledger", ledger, *args])


def test_slack_gets_blocks_within_its_limits_and_a_rerun_posts_nothing(
    tmp_path: Path, recorder: Recorder
) -> None:
    url = f"{recorder.url}/services/T000/B000/secret-path"
    result = _notify(tmp_path, "--to", "slack", "--url", url, "--article-url", "https://x.test/a")
    assert result.exit_code == 0, result.output
    assert "sent to slack" in result.stdout
    [(path, body)] = recorder.requests
    assert path == "/services/T000/B000/secret-path"
    kinds = [block["type"] for block in body["blocks"]]
    assert kinds == ["header", "section", "section", "context"]
    header = body["blocks"][0]["text"]
    assert header["type"] == "plain_text" and len(header["text"]) <= SLACK_HEADER_LIMIT
    assert body["text"] == header["text"]
    for block in body["blocks"][1:3]:
        assert (
            block["text"]["type"] == "mrkdwn" and len(block["text"]["text"]) <= SLACK_SECTION_LIMIT
        )
        assert "**" not in block["text"]["text"]
    assert "*Key levels to watch*" in body["blocks"][2]["text"]["text"]
    assert "<https://x.test/a|Read the full article>" in str(body["blocks"][3])

    again = _notify(tmp_path, "--to", "slack", "--url", url)
    assert again.exit_code == 0 and "already sent to slack" in again.stdout
    assert len(recorder.requests) == 1


def test_discord_content_and_telegram_text_fit_and_the_token_never_shows(
    tmp_path: Path, recorder: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _notify(tmp_path, "--to", "discord", "--url", f"{recorder.url}/api/webhooks/1/tok")\
        .exit_code == 0  # fmt: skip
    monkeypatch.setenv("COMMENTARY_TELEGRAM_TOKEN", "123:bot-secret")
    result = _notify(tmp_path, "--to", "telegram", "--url", recorder.url, "--chat-id", "-100")
    assert result.exit_code == 0, result.output
    assert "bot-secret" not in result.output
    (_, discord), (path, telegram) = recorder.requests
    assert len(discord["content"]) <= DISCORD_LIMIT
    assert discord["content"].startswith("**") and "Key levels to watch" in discord["content"]
    assert discord["allowed_mentions"] == {"parse": []}
    assert path == "/bot123:bot-secret/sendMessage"
    assert telegram["chat_id"] == "-100" and "parse_mode" not in telegram
    assert len(telegram["text"]) <= TELEGRAM_LIMIT and "**" not in telegram["text"]


def test_a_generic_webhook_receives_the_ledger_and_the_article(
    tmp_path: Path, recorder: Recorder
) -> None:
    result = _notify(tmp_path, "--to", "webhook", "--url", f"{recorder.url}/hook")
    assert result.exit_code == 0, result.output
    [(_, body)] = recorder.requests
    assert body["as_of"] == "2020-04-17"
    assert {entry["symbol"] for entry in body["instruments"]} == {"^GSPC", "AMZN", "NVDA"}
    assert body["article"]["markdown"].startswith(f"# {body['article']['title']}")
    assert body["chat"]["headline"] == body["article"]["title"]
    assert body["chat"]["lead"] in body["article"]["markdown"]
    assert body["issue_id"].startswith("default-2020-04-17-")


def test_a_429_is_retried_after_its_retry_after(tmp_path: Path, recorder: Recorder) -> None:
    recorder.statuses = [(429, {"Retry-After": "0"}), (503, {"Retry-After": "0"})]
    result = _notify(tmp_path, "--to", "discord", "--url", f"{recorder.url}/d")
    assert result.exit_code == 0, result.output
    assert len(recorder.requests) == 3


def test_a_refusal_is_one_line_without_the_secret_and_a_rerun_tries_again(
    tmp_path: Path, recorder: Recorder
) -> None:
    recorder.statuses = [(404, {})]
    url = f"{recorder.url}/services/very-secret"
    failed = _notify(tmp_path, "--to", "slack", "--url", url)
    assert failed.exit_code == 1
    assert failed.stderr.count("\n") == 1 and "HTTP 404" in failed.stderr
    assert "very-secret" not in failed.output
    assert _notify(tmp_path, "--to", "slack", "--url", url).exit_code == 0
    assert len(recorder.requests) == 2


def test_plain_http_to_another_machine_is_refused(tmp_path: Path) -> None:
    result = _notify(tmp_path, "--to", "webhook", "--url", "http://example.com/hook/secret")
    assert result.exit_code == 1
    assert "https" in result.stderr and "secret" not in result.stderr


def test_the_url_comes_from_the_environment(
    tmp_path: Path, recorder: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMMENTARY_SLACK_WEBHOOK_URL", f"{recorder.url}/from-env")
    assert _notify(tmp_path, "--to", "slack").exit_code == 0
    assert recorder.requests[0][0] == "/from-env"
    monkeypatch.delenv("COMMENTARY_SLACK_WEBHOOK_URL")
    missing = _notify(tmp_path, "--to", "slack")
    assert missing.exit_code == 2 and "COMMENTARY_SLACK_WEBHOOK_URL" in missing.output


@pytest.mark.parametrize("target", ["slack", "discord", "telegram"])
def test_an_oversized_summary_is_cut_to_the_platform_limit_keeping_the_link(target: str) -> None:
    sentence = "The index closed at a level that matters for everyone who trades it. "
    summary = ChatSummary(headline="A " * 200, lead=sentence * 200,
                          levels=tuple(f"**Level {n}**: near {n}" for n in range(20)),
                          url="https://example.com/full")  # fmt: skip
    body = payload_for(target, summary, ledger={}, issue_id="x", chat_id="1")
    text = json.dumps(body)
    assert "https://example.com/full" in text
    if target == "discord":
        assert len(body["content"]) <= DISCORD_LIMIT and "Level 19" in body["content"]
    elif target == "telegram":
        assert len(body["text"]) <= TELEGRAM_LIMIT and body["text"].count("…") == 1
    else:
        assert len(body["blocks"][0]["text"]["text"]) <= SLACK_HEADER_LIMIT
        assert all(len(b["text"]["text"]) <= SLACK_SECTION_LIMIT for b in body["blocks"][1:3])


def test_card_is_1200_by_675_and_byte_identical_on_rerun(tmp_path: Path) -> None:
    paths = [tmp_path / "a.png", tmp_path / "b.png"]
    for path in paths:  # separate processes: nothing cached in one interpreter can help
        subprocess.run([sys.executable, "-m", "commentary", "card", *AS_OF, "--output", str(path)],
                       check=True, capture_output=True)  # fmt: skip
    first, second = (path.read_bytes() for path in paths)
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", first[16:24]) == (1200, 675)
    assert first == second


def test_a_post_left_unanswered_is_in_doubt_and_never_posted_twice(tmp_path: Path) -> None:
    import socket

    from commentary.mailing import SentLedger
    from commentary.notify import deliver

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)  # accepts, and never answers
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/hook"
    try:
        with SentLedger(tmp_path / "sent.db") as ledger:
            first = deliver(ledger, "issue-1", "webhook:x", url, {"a": 1}, timeout=0.3)
            second = deliver(ledger, "issue-1", "webhook:x", url, {"a": 1}, timeout=0.3)
            rows = ledger.in_doubt("issue-1")
    finally:
        listener.close()
    assert (first.outcome, second.outcome) == ("in doubt", "in doubt")
    assert second.attempts == 0 and [row.email for row in rows] == ["webhook:x"]
