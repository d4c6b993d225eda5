"""Benchmark: the figures budget (numbers per 100 words, every figure counted) over random dates.

Draws seeded random dates and prints, for each group, the articles measured, the median, the
maximum and the ones over the budget (``settings.writing.numbers_per_100_words``, 6):

- each bundled playbook in each persona (dates with a year of history behind them);
- universe pages, one stock against the S&P 500 (``ticker_playbook``), in each persona;
- pages of one stock with no benchmark (``commentary generate AAPL``), a persona drawn at random.

Run: ``.venv/bin/python benchmarks/figures_sample.py [--seed 808] [--dates 100] [--pages 40]``.
The closing notes' figures come from seeds 808 (100 dates), 1234 and 4242 (60 dates each).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import random
import statistics

from commentary.pipeline import write_article
from commentary.playbooks import Playbook, adhoc_playbook, load_playbook, ticker_playbook
from commentary.render import metrics
from commentary.settings import DEFAULT_SETTINGS

PERSONAS = ("technical-trader", "morning-brief")
#: The first date of each playbook's data with a year of history behind it.
FIRST = {
    "default": dt.date(2014, 1, 2),
    "mega-caps": dt.date(2014, 1, 2),
    "tech-vs-broad-market": dt.date(2003, 1, 2),
}
#: How far past ``FIRST`` a date may fall (the S&P 500 sample ends in April 2020).
SPAN_DAYS = 2200
STOCKS = ("AAPL", "AMZN", "GOOG", "META", "NFLX", "NVDA")


def report(label: str, draws: list[tuple[str, Playbook, dt.date]]) -> None:
    budget = DEFAULT_SETTINGS.writing.numbers_per_100_words
    rates, over = [], []
    for name, book, day in draws:
        rate = metrics.numbers_per_100_words(write_article(book, as_of=day).markdown)
        rates.append(rate)
        if rate > budget:
            over.append(f"{name} {day} {rate:.2f}")
    print(
        f"{label:<52} n {len(rates):>3}  median {statistics.median(rates):.2f}  "
        f"max {max(rates):.2f}  over {len(over)}" + (f": {', '.join(over)}" if over else "")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=808)
    parser.add_argument("--dates", type=int, default=100, help="dates per playbook and persona")
    parser.add_argument("--pages", type=int, default=40, help="pages per persona and kind")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    for playbook, first in FIRST.items():
        for persona in PERSONAS:
            book = dataclasses.replace(load_playbook(playbook), persona=persona)
            days = [first + dt.timedelta(days=rng.randint(0, SPAN_DAYS)) for _ in range(args.dates)]
            report(f"{playbook}, {persona}", [(playbook, book, d) for d in days])
    for persona in PERSONAS:
        draws = []
        for _ in range(args.pages):
            stock = rng.choice(STOCKS)
            day = dt.date(2014, 1, 2) + dt.timedelta(days=rng.randint(0, 2250))
            draws.append((stock, ticker_playbook(stock, "^GSPC", persona, 7), day))
        report(f"universe page against the S&P 500, {persona}", draws)
    draws = []
    for _ in range(args.pages * 2):
        stock, persona = rng.choice(STOCKS), rng.choice(PERSONAS)
        day = dt.date(2014, 1, 2) + dt.timedelta(days=rng.randint(0, 3000))
        draws.append((f"{stock} {persona}", adhoc_playbook([stock], None, persona, 0), day))
    report("one stock, no benchmark (either persona)", draws)


if __name__ == "__main__":
    main()
