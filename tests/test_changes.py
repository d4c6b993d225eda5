"""What changed since the last issue, and the scorecard line, over a backfilled archive."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import itertools
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commentary.archive import Archive
from commentary.changes import ArchiveMemory, what_changed
from commentary.changes.model import Since
from commentary.cli import cli
from commentary.ledger import build_ledger
from commentary.pipeline import analyse, derive_facts, write_article
from commentary.plan import plan_article
from commentary.playbooks import load_playbook
from commentary.resources import samples_data_dir
from commentary.rules import RuleBook
from commentary.settings import DEFAULT_SETTINGS
from commentary.sources import open_source
from commentary.verify import read_back

FROM, TO = "2020-03-02", "2020-04-17"
WEEK = ["2020-04-14", "2020-04-15", "2020-04-16", "2020-04-17"]


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture(scope="module")
def backfilled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("changes") / "archive.sqlite3"
    result = run("archive", "backfill", "default", "--from", FROM, "--to", TO,
                 "--archive", str(path))  # fmt: skip
    assert result.exit_code == 0, result.output
    return path


def issues(path: Path) -> dict[str, tuple[int, dict[str, Any], str]]:
    """Each date's newest issue: its row id, ledger and Markdown."""
    with Archive(path) as archive:
        return {
            i.as_of.isoformat(): (i.id, archive.ledger_of(i.id), archive.markdown_of(i.id))
            for i in archive.issues("default")
        }


def facts_of(ledger: dict[str, Any], symbol: str = "^GSPC") -> list[dict[str, Any]]:
    return next(e["facts"] for e in ledger["instruments"] if e["symbol"] == symbol)


def sentences_with(markdown: str, *words: str) -> list[str]:
    text = " ".join(line for line in markdown.splitlines() if not line.startswith("- "))
    return [s for s in text.split(". ") if all(w in s for w in words)]


def test_the_2825_level_is_a_repeat_crossing_not_fresh_news_each_day(backfilled: Path) -> None:
    archived = issues(backfilled)
    # Fresh news is told with its level: in the headline ("S&P 500 Breaks Above 2,825") or in a
    # sentence that says it happened today.
    fresh = {
        day: sentences_with(archived[day][2], "2,825", "today")
        or "Above 2,825" in archived[day][2].splitlines()[0]
        for day in WEEK
    }
    # April 14 broke the level for the first time in the window: news, said as news once.
    assert fresh["2020-04-14"] and not fresh["2020-04-15"] and not fresh["2020-04-17"]
    repeats = {}
    for day in WEEK:
        _, ledger, _markdown = archived[day]
        found = [f for f in facts_of(ledger) if f["message"] == "level_recross"]
        if found:
            repeats[day] = found[0]["values"]
            # Today's level-break fact is still in the ledger, marked as said by the change fact.
            assert ["^GSPC", found[0]["values"]["replaces"]] in ledger["superseded"]
    assert sorted(repeats) == ["2020-04-15", "2020-04-17"]
    assert all(2815 <= values["level"] <= 2835 for values in repeats.values())
    back = repeats["2020-04-15"]
    assert (back["direction"], back["times"], back["since_opposite"]) == ("below", 1, 1)
    again = repeats["2020-04-17"]
    assert (again["direction"], again["times"], again["sessions"], again["crossings"]) == (
        "above", 2, 4, 3)  # fmt: skip
    assert "back below 2,825 one session after breaking above it" in archived["2020-04-15"][2]
    # The second crossing is in the ledger, but the page leaves it out for the day's news (its
    # first close above the 50-day average since February): a level changing hands is noise.
    assert "back above 2,825" not in archived["2020-04-17"][2]
    # And each compares with the issue archived the session before.
    for before, day in itertools.pairwise(WEEK):
        since = archived[day][1]["since"]
        assert (since["source"], since["as_of"], since["issue"]) == (
            "archive", before, archived[before][0])  # fmt: skip


def test_the_death_cross_is_news_once_and_a_standing_condition_after(backfilled: Path) -> None:
    archived = issues(backfilled)
    news = [day for day, (_, ledger, _) in archived.items()
            if any(f["id"] == "averages.cross.death_fresh" for f in facts_of(ledger))]  # fmt: skip
    assert news == ["2020-03-30"]
    assert sentences_with(archived["2020-03-30"][2], "death cross", "today")
    later = [day for day in archived if day > "2020-03-30"]
    for day in later:
        _, ledger, markdown = archived[day]
        ids = {f["id"] for f in facts_of(ledger)}
        assert "averages.cross.death" in ids and "averages.cross.death_fresh" not in ids
        assert "death cross today" not in markdown and "Death Cross" not in markdown.splitlines()[0]


def closes(symbol: str) -> tuple[list[dt.date], list[float]]:
    with (samples_data_dir() / f"{symbol}.csv").open() as handle:
        rows = [
            (dt.date.fromisoformat(r["Date"]), float(r["Close"])) for r in csv.DictReader(handle)
        ]
    return [d for d, _ in rows], [c for _, c in rows]


def test_the_scorecard_line_recounts_from_the_archive_rows_and_the_csv(backfilled: Path) -> None:
    """Recounted here from the archived ledgers' calls and the price file, without the grader."""
    archived = issues(backfilled)
    dates, close = closes("^GSPC")
    for day in ("2020-04-01", "2020-04-17"):
        _, ledger, markdown = archived[day]
        line = ledger["scorecard"]
        graded = []
        for when, (row, earlier, _) in sorted(archived.items()):
            if when >= day:
                continue
            call = next(c for c in earlier["calls"] if c["subject"] == "^GSPC")
            start = dates.index(dt.date.fromisoformat(when))
            end = start + 5
            if (
                call["level"] is None
                or end >= len(dates)
                or dates[end] > dt.date.fromisoformat(day)
            ):
                continue
            path = close[start + 1 : end + 1]
            price = call["level"]["price"]
            held = all(c >= price for c in path) if call["level"]["side"] == "below" else all(
                c <= price for c in path)  # fmt: skip
            graded.append((row, when, held, close[end] > close[start]))
        graded = graded[-20:]
        assert [r["issue"] for r in line["rows"]] == [g[0] for g in graded]
        assert [r["as_of"] for r in line["rows"]] == [g[1] for g in graded]
        held, rose = sum(g[2] for g in graded), sum(g[3] for g in graded)
        assert (line["levels"], line["held"], line["rose"]) == (len(graded), held, rose)
        assert (f"Of the last {len(graded)} levels flagged here for the S&P, {held} held over "
                f"the following five sessions; the S&P rose in {rose} of those "
                f"{len(graded)} windows anyway.") in markdown  # fmt: skip


def test_a_backfill_killed_mid_way_and_rerun_writes_the_same_history(
    backfilled: Path, tmp_path: Path
) -> None:
    """SIGKILL, not an exception: the rerun completes without duplicates, and since each issue
    reads the one archived before it, the history is the one an unbroken backfill writes."""
    path = tmp_path / "a.sqlite3"
    command = [sys.executable, "-m", "commentary", "archive", "backfill", "default", "--from",
               FROM, "--to", TO, "--archive", str(path)]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    written = 0
    while time.monotonic() < deadline and process.poll() is None and written < 5:
        time.sleep(0.05)
        if path.exists():
            try:
                with sqlite3.connect(path) as db:
                    written = db.execute("SELECT COUNT(*) FROM issues").fetchone()[0]
            except sqlite3.OperationalError:
                written = 0  # the schema is not there yet
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert 5 <= written < 34, written
    result = run("archive", "backfill", "default", "--from", FROM, "--to", TO,
                 "--archive", str(path))  # fmt: skip
    assert result.exit_code == 0, result.output
    with Archive(path) as resumed, Archive(backfilled) as whole:
        again = [(i.as_of, i.version, i.inputs_sha256) for i in resumed.issues("default")]
        once = [(i.as_of, i.version, i.inputs_sha256) for i in whole.issues("default")]
    assert len(again) == 34 == len({day for day, _, _ in again})
    assert again == once


def test_without_an_archive_the_article_compares_with_the_previous_session() -> None:
    written = write_article(load_playbook("default"), as_of=dt.date(2020, 4, 17))
    since = written.ledger["since"]
    assert (since["source"], since["as_of"], since["issue"]) == (
        "previous session", "2020-04-16", None)  # fmt: skip
    assert [f for f in facts_of(written.ledger) if f["message"] == "level_recross"]
    assert written.ledger["scorecard"] is None and "levels flagged here" not in written.markdown


def test_generate_compares_with_the_last_archived_issue_however_far_back(tmp_path: Path) -> None:
    path = str(tmp_path / "a.sqlite3")
    assert run("generate", "--as-of", "2020-04-09", "--archive", path).exit_code == 0
    result = run("generate", "--as-of", "2020-04-17", "--archive", path)
    assert result.exit_code == 0, result.output
    archived = issues(Path(path))
    since = archived["2020-04-17"][1]["since"]
    assert (since["source"], since["as_of"], since["issue"], since["sessions"]) == (
        "archive", "2020-04-09", archived["2020-04-09"][0], 5)  # fmt: skip
    assert "ince the last issue (April 9)" in result.stdout  # "Since …" or "… since …"


def test_news_weighs_the_paragraphs_never_the_lean() -> None:
    """Leaving out a level break the change facts say as a repeat must not turn a bottom line:
    on June 24, 2016 the S&P 500 broke back below 2,100 and stays a bearish call. It closed
    about three average daily ranges under that level, so the repeat is not told either."""
    book = load_playbook("mega-caps")
    written = write_article(book, as_of=dt.date(2016, 6, 24))
    rules = RuleBook.load()
    changes = what_changed(written.analysis, written.facts, DEFAULT_SETTINGS, rules)
    assert ("^GSPC", "levels.break.below") in changes.superseded
    plain = plan_article(written.analysis, written.facts, book)
    weighed = plan_article(written.analysis, written.facts, book, changes)
    for mine, theirs in zip(weighed.sections, plain.sections, strict=True):
        assert (mine.bottom_line.lean, mine.bottom_line.balance) == (
            theirs.bottom_line.lean, theirs.bottom_line.balance)  # fmt: skip
    spx = next(s for s in weighed.sections if s.subject == "^GSPC")
    shown = {f.id for p in spx.paragraphs for s in p for f in s.facts}
    assert "levels.break.below" not in shown
    assert not any(c.message == "level_recross" for c in spx.changes)


PLANTED = [
    ("for the second time in four sessions", "for the third time in four sessions"),
    ("for the second time in four sessions", "for the second time in five sessions"),
    ("is back above 2,825 for", "is back above 2,850 for"),
    ("is back above 2,825 for", "is back below 2,825 for"),
    ("winning streak of four sessions", "winning streak of six sessions"),
]


@pytest.mark.parametrize(("original", "planted"), PLANTED)
def test_a_wrong_change_claim_is_refused(original: str, planted: str) -> None:
    book = dataclasses.replace(load_playbook("default"), detail="full")
    written = write_article(book, as_of=dt.date(2020, 4, 17))
    assert original in written.markdown
    report = read_back(written.markdown.replace(original, planted, 1), written.ledger)
    assert report.mismatches, planted


def test_a_wrong_scorecard_count_or_last_issue_date_is_refused(backfilled: Path) -> None:
    book = load_playbook("default")
    with Archive(backfilled) as archive:
        memory = ArchiveMemory(archive, "default")
        written = write_article(book, as_of=dt.date(2020, 4, 17), memory=memory)
        zone = write_article(book, as_of=dt.date(2020, 4, 14), memory=memory)
    line, text = written.ledger["scorecard"], written.markdown
    held = f", {line['held']} held over"
    assert held in text
    for planted in (
        text.replace(held, f", {line['held'] + 1} held over"),
        text.replace(f"rose in {line['rose']} of", f"rose in {line['rose'] - 1} of"),
    ):
        assert read_back(planted, written.ledger).mismatches
    said = "Amazon's RSI has risen to 71.6 since the last issue (April 13)"
    assert said in zone.markdown and not read_back(zone.markdown, zone.ledger).mismatches
    for wrong in (
        said.replace("April 13", "April 10"),
        said.replace("71.6", "77.6"),
        said.replace("risen", "fallen"),
    ):
        assert read_back(zone.markdown.replace(said, wrong), zone.ledger).mismatches, wrong


def test_check_recomputes_the_past_from_the_archive_rows_the_ledger_names(
    backfilled: Path, tmp_path: Path
) -> None:
    from commentary.ledger import dumps

    with Archive(backfilled) as archive:
        written = write_article(load_playbook("default"), as_of=dt.date(2020, 4, 17),
                                memory=ArchiveMemory(archive, "default"))  # fmt: skip
    article = tmp_path / "issue.md"
    article.write_text(written.markdown, encoding="utf-8")

    def check(ledger: dict[str, Any]) -> Any:
        path = tmp_path / "ledger.json"
        path.write_text(dumps(ledger), encoding="utf-8")
        return run("check", str(article), "--facts", str(path), "--archive", str(backfilled))

    good = check(written.ledger)
    assert good.exit_code == 0, good.output
    line = written.ledger["scorecard"]
    moved = [{**row, "issue": row["issue"] - 1} for row in line["rows"]]
    other_rows = {**written.ledger, "scorecard": {**line, "rows": moved}}
    other_since = {
        **written.ledger,
        "since": {**written.ledger["since"], "inputs_sha256": "0" * 64},
    }
    for ledger, said in ((other_rows, "does not grade as the ledger says"),
                         (other_since, "other inputs than the ledger says")):  # fmt: skip
        result = check(ledger)
        assert result.exit_code == 1 and said in result.stderr, result.output
        assert result.stderr.count("\n") == 1


def test_a_week_old_last_issue_gives_levels_crossed_and_crosses_in_between(tmp_path: Path) -> None:
    """A weekly reader: the issue of March 27 compares with March 20's, five sessions back."""
    book = load_playbook("default")
    with Archive(tmp_path / "a.sqlite3") as archive:
        before = write_article(book, as_of=dt.date(2020, 3, 20))
        archive.record("default", dt.date(2020, 3, 20), book.persona, before.ledger,
                       before.markdown)  # fmt: skip
        written = write_article(book, as_of=dt.date(2020, 3, 27),
                                memory=ArchiveMemory(archive, "default"))  # fmt: skip
    assert written.ledger["since"]["sessions"] == 5
    text = written.markdown
    crossed = "Since the last issue (March 20), Amazon has moved above the resistance near $92.50"
    between = "Between issues, a bullish MACD crossover formed on March 23."
    assert crossed in text and between in text
    amazon = next(e for e in written.ledger["instruments"] if e["symbol"] == "AMZN")
    resistance = next(f for f in amazon["facts"] if f["message"] == "level_crossed")["values"]
    previous = next(e for e in before.ledger["instruments"] if e["symbol"] == "AMZN")
    assert resistance["level"] == previous["states"]["levels"]["resistance"]["price"]
    # The chart draws every level the text names, these too.
    for entry in written.ledger["instruments"]:
        for fact in entry["facts"]:
            if fact["message"] in ("level_crossed", "level_recross"):
                level = fact["values"]["level"]
                assert any(abs(x["price"] - level) < 1e-9 for x in entry["chart"]["levels"])
    for wrong in (between.replace("March 23", "March 24"), between.replace("bullish", "bearish"),
                  crossed.replace("$92.50", "$95")):  # fmt: skip
        planted = text.replace(between if wrong.startswith("Between") else crossed, wrong)
        assert read_back(planted, written.ledger).mismatches, wrong


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])  # fmt: skip
@given(
    playbook=st.sampled_from(["default", "mega-caps"]),
    offset=st.integers(min_value=0, max_value=1500),
    gap=st.integers(min_value=1, max_value=10),
    persona=st.sampled_from(["technical-trader", "morning-brief"]),
)
def test_every_change_claim_is_bound_whatever_the_gap_to_the_last_issue(
    tmp_path_factory: pytest.TempPathFactory, playbook: str, offset: int, gap: int, persona: str
) -> None:
    from commentary.archive.backfill import sessions_between

    book = dataclasses.replace(load_playbook(playbook), persona=persona)
    start = dt.date(2015, 1, 2) + dt.timedelta(days=offset)
    days = sessions_between(start, start + dt.timedelta(days=20))
    first, last = days[0], days[min(gap, len(days) - 1)]
    path = tmp_path_factory.mktemp("gap") / "a.sqlite3"
    with Archive(path) as archive:
        before = write_article(book, as_of=first)
        archive.record(playbook, first, persona, before.ledger, before.markdown)
        written = write_article(book, as_of=last, memory=ArchiveMemory(archive, playbook),
                                verify=False)  # fmt: skip
    assert written.ledger["since"]["as_of"] == first.isoformat()
    report = read_back(written.markdown, written.ledger)
    assert report.mismatches == []
    assert report.unbound_claims == [], [str(c) for c in report.unbound_claims]


class _FullPreviousSession:
    """A memory whose last issue is the previous session's whole ledger, built as an issue's
    is (every rule, the events stage, the comparisons): what ``previous_session`` computed
    before it kept only what the comparison reads."""

    playbook = "full previous session"

    def __init__(self, before: Any) -> None:
        self.before = before

    def previous(self, as_of: dt.date) -> tuple[Since, dict[str, Any]]:
        return Since("previous session", self.before.as_of), self.before.ledger

    def graded(self, *_: Any) -> list[Any]:
        return []


@pytest.mark.parametrize("playbook", ["default", "mega-caps"])
def test_the_previous_session_compares_as_its_whole_ledger_would(playbook: str) -> None:
    """``previous_session`` keeps only the close, levels, momentum and the facts on the news
    topics of the session before; on 40 sessions, calm and wild, today's changes against it
    are the changes against the previous session's whole ledger."""
    book = load_playbook(playbook)
    rules = RuleBook.load()
    source = open_source()
    symbols = [i.symbol for i in book.instruments]
    pairs = [(c.symbol, c.benchmark) for c in book.comparisons]
    dates = source.load(symbols[0]).dates.astype("datetime64[D]").astype(object)
    days = [d for d in dates if d.year in (2016, 2018, 2020)][::19][:40]
    for day in days:
        analysis = analyse(symbols, source=source, as_of=day, pairs=pairs)
        facts = derive_facts(analysis, rules)
        previous_day = analysis.instruments[0].bars.dates[-2].astype("datetime64[D]").item()
        before = analyse(symbols, source=source, as_of=previous_day, pairs=pairs)
        whole = build_ledger(before, derive_facts(before, rules))
        memory = _FullPreviousSession(dataclasses.make_dataclass(
            "Before", ["as_of", "ledger"])(previous_day, whole))  # fmt: skip
        lean = what_changed(analysis, facts, DEFAULT_SETTINGS, rules)
        full = what_changed(analysis, facts, DEFAULT_SETTINGS, rules, memory)
        assert lean.since is not None and lean.since.as_of == previous_day
        assert (lean.facts, lean.old_news, lean.superseded) == (
            full.facts, full.old_news, full.superseded), day  # fmt: skip
