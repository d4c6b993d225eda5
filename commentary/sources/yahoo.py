"""Prices from Yahoo Finance through yfinance, cached on disk one CSV a symbol.

yfinance is imported only when a fetch actually happens, never when this module is imported: the
samples and CSV paths must work, and start fast, without it.
"""

from __future__ import annotations

import json
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import platformdirs

from ..bars import Bars, validate_bars
from ..errors import DataError, DataWarning, FetchError, OutputError, SourceError, SymbolNotFound
from ..files import write_atomic
from ..settings import DEFAULT_SETTINGS, Settings
from ..symbols import normalise_symbol
from .csvfile import read_price_csv

#: No single wait between attempts is longer than this, however many attempts are allowed.
MAX_DELAY = 30.0
#: Yahoo's Close, not its Adj Close: Adj Close would rewrite old levels after every dividend.
#: Yahoo's Close is itself split-adjusted ("Close price adjusted for splits", its own footnote),
#: so a stock's bars from here are marked ``adjusted`` (an index has no splits).
HISTORY_ARGS: dict[str, Any] = dict(period="max", interval="1d", auto_adjust=False, actions=False)
_NOT_FOUND = (
    "yfinance has no daily prices for {!r}; check the symbol (indices start with ^, e.g. ^GSPC)."
)


class _Unavailable(Exception):
    """The network could not deliver (after retries); ``reason`` says why in a few words."""

    def __init__(self, reason: str, rate_limited: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.rate_limited = rate_limited

    def fix(self, symbol: str) -> str:
        wait = "wait a few minutes" if self.rate_limited else "check your connection"
        return f"{wait} and run `commentary fetch {symbol}` again"


class YFinanceSource:
    """Daily bars from Yahoo Finance, kept in a local cache that also serves as a fallback.

    Parameters
    ----------
    settings
        Thresholds the bars are validated against.
    cache_dir
        Where ``<SYMBOL>.csv`` and its ``<SYMBOL>.csv.json`` sidecar (the fetch time) live;
        defaults to the user cache folder, ``.../commentary/prices``.
    client
        The ``yfinance`` module, or anything with the same ``Ticker(...).history(...)`` surface;
        ``None`` imports yfinance on the first fetch.
    sleep, now
        The clock, injectable so that tests neither wait nor depend on the date.
    max_attempts
        Tries per fetch when Yahoo rate-limits or the connection fails.
    backoff
        Seconds before the second try; each later wait doubles, up to ``MAX_DELAY``.
    max_age
        A cache younger than this is used without touching the network.
    deadline
        Seconds one symbol's download may take in all, tries and waits included; defaults to
        ``settings.fetch.deadline``. yfinance's own timeouts apply per request and it makes
        several, so this bound is kept here: a request still running at the deadline is left
        to finish on a daemon thread and its answer ignored.
    clock
        Monotonic seconds, for the deadline.
    """

    name = "yfinance"
    #: Fetched for now: judged against the last completed session, never silently stale.
    live = True

    def __init__(
        self,
        *,
        settings: Settings = DEFAULT_SETTINGS,
        cache_dir: Path | None = None,
        client: Any = None,
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        max_attempts: int = 4,
        backoff: float = 1.0,
        max_age: timedelta = timedelta(hours=6),
        deadline: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        default_dir = Path(platformdirs.user_cache_dir("commentary")) / "prices"
        self.cache_dir = Path(cache_dir) if cache_dir is not None else default_dir
        self._client = client
        self._sleep = sleep
        self._now = now
        self.max_attempts = max(1, max_attempts)
        self.backoff = backoff
        self.max_age = max_age
        self.deadline = settings.fetch.deadline if deadline is None else deadline
        self._clock = clock

    def cache_path(self, symbol: str) -> Path:
        """The cached CSV of ``symbol`` (a checked symbol cannot name a path outside the folder)."""
        return self.cache_dir / f"{normalise_symbol(symbol)}.csv"

    def load(self, symbol: str) -> Bars:
        """Bars for ``symbol`` (see ``_load``), split-adjusted unless an index."""
        bars = self._load(symbol)
        return replace(bars, adjusted=not bars.symbol.startswith("^"))

    def _load(self, symbol: str) -> Bars:
        """Bars for ``symbol``: from a fresh cache, else from Yahoo, else from a stale cache.

        Raises ``SymbolNotFound`` when Yahoo has no such symbol and ``FetchError`` when the
        network fails with nothing cached; a stale cache comes back with ``stale=True`` and a
        ``DataWarning``.
        """
        symbol = normalise_symbol(symbol)
        cached = self._read_cache(symbol)
        if cached is not None and timedelta(0) <= self._now() - cached[1] < self.max_age:
            return cached[0]
        try:
            frame = self._download(symbol)
        except _Unavailable as failure:
            if cached is None:
                raise FetchError(
                    f"could not fetch {symbol} from yfinance ({failure.reason}) and there is no "
                    f"cached copy; {failure.fix(symbol)}."
                ) from None
            bars, fetched_at = cached
            warnings.warn(
                f"using cached prices for {symbol} fetched on {fetched_at:%Y-%m-%d} (last session "
                f"{bars.last_date}) because yfinance failed ({failure.reason}).",
                DataWarning,
                stacklevel=2,
            )
            return replace(bars, stale=True)
        return self._keep(symbol, frame, must_store=False)

    def fetch(self, symbol: str) -> Bars:
        """Fetch ``symbol`` from Yahoo whatever the cache holds, and cache it.

        The user asked for the network, so a failure raises ``FetchError`` instead of falling
        back to the cache.
        """
        symbol = normalise_symbol(symbol)
        try:
            frame = self._download(symbol)
        except _Unavailable as failure:
            raise FetchError(
                f"could not fetch {symbol} from yfinance ({failure.reason}); {failure.fix(symbol)}."
            ) from None
        return self._keep(symbol, frame, must_store=True)

    def _download(self, symbol: str) -> pd.DataFrame:
        """One symbol's raw history frame; retries what may pass, refuses what will not."""
        client = self._client if self._client is not None else _import_yfinance()
        errors = getattr(client, "exceptions", None)
        missing = _classes(errors, "YFTickerMissingError", "YFPricesMissingError")
        limited = _classes(errors, "YFRateLimitError")
        failure = _Unavailable("no attempt made")
        give_up_at = self._clock() + self.deadline
        attempts_made = 0
        with _errors_raised(client) as extra_args:
            for attempt in range(self.max_attempts):
                if attempt:
                    delay = min(self.backoff * 2 ** (attempt - 1), MAX_DELAY)
                    if self._clock() + delay >= give_up_at:
                        break  # the next try could not finish in time
                    self._sleep(delay)
                remaining = give_up_at - self._clock()
                if remaining <= 0:
                    break
                attempts_made += 1
                try:
                    frame = _within(
                        remaining,
                        lambda: client.Ticker(symbol).history(**HISTORY_ARGS, **extra_args),
                    )
                except _Overdue:
                    failure = _Unavailable(f"no answer within {self.deadline:g} s")
                    break
                except missing:
                    raise SymbolNotFound(_NOT_FOUND.format(symbol)) from None
                except Exception as error:
                    failure = _Unavailable(_describe(error), isinstance(error, limited))
                    if failure.rate_limited or _is_transient(error):
                        continue
                    raise failure from error
                # An empty frame is how yfinance says "nothing there" when it does not raise;
                # never let it through as empty bars.
                if not isinstance(frame, pd.DataFrame) or frame.empty:
                    raise SymbolNotFound(_NOT_FOUND.format(symbol))
                return frame
        attempts = f"{attempts_made} attempt{'s' if attempts_made != 1 else ''}"
        raise _Unavailable(f"{failure.reason}; gave up after {attempts}", failure.rate_limited)

    def _keep(self, symbol: str, frame: pd.DataFrame, *, must_store: bool) -> Bars:
        """Validate a fetched frame and cache the validated bars (so cached loads are silent)."""
        # validate_bars takes the tz-aware New York DatetimeIndex as the dates and keeps each
        # session's calendar date; Adj Close and any action columns are ignored.
        bars = validate_bars(frame, symbol, f"yfinance:{symbol}", self.settings.data)
        path = self.cache_path(symbol)
        table = bars.to_frame()
        table.columns = [str(name).capitalize() for name in table.columns]
        meta = {"symbol": symbol, "fetched_at": self._now().isoformat(), "sessions": len(bars)}
        try:
            # The CSV first: a crash before the sidecar leaves an older fetch time, which only
            # makes the cache look staler than it is.
            write_atomic(path, table.to_csv(index_label="Date", date_format="%Y-%m-%d"))
            write_atomic(_sidecar(path), json.dumps(meta, indent=2) + "\n")
        except OutputError as error:
            message = (
                f"cannot write the price cache {path} ({error.reason}); make that folder writable"
            )
            if must_store:
                raise SourceError(f"{message}.") from None
            warnings.warn(f"{message} to keep prices between runs.", DataWarning, stacklevel=3)
        return bars

    def _read_cache(self, symbol: str) -> tuple[Bars, datetime] | None:
        """The cached bars and when they were fetched, or ``None`` when there is no usable cache."""
        path = self.cache_path(symbol)
        if not path.is_file():
            return None
        try:
            bars = validate_bars(read_price_csv(path), symbol, str(path), self.settings.data)
        except DataError as error:
            warnings.warn(
                f"ignored the unusable price cache {path} and will fetch again: {error}",
                DataWarning,
                stacklevel=3,
            )
            return None
        return bars, _fetched_at(path)


class _Overdue(Exception):
    """The call did not return within its time."""


def _within(seconds: float, call: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """``call()``'s result or exception, or ``_Overdue`` once ``seconds`` have passed.

    The call runs on a daemon thread: a blocked socket read cannot be interrupted from outside,
    but it no longer holds up the run (nor the interpreter's exit).
    """
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append((True, call()))
        except BaseException as error:  # handed to the caller, never left unhandled on the thread
            outcome.append((False, error))

    worker = threading.Thread(target=run, name="yfinance-fetch", daemon=True)
    worker.start()
    worker.join(seconds)
    if not outcome:
        raise _Overdue
    succeeded, value = outcome[0]
    if succeeded:
        return value  # type: ignore[no-any-return]
    raise value


def _import_yfinance() -> Any:
    import yfinance  # deferred: only a real fetch pays for (and needs) yfinance

    return yfinance


@contextmanager
def _errors_raised(client: Any) -> Iterator[dict[str, Any]]:
    """Make yfinance raise instead of logging, restoring its global setting afterwards.

    Without this yfinance turns a dropped connection into an empty frame, which would read as
    "no such symbol". yfinance >= 1.0 has ``config.debug.hide_exceptions``; older versions take
    ``raise_errors=True`` instead (deprecated, with a warning, in 1.x). Yields the extra
    ``history`` arguments.
    """
    debug = getattr(getattr(client, "config", None), "debug", None)
    with _quiet_yfinance():
        if debug is None or not hasattr(debug, "hide_exceptions"):
            yield {"raise_errors": True}
            return
        saved = debug.hide_exceptions
        debug.hide_exceptions = False
        try:
            yield {}
        finally:
            debug.hide_exceptions = saved


@contextmanager
def _quiet_yfinance() -> Iterator[None]:
    """yfinance logs each failed try itself ("Cookie/crumb fetch failed (DNSError)", once per
    retry); commentary says what happened once, in its own words, so those records are dropped."""
    import logging

    logger = logging.getLogger("yfinance")
    saved = logger.disabled
    logger.disabled = True
    try:
        yield
    finally:
        logger.disabled = saved


def _classes(namespace: Any, *names: str) -> tuple[type[BaseException], ...]:
    """Exception classes looked up by name, so a fake client can bring its own."""
    found = (getattr(namespace, name, None) for name in names)
    return tuple(c for c in found if isinstance(c, type) and issubclass(c, BaseException))


def _is_transient(error: BaseException) -> bool:
    # ConnectionError and TimeoutError are OSErrors, and so are the requests and curl_cffi
    # errors yfinance lets through; the class names catch any other HTTP stack's without
    # importing it.
    if isinstance(error, OSError):
        return True
    names = [cls.__name__ for cls in type(error).__mro__]
    return any("Timeout" in name or "Connection" in name for name in names)


def _describe(error: BaseException) -> str:
    text = (str(error).strip().splitlines() or [""])[0]
    if len(text) > 120:  # cut at a word, never inside one
        text = text[:120].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def _fetched_at(path: Path) -> datetime:
    """The fetch time from the sidecar; the CSV's modification time when the sidecar is unusable."""
    try:
        stamp = datetime.fromisoformat(json.loads(_sidecar(path).read_text("utf-8"))["fetched_at"])
        if stamp.tzinfo is not None:
            return stamp
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return datetime.fromtimestamp(path.stat().st_mtime, UTC)
