"""Benchmark: a cold `commentary generate` on the bundled samples against the bare imports.

Runs, alternately and in fresh processes, ``python -c "import pandas, talib, jinja2"`` and
``python -m commentary generate`` (the default playbook, output discarded), and prints the median
wall time of each and their ratio. Run: ``.venv/bin/python benchmarks/generate.py [--runs N]``.

Both sides start with their byte-code on disk, as an installed package has it: the libraries'
wheels brought theirs, and a first run writes ours. The warm-up run is allowed to write it even
where ``PYTHONDONTWRITEBYTECODE`` is set (an editable checkout otherwise recompiles every module of
ours on every start, about 80 ms here, which no installed copy pays).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

BARE = [sys.executable, "-c", "import pandas, talib, jinja2"]
GENERATE = [sys.executable, "-m", "commentary", "generate"]


def timed(command: list[str], env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(
        command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    # Warm the file cache and write our byte-code once, as installing the package would.
    writing = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    timed(GENERATE, writing)
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
