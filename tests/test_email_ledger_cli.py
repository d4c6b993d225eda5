"""The sent-ledger from the command line: issue ids from the playbook's identity (not its title),
`email doubts` and `email resolve`, one line per refusal, and the wait after the final dot."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from commentary.cli import cli
from commentary.mailing import SentLedger
from commentary.newsletter import issue_id, legacy_issue_id
from commentary.playbooks import load_playbook, playbook_dir
from tests.test_mailing import Recorder, smtp_server  # noqa: F401 - the server fixture

NOW = dt.datetime(2020, 4, 17, 21, 30, tzinfo=dt.UTC)
DAY = dt.date(2020, 4, 17)
MEGA_TITLE = 'title = "Mega-Caps vs. the S&P 500"'


@pytest.fixture
def secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMENTARY_UNSUBSCRIBE_SECRET", "test-secret")


def playbook_file(path: Path, title: str) -> Path:
    text = (playbook_dir() / "mega-caps.toml").read_text(encoding="utf-8")
    path.write_text(text.replace(MEGA_TITLE, f"title = {json.dumps(title)}"), encoding="utf-8")
    return path


def subscribers_file(tmp_path: Path, *addresses: str) -> Path:
    path = tmp_path / "subscribers.csv"
    path.write_text("email,name\n" + "".join(f"{a},{a.split('@')[0]}\n" for a in addresses))
    return path


def run_email(
    book: str, subscribers: Path, port: int, ledger: Path, *extra: str, quiet: bool = False
) -> Result:
    args = [
        *(["--quiet"] if quiet else []), "email", book, "--subscribers", str(subscribers),
        "--sender", "Desk <desk@example.com>", "--unsubscribe-url", "https://example.com/u",
        "--unsubscribe-mailto", "u@example.com", "--as-of", "2020-04-17", "--host", "127.0.0.1",
        "--postal-address", "The Desk, 1 Main Street",
        "--port", str(port), "--security", "none", "--ledger", str(ledger), *extra,
    ]  # fmt: skip
    return CliRunner().invoke(cli, args)


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


# --- 17.7: the issue id is the playbook's identity --------------------------------------------


def test_two_newsletters_whose_titles_differ_only_in_punctuation_both_reach_everyone(
    tmp_path: Path,
    secret: None,
    smtp_server: Callable[..., int],  # noqa: F811
) -> None:
    handler = Recorder()
    port = smtp_server(handler)
    people = subscribers_file(tmp_path, "ann@example.com", "bob@example.com")
    ledger = tmp_path / "sent.db"
    first = playbook_file(tmp_path / "tech.toml", "Tech Weekly")
    second = playbook_file(tmp_path / "tech-colon.toml", "Tech: Weekly!")
    one = run_email(str(first), people, port, ledger)
    two = run_email(str(second), people, port, ledger)
    assert one.exit_code == 0 and two.exit_code == 0, one.stderr + two.stderr
    assert "sent 2, already sent 0" in one.stdout
    assert "sent 2, already sent 0" in two.stdout
    assert len(handler.received) == 4


def test_playbooks_with_all_non_ascii_titles_are_different_issues(tmp_path: Path) -> None:
    russian = load_playbook(str(playbook_file(tmp_path / "ru.toml", "Обзор рынка")))
    japanese = load_playbook(str(playbook_file(tmp_path / "ja.toml", "市場レポート")))
    assert legacy_issue_id(russian.title, DAY) == legacy_issue_id(japanese.title, DAY)
    assert issue_id(russian, DAY) != issue_id(japanese, DAY)


def test_the_same_file_by_any_path_and_after_a_title_edit_is_the_same_issue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = playbook_file(tmp_path / "tech.toml", "Tech Weekly")
    before = issue_id(load_playbook(str(path)), DAY)
    link = tmp_path / "link.toml"
    link.symlink_to(path)
    monkeypatch.chdir(tmp_path)
    assert issue_id(load_playbook("tech.toml"), DAY) == before
    assert issue_id(load_playbook(str(link)), DAY) == before
    playbook_file(path, "Tech Weekly (fixed typo)")
    assert issue_id(load_playbook(str(path)), DAY) == before
    assert issue_id(load_playbook("mega-caps"), DAY) != issue_id(load_playbook("default"), DAY)


def test_rows_under_the_old_title_id_still_stop_a_second_copy(
    tmp_path: Path,
    secret: None,
    smtp_server: Callable[..., int],  # noqa: F811
) -> None:
    handler = Recorder()
    port = smtp_server(handler)
    people = subscribers_file(tmp_path, "ann@example.com", "bob@example.com", "cy@example.com")
    ledger_path = tmp_path / "sent.db"
    old_id = legacy_issue_id("Mega-Caps vs. the S&P 500", DAY)  # what 0.1 recorded
    with SentLedger(ledger_path) as ledger:
        ledger.mark_sending(old_id, "ann@example.com", "<a@x>", NOW)
        ledger.mark_sent(old_id, "ann@example.com", NOW)
        ledger.mark_sending(old_id, "bob@example.com", "<b@x>", NOW)  # in doubt
    result = run_email("mega-caps", people, port, ledger_path)
    assert result.exit_code == 0, result.stderr
    assert "sent 1, already sent 1" in result.stdout
    assert "in doubt: bob@example.com" in result.stderr
    assert [m for m in handler.received if b"cy@example.com" not in m] == []


# --- 17.13: in-doubt rows, refusals, the final-reply wait -------------------------------------


def test_doubts_lists_in_doubt_rows_readably_and_resolve_settles_them(
    tmp_path: Path,
    secret: None,
    smtp_server: Callable[..., int],  # noqa: F811
) -> None:
    handler = Recorder("accept-then-drop", fail_from=1, only_once=True)
    port = smtp_server(handler)
    people = subscribers_file(tmp_path, "ann@example.com")
    ledger = tmp_path / "sent.db"
    sent = run_email("mega-caps", people, port, ledger)
    assert sent.exit_code == 0, sent.stderr
    the_id = sent.stdout.split(":")[0]
    assert "LedgerEntry(" not in sent.stderr
    assert f"in doubt: ann@example.com (issue {the_id}, Message-ID <" in sent.stderr
    assert f"commentary email resolve ann@example.com --issue {the_id} --sent" in sent.stderr

    listed = invoke("email", "doubts", "--ledger", str(ledger))
    assert listed.exit_code == 0, listed.stderr
    assert listed.stdout.startswith(f"ann@example.com  issue {the_id}  Message-ID <")
    assert "LedgerEntry(" not in listed.stdout and "commentary email resolve" in listed.stderr
    as_json = json.loads(invoke("email", "doubts", "--ledger", str(ledger), "--format", "json")
                         .stdout)  # fmt: skip
    assert [(row["email"], row["issue_id"]) for row in as_json] == [("ann@example.com", the_id)]
    assert as_json[0]["message_id"].startswith("<") and as_json[0]["since"]

    # Not delivered after all: --unsent makes the next run send it, once.
    resolved = invoke("email", "resolve", "ann@example.com", "--issue", the_id, "--unsent",
                      "--ledger", str(ledger))  # fmt: skip
    assert resolved.exit_code == 0, resolved.stderr
    assert invoke("email", "doubts", "--ledger", str(ledger)).stdout == "no messages in doubt\n"
    again = run_email("mega-caps", people, port, ledger)
    assert "sent 1, already sent 0" in again.stdout and len(handler.received) == 2


def test_resolve_sent_means_never_again_and_a_wrong_row_is_one_line(
    tmp_path: Path,
    secret: None,
    smtp_server: Callable[..., int],  # noqa: F811
) -> None:
    handler = Recorder("accept-then-drop", fail_from=1, only_once=True)
    port = smtp_server(handler)
    people = subscribers_file(tmp_path, "ann@example.com")
    ledger = tmp_path / "sent.db"
    the_id = run_email("mega-caps", people, port, ledger).stdout.split(":")[0]
    args = ["email", "resolve", "ANN@example.com", "--issue", the_id, "--ledger", str(ledger)]
    assert invoke(*args, "--sent").exit_code == 0
    assert "sent 0, already sent 1" in run_email("mega-caps", people, port, ledger).stdout
    twice = invoke(*args, "--unsent")
    assert twice.exit_code == 1 and twice.stderr.count("\n") == 1
    assert "not marked 'sending'" in twice.stderr
    neither = invoke(*args)
    assert neither.exit_code == 2 and "--sent or --unsent" in neither.stderr
    missing = invoke("email", "doubts", "--ledger", str(tmp_path / "nope.db"))
    assert missing.exit_code == 1 and missing.stderr.count("\n") == 1
    assert not (tmp_path / "nope.db").exists()


@pytest.mark.parametrize("quiet", [False, True])
def test_each_smtp_refusal_is_printed_once(
    tmp_path: Path,
    secret: None,
    smtp_server: Callable[..., int],  # noqa: F811
    quiet: bool,
) -> None:
    # A real process: inside pytest, its logging handlers hide what Python's last-resort handler
    # prints, which is how each refusal used to appear twice.
    class Picky(Recorder):
        async def handle_RCPT(
            self, server: Any, session: Any, envelope: Any, address: str, options: Any
        ) -> str:
            if address.startswith("bob@"):
                return "550 no such user"
            return await super().handle_RCPT(server, session, envelope, address, options)

    port = smtp_server(Picky())
    people = subscribers_file(tmp_path, "ann@example.com", "bob@example.com")
    args = [
        *(["--quiet"] if quiet else []), "email", "mega-caps", "--subscribers", str(people),
        "--sender", "Desk <desk@example.com>", "--unsubscribe-url", "https://example.com/u",
        "--unsubscribe-mailto", "u@example.com", "--as-of", "2020-04-17", "--host", "127.0.0.1",
        "--postal-address", "The Desk, 1 Main Street",
        "--port", str(port), "--security", "none", "--ledger", str(tmp_path / "sent.db"),
    ]  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-m", "commentary", *args], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("bob@example.com") == 1
    assert "refused: bob@example.com: 550 no such user" in result.stderr


class SlowAnswer(Recorder):
    """Takes the message, then answers the final dot only after ``delay`` seconds."""

    def __init__(self, delay: float) -> None:
        super().__init__()
        self.delay = delay

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(self.delay)
        return await super().handle_DATA(server, session, envelope)


def test_the_wait_after_the_final_dot_is_the_option_or_the_config(
    tmp_path: Path,
    secret: None,
    smtp_server: Callable[..., int],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    people = subscribers_file(tmp_path, "ann@example.com")
    short = run_email("mega-caps", people, smtp_server(SlowAnswer(1.0)), tmp_path / "a.db",
                      "--final-reply-timeout", "0.2")  # fmt: skip
    assert short.exit_code == 0, short.stderr
    assert "sent 0" in short.stdout and "in doubt: ann@example.com" in short.stderr

    config = tmp_path / "config.toml"
    config.write_text("[email]\nfinal_reply_timeout = 0.2\n")
    monkeypatch.setenv("COMMENTARY_CONFIG", str(config))
    from_config = run_email("mega-caps", people, smtp_server(SlowAnswer(1.0)), tmp_path / "b.db")
    assert "sent 0" in from_config.stdout and "in doubt: ann@example.com" in from_config.stderr

    patient = run_email("mega-caps", people, smtp_server(SlowAnswer(1.0)), tmp_path / "c.db",
                        "--final-reply-timeout", "5")  # fmt: skip
    assert "sent 1" in patient.stdout and "in doubt" not in patient.stderr

    config.write_text('[email]\nfinal_reply_timeout = "soon"\n')
    bad = run_email("mega-caps", people, smtp_server(Recorder()), tmp_path / "d.db")
    assert bad.exit_code == 1 and bad.stderr.count("\n") == 1
    assert "[email] final_reply_timeout must be a number of seconds" in bad.stderr
