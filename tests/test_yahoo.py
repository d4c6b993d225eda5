"""YFinanceSource against a scripted fake yfinance: retries, cache, fallbacks, no network."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from commentary.errors import DataWarning, FetchError, SourceError, SymbolNotFound
from commentary.sources.yahoo import YFinanceSource
from tests.fake_yfinance import EXCEPTIONS, FakeYFinance, price_frame

NOW = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)
FETCH_ARGS = {"period": "max", "interval": "1d", "auto_adjust": False, "actions": False}


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def make_source(tmp_path: Path, client: FakeYFinance, clock: Clock | None = None, **kwargs: object):
    sleeps = Sleeps()
    source = YFinanceSource(
        cache_dir=tmp_path / "prices", client=client, sleep=sleeps, now=clock or Clock(), **kwargs
    )
    return source, sleeps


@pytest.mark.parametrize("tz", ["America/New_York", "Asia/Tokyo"])
def test_success_returns_real_closes_on_exchange_dates_and_caches_them(tmp_path, tz):
    frame = price_frame(tz=tz)
    client = FakeYFinance([frame])
    source, sleeps = make_source(tmp_path, client)

    bars = source.load(" aapl ")

    assert [(c.symbol, c.kwargs) for c in client.calls] == [("AAPL", FETCH_ARGS)]
    expected_dates = pd.bdate_range("2024-01-02", periods=len(frame)).to_numpy("datetime64[D]")
    np.testing.assert_array_equal(bars.dates, expected_dates)
    np.testing.assert_array_equal(bars.close, frame["Close"].to_numpy())  # not Adj Close
    np.testing.assert_array_equal(bars.volume, frame["Volume"].to_numpy())
    assert (bars.symbol, bars.origin, bars.stale, sleeps) == ("AAPL", "yfinance:AAPL", False, [])

    cache = tmp_path / "prices" / "AAPL.csv"
    assert source.cache_path("aapl") == cache
    # Only the two finished files: no temporary left behind by the atomic writes.
    assert sorted(p.name for p in cache.parent.iterdir()) == ["AAPL.csv", "AAPL.csv.json"]
    written = pd.read_csv(cache)
    assert list(written.columns) == ["Date", "Open", "High", "Low", "Close", "Volume"]
    assert written["Date"].iloc[0] == "2024-01-02"
    np.testing.assert_array_equal(written["Close"].to_numpy(), frame["Close"].to_numpy())
    meta = json.loads((cache.parent / "AAPL.csv.json").read_text())
    assert datetime.fromisoformat(meta["fetched_at"]) == NOW


def test_yfinance_is_told_to_raise_and_its_setting_is_restored(tmp_path):
    client = FakeYFinance()
    make_source(tmp_path, client)[0].load("AAPL")
    assert client.calls[0].hide_exceptions is False
    assert client.config.debug.hide_exceptions is True

    old = FakeYFinance(with_config=False)  # yfinance before config existed
    make_source(tmp_path / "old", old)[0].load("AAPL")
    assert old.calls[0].kwargs == {**FETCH_ARGS, "raise_errors": True}


def test_rate_limit_is_retried_with_growing_delays(tmp_path):
    limit = EXCEPTIONS["YFRateLimitError"]("Too Many Requests")
    client = FakeYFinance([limit, limit, price_frame()])
    source, sleeps = make_source(tmp_path, client, backoff=0.5)

    bars = source.load("AAPL")

    assert len(client.calls) == 3
    assert sleeps == [0.5, 1.0]
    assert len(bars) == 80


def test_delays_are_capped(tmp_path):
    client = FakeYFinance([ConnectionError("reset")])
    source, sleeps = make_source(tmp_path, client, max_attempts=7, backoff=10.0)
    with pytest.raises(FetchError):
        source.load("AAPL")
    assert sleeps == [10.0, 20.0, 30.0, 30.0, 30.0, 30.0]


class ReadTimeout(Exception):
    """Like an HTTP library's timeout that is not an OSError."""


@pytest.mark.parametrize(
    "error", [ConnectionError("connection reset"), TimeoutError("timed out"), ReadTimeout("slow")]
)
def test_persistent_transient_failure_without_cache_raises_fetch_error(tmp_path, error):
    client = FakeYFinance([error])
    source, sleeps = make_source(tmp_path, client)

    with pytest.raises(FetchError, match=r"could not fetch AAPL .*commentary fetch AAPL` again"):
        source.load("AAPL")

    assert len(client.calls) == 4
    assert sleeps == [1.0, 2.0, 4.0]
    assert not (tmp_path / "prices" / "AAPL.csv").exists()


def test_persistent_rate_limit_says_to_wait(tmp_path):
    client = FakeYFinance([EXCEPTIONS["YFRateLimitError"]("Too Many Requests")])
    source, _ = make_source(tmp_path, client, max_attempts=2)
    with pytest.raises(FetchError, match=r"YFRateLimitError.*wait a few minutes"):
        source.load("AAPL")


def test_unexpected_error_is_not_retried(tmp_path):
    client = FakeYFinance([KeyError("chart")])  # Yahoo changed its answer's shape
    source, sleeps = make_source(tmp_path, client)
    with pytest.raises(FetchError, match="KeyError"):
        source.load("AAPL")
    assert (len(client.calls), sleeps) == (1, [])


def test_failure_with_an_old_cache_returns_stale_bars_and_warns(tmp_path):
    clock = Clock()
    first, _ = make_source(tmp_path, FakeYFinance(), clock)
    fresh = first.load("AAPL")

    clock.now = NOW + timedelta(days=3)
    client = FakeYFinance([ConnectionError("network unreachable")])
    source, sleeps = make_source(tmp_path, client, clock)
    with pytest.warns(DataWarning, match=r"using cached prices for AAPL fetched on 2026-11-20 .*"):
        bars = source.load("AAPL")

    assert bars.stale is True
    assert len(client.calls) == 4 and len(sleeps) == 3
    np.testing.assert_array_equal(bars.close, fresh.close)
    np.testing.assert_array_equal(bars.dates, fresh.dates)


def test_fetch_never_falls_back_to_the_cache(tmp_path):
    make_source(tmp_path, FakeYFinance())[0].load("AAPL")
    source, _ = make_source(tmp_path, FakeYFinance([ConnectionError("down")]), max_attempts=2)
    with pytest.raises(FetchError, match="commentary fetch AAPL"):
        source.fetch("AAPL")


def test_fresh_cache_is_used_without_calling_yfinance(tmp_path):
    clock = Clock()
    make_source(tmp_path, FakeYFinance(), clock)[0].load("AAPL")

    clock.now = NOW + timedelta(hours=5, minutes=59)
    client = FakeYFinance([AssertionError("the network was touched")])
    bars = make_source(tmp_path, client, clock)[0].load("aapl")
    assert client.calls == []
    assert (len(bars), bars.stale) == (80, False)

    clock.now = NOW + timedelta(hours=6)
    client = FakeYFinance([price_frame(sessions=81)])
    assert len(make_source(tmp_path, client, clock)[0].load("AAPL")) == 81
    assert len(client.calls) == 1


def test_fetch_bypasses_max_age_and_refreshes_the_cache(tmp_path):
    clock = Clock()
    make_source(tmp_path, FakeYFinance(), clock)[0].load("AAPL")

    clock.now = NOW + timedelta(minutes=1)
    client = FakeYFinance([price_frame(sessions=90)])
    source, _ = make_source(tmp_path, client, clock)
    assert len(source.fetch("AAPL")) == 90
    assert len(client.calls) == 1

    offline = FakeYFinance([AssertionError("the network was touched")])
    assert len(make_source(tmp_path, offline, clock)[0].load("AAPL")) == 90
    assert offline.calls == []


@pytest.mark.parametrize(
    "name", ["YFTickerMissingError", "YFPricesMissingError", "YFTzMissingError"]
)
def test_missing_symbol_raises_symbol_not_found_without_retrying(tmp_path, name):
    client = FakeYFinance([EXCEPTIONS[name]("$XYZQ: possibly delisted")])
    source, sleeps = make_source(tmp_path, client)
    with pytest.raises(SymbolNotFound, match=r"no daily prices for 'XYZQ'.*\^GSPC"):
        source.load("xyzq")
    assert (len(client.calls), sleeps) == (1, [])


def test_empty_frame_is_symbol_not_found_never_empty_bars(tmp_path):
    client = FakeYFinance([price_frame().iloc[:0]])
    source, sleeps = make_source(tmp_path, client)
    with pytest.raises(SymbolNotFound, match="XYZQ"):
        source.fetch("XYZQ")
    assert (len(client.calls), sleeps) == (1, [])
    assert not (tmp_path / "prices").exists()


def test_unusable_cache_is_ignored_with_a_warning_and_fetched_again(tmp_path):
    cache = tmp_path / "prices" / "AAPL.csv"
    cache.parent.mkdir()
    cache.write_text("Date,Open,High,Low,Close,Volume\n2024-01-02,1,2,0.5,x,10\n")
    client = FakeYFinance()
    source, _ = make_source(tmp_path, client)
    with pytest.warns(DataWarning, match="ignored the unusable price cache"):
        bars = source.load("AAPL")
    assert len(bars) == 80 and len(client.calls) == 1
    assert pd.read_csv(cache)["Close"].iloc[0] == price_frame()["Close"].iloc[0]


def test_unwritable_cache_warns_on_load_and_fails_fetch(tmp_path):
    (tmp_path / "prices").write_text("a file where the cache folder should be")
    source, _ = make_source(tmp_path, FakeYFinance())
    with pytest.warns(DataWarning, match="cannot write the price cache"):
        assert len(source.load("AAPL")) == 80
    with pytest.raises(SourceError, match="make that folder writable"):
        source.fetch("AAPL")


def test_samples_path_does_not_import_yfinance():
    code = (
        "import sys\n"
        "import commentary.sources.yahoo\n"
        "from commentary.sources import open_source\n"
        "assert len(open_source().load('^GSPC')) > 0\n"
        "assert 'yfinance' not in sys.modules, 'yfinance was imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_fake_matches_the_real_yfinance_surface():
    yfinance = pytest.importorskip("yfinance")
    import yfinance.exceptions as real

    for name, fake in EXCEPTIONS.items():
        real_class = getattr(real, name)
        fake_bases = {b.__name__ for b in fake.__mro__ if b.__name__ in EXCEPTIONS}
        real_bases = {b.__name__ for b in real_class.__mro__ if b.__name__ in EXCEPTIONS}
        assert fake_bases == real_bases, name
    assert isinstance(yfinance.config.debug.hide_exceptions, bool)
    assert callable(yfinance.Ticker)


def test_a_failure_is_said_once_in_our_words_and_never_cut_mid_word(tmp_path, caplog):
    import logging

    reason = "Cookie/crumb fetch failed (DNSError) while resolving the host " + "query1 " * 30
    client = FakeYFinance([ConnectionError(reason)], log="Cookie/crumb fetch failed (DNSError)")
    source, _ = make_source(tmp_path, client)
    with caplog.at_level(logging.DEBUG), pytest.raises(FetchError) as caught:
        source.load("AAPL")
    assert len(client.calls) == 4
    assert not [r for r in caplog.records if r.name.startswith("yfinance")]
    message = str(caught.value)
    assert message.count("Cookie/crumb") == 1 and "query1…" in message
    assert not logging.getLogger("yfinance").disabled
