"""Benchmark: peak memory of reading one price CSV, per byte of file.

Writes two CSVs of about ``--megabytes`` MB (default: just under the size bound,
``commentary.sources.csvfile.MAX_FILE_BYTES``) and loads each with ``CsvSource`` in a fresh
process, printing that process's peak resident set size:

- ``clean``: every date from 1800 on, full-precision prices and a wide ignored column: the
  pandas-free fast path reads it;
- ``full check``: short rows whose dates repeat, so the fast path hands it to the pandas full
  check, which reads every cell as text before refusing the repeated dates (the worst case).

A file over the bound is refused before it is read (``tests/test_security_data.py``). Run:
``.venv/bin/python benchmarks/csv_memory.py [--megabytes N]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
from pathlib import Path

from commentary.sources.csvfile import MAX_FILE_BYTES

_LOAD = """
import resource, sys, warnings
from pathlib import Path
from commentary.errors import CommentaryError
from commentary.sources import CsvSource
warnings.simplefilter("ignore")
try:
    CsvSource(Path(sys.argv[1])).load("X")
    outcome = "read"
except CommentaryError as error:
    outcome = "refused: " + str(error)[:70]
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, outcome)
"""


def write_clean(path: Path, size: int) -> None:
    days = (dt.date(1800, 1, 1) + dt.timedelta(days=n) for n in range(146_000))
    header = "Date,Open,High,Low,Close,Adj Close,Volume,Note\n"
    rows_wanted = 146_000
    pad = "x" * max(0, size // rows_wanted - 110)
    with path.open("w") as handle:
        handle.write(header)
        for n, day in enumerate(days):
            p = 100 + (n % 50) * 0.37
            handle.write(f"{day},{p:.13f},{p + 1:.13f},{p - 1:.13f},{p + 0.5:.13f},"
                         f"{p + 0.5:.13f},{1_000_000 + n},{pad}\n")  # fmt: skip


def write_repeated(path: Path, size: int) -> None:
    with path.open("w") as handle:
        written = handle.write("Date,Open,High,Low,Close,Adj Close,Volume\n")
        n = 0
        while written < size - 200:
            day = dt.date(1900, 1, 1) + dt.timedelta(days=n % 100_000)
            p = 100 + (n % 50) * 0.37
            written += handle.write(f"{day},{p:.13f},{p + 1:.13f},{p - 1:.13f},{p + 0.5:.13f},"
                                    f"{p + 0.5:.13f},{1_000_000 + n}\n")  # fmt: skip
            n += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=(MAX_FILE_BYTES - 2**20) / 2**20)
    size = int(parser.parse_args().megabytes * 2**20)
    print(f"size bound: {MAX_FILE_BYTES / 2**20:.0f} MB")
    for name, write in (("clean", write_clean), ("full check", write_repeated)):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "X.csv"
            write(path, size)
            actual = path.stat().st_size
            run = subprocess.run([sys.executable, "-c", _LOAD, folder],
                                 capture_output=True, text=True, check=True)  # fmt: skip
            peak_kb, outcome = run.stdout.split(" ", 1)
            peak = int(peak_kb) * 1024
            print(f"{name:>10}: {actual / 2**20:6.1f} MB file, peak RSS {peak / 2**20:7.1f} MB "
                  f"({peak / actual:5.1f} bytes a byte) - {outcome.strip()}")  # fmt: skip


if __name__ == "__main__":
    main()
