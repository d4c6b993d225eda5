"""Shared fixtures: hand-built bars and the bundled samples."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pytest

from commentary.bars import Bars
from commentary.sources import CsvSource

MakeBars = Callable[..., Bars]


def build_bars(
    close: Sequence[float] | np.ndarray,
    *,
    high: Sequence[float] | np.ndarray | None = None,
    low: Sequence[float] | np.ndarray | None = None,
    open: Sequence[float] | np.ndarray | None = None,
    volume: Sequence[float] | np.ndarray | None = None,
    start: str = "2020-01-01",
    symbol: str = "TEST",
) -> Bars:
    """Bars on consecutive business days from ``start``; high/low default to close ± 0.5 %."""
    close_array = np.asarray(close, dtype=np.float64)
    n = close_array.size
    first = np.busday_offset(np.datetime64(start, "D"), 0, roll="forward")
    dates = np.busday_offset(first, np.arange(n))

    def column(values: Sequence[float] | np.ndarray | None, default: np.ndarray) -> np.ndarray:
        return default.copy() if values is None else np.asarray(values, dtype=np.float64).copy()

    open_array = column(open, close_array)
    high_array = column(high, np.maximum(open_array, close_array) * 1.005)
    low_array = column(low, np.minimum(open_array, close_array) * 0.995)
    return Bars(
        symbol=symbol,
        dates=dates.astype("datetime64[D]"),
        open=open_array,
        high=high_array,
        low=low_array,
        close=close_array.copy(),
        volume=column(volume, np.full(n, 1_000_000.0)),
        origin=f"test:{symbol}",
    )


@pytest.fixture
def make_bars() -> MakeBars:
    """``make_bars(close, high=..., low=..., volume=..., start=..., symbol=...)`` → ``Bars``."""
    return build_bars


@pytest.fixture(scope="session")
def samples() -> CsvSource:
    return CsvSource.samples()


@pytest.fixture(scope="session")
def gspc(samples: CsvSource) -> Bars:
    return samples.load("^GSPC")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="Rewrite samples/articles/ from the current code instead of comparing with it.",
    )


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


@pytest.fixture(autouse=True)
def no_user_config(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Tests never read the developer's own configuration file, nor write to their archive."""
    missing = tmp_path_factory.getbasetemp() / "no-such-config.toml"
    monkeypatch.setenv("COMMENTARY_CONFIG", str(missing))
    monkeypatch.setenv("COMMENTARY_ARCHIVE", str(tmp_path_factory.mktemp("archive") / "a.sqlite3"))
    for variable in ("COMMENTARY_SOURCE", "COMMENTARY_DATA_DIR", "COMMENTARY_PLAYBOOK",
                     "COMMENTARY_PERSONA", "COMMENTARY_RULES"):  # fmt: skip
        monkeypatch.delenv(variable, raising=False)
