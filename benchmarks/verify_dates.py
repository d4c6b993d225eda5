"""Every bundled playbook on N random historical dates: generate, then verify every claim.

Prints, per playbook, the articles written (both personas), the mismatches found in Markdown,
text and HTML (the goal is zero), the claims bound to ledger fields and unbound (goal: zero
unbound), and the time taken. Run:
``.venv/bin/python benchmarks/verify_dates.py [--dates 50] [--seed 7]``; exits 1 on any mismatch.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import warnings

from commentary.errors import DataWarning
from commentary.outputs import render_output
from commentary.pipeline import write_article
from commentary.playbooks import bundled_playbooks, load_playbook
from commentary.sources import open_source
from commentary.verify import read_back

PERSONAS = ("technical-trader", "morning-brief")


def session_dates(playbook_name: str) -> list:  # type: ignore[type-arg]
    """Sessions every symbol of the playbook holds, after a year of warm-up."""
    source = open_source()
    book = load_playbook(playbook_name)
    common = None
    for symbol in book.symbols:
        days = set(source.load(symbol).dates.tolist())
        common = days if common is None else common & days
    return sorted(common or [])[252:]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dates", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    warnings.simplefilter("ignore", DataWarning)
    rng = random.Random(args.seed)
    failures = 0
    for name in bundled_playbooks():
        started = time.perf_counter()
        book = load_playbook(name)
        mismatches = bound = unbound = 0
        days = rng.sample(session_dates(name), args.dates)
        for day in sorted(days):
            for persona in PERSONAS:
                article = write_article(book, as_of=day, persona=persona, verify=False)
                ledger = json.loads(render_output(article, "json"))
                for fmt in ("markdown", "text", "html"):
                    report = read_back(render_output(article, fmt), ledger)
                    found = report.mismatches + report.unbound_claims
                    mismatches += len(report.mismatches)
                    bound, unbound = bound + report.bound, unbound + report.unbound
                    for mismatch in found[:3]:
                        print(f"  {name} {day} {persona} {fmt}: {mismatch}")
        failures += mismatches
        took = time.perf_counter() - started
        renderings = len(days) * len(PERSONAS) * 3
        print(f"{name}: {len(days)} dates, {renderings} renderings, {mismatches} mismatches, "
              f"{bound} claims bound, {unbound} unbound ({took:.1f} s)")  # fmt: skip
    print(f"total mismatches: {failures}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
