"""Charts are drawn from the ledger: the levels, averages and channel they show are the text's."""

from __future__ import annotations

import datetime as dt
import math
import struct
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from commentary.analysis import InstrumentAnalysis
from commentary.bars import Bars
from commentary.charts import (
    DPI,
    HEIGHT_PX,
    WIDTH_PX,
    chart_lines,
    chart_spec,
    draw_chart,
    render_png,
)
from commentary.ledger import build_ledger
from commentary.outputs import ledger_of
from commentary.pipeline import analyse, write_article
from commentary.playbooks import load_playbook

# matplotlib is imported by the renderer only; skip (not fail) where it is not installed.
pytest.importorskip("matplotlib")

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_BYTES = 150_000


@pytest.fixture(scope="module")
def mega_caps() -> list[tuple[InstrumentAnalysis, dict[str, Any]]]:
    article = write_article(load_playbook("mega-caps"), as_of=dt.date(2020, 4, 17))
    ledger = ledger_of(article)
    entries = {entry["symbol"]: entry for entry in ledger["instruments"]}
    return [(item, entries[item.instrument.symbol]) for item in article.analysis.instruments]


def pick(
    items: list[tuple[InstrumentAnalysis, dict[str, Any]]], symbol: str
) -> tuple[Bars, dict[str, Any]]:
    return next((item.bars, entry) for item, entry in items if item.instrument.symbol == symbol)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_MAGIC
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("symbol", ["^GSPC", "AAPL"])
def test_a_chart_is_a_small_deterministic_png(
    mega_caps: list[tuple[InstrumentAnalysis, dict[str, Any]]], symbol: str, tmp_path: Path
) -> None:
    bars, entry = pick(mega_caps, symbol)
    first = draw_chart(bars, entry, tmp_path / "one.png")
    second = draw_chart(bars, entry, tmp_path / "sub" / "two.png")
    data = first.read_bytes()
    assert first == tmp_path / "one.png"
    assert png_size(data) == (WIDTH_PX, HEIGHT_PX)
    assert len(data) < MAX_BYTES
    assert data == second.read_bytes()
    assert b"Software" not in data
    assert not list(tmp_path.rglob("*.tmp"))


def test_the_chart_shows_exactly_the_ledgers_levels(
    mega_caps: list[tuple[InstrumentAnalysis, dict[str, Any]]],
) -> None:
    for bars, entry in ((item.bars, entry) for item, entry in mega_caps):
        levels = entry["states"]["levels"]
        expected = {"all_time_high": levels["extremes"]["all_time_high"]}
        for key in ("support", "resistance"):
            if levels[key] is not None:
                expected[key] = levels[key]["price"]
        assert chart_lines(entry) == expected
        spec = chart_spec(bars, entry)
        low, high = spec.price_range
        assert spec.lines == {k: v for k, v in expected.items() if low <= v <= high}
        # The plotted range holds every bar; a level left off really is off the chart.
        assert low < float(spec.low.min()) and float(spec.high.max()) < high


def test_the_averages_end_on_the_ledgers_values(
    mega_caps: list[tuple[InstrumentAnalysis, dict[str, Any]]],
) -> None:
    for bars, entry in ((item.bars, entry) for item, entry in mega_caps):
        spec = chart_spec(bars, entry)
        indicators = entry["indicators"]
        assert spec.sma_50[-1] == pytest.approx(indicators["sma_50"], rel=1e-12)
        assert spec.sma_200[-1] == pytest.approx(indicators["sma_200"], rel=1e-12)
        assert spec.rsi[-1] == pytest.approx(indicators["rsi_14"], rel=1e-12)
        assert spec.close.size == 126 and str(spec.dates[-1]) == entry["date"]


def test_the_channel_is_the_ledgers_regression_line(
    mega_caps: list[tuple[InstrumentAnalysis, dict[str, Any]]],
) -> None:
    bars, entry = pick(mega_caps, "AAPL")
    channel = entry["states"]["trend"]["channels"]["medium"]
    spec = chart_spec(bars, entry)
    assert spec.channel is not None
    for key in ("upper", "middle", "lower"):
        assert spec.channel[key][-1] == pytest.approx(channel[key], rel=1e-12)
    # Refit log(close) over the channel's sessions: its line, cut to the window, is the middle.
    n = channel["sessions"]
    assert str(bars.dates[-n]) == channel["start"]
    slope, intercept = np.polyfit(np.arange(n), np.log(bars.close[-n:]), 1)
    fitted = np.exp(intercept + slope * np.arange(n))[-spec.close.size :]
    np.testing.assert_allclose(spec.channel["middle"], fitted, rtol=1e-8)
    yearly = (math.exp(slope * 252) - 1) * 100
    assert yearly == pytest.approx(channel["slope_pct_per_year"], rel=1e-8)


def test_a_channel_shorter_than_the_window_starts_where_it_starts(
    mega_caps: list[tuple[InstrumentAnalysis, dict[str, Any]]],
) -> None:
    bars, entry = pick(mega_caps, "NVDA")
    short = entry["states"]["trend"]["channels"]["short"]
    entry = {**entry, "states": {**entry["states"], "trend": {"channels": {"medium": short}}}}
    spec = chart_spec(bars, entry)
    assert spec.channel is not None
    middle = spec.channel["middle"]
    assert np.isnan(middle[: 126 - short["sessions"]]).all()
    assert not np.isnan(middle[126 - short["sessions"] :]).any()


def test_no_figure_is_left_open_and_pyplot_is_never_needed(
    mega_caps: list[tuple[InstrumentAnalysis, dict[str, Any]]],
) -> None:
    bars, entry = pick(mega_caps, "AMZN")
    had_pyplot = "matplotlib.pyplot" in sys.modules
    render_png(chart_spec(bars, entry))
    assert had_pyplot or "matplotlib.pyplot" not in sys.modules
    if had_pyplot:
        import matplotlib.pyplot as plt

        assert plt.get_fignums() == []


def test_bars_that_are_not_the_ledgers_are_refused(
    mega_caps: list[tuple[InstrumentAnalysis, dict[str, Any]]], tmp_path: Path
) -> None:
    bars, entry = pick(mega_caps, "AAPL")
    other, _ = pick(mega_caps, "NVDA")
    with pytest.raises(ValueError, match="not the ones"):
        draw_chart(other, entry, tmp_path / "x.png")
    with pytest.raises(ValueError, match="not the ones"):
        draw_chart(bars.head(len(bars) - 1), entry, tmp_path / "x.png")
    assert not (tmp_path / "x.png").exists()


@dataclass
class _Short:
    """A source serving the first sessions of the samples only."""

    bars: dict[str, Bars]
    name: str = "short"
    live: bool = False

    def load(self, symbol: str) -> Bars:
        return self.bars[symbol]


def test_a_short_history_without_a_200_day_average(
    mega_caps: list[tuple[InstrumentAnalysis, dict[str, Any]]], tmp_path: Path
) -> None:
    full, _ = pick(mega_caps, "AAPL")
    source = _Short({"AAPL": full.head(150)})
    analysis = analyse(["AAPL"], source=source)
    entry = build_ledger(analysis)["instruments"][0]
    bars = analysis.instruments[0].bars
    assert entry["indicators"]["sma_200"] is None
    spec = chart_spec(bars, entry)
    assert np.isnan(spec.sma_200).all()
    assert spec.sma_50[-1] == pytest.approx(entry["indicators"]["sma_50"], rel=1e-12)
    # Without levels or channels in the states, the chart still draws.
    bare = {**entry, "states": {"levels": {"support": None, "extremes": {}}, "trend": None}}
    assert chart_lines(bare) == {}
    path = draw_chart(bars, bare, tmp_path / "short.png", sessions=400)
    assert png_size(path.read_bytes()) == (WIDTH_PX, HEIGHT_PX)
    assert chart_spec(bars, bare, sessions=400).close.size == 150


def test_importing_the_module_does_not_import_matplotlib() -> None:
    import subprocess

    code = "import sys, commentary.charts; print('matplotlib' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
    assert DPI == 100
