"""``check --archive``: what an article says about its past, recomputed from the archive rows
its ledger names (and the price data), not taken from the ledger's word."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..bars import Bars

if TYPE_CHECKING:
    from ..archive import Archive


def recheck(ledger: dict[str, Any], archive: Archive, load: Callable[[str], Bars]) -> list[str]:
    """One sentence per disagreement between ``ledger``'s ``since`` and ``scorecard`` and what
    the archive rows they name (graded with ``load``'s bars up to the ledger's date) give."""
    problems = []
    since = ledger.get("since") or {}
    if since.get("source") == "archive":
        issue = archive.find(int(since["issue"]))
        if issue is None:
            problems.append(f"the ledger compares with archive issue {since['issue']}, which the "
                            "archive does not hold.")  # fmt: skip
        elif (issue.as_of.isoformat(), issue.playbook, issue.inputs_sha256) != (
            since["as_of"], since["playbook"], since["inputs_sha256"]):  # fmt: skip
            problems.append(f"archive issue {issue.id} is {issue.playbook} {issue.as_of} with "
                            "other inputs than the ledger says it compared with.")  # fmt: skip
    line = ledger.get("scorecard")
    if line:
        problems += _recount(line, archive, load, dt.date.fromisoformat(ledger["as_of"]))
    return problems


def _recount(
    line: dict[str, Any], archive: Archive, load: Callable[[str], Bars], as_of: dt.date
) -> list[str]:
    from ..archive.scorecard import _grade

    bars = load(line["subject"]).until(as_of)
    held = rose = 0
    for row in line["rows"]:
        issue = archive.find(int(row["issue"]))
        calls = archive.ledger_of(issue.id).get("calls", []) if issue else []
        call = next((c for c in calls if c["subject"] == line["subject"]), None)
        grade = None
        if issue is not None and call is not None:
            grade = _grade(call, bars, issue.as_of, int(line["horizon"]), as_of)
        if grade is None or grade.held is None:
            return [f"the scorecard line's row for archive issue {row['issue']} ({row['as_of']}) "
                    "cannot be graded from the archive and the data."]  # fmt: skip
        if (grade.issue_date.isoformat(), grade.held, grade.rose) != (
            row["as_of"], row["held"], row["forward_pct"] > 0):  # fmt: skip
            return [f"the scorecard line's row for {row['as_of']} does not grade as the ledger "
                    "says."]  # fmt: skip
        held += grade.held
        rose += grade.rose
    counted = (len(line["rows"]), held, rose)
    if counted != (line["levels"], line["held"], line["rose"]):
        return [f"the scorecard line's rows give {counted[0]} levels, {held} held and {rose} "
                f"rose, not {line['levels']}, {line['held']} and {line['rose']}."]  # fmt: skip
    return []
