"""Charts are drawn from the ledger: the levels, averages and channel they show are the text's."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
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
    COLUMN_CSS_PX,
    DPI,
    HEIGHT_PX,
    LEVEL_COLOURS,
    MIN_CSS_PX,
    WIDTH_IN,
    WIDTH_PX,
    chart_lines,
    chart_spec,
    draw,
    draw_chart,
    figure_height,
    render_png,
)
from commentary.ledger import build_ledger
from commentary.outputs import ledger_of
from commentary.pipeline import analyse, write_article
from commentary.playbooks import load_playbook
from tests.test_articles import GOLDEN, golden_playbook

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
    width, height = png_size(data)
    assert width == WIDTH_PX and height == round(figure_height(chart_spec(bars, entry)) * DPI)
    assert height > HEIGHT_PX  # the legend below the panels adds its rows
    assert len(data) < MAX_BYTES
    assert data == second.read_bytes()
    assert b"Software" not in data
    assert not list(tmp_path.rglob("*.tmp"))


def test_the_chart_draws_exactly_its_record(
    mega_caps: list[tuple[InstrumentAnalysis, dict[str, Any]]],
) -> None:
    for bars, entry in ((item.bars, entry) for item, entry in mega_caps):
        record = entry["chart"]
        named = chart_lines(entry)
        assert [(x.kind, x.price, x.label) for x in named] == [
            (e["kind"], e["price"], e["label"]) for e in record["levels"]
        ]
        spec = chart_spec(bars, entry)
        low, high = spec.price_range
        assert spec.levels == tuple(x for x in named if low <= x.price <= high)
        assert set(spec.levels) | set(spec.off_chart) == set(named)
        assert list(spec.channels) == [
            h for h in record["channels"] if entry["states"]["trend"]["channels"].get(h)
        ]
        assert [e.label for e in spec.events] == [e["label"] for e in record["events"]]
        # The plotted range holds every bar; a level left off really is off the chart.
        assert low < float(spec.low.min()) and float(spec.high.max()) < high


def test_without_a_record_the_states_levels_are_drawn(
    mega_caps: list[tuple[InstrumentAnalysis, dict[str, Any]]],
) -> None:
    _, entry = pick(mega_caps, "AAPL")
    bare = {k: v for k, v in entry.items() if k != "chart"}
    levels = entry["states"]["levels"]
    expected = {"all-time high": levels["extremes"]["all_time_high"]}
    for key in ("support", "resistance"):
        if levels[key] is not None:
            expected[key] = levels[key]["price"]
    assert {x.kind: x.price for x in chart_lines(bare)} == expected


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
    entry = {k: v for k, v in entry.items() if k != "chart"}  # no record: the medium channel
    channel = entry["states"]["trend"]["channels"]["medium"]
    spec = chart_spec(bars, entry)
    medium = spec.channels["medium"]
    for key in ("upper", "middle", "lower"):
        assert medium[key][-1] == pytest.approx(channel[key], rel=1e-12)
    # Refit log(close) over the channel's sessions: its line, cut to the window, is the middle.
    n = channel["sessions"]
    assert str(bars.dates[-n]) == channel["start"]
    slope, intercept = np.polyfit(np.arange(n), np.log(bars.close[-n:]), 1)
    fitted = np.exp(intercept + slope * np.arange(n))[-spec.close.size :]
    np.testing.assert_allclose(medium["middle"], fitted, rtol=1e-8)
    yearly = (math.exp(slope * 252) - 1) * 100
    assert yearly == pytest.approx(channel["slope_pct_per_year"], rel=1e-8)


def test_a_channel_shorter_than_the_window_starts_where_it_starts(
    mega_caps: list[tuple[InstrumentAnalysis, dict[str, Any]]],
) -> None:
    bars, entry = pick(mega_caps, "NVDA")
    short = entry["states"]["trend"]["channels"]["short"]
    entry = {**entry, "states": {**entry["states"], "trend": {"channels": {"medium": short}}}}
    entry.pop("chart")
    spec = chart_spec(bars, entry)
    middle = spec.channels["medium"]["middle"]
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
    assert chart_lines(bare) == []
    path = draw_chart(bars, bare, tmp_path / "short.png", sessions=400)
    assert png_size(path.read_bytes())[0] == WIDTH_PX
    assert chart_spec(bars, bare, sessions=400).close.size == 150


def test_importing_the_module_does_not_import_matplotlib() -> None:
    import subprocess

    code = "import sys, commentary.charts; print('matplotlib' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
    assert DPI == 200  # drawn at 2x for high-density screens


# A level the text names: a number after "near", "at", "of", "above", "below", "high" or "low"
# (not a percentage, not "52-week"), in a sentence that speaks of a level.
#: Words that name a level: a kind ("support"), or a level's own name ("Friday's low", "the July
#: 2017 closing low", "the 50-day average", "the bear-market line"), as a bottom line names it.
_LEVEL_WORDS = re.compile(
    r"support|resistance|level|all-time high|52-week|floor|area|closing (?:low|high)"
    r"|'s (?:low|high|close|record close)|day average|market line|correction line|of today's gap",
    re.I,
)
_NAMED = re.compile(r"(?:near|around|at|of|above|below|high|low|then)\s+\$?(\d[\d,]*(?:\.\d+)?)"
                    r"(?![\d,]*(?:\.\d+)?%)(?![\d,.]*-)")  # fmt: skip


@pytest.mark.parametrize(("playbook", "as_of", "persona"), GOLDEN)
def test_every_level_a_section_names_is_in_its_chart_record(
    playbook: str, as_of: str, persona: str | None
) -> None:
    article = write_article(golden_playbook(playbook), as_of=dt.date.fromisoformat(as_of),
                            persona=persona)  # fmt: skip
    checked = 0
    for entry in ledger_of(article)["instruments"]:
        name, record = entry["name"], entry["chart"]
        section = re.search(rf"^## {re.escape(name)}:.*?(?=^## )", article.markdown, re.M | re.S)
        watch = re.search(rf"^- \*\*{re.escape(name)}\*\*.*$", article.markdown, re.M)
        text = "\n".join(m.group(0) for m in (section, watch) if m)
        for sentence in re.split(r"(?<=[.;])\s+", text):
            if not _LEVEL_WORDS.search(sentence):
                continue
            for number in _NAMED.findall(sentence):
                value = float(number.replace(",", ""))
                if abs(value - entry["close"]) <= 0.005:
                    continue  # the close, not a level
                checked += 1
                assert any(
                    abs(value - x["price"]) <= 0.005 * x["price"] for x in record["levels"]
                ), f"{name}: {number} in {sentence!r} is not in the chart record {record}"
    assert checked or persona == "morning-brief"


def test_the_sp500_chart_shows_the_breakout_and_both_channels_the_text_names() -> None:
    # Full detail: a story article leaves the channels out (a bull market is the regime), and
    # then its chart leaves them out too.
    book = dataclasses.replace(load_playbook("default"), detail="full")
    article = write_article(book, as_of=dt.date(2020, 4, 17))
    entry = next(e for e in ledger_of(article)["instruments"] if e["symbol"] == "^GSPC")
    assert "is back above 2,825 for the second time in four sessions" in article.markdown
    assert re.search(r"rising[^.]*long[- ]term[^.]*short[- ]term", article.markdown)
    kinds = {x["kind"]: x["label"] for x in entry["chart"]["levels"]}
    assert kinds["broken level"] == "Breakout level near 2,825"
    assert entry["chart"]["channels"] == ["long", "short"]
    assert [e["label"] for e in entry["chart"]["events"]] == ["Back above"]
    bars = next(i.bars for i in article.analysis.instruments if i.instrument.symbol == "^GSPC")
    spec = chart_spec(bars, entry)
    assert {x.kind for x in spec.levels} >= {"broken level", "support", "resistance"}


def _figure(spec: Any, compact: bool) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_IN, figure_height(spec, compact)), dpi=DPI)
    FigureCanvasAgg(figure)
    draw(figure, spec, compact=compact)
    return figure


@pytest.mark.parametrize("compact", [False, True])
def test_no_text_is_under_11_css_px_in_a_phone_column(
    mega_caps: list[tuple[InstrumentAnalysis, dict[str, Any]]], compact: bool
) -> None:
    from matplotlib.text import Text

    bars, entry = pick(mega_caps, "^GSPC")
    title = "S&P 500: A Long Title That Wraps Over Two Lines"
    figure = _figure(chart_spec(bars, entry, title=title), compact)
    figure.canvas.draw()
    texts = [t for t in figure.findobj(Text) if t.get_visible() and t.get_text().strip()]
    assert len(texts) > 10  # ticks, legend, title: the check sees them all
    css_px_per_point = COLUMN_CSS_PX / (WIDTH_IN * 72)
    smallest = min(t.get_fontsize() for t in texts) * css_px_per_point
    assert smallest >= MIN_CSS_PX == 11.0


def test_nothing_but_the_levels_is_drawn_in_level_colours(
    mega_caps: list[tuple[InstrumentAnalysis, dict[str, Any]]],
) -> None:
    from matplotlib.colors import to_hex

    bars, entry = pick(mega_caps, "^GSPC")
    spec = chart_spec(bars, entry)
    figure = _figure(spec, False)
    level_colours = set(LEVEL_COLOURS.values())
    drawn: list[tuple[str, str]] = []
    for axes in figure.axes:
        for line in axes.get_lines():
            drawn.append((to_hex(line.get_color()), line.get_label()))
        for collection in axes.collections:
            drawn += [(to_hex(c), "collection") for c in collection.get_edgecolors()]
        drawn += [(to_hex(p.get_facecolor()), "patch") for p in axes.patches]
    in_level_colours = sorted(label for colour, label in drawn if colour in level_colours)
    assert in_level_colours == sorted(x.label for x in spec.levels)


def test_a_day_with_several_events_marks_each_and_keeps_every_session_in_view() -> None:
    """2020-03-16: the S&P 500's worst session in the data and a new 52-week low, both marked
    on the last bar, stacked; the axes still span all 126 sessions. (A full page: the story's
    economy leaves the 52-week low out of that day's article, and its chart marks what the
    article says.)"""
    from matplotlib.text import Annotation

    book = dataclasses.replace(load_playbook("default"), detail="full")
    article = write_article(book, as_of=dt.date(2020, 3, 16))
    entry = next(e for e in ledger_of(article)["instruments"] if e["symbol"] == "^GSPC")
    labels = [e["label"] for e in entry["chart"]["events"]]
    assert labels == ["Worst session in the data", "New 52-week low"]
    bars = next(i.bars for i in article.analysis.instruments if i.instrument.symbol == "^GSPC")
    spec = chart_spec(bars, entry)
    figure = _figure(spec, False)
    low, high = figure.axes[0].get_xlim()
    assert low <= 0 and high >= spec.close.size - 1
    marks = [a for a in figure.axes[0].texts if isinstance(a, Annotation)]
    assert [a.get_text() for a in marks] == labels
    assert len({a.xyann for a in marks}) == len(marks)  # stacked, not on top of each other
