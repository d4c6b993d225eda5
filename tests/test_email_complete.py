"""A complete email: a chart under each instrument's section, a preheader, a "view in browser"
link, a List-Id, a postal address in both parts, the page's typography, the disclaimer once;
missing settings named together; bad subscriber rows skipped on request."""

from __future__ import annotations

import email
import email.policy
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from commentary.cli import cli
from commentary.mailing.message import FONT
from tests.test_mailing import Recorder, smtp_server  # noqa: F401 - the server fixture

POSTAL = "The Desk, 1 Main Street, Springfield, IL 62701"
ARGS = ["email", "default", "--sender", "Desk <desk@example.com>", "--unsubscribe-url",
        "https://example.com/u", "--unsubscribe-mailto", "u@example.com", "--as-of", "2020-04-17",
        "--view-url", "https://news.example.com/{date}/"]  # fmt: skip


@pytest.fixture
def people(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COMMENTARY_UNSUBSCRIBE_SECRET", "test-secret")
    path = tmp_path / "subscribers.csv"
    path.write_text("email,name\nann@example.com,Ann\nnot-an-address,Bob\nbob@example.com,Bob\n")
    return path


def test_the_email_has_a_chart_under_each_section_and_the_full_furniture(
    tmp_path: Path,
    people: Path,
    smtp_server,  # noqa: F811
) -> None:  # type: ignore[no-untyped-def]
    handler = Recorder()
    port = smtp_server(handler)
    result = CliRunner().invoke(cli, [*ARGS, "--subscribers", str(people), "--skip-invalid",
                                      "--postal-address", POSTAL, "--host", "127.0.0.1",
                                      "--port", str(port), "--security", "none",
                                      "--ledger", str(tmp_path / "sent.db")])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "sent 2" in result.stdout
    assert "not-an-address" in result.stderr and "line 3" in result.stderr  # reported in full
    message = email.message_from_bytes(handler.received[0], policy=email.policy.default)
    assert message["List-Id"] == "The Market Pulse <default.example.com>"
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    images = [p for p in message.walk() if p.get_content_type() == "image/png"]
    assert len(images) == 3
    sections = re.findall(r"<h2[^>]*>(.*?)</h2>\s*<img[^>]+src=\"cid:([^\"]+)\"", html)
    names = [heading.split(":")[0] for heading, _ in sections]
    assert names == ["S&amp;P 500", "Amazon", "Nvidia"]
    assert {cid for _, cid in sections} == {p["Content-ID"].strip("<>") for p in images}
    assert "display:none" in html.split("<h1")[0]  # the preheader comes first, hidden
    assert (
        "View this issue in your browser" in html and "https://news.example.com/2020-04-17/" in html
    )
    assert text.startswith("View this issue in your browser: https://news.example.com/2020-04-17/")
    assert POSTAL in html and POSTAL in text
    assert "Apple" not in FONT and FONT.split(",")[0] in html  # the page's font stack
    for part in (html, text):
        assert len(re.findall(r"not investment advice", part, flags=re.IGNORECASE)) == 1
    visible = re.sub(r"<[^>]*>", "", html.split("<body", 1)[1].split(">", 1)[1])
    assert "’" in visible and "'" not in visible  # curly quotes, as on the page


def test_missing_settings_are_named_together_before_anything_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COMMENTARY_UNSUBSCRIBE_SECRET", raising=False)
    result = CliRunner().invoke(cli, ["email", "default", "--as-of", "2020-04-17",
                                      "--archive", str(tmp_path / "a.db")])  # fmt: skip
    assert result.exit_code == 2
    for needed in ("--subscribers", "--sender", "--unsubscribe-url", "--unsubscribe-mailto",
                   "--postal-address", "--host", "COMMENTARY_UNSUBSCRIBE_SECRET"):  # fmt: skip
        assert needed in result.output
    assert not (tmp_path / "a.db").exists()


def test_a_dry_run_needs_no_postal_address_and_bad_rows_stop_a_send_without_the_flag(
    tmp_path: Path, people: Path
) -> None:
    out = tmp_path / "eml"
    refused = CliRunner().invoke(cli, [*ARGS, "--subscribers", str(people), "--dry-run", str(out)])
    assert (
        refused.exit_code == 1
        and "1 bad row" in refused.stderr
        and "--skip-invalid" in (refused.stderr)
    )
    done = CliRunner().invoke(cli, [*ARGS, "--subscribers", str(people), "--dry-run", str(out),
                                    "--skip-invalid"])  # fmt: skip
    assert done.exit_code == 0, done.output
    assert len(list(out.glob("*.eml"))) == 2


def test_the_page_says_the_disclaimer_once_with_curly_quotes() -> None:
    page = CliRunner().invoke(cli, ["generate", "--as-of", "2020-04-17", "--format", "html"]).stdout
    assert len(re.findall(r"not investment advice", page, flags=re.IGNORECASE)) == 1
    assert "Amazon&rsquo;s" in page and "Amazon's" not in page  # smarty, then verified


def test_daily_names_missing_email_settings_before_writing_any_draft(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[email]\nhost = "127.0.0.1"\nsender = "Desk <desk@example.com>"\n')
    monkeypatch.setenv("COMMENTARY_CONFIG", str(config))
    monkeypatch.setenv("COMMENTARY_UNSUBSCRIBE_SECRET", "s")
    drafts = tmp_path / "drafts"
    args = ["daily", "default", "--date", "2020-04-17", "--out", str(drafts),
            "--archive", str(tmp_path / "a.db")]  # fmt: skip
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert "--subscribers" in result.output and "--postal-address" in result.output
    assert not drafts.exists() and not (tmp_path / "a.db").exists()
