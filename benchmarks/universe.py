"""Benchmark: a commentary for every ticker of a synthetic universe, against the baselines.

1. Builds N tickers x 2,520 sessions (seeded random walks, default N = 5,000) into the columnar
   store, then times, median of ``--runs`` (3) runs each: a plain loop computing the nine standard
   TA-Lib indicators over the same in-memory arrays; the whole batch (facts ledger + verified
   Markdown article per ticker) into one file per ticker; and the batch into each single-file
   sink (Parquet, SQLite, JSON Lines), each with ``--verify-sample`` (0.05) of the pages read back
   in full and every page's bound claims checked (the summary printed states it). Prints each
   against the TA-Lib loop (goals: files <= 8x, a sink <= 4x), the peak memory (goal < 2 GB),
   and the cost per ticker of each stage, measured in this process on a slice of
   ``--stage-tickers`` tickers, so the next bottleneck shows.
2. Times a cold `commentary generate` on the bundled samples against
   `python -c "import pandas, talib, jinja2"`: ratio 2 (goal <= 1.3x).
3. Runs a slice of the batch on a 1-worker and a 2-worker Dask LocalCluster: ratio 3, the
   throughput gain (goal >= 1.6x).

Run: ``.venv/bin/python benchmarks/universe.py [--tickers 5000] [--runs 3] [--dask-tickers 500]``.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import BARE, GENERATE, timed
from indicators import plain_talib, synthetic_universe
from stages import staged

from commentary.batch import run_batch
from commentary.sinks import SINKS
from commentary.sources.store import UniverseStore


def peak_mb() -> float:
    """Peak resident memory of this process and its finished children, in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def stage_costs(
    pairs: list[tuple[str, str | None]], store: UniverseStore, root: Path, sample: float
) -> None:
    """Milliseconds per ticker in each stage, one worker in this process, files and a sink."""
    for sink in ("files", "parquet"):
        with staged() as clock:
            started = time.perf_counter()
            target = root / ("stages" if sink == "files" else "stages.parquet")
            run_batch(pairs, store, target, sink=None if sink == "files" else sink,
                      verify_sample=sample)  # fmt: skip
            total = time.perf_counter() - started
        costs = {stage: 1000 * s / len(pairs) for stage, s in clock.seconds.items()}
        costs["other (set-up, bookkeeping)"] = 1000 * total / len(pairs) - sum(costs.values())
        print(f"per-ticker cost by stage, batch -> {sink}, 1 worker, {len(pairs)} tickers: "
              f"{1000 * total / len(pairs):.2f} ms")  # fmt: skip
        for stage, ms in sorted(costs.items(), key=lambda item: -item[1]):
            print(f"  {stage:<28} {ms:7.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickers", type=int, default=5000)
    parser.add_argument("--sessions", type=int, default=2520)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--dask-tickers", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3, help="median of N runs of each batch")
    parser.add_argument("--stage-tickers", type=int, default=200)
    parser.add_argument("--verify-sample", type=float, default=0.05,
                        help="share of pages read back in full (1: every page)")  # fmt: skip
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        universe = synthetic_universe(args.tickers + 1, args.sessions)
        benchmark = universe[0]
        columns = ("dates", "open", "high", "low", "close", "volume")
        benchmark = type(benchmark)("^BENCH", *(getattr(benchmark, f) for f in columns))
        bars = {b.symbol: b for b in universe[1:]} | {"^BENCH": benchmark}
        store = UniverseStore(root / "store")
        started = time.perf_counter()
        store.write(bars)
        print(f"store: {len(bars)} series written in {time.perf_counter() - started:.1f} s")

        runs = args.runs
        baseline = statistics.median(plain_talib(universe[1:]) for _ in range(runs))
        pairs = [(symbol, "^BENCH") for symbol in bars if symbol != "^BENCH"]
        print(f"plain TA-Lib loop (9 indicators):     {baseline:8.2f} s (median of {runs})")
        for sink in ("files", *SINKS):
            times, summary = [], ""
            for run in range(runs):
                out = root / (f"files{run}" if sink == "files" else f"site{run}.{sink}")
                started = time.perf_counter()
                report = run_batch(pairs, store, out, workers=args.workers,
                                   sink=None if sink == "files" else sink,
                                   verify_sample=args.verify_sample)  # fmt: skip
                times.append(time.perf_counter() - started)
                summary = report.summary()
            median = statistics.median(times)
            goal = 8 if sink == "files" else 4
            print(f"batch -> {sink:<8} {args.workers} worker(s): {median:8.2f} s = "
                  f"{median / baseline:5.1f}x the TA-Lib loop (goal <= {goal}x; "
                  f"runs {', '.join(f'{s:.1f}' for s in times)} s; {summary})")  # fmt: skip
        print(f"peak memory: {peak_mb():.0f} MB (goal < 2048 MB)")
        stage_costs(pairs[: args.stage_tickers], store, root, args.verify_sample)

        bare = min(timed(BARE) for _ in range(3))
        cold = min(timed(GENERATE) for _ in range(3))
        print(f"ratio 2: cold generate {cold:.2f} s vs bare imports {bare:.2f} s = "
              f"{cold / bare:.2f}x (goal <= 1.3x)")  # fmt: skip

        from distributed import LocalCluster

        slice_ = pairs[: args.dask_tickers]
        seconds = {}
        for workers in (1, 2):
            with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                              dashboard_address=None) as cluster:  # fmt: skip
                started = time.perf_counter()
                run_batch(slice_, store, root / f"dask{workers}", dask=cluster.scheduler_address,
                          verify_sample=args.verify_sample)  # fmt: skip
                seconds[workers] = time.perf_counter() - started
        print(
            f"ratio 3: Dask 2 workers vs 1: {seconds[1] / seconds[2]:.2f}x throughput "
            f"({seconds[1]:.1f} s vs {seconds[2]:.1f} s for {len(slice_)} tickers; goal >= 1.6x)"
        )


if __name__ == "__main__":
    main()
