"""Benchmark: a cold `commentary generate` on the bundled samples against the bare imports.

Runs, alternately and in fresh processes, ``python -c "import pandas, talib, jinja2"`` and
``python -m commentary generate`` (the default playbook, output discarded), and prints the median
wall time of each and their ratio. Run: ``.venv/bin/python benchmarks/generate.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

BARE = [sys.executable, "-c", "import pandas, talib, jinja2"]
GENERATE = [sys.executable, "-m", "commentary", "generate"]


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    timed(GENERATE)  # warm the file cache and byte-code once
    bare, generate = [], []
    for _ in range(args.runs):
        bare.append(timed(BARE))
        generate.append(timed(GENERATE))
    b, g = statistics.median(bare), statistics.median(generate)
    print(f"import pandas, talib, jinja2:   {b:6.3f} s (median of {args.runs})")
    print(f"commentary generate (cold):     {g:6.3f} s")
    print(f"ratio: {g / b:.2f}x the bare imports")


if __name__ == "__main__":
    main()
