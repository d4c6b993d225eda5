"""A commentary for every ticker in a universe: resumable, one bad ticker never stops the rest.

For each ticker the batch writes its article and then its facts ledger (the JSON contract plus the
article's SHA-256) atomically; a ticker is done when both exist and agree, so a rerun after an
interruption redoes only what is missing or half-done. Work runs in ``workers`` processes.
With a ``sink`` the workers hand each ticker's article and ledger back instead, and the whole
universe goes into one file (``commentary.sinks``).
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import hashlib
import json
import random
import re
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .bars import Bars
from .errors import CommentaryError, OutputError, UsageError
from .files import folder_problem, write_atomic
from .inputs import read_text_file
from .ledger import dumps
from .outputs import ledger_of, render_output
from .pipeline import write_article
from .playbooks import ticker_playbook
from .reuse import Reuse
from .rules import RuleBook
from .sinks import Row, Sink
from .sources import Source
from .symbols import normalise_symbol
from .verify import check_article, check_bound

#: File names Windows reserves whatever the extension.
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)),
             *(f"LPT{n}" for n in range(1, 10))}  # fmt: skip
SUFFIXES = {"markdown": ".md", "html": ".html", "text": ".txt"}
#: Tickers a task handles at most: a store row group holds about 50 ten-year series.
CHUNK_MAX = 64
#: A universe of every listed stock in the world is well under a megabyte.
MAX_UNIVERSE_BYTES = 16 * 1024 * 1024


def safe_name(symbol: str) -> str:
    """A file-name stem for any symbol, distinct for distinct symbols even where a file system
    ignores case (macOS, Windows).

    Upper-case letters, digits and ``. _ -`` stay; every other character (lower-case letters
    too) becomes ``~XX`` per UTF-8 byte in upper-case hex, and so does a leading ``.`` or ``_``;
    a name Windows reserves gets a leading ``_``. A stem therefore holds no lower-case letter, so
    folding case merges no two stems, and it decodes to exactly one symbol. Callers append the
    suffix (``stem + ".md"``), never ``with_suffix``, which would eat ``.B`` of ``BRK.B``.

    >>> safe_name("^GSPC"), safe_name("BRK.B"), safe_name("CON"), safe_name("a/b")
    ('~5EGSPC', 'BRK.B', '_CON', '~61~2F~62')
    """
    name = re.sub(r"^[._]|[^A-Z0-9._-]", _escape, symbol)
    if name.split(".")[0] in _RESERVED:
        name = "_" + name
    return name


def _escape(match: re.Match[str]) -> str:
    return "".join(f"~{byte:02X}" for byte in match.group().encode("utf-8"))


def article_path(out: Path, symbol: str, fmt: str) -> Path:
    """Where the batch writes ``symbol``'s article in ``fmt``."""
    return out / (safe_name(symbol) + SUFFIXES[fmt])


def ledger_path(out: Path, symbol: str) -> Path:
    """Where the batch writes ``symbol``'s facts ledger (its mark of done)."""
    return out / (safe_name(symbol) + ".json")


def read_universe(path: Path, benchmark: str | None) -> list[tuple[str, str | None]]:
    """``symbol[,benchmark]`` per line (a header line ``symbol,...`` and ``#`` comments allowed)."""
    text = read_text_file(
        path, what="a universe file", max_bytes=MAX_UNIVERSE_BYTES, error=UsageError,
        too_large="list one symbol a line",
    )  # fmt: skip
    lines = text.splitlines()
    pairs: list[tuple[str, str | None]] = []
    problems = []
    first_line: dict[str, int] = {}  # one article per symbol: a second line would overwrite it
    for number, line in enumerate(lines, 1):
        cells = [c.strip() for c in line.split("#")[0].split(",")]
        if not cells[0] or (number == 1 and cells[0].lower() in ("symbol", "ticker")):
            continue
        try:
            symbol = normalise_symbol(cells[0])
            own = normalise_symbol(cells[1]) if len(cells) > 1 and cells[1] else None
        except UsageError as error:
            problems.append(f"line {number}: {error}")
            continue
        if symbol in first_line:
            problems.append(
                f"line {number}: {symbol} is already listed on line {first_line[symbol]}"
            )
            continue
        first_line[symbol] = number
        pairs.append((symbol, own or (normalise_symbol(benchmark) if benchmark else None)))
    if problems:
        raise UsageError(f"{path}: {len(problems)} bad line(s): " + "; ".join(problems))
    if not pairs:
        raise UsageError(
            f"{path}: no symbols; write one symbol (and optionally a benchmark) a line."
        )
    return pairs


@dataclass
class BatchReport:
    done: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    #: The share of pages read back in full (``verify.check_article``); every other page had
    #: its bound claims checked (``verify.check_bound``).
    verify_sample: float = 1.0
    #: The pages written this run that were read back in full.
    read_back: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{len(self.done)} written, {len(self.skipped)} already done, "
                f"{len(self.failed)} failed, in {self.seconds:.1f} s; "
                f"{self.verification()}")  # fmt: skip

    def verification(self) -> str:
        """What was checked, in one clause."""
        if self.verify_sample >= 1.0:
            return "every page read back in full against its ledger"
        return (f"every page's bound claims checked against its ledger, "
                f"{len(self.read_back)} of {len(self.done)} read back in full "
                f"(sample rate {self.verify_sample:.2%})")  # fmt: skip


def is_sampled(run: str, symbol: str, rate: float) -> bool:
    """Whether ``symbol``'s page gets the full read-back in run ``run``: a draw seeded by both,
    so each worker decides alone, a rerun draws a new sample, and ``rate`` 1.0 takes every page.

    >>> is_sampled("r", "AAPL", 1.0), is_sampled("r", "AAPL", 0.0)
    (True, False)
    """
    return rate >= 1.0 or random.Random(f"{run}:{symbol}").random() < rate


def check_sample_rate(rate: float) -> float:
    """``rate`` if it is a share (0 to 1), else ``UsageError``."""
    if not 0.0 <= rate <= 1.0:
        raise UsageError(
            f"--verify-sample {rate:g} is not a share of pages; give a number from 0 to 1 "
            "(0.05 reads back 5% of pages in full, 1 every page)."
        )
    return rate


def is_done(out: Path, symbol: str, fmt: str) -> bool:
    """Both files exist, the ledger is ``symbol``'s and it vouches for the article's exact bytes.

    The symbol check matters on resume: before names were made distinct, BRK.A and BRK.B both
    wrote ``BRK.md``, which is now BRK's own name and may hold another symbol's article.
    """
    try:
        ledger = json.loads(ledger_path(out, symbol).read_text(encoding="utf-8"))
        article = article_path(out, symbol, fmt).read_bytes()
        return bool(
            ledger["instruments"][0]["symbol"] == symbol
            and hashlib.sha256(article).hexdigest() == ledger["article_sha256"]
        )
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return False


class _Memo:
    """A worker's source: a chunk's series read in one go (a store reads whole row groups, not one
    group per ticker), and each benchmark loaded once for the whole run."""

    name = "memo"

    def __init__(self, source: Source, benchmark_names: set[str]) -> None:
        self.source, self.live = source, source.live
        self.benchmarks: dict[str, Bars] = {}
        self.chunk: dict[str, Bars] = {}
        #: Filled by ``prepare``; the same set as the worker's ``Reuse.symbols``.
        self.benchmark_names = benchmark_names

    def prepare(self, chunk: Sequence[tuple[str, str | None]]) -> None:
        """Read the chunk's series together when the source can (``load_many``)."""
        self.chunk = {}
        self.benchmark_names.update(b for _, b in chunk if b)
        load_many = getattr(self.source, "load_many", None)
        wanted = [s for pair in chunk for s in pair if s and s not in self.benchmarks]
        if load_many is None or not wanted:
            return
        with contextlib.suppress(CommentaryError):  # a missing symbol: each ticker says its own
            self.chunk = load_many(list(dict.fromkeys(wanted)))

    def load(self, symbol: str) -> Bars:
        if symbol in self.benchmarks:
            return self.benchmarks[symbol]
        bars = self.chunk[symbol] if symbol in self.chunk else self.source.load(symbol)
        if symbol in self.benchmark_names:
            self.benchmarks[symbol] = bars
        return bars


_WORKER: dict[str, object] = {}
#: A ticker's outcome: ("done", "" or its row for a sink, whether it was read back in full) or
#: ("failed", the reason, False).
Result = tuple[str, "str | Row", bool]


def _job(
    chunk: Sequence[tuple[str, str | None]], out: Path | None, fmt: str, as_of: object,
    source: Source, run: str, allow_stale: bool = False, verify_sample: float = 1.0,
) -> list[Result]:  # fmt: skip
    """One chunk of tickers, in whatever process runs it: ("done", "") or ("failed", reason) each,
    or ("done", its row) when ``out`` is None (a single-file sink: the parent writes).

    Each process sets up its memoised source and rules once per run (``run`` is the run's id:
    a pickled source is a new object in every task, so identity cannot tell).
    """
    if _WORKER.get("run") != run:
        shared = Reuse()  # work on the benchmarks, kept for the run
        _WORKER.update(run=run, source=_Memo(source, shared.symbols), rules=RuleBook.load(),
                       reuse=shared)  # fmt: skip
    memo, reuse = _WORKER["source"], _WORKER["reuse"]
    assert isinstance(memo, _Memo) and isinstance(reuse, Reuse)
    memo.prepare(chunk)
    return [_ticker(s, benchmark, out, fmt, as_of, memo, reuse, allow_stale,
                    is_sampled(run, s, verify_sample)) for s, benchmark in chunk]  # fmt: skip


def _ticker(
    symbol: str, benchmark: str | None, out: Path | None, fmt: str, as_of: object, source: _Memo,
    reuse: Reuse, allow_stale: bool = False, full: bool = True,
) -> Result:  # fmt: skip
    """One ticker's page, read back in full (``full``) or checked by its bound claims."""
    try:
        book = ticker_playbook(symbol, benchmark, "technical-trader", 0)
        rules = _WORKER["rules"]
        article = write_article(book, source, as_of, rules=rules, reuse=reuse,  # type: ignore[arg-type]
                                allow_stale=allow_stale,
                                check=check_article if full else check_bound)  # fmt: skip
        text = render_output(article, fmt)
        ledger = ledger_of(article)  # write_article has checked every claim against it
        ledger["article_sha256"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if out is None:
            return "done", Row.of(symbol, text, ledger, dumps(ledger, compact=True)), full
        # Not flushed to disk one by one: is_done checks the article against the ledger's hash,
        # so a file a power cut left empty is redone. The ledger goes last: it marks done.
        write_atomic(article_path(out, symbol, fmt), text, durable=False)
        write_atomic(ledger_path(out, symbol), dumps(ledger, compact=True), durable=False)
        return "done", "", full
    except CommentaryError as error:
        return "failed", str(error).splitlines()[0], False
    except Exception as error:  # one ticker's bug must not stop the batch
        return "failed", f"internal error ({type(error).__name__}: {error})", False


def run_batch(
    universe: Sequence[tuple[str, str | None]],
    source: Source,
    out: Path,
    *,
    fmt: str = "markdown",
    as_of: object = None,
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
    dask: str | None = None,
    allow_stale: bool = False,
    sink: str | None = None,
    verify_sample: float = 1.0,
) -> BatchReport:
    """Write the article and ledger of every ticker not already done: in this process, in
    ``workers`` processes, or on the Dask cluster at ``dask`` (workers write the files, which
    must be on storage they share with this machine). With ``sink`` (one of ``sinks.SINKS``)
    ``out`` is one file that receives every ticker, written by this process.

    Every page's bound claims are checked against its ledger before it is written (a page
    that fails is not written: its ticker fails); a random ``verify_sample`` share of the pages
    (1.0: all) is also read back in full, as ``generate`` does (``verify.check_article``)."""
    check_sample_rate(verify_sample)
    if sink is not None:
        return _run_into_sink(universe, source, Sink(out, sink, fmt), fmt, as_of, workers,
                              progress, dask, allow_stale, verify_sample)  # fmt: skip
    started = time.perf_counter()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(
            f"cannot create the output folder {out}: {folder_problem(out, error)}; "
            "choose a writable --out."
        ) from None
    report = BatchReport(verify_sample=verify_sample)
    todo = _not_done(universe, lambda symbol: is_done(out, symbol, fmt), report, progress)
    for chunk, results in _execute(
        todo, source, out, fmt, as_of, workers, progress, dask, allow_stale, verify_sample
    ):
        for (symbol, _), (status, reason, full) in zip(chunk, results, strict=True):
            if status == "done":
                report.done.append(symbol)
                if full:
                    report.read_back.append(symbol)
            else:
                report.failed[symbol] = str(reason)
    report.seconds = time.perf_counter() - started
    return report


def _not_done(
    universe: Sequence[tuple[str, str | None]], done: Callable[[str], bool], report: BatchReport,
    progress: Callable[[int], None] | None,
) -> list[tuple[str, str | None]]:  # fmt: skip
    """The tickers still to write; the finished ones are counted as skipped (and as progress)."""
    todo = []
    for symbol, benchmark in universe:
        if done(symbol):
            report.skipped.append(symbol)
            if progress:
                progress(1)
        else:
            todo.append((symbol, benchmark))
    return todo


def _run_into_sink(
    universe: Sequence[tuple[str, str | None]], source: Source, sink: Sink, fmt: str,
    as_of: object, workers: int, progress: Callable[[int], None] | None, dask: str | None,
    allow_stale: bool = False, verify_sample: float = 1.0,
) -> BatchReport:  # fmt: skip
    """The batch into one file: rows staged per chunk as they come, the file written at the end
    (not when interrupted: the staging keeps the rows for the rerun)."""
    started = time.perf_counter()
    report = BatchReport(verify_sample=verify_sample)
    try:
        complete = sink.open()
        todo = _not_done(universe, complete.__contains__, report, progress)
        # Progress is told after the chunk is staged: an interrupt there loses no finished row.
        for chunk, results in _execute(
            todo, source, None, fmt, as_of, workers, None, dask, allow_stale, verify_sample
        ):
            rows = []
            for (symbol, _), (_, outcome, full) in zip(chunk, results, strict=True):
                if isinstance(outcome, Row):
                    rows.append(outcome)
                    report.done.append(symbol)
                    if full:
                        report.read_back.append(symbol)
                else:
                    report.failed[symbol] = outcome
            sink.add(rows)
            if progress:
                progress(len(chunk))
        sink.finish([symbol for symbol, _ in universe])
    finally:
        sink.close()
    report.seconds = time.perf_counter() - started
    return report


def chunked(
    todo: list[tuple[str, str | None]], parallel: int
) -> list[list[tuple[str, str | None]]]:
    """Tickers in symbol order (neighbours in a store share row groups), cut into chunks small
    enough to keep every worker busy to the end and large enough to read together.

    >>> [len(c) for c in chunked([(f"T{i}", None) for i in range(10)], parallel=2)]
    [2, 2, 2, 2, 2]
    """
    ordered = sorted(todo, key=lambda pair: pair[0])
    size = max(1, min(CHUNK_MAX, -(-len(ordered) // (parallel * 4))))
    return [ordered[i : i + size] for i in range(0, len(ordered), size)]


def _execute(
    todo: list[tuple[str, str | None]], source: Source, out: Path | None, fmt: str,
    as_of: object, workers: int, progress: Callable[[int], None] | None, dask: str | None = None,
    allow_stale: bool = False, verify_sample: float = 1.0,
) -> Iterator[tuple[list[tuple[str, str | None]], list[Result]]]:  # fmt: skip
    """Each chunk with its results, from this process, a process pool or a Dask cluster."""
    run = uuid.uuid4().hex
    if dask is None and workers <= 1:
        for chunk in chunked(todo, 1):
            results = _job(chunk, out, fmt, as_of, source, run, allow_stale, verify_sample)
            if progress:
                progress(len(chunk))
            yield chunk, results
        return
    with _executor(workers, dask) as (pool, parallel):
        chunks = chunked(todo, parallel)
        futures = [
            pool.submit(_job, chunk, out, fmt, as_of, source, run, allow_stale, verify_sample)
            for chunk in chunks
        ]
        for chunk, future in zip(chunks, futures, strict=True):
            results = future.result()
            if progress:
                progress(len(chunk))
            yield chunk, results


@contextlib.contextmanager
def _executor(workers: int, dask: str | None) -> Iterator[tuple[concurrent.futures.Executor, int]]:
    """A process pool here, or an existing Dask cluster's executor (the same interface), and how
    many tasks it runs at once."""
    if dask is None:
        with concurrent.futures.ProcessPoolExecutor(workers) as pool:
            yield pool, workers
        return
    try:
        from distributed import Client
    except ImportError:
        raise UsageError(
            "--dask needs dask.distributed: pip install 'dask[distributed]'."
        ) from None
    try:
        client = Client(dask, timeout=30)  # type: ignore[no-untyped-call]
    except OSError as error:
        raise UsageError(f"cannot reach the Dask scheduler at {dask} ({error}).") from None
    with client, client.get_executor() as pool:  # type: ignore[no-untyped-call]
        threads = sum(client.nthreads().values())  # type: ignore[no-untyped-call]
        yield pool, max(1, threads)
