"""What an editor would count, printed: numbers per 100 words, sentence shapes used twice in one
article, contrast words per paragraph, and the share of shapes repeated from the previous session.

    .venv/bin/python benchmarks/prose.py [--sessions 10]

Over the bundled goldens (samples/articles/) and, per playbook, its last ``--sessions`` sessions
on the bundled samples. The issue's goals: at most 6 numbers per 100 words, no shape twice in an
article, at most 1 contrast word a paragraph, at most 15% repeated from the day before.
"num/100w" counts an instrument's name as words; "all" counts its digits too ("S&P 500").
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import itertools
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from commentary.pipeline import write_article
from commentary.playbooks import load_playbook
from commentary.render import metrics
from commentary.resources import samples_data_dir
from tests.test_articles import GOLDEN, golden_path, golden_playbook

RUNS = {"default": "2020-04-17", "tech-vs-broad-market": "2018-12-31", "mega-caps": "2019-12-31"}


def goldens() -> None:
    print(
        f"{'golden':52s} {'num/100w':>8s} {'all':>5s} {'words':>6s} {'twice':>5s} {'contrast':>8s}"
    )
    rates = []
    for playbook, as_of, persona in GOLDEN:
        text = golden_path(playbook, as_of, persona).read_text(encoding="utf-8")
        names = [i.name for i in golden_playbook(playbook).instruments]
        rate = metrics.numbers_per_100_words(text, names)
        rates.append(rate)
        every = metrics.numbers_per_100_words(text)  # a name's digits counted too
        words = len(metrics.WORD.findall(" ".join(metrics.prose_lines(text))))
        twice = len(metrics.repeated_templates(text, names))
        label = f"{playbook} {as_of}{' ' + persona if persona else ''}"
        contrast = metrics.contrast_words_per_paragraph(text)
        print(f"{label:52s} {rate:8.1f} {every:5.1f} {words:6d} {twice:5d} {contrast:8d}")
    print(f"{'median':52s} {statistics.median(rates):8.1f}")


def day_to_day(count: int) -> None:
    print(f"\n{'playbook':22s} {'sessions':>8s} {'repeated, all':>13s} {'median':>7s} {'max':>6s}")
    for playbook, last in RUNS.items():
        book = load_playbook(playbook)
        symbol = book.instruments[0].symbol
        rows = csv.reader((samples_data_dir() / f"{symbol}.csv").read_text().splitlines()[1:])
        days = [dt.date.fromisoformat(r[0]) for r in rows if r[0] <= last][-(count + 1) :]
        texts = [write_article(book, as_of=d).markdown for d in days]
        names = [i.name for i in book.instruments]
        shares = [metrics.repeated_share(a, b, names) for a, b in itertools.pairwise(texts)]
        share = metrics.repeated_over(texts, names)
        median, most = statistics.median(shares), max(shares)
        print(f"{playbook:22s} {count:8d} {share:13.0%} {median:7.0%} {most:6.0%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10)
    args = parser.parse_args()
    goldens()
    day_to_day(args.sessions)


if __name__ == "__main__":
    main()
