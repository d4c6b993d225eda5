"""States: thresholds from Settings, crosses on real data, stacking, volume, no look-ahead."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import talib
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from commentary.indicators import compute_indicators
from commentary.pipeline import analyse
from commentary.resources import samples_data_dir
from commentary.settings import DEFAULT_SETTINGS
from commentary.sources import CsvSource
from commentary.states import CrossConfiguration, Stacking, VolumeZone, Zone, classify
from commentary.states.classify import zone


def _states(bars, settings=DEFAULT_SETTINGS):
    return classify(bars, compute_indicators(bars), settings)


def _momentum_settings(**changes):
    return dataclasses.replace(
        DEFAULT_SETTINGS, momentum=dataclasses.replace(DEFAULT_SETTINGS.momentum, **changes)
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (70.0, Zone.OVERBOUGHT),
        (np.nextafter(70.0, 0.0), Zone.NEUTRAL),
        (100.0, Zone.OVERBOUGHT),
        (50.0, Zone.NEUTRAL),
        (np.nextafter(30.0, 100.0), Zone.NEUTRAL),
        (30.0, Zone.OVERSOLD),
        (0.0, Zone.OVERSOLD),
    ],
)
def test_rsi_zone_boundaries(value: float, expected: Zone) -> None:
    assert zone(value, 70.0, 30.0) is expected


def test_momentum_thresholds_come_from_settings(gspc) -> None:
    """Setting a threshold to today's exact reading flips the zone; the default does not."""
    bars = gspc.until("2018-12-31")
    default = _states(bars).momentum
    rsi, stoch, adx = default.rsi, default.stoch_k, default.adx
    assert default.rsi_zone is zone(rsi, 70.0, 30.0)
    assert 30.0 < rsi < 70.0  # neutral with defaults, so both flips below are due to settings
    assert (
        _states(bars, _momentum_settings(rsi_overbought=rsi)).momentum.rsi_zone is Zone.OVERBOUGHT
    )
    assert _states(bars, _momentum_settings(rsi_oversold=rsi)).momentum.rsi_zone is Zone.OVERSOLD
    custom = _states(bars, _momentum_settings(stoch_oversold=stoch, stoch_overbought=stoch + 50))
    assert custom.momentum.stoch_zone is Zone.OVERSOLD
    strength = _states(bars, _momentum_settings(adx_weak=adx + 1, adx_strong=adx + 2)).momentum
    assert strength.trend_strength.value == "absent"
    strength = _states(bars, _momentum_settings(adx_very_strong=adx)).momentum
    assert strength.trend_strength.value == "very strong"


def _pandas_cross(bars) -> tuple[bool, int | None, int]:
    """Golden?, sessions since the sign of SMA50 − SMA200 last flipped, defined sessions."""
    close = pd.Series(bars.close)
    diff = (close.rolling(50).mean() - close.rolling(200).mean()).dropna().to_numpy()
    above = diff > 0
    flips = [i for i in range(1, above.size) if above[i] != above[i - 1]]
    age = above.size - 1 - flips[-1] if flips else None
    return bool(above[-1]), age, above.size


@pytest.mark.parametrize(
    ("as_of", "expected", "age"),
    [
        ("2018-12-31", CrossConfiguration.DEATH, 15),  # death cross on 2018-12-07
        ("2008-06-30", CrossConfiguration.DEATH, ...),  # ... : age checked against pandas only
        ("2017-06-30", CrossConfiguration.GOLDEN, ...),
        ("2019-06-28", CrossConfiguration.GOLDEN, ...),
        ("2009-06-23", CrossConfiguration.GOLDEN, 0),  # the golden cross session itself
        ("2000-10-27", CrossConfiguration.GOLDEN, None),  # before the first cross: no age
    ],
)
def test_cross_configuration_on_real_data(gspc, as_of: str, expected, age) -> None:
    """The configuration is the sign of SMA50 − SMA200; the age is sessions since it flipped."""
    bars = gspc.until(as_of)
    averages = _states(bars).averages
    golden, pandas_age, window = _pandas_cross(bars)
    assert averages.cross is expected
    assert golden == (expected is CrossConfiguration.GOLDEN)
    assert (averages.sma_50 > averages.sma_200) == golden
    assert averages.cross_age == pandas_age
    if age is not ...:
        assert averages.cross_age == age
    assert averages.cross_window == window == len(bars) - 199


def _geometric(n: int, daily: float) -> np.ndarray:
    return 100.0 * (1.0 + daily) ** np.arange(n)


def test_stacking_on_monotone_series(make_bars) -> None:
    up = _states(make_bars(_geometric(260, 0.002))).averages
    assert up.stacking is Stacking.BULLISH
    assert up.order == ("close", "sma_5", "sma_50", "sma_200")
    assert (up.cross, up.cross_age, up.cross_window) == (CrossConfiguration.GOLDEN, None, 61)
    down = _states(make_bars(_geometric(260, -0.002))).averages
    assert down.stacking is Stacking.BEARISH
    assert down.order == ("sma_200", "sma_50", "sma_5", "close")
    assert down.cross is CrossConfiguration.DEATH


def test_stacking_mixed_after_a_dip(make_bars) -> None:
    close = _geometric(260, 0.002)
    close[-1] = close[-2] * 0.97  # below the 5-day average, still above the 50-day
    averages = _states(make_bars(close)).averages
    assert averages.stacking is Stacking.MIXED
    assert averages.order == ("sma_5", "close", "sma_50", "sma_200")


def test_no_sma_200_before_200_sessions(make_bars) -> None:
    averages = _states(make_bars(_geometric(199, 0.002))).averages
    assert averages.sma_200 is None
    assert (averages.cross, averages.cross_age, averages.cross_window) == (None, None, 0)
    assert averages.stacking is Stacking.BULLISH  # judged on close, SMA 5 and SMA 50 alone
    assert averages.order == ("close", "sma_5", "sma_50")
    assert _states(make_bars(_geometric(200, 0.002))).averages.sma_200 is not None


def test_macd_cross_age_counts_sessions_since_signal_cross(gspc) -> None:
    """Age 0 on the crossing session, then 1, 2, 3 as sessions pass without another cross."""
    hist = talib.MACD(np.asarray(gspc.close), 12, 26, 9)[2]
    above = hist > 0
    flips = [i for i in range(34, len(gspc)) if above[i] != above[i - 1]]
    j = next(f for f, nxt in itertools.pairwise(flips) if f > 4000 and nxt - f > 5)
    for later in range(4):
        momentum = _states(gspc.head(j + 1 + later)).momentum
        assert momentum.macd_cross_age == later
        assert momentum.macd_above_signal == bool(above[j])


def _volume_bars(make_bars, volume):
    return make_bars(_geometric(len(volume), 0.001), volume=volume)


@pytest.mark.parametrize(
    ("last", "expected"),
    [
        (1.5e6, VolumeZone.HEAVY),
        (1.49e6, VolumeZone.NORMAL),
        (0.6e6, VolumeZone.LIGHT),
        (0.61e6, VolumeZone.NORMAL),
    ],
)
def test_volume_zone(make_bars, last: float, expected: VolumeZone) -> None:
    volume = np.full(80, 1e6)
    volume[-22] = 1e9  # just outside the 20 sessions before today: must not count
    volume[-1] = last
    state = _states(_volume_bars(make_bars, volume)).volume
    assert state.average == 1e6
    assert state.ratio == pytest.approx(last / 1e6, rel=1e-12)
    assert state.zone is expected


def test_volume_zone_none_without_volume(make_bars) -> None:
    volume = np.zeros(80)
    volume[-1] = 5e5
    state = _states(_volume_bars(make_bars, volume)).volume
    assert (state.average, state.ratio, state.zone) == (0.0, None, None)


def test_volume_thresholds_come_from_settings(make_bars) -> None:
    volume = np.full(80, 1e6)
    volume[-1] = 1.3e6
    custom = dataclasses.replace(
        DEFAULT_SETTINGS, volume=dataclasses.replace(DEFAULT_SETTINGS.volume, heavy_ratio=1.25)
    )
    bars = _volume_bars(make_bars, volume)
    assert _states(bars).volume.zone is VolumeZone.NORMAL
    assert _states(bars, custom).volume.zone is VolumeZone.HEAVY


def _random_path(seed: int, n: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    close = 100.0 * np.exp(np.cumsum(rng.normal(0.0003, 0.015, n)))
    open_ = np.concatenate([[100.0], close[:-1]])
    top, bottom = np.maximum(open_, close), np.minimum(open_, close)
    return {
        "close": close,
        "open": open_,
        "high": top * (1 + rng.uniform(0, 0.01, n)),
        "low": bottom * (1 - rng.uniform(0, 0.01, n)),
        "volume": rng.uniform(1e5, 1e6, n).round(),
    }


@hypothesis_settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(260, 400), data=st.data())
def test_states_never_look_ahead(make_bars, seed: int, n: int, data) -> None:
    """States as of session k of a long path equal states of a path that ends at session k."""
    k = data.draw(st.integers(100, n), label="k")
    path = _random_path(seed, n)
    full = make_bars(**path)
    cut = full.until(full.dates[k - 1])
    assert len(cut) == k
    only_k = make_bars(**{name: values[:k] for name, values in path.items()})
    states = _states(cut)
    assert states == _states(only_k)
    if k >= 200:  # and the SMA cross age agrees with pandas on random paths too
        assert states.averages.cross_age == _pandas_cross(only_k)[1]


@pytest.mark.parametrize("as_of", [dt.date(2008, 10, 10), dt.date(2016, 6, 24)])
def test_pipeline_as_of_equals_truncated_files(tmp_path: Path, as_of: dt.date) -> None:
    """Analysing the samples as of a date equals analysing files that end on that date."""
    for name in ("^IXIC", "^GSPC"):
        frame = pd.read_csv(samples_data_dir() / f"{name}.csv", dtype=str)
        frame[frame["Date"] <= as_of.isoformat()].to_csv(tmp_path / f"{name}.csv", index=False)
    cut = analyse(["^IXIC"], "^GSPC", as_of=as_of)
    truncated = analyse(["^IXIC"], "^GSPC", source=CsvSource(tmp_path))
    assert cut.as_of == truncated.as_of == as_of
    assert [i.states for i in cut.instruments] == [i.states for i in truncated.instruments]
    assert cut.comparisons == truncated.comparisons
