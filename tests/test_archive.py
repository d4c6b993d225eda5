"""The issue archive, its backfill and the scorecard, through the commands a user runs."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from commentary.archive import Archive
from commentary.archive.backfill import backfill, sessions_between
from commentary.cli import cli
from commentary.playbooks import load_playbook
from commentary.resources import samples_data_dir
from commentary.sources import open_source

FROM, TO = "2020-03-02", "2020-04-17"


def run(*args: str) -> Any:
    result = CliRunner().invoke(cli, list(args))
    return result


@pytest.fixture(scope="module")
def backfilled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("archive") / "archive.sqlite3"
    result = CliRunner().invoke(cli, ["archive", "backfill", "default", "--from", FROM, "--to", TO,
                                      "--archive", str(path)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "written 34, already archived 0, failed 0" in result.stdout
    return path


def test_a_backfill_writes_each_session_once_and_a_rerun_writes_nothing(backfilled: Path) -> None:
    again = run("archive", "backfill", "default", "--from", FROM, "--to", TO,
                "--archive", str(backfilled))  # fmt: skip
    assert "written 0, already archived 34, failed 0" in again.stdout
    with Archive(backfilled) as archive:
        issues = archive.issues("default")
    assert [i.as_of.isoformat() for i in issues][:2] == ["2020-03-02", "2020-03-03"]
    assert len(issues) == 34 and {i.version for i in issues} == {1}


def test_an_interrupted_backfill_completes_without_duplicates(tmp_path: Path) -> None:
    book = load_playbook("default")
    days = sessions_between(dt.date(2020, 4, 1), dt.date(2020, 4, 17))
    written: list[Any] = []

    def stop_after_four(day: Any, outcome: str) -> None:
        written.append(day)
        if len(written) == 4:
            raise KeyboardInterrupt

    with Archive(tmp_path / "a.sqlite3") as archive:
        with pytest.raises(KeyboardInterrupt):
            backfill(archive, "default", book, open_source(None, None), days[0], days[-1],
                     progress=stop_after_four)  # fmt: skip
        assert len(archive.issues("default")) == 4
        report = backfill(archive, "default", book, open_source(None, None), days[0], days[-1])
        dates = [i.as_of for i in archive.issues("default")]
    assert (len(report.skipped), len(report.written)) == (4, len(days) - 4)
    assert dates == days and len(set(dates)) == len(dates)


def test_the_same_inputs_change_nothing_and_new_inputs_are_kept_beside(tmp_path: Path) -> None:
    path = str(tmp_path / "a.sqlite3")
    out = tmp_path / "a.md"
    first = run("generate", "--as-of", "2020-04-17", "--archive", path, "--output", str(out))
    second = run("generate", "--as-of", "2020-04-17", "--archive", path, "--output", str(out))
    reseeded = run("generate", "--as-of", "2020-04-17", "--archive", path, "--seed", "7")
    assert "archived" not in first.stderr + second.stderr
    assert "archived as version 2, beside the earlier version" in reseeded.stderr
    # A status line, marked as one: a script reading stderr for errors and warnings skips it.
    assert all(line.startswith(("note: ", "warning: ")) for line in reseeded.stderr.splitlines())
    with Archive(Path(path)) as archive:
        one, two = archive.issues("default")
        assert archive.markdown_of(one.id) == out.read_text()
        assert archive.markdown_of(two.id) == reseeded.stdout != out.read_text()
        assert archive.deliveries(one.id) == [("file", str(out.resolve()))]
    shown = run("archive", "show", "2020-04-17", "--playbook", "default", "--version", "1",
                "--archive", path)  # fmt: skip
    assert shown.stdout == out.read_text()
    listed = json.loads(run("archive", "list", "--format", "json", "--archive", path).stdout)
    assert [row["version"] for row in listed] == [1, 2]


def test_two_daily_runs_at_once_leave_one_row_and_one_set_of_outputs(tmp_path: Path) -> None:
    archive, out = tmp_path / "a.sqlite3", tmp_path / "drafts"
    command = [
        sys.executable,
        "-m",
        "commentary",
        "daily",
        "default",
        "--date",
        "2020-04-17",
        "--out",
        str(out),
        "--no-publish",
        "--no-email",
        "--archive",
        str(archive),
    ]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(2)]  # fmt: skip
    for process in runs:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err.decode()
    with sqlite3.connect(archive) as db:
        assert db.execute("SELECT COUNT(*) FROM issues").fetchone()[0] == 1
    assert sorted(p.suffix for p in out.iterdir()) == [".html", ".md"]


def test_an_unusable_archive_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_text("not a database at all" * 100)
    result = run("archive", "list", "--archive", str(bad))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "not a usable archive" in result.stderr


def _closes(symbol: str) -> tuple[list[str], list[float]]:
    with open(samples_data_dir() / f"{symbol}.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [r["Date"] for r in rows], [float(r["Close"]) for r in rows]


def test_the_scorecard_counts_recomputed_from_the_ledgers_and_the_csv(backfilled: Path) -> None:
    result = run("scorecard", "default", "--archive", str(backfilled), "--format", "json")
    assert result.exit_code == 0, result.output
    totals = {t["horizon"]: t for t in json.loads(result.stdout)["totals"]}
    expected: dict[int, Counter[str]] = {5: Counter(), 21: Counter()}
    with sqlite3.connect(backfilled) as db:
        rows = db.execute("SELECT as_of, ledger FROM issues ORDER BY as_of, version").fetchall()
    newest = {day: json.loads(text) for day, text in rows}
    for day, ledger in newest.items():
        for call in ledger["calls"]:
            dates, closes = _closes(call["subject"])
            start = dates.index(day)
            for horizon, tally in expected.items():
                if start + horizon >= len(dates):
                    continue
                path = closes[start + 1 : start + horizon + 1]
                forward = closes[start + horizon] / closes[start] - 1
                tally["calls"] += 1
                tally["rose"] += forward > 0
                level = call["level"]
                if level is not None:
                    tally["levels"] += 1
                    below = level["side"] == "below"
                    tally["held"] += all((c >= level["price"]) if below else (c <= level["price"])
                                         for c in path)  # fmt: skip
                if call["lean"] != "neutral":
                    tally["leans"] += 1
                    tally["right"] += (forward > 0) == (call["lean"] == "bullish")
    for horizon, tally in expected.items():
        got = totals[horizon]
        assert tally["calls"] > 20
        assert {k: got[k] for k in tally} == dict(tally), horizon
    text = run("scorecard", "default", "--archive", str(backfilled)).stdout
    five = totals[5]
    assert (
        f"levels held {five['held']} of {five['levels']}; leans right {five['right']} of "
        f"{five['leans']}; the price rose anyway in {five['rose']} of {five['calls']}."
    ) in text


def _open_at_once(path: str, barrier: Any) -> None:
    barrier.wait()
    with Archive(Path(path)):
        pass


def test_processes_opening_one_new_archive_at_once_all_succeed(tmp_path: Path) -> None:
    """Two `daily` runs at once once failed with "database is locked": the switch of a new file
    to WAL mode does not wait for SQLite's busy timeout, so it must be retried."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    for round_ in range(12):
        path = str(tmp_path / f"a{round_}.sqlite3")
        barrier = context.Barrier(6)
        workers = [context.Process(target=_open_at_once, args=(path, barrier)) for _ in range(6)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(60)
        assert [w.exitcode for w in workers] == [0] * 6, round_


def test_output_dash_is_archived_as_stdout_not_as_a_file(tmp_path: Path) -> None:
    """``--output -`` prints the article; the archive recorded it as a file named "-" in the
    working directory, which no one wrote (found by a reviewer's run)."""
    path = str(tmp_path / "a.sqlite3")
    done = run("generate", "--as-of", "2020-04-17", "--archive", path, "--output", "-")
    assert done.stdout.startswith("# ")
    with Archive(Path(path)) as archive:
        (issue,) = archive.issues("default")
        assert archive.deliveries(issue.id) == [("stdout", "-")]
