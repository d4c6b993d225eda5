"""yfinance against a server that accepts and never answers: a total deadline per symbol, from
settings or configuration (issue 17, item 12). The server is real, on 127.0.0.1; no network."""

from __future__ import annotations

import socket
import threading
import time
import warnings
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from commentary.config import ConfigError, fetch_deadline, load_config
from commentary.errors import DataWarning, FetchError
from commentary.sources import open_source
from commentary.sources.yahoo import YFinanceSource
from tests.fake_yfinance import FakeYFinance


@pytest.fixture
def silent_server() -> Iterator[tuple[int, list[socket.socket]]]:
    """A TCP server on 127.0.0.1 that accepts every connection and never sends a byte."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.05)  # a blocked accept() is not woken by close(): poll a stop flag
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            held.append(connection)

    acceptor = threading.Thread(target=accept, daemon=True)
    acceptor.start()
    yield server.getsockname()[1], held
    stop.set()
    acceptor.join()
    server.close()
    for connection in held:
        connection.close()


@pytest.fixture
def yfinance_through(tmp_path: Path) -> Iterator[object]:
    """The real yfinance, every request sent through a proxy the test names."""
    yf = pytest.importorskip("yfinance")
    saved = yf.config.network.proxy
    yf.set_tz_cache_location(str(tmp_path / "yf-cache"))  # never the user's cache
    yield yf
    yf.config.network.proxy = saved


def test_a_server_that_never_answers_costs_the_deadline_not_minutes(
    tmp_path: Path, silent_server: tuple[int, list[socket.socket]], yfinance_through: object
) -> None:
    port, held = silent_server
    yf = yfinance_through
    yf.config.network.proxy = f"http://127.0.0.1:{port}"  # type: ignore[attr-defined]
    source = YFinanceSource(cache_dir=tmp_path / "prices", client=yf, deadline=1.0)

    started = time.monotonic()
    with pytest.raises(
        FetchError, match=r"could not fetch AAPL from yfinance \(no answer within 1 s"
    ):
        source.load("AAPL")
    elapsed = time.monotonic() - started

    assert held, "yfinance never reached the local server"
    assert 1.0 <= elapsed < 5.0  # was 198 s a symbol through yfinance's own timeouts


def test_at_the_deadline_a_cached_copy_is_served_stale(
    tmp_path: Path, silent_server: tuple[int, list[socket.socket]], yfinance_through: object
) -> None:
    port, _ = silent_server
    clock = [datetime(2026, 11, 20, 15, 30, tzinfo=UTC)]
    cached = YFinanceSource(
        cache_dir=tmp_path / "prices", client=FakeYFinance(), now=lambda: clock[0]
    )
    cached.fetch("AAPL")
    clock[0] += timedelta(days=2)  # the cache is old: load goes to the network first

    yf = yfinance_through
    yf.config.network.proxy = f"http://127.0.0.1:{port}"  # type: ignore[attr-defined]
    source = YFinanceSource(
        cache_dir=tmp_path / "prices", client=yf, deadline=0.5, now=lambda: clock[0]
    )
    started = time.monotonic()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        bars = source.load("AAPL")
    assert time.monotonic() - started < 5.0
    assert bars.stale and len(bars) == 80
    assert any(
        issubclass(w.category, DataWarning) and "no answer within 0.5 s" in str(w.message)
        for w in caught
    )


def test_retries_and_waits_stop_at_the_deadline() -> None:
    """Waits count against the deadline: no wait starts that would end past it."""
    now = [0.0]
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    client = FakeYFinance([ConnectionError("reset")])
    source = YFinanceSource(
        cache_dir=Path("/nonexistent"), client=client, sleep=sleep, clock=lambda: now[0],
        max_attempts=10, backoff=1.0, deadline=10.0,
    )  # fmt: skip
    with pytest.raises(FetchError, match=r"gave up after 4 attempts"):
        source.fetch("AAPL")
    assert sleeps == [1.0, 2.0, 4.0]  # the next wait (8 s) would end past 10 s
    assert len(client.calls) == 4


def test_the_deadline_comes_from_settings_or_configuration(tmp_path: Path) -> None:
    assert YFinanceSource(cache_dir=tmp_path).deadline == 60.0
    config = tmp_path / "config.toml"
    config.write_text("[fetch]\ndeadline = 7.5\n")
    environ = {"COMMENTARY_CONFIG": str(config)}
    assert fetch_deadline(load_config(environ=environ)) == 7.5
    environ["COMMENTARY_FETCH_DEADLINE"] = "3"
    assert fetch_deadline(load_config(environ=environ)) == 3.0
    for bad in ("abc", "0", "-1", "nan", "inf"):
        environ["COMMENTARY_FETCH_DEADLINE"] = bad
        with pytest.raises(ConfigError, match=r"COMMENTARY_FETCH_DEADLINE must be a number"):
            fetch_deadline(load_config(environ=environ))
    environ.pop("COMMENTARY_FETCH_DEADLINE")
    config.write_text('[fetch]\ndeadline = "soon"\n')
    with pytest.raises(ConfigError, match=r"\[fetch\] deadline must be a number of seconds"):
        fetch_deadline(load_config(environ=environ))


def test_open_source_applies_the_configured_deadline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMMENTARY_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("COMMENTARY_FETCH_DEADLINE", "12")
    source = open_source("yfinance")
    assert isinstance(source, YFinanceSource) and source.deadline == 12.0
