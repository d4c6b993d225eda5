"""The delivery commands end to end: `email` to a real local SMTP server, `publish` to a site."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from commentary.cli import cli
from tests.test_mailing import Recorder, smtp_server  # noqa: F401 - the server fixture

EMAIL_ARGS = [
    "--sender", "Desk <desk@example.com>", "--unsubscribe-url", "https://example.com/u",
    "--unsubscribe-mailto", "unsubscribe@example.com", "--as-of", "2020-04-17",
    "--postal-address", "The Desk, 1 Main Street, Springfield",
]  # fmt: skip


@pytest.fixture
def subscribers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COMMENTARY_UNSUBSCRIBE_SECRET", "test-secret")
    path = tmp_path / "subscribers.csv"
    path.write_text("email,name\nann@example.com,Ann\nbob@example.com,Bob Smith\n")
    return path


def test_email_sends_each_subscriber_one_copy_and_a_rerun_sends_none(
    tmp_path: Path,
    subscribers: Path,
    smtp_server,  # noqa: F811 - the fixture
) -> None:  # type: ignore[no-untyped-def]
    handler = Recorder()
    port = smtp_server(handler)
    ledger = str(tmp_path / "sent.db")
    args = ["email", "--subscribers", str(subscribers), *EMAIL_ARGS, "--host", "127.0.0.1",
            "--port", str(port), "--security", "none", "--ledger", ledger]  # fmt: skip
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.stderr
    assert "sent 2, already sent 0" in result.stdout
    again = CliRunner().invoke(cli, args)
    assert "sent 0, already sent 2" in again.stdout
    messages = [
        email.message_from_bytes(raw, policy=email.policy.default) for raw in handler.received
    ]
    assert sorted(m["To"].addresses[0].addr_spec for m in messages) == [
        "ann@example.com", "bob@example.com"]  # fmt: skip
    message = messages[0]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    kinds = [part.get_content_type() for part in message.walk()]
    assert {"text/plain", "text/html", "image/png"} <= set(kinds)
    html = message.get_body(("html",)).get_content()
    assert len(html.encode()) < 90_000 and "cid:" in html


def test_email_dry_run_writes_eml_files(tmp_path: Path, subscribers: Path) -> None:
    out = tmp_path / "eml"
    result = CliRunner().invoke(cli, ["email", "--subscribers", str(subscribers), *EMAIL_ARGS,
                                      "--dry-run", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    files = sorted(out.glob("*.eml"))
    assert len(files) == 2
    parsed = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert parsed["Subject"].startswith("S&P 500 Reclaims Its 50-Day Average")


@pytest.mark.parametrize("flavor", ["hugo", "jekyll", "pelican", "mkdocs"])
def test_publish_writes_the_post_and_charts_and_rewrites_identically(
    tmp_path: Path, flavor: str
) -> None:
    args = ["publish", "mega-caps", "--as-of", "2020-04-17", "--site", str(tmp_path),
            "--flavor", flavor, "--site-url", "https://blog.example.com", "--no-draft"]  # fmt: skip
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.stderr
    paths = [Path(line) for line in first.stdout.splitlines()]
    post = paths[0]
    assert len([p for p in paths if p.suffix == ".png"]) == 5
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    second = CliRunner().invoke(cli, args)
    assert second.exit_code == 0
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before
    text = post.read_text()
    if flavor == "pelican":
        assert text.startswith("Title: Netflix Sheds 3.7%; S&P 500 Jumps 2.7%")
    else:
        front = yaml.safe_load(text.split("---")[1])
        assert str(front["data_as_of"]) == "2020-04-17"
    assert "feed.xml" in first.stderr


def test_daily_skips_a_holiday_and_says_so() -> None:
    result = CliRunner().invoke(cli, ["daily", "default", "--date", "2020-04-10"])  # Good Friday
    assert result.exit_code == 0
    assert (
        result.stdout == "2020-04-10 is not a NYSE session (a weekend or holiday); nothing to do.\n"
    )


def test_daily_writes_publishes_and_sends_once(
    tmp_path: Path,
    subscribers: Path,
    smtp_server,  # noqa: F811 - the fixture imported above
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # type: ignore[no-untyped-def]
    handler = Recorder()
    port = smtp_server(handler)
    config = tmp_path / "config.toml"
    config.write_text(
        f'[daily]\nplaybook = "mega-caps"\nout = "{tmp_path / "drafts"}"\n'
        f'[blog]\nsite = "{tmp_path / "site"}"\nflavor = "hugo"\n'
        f'[email]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n'
        f'sender = "Desk <desk@example.com>"\nsubscribers = "{subscribers}"\n'
        'unsubscribe_url = "https://example.com/u"\nunsubscribe_mailto = "u@example.com"\n'
        'postal_address = "The Desk, 1 Main Street, Springfield"\n'
    )
    monkeypatch.setenv("COMMENTARY_CONFIG", str(config))
    monkeypatch.setattr("commentary.newsletter.default_ledger", lambda: tmp_path / "sent.db")
    first = CliRunner().invoke(cli, ["daily", "--date", "2020-04-17"])
    assert first.exit_code == 0, first.stderr
    drafts = sorted(p.name for p in (tmp_path / "drafts").iterdir())
    assert drafts == [  # named by the issue id: the playbook, the session, a hash of its identity
        "mega-caps-2020-04-17-04b4e0c0b5.html",
        "mega-caps-2020-04-17-04b4e0c0b5.md",
    ]
    assert list((tmp_path / "site" / "content" / "posts").iterdir())
    assert len(handler.received) == 2
    second = CliRunner().invoke(cli, ["daily", "--date", "2020-04-17"])
    assert second.exit_code == 0, second.stderr
    assert len(handler.received) == 2  # idempotent: nobody gets the issue twice
    assert "sent 0, already sent 2" in second.stdout
