"""Benchmark: loading a large user rule file (``RuleBook.load``), which must grow linearly.

Generates rule files of about 0.15, 0.3, 0.6 and 1.2 MB (copies of one valid rule under new ids)
and times reading, checking and path-checking each. Linear loading roughly doubles the time with
the size; the quadratic line search this replaced took 143 s for 1.2 MB. Run:
``.venv/bin/python benchmarks/rule_loading.py [--megabytes 1.2]``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from commentary.rules import RuleBook

RULE = """
[[rule]]
id = "house.rule{n}"
topic = "house.topic{n}"
scope = "symbol"
section = "momentum"
polarity = "bearish"
salience = 0.5
message = "rsi"
description = "RSI above a house threshold"
when = {{ all = [
  {{ path = "momentum.rsi", gt = {{ setting = "momentum.rsi_overbought", scale = 0.9 }} }},
  {{ path = "momentum.rsi_zone", ne = "oversold" }},
] }}
values = {{ rsi_14 = "momentum.rsi", zone = "momentum.rsi_zone" }}
text = "RSI at {{rsi_14:.1f}} ({{zone}})"
"""


def rule_file(megabytes: float) -> str:
    size = len(RULE.format(n=0))
    return "".join(RULE.format(n=n) for n in range(int(megabytes * 1_000_000 / size)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=1.2, help="largest file (MB)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "house.toml"
        for fraction in (0.125, 0.25, 0.5, 1.0):
            text = rule_file(args.megabytes * fraction)
            path.write_text(text, encoding="utf-8")
            started = time.perf_counter()
            book = RuleBook.load([path])
            seconds = time.perf_counter() - started
            user = sum(1 for rule in book.rules if rule.origin == str(path))
            print(f"{len(text) / 1e6:5.2f} MB  {user:6d} rules  {seconds:6.2f} s")


if __name__ == "__main__":
    main()
