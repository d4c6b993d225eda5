"""A shareable card: a 1200×675 PNG with the headline, the story's figure, a mini chart of the
story's instrument and its key levels, for social posts and chat previews.

Drawn like the charts (Agg, the default style, no ``Software`` metadata) so the same inputs give
the same bytes. Every number on it is the article's: the close and the session's change come from
the bars the article was written from, the levels from the plan's levels to watch.
"""

from __future__ import annotations

import io
import textwrap

import numpy as np

from .pipeline import Article
from .plan import WatchItem
from .render.numbers import level, quote, signed_pct

WIDTH_PX, HEIGHT_PX, DPI = 1200, 675, 100
SESSIONS = 126
_INK, _MUTED, _UP, _DOWN = "#1b1f24", "#57606a", "#1a7f37", "#cf222e"
_LEVELS = {"support": "#2e7d32", "resistance": "#c62828"}


def card_png(article: Article, headline: str) -> bytes:
    """The card for ``article`` as PNG bytes, headed by ``headline`` (the article's own)."""
    import matplotlib.style
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    plan = article.plan
    symbol = _story_symbol(article)
    item = next(i for i in article.analysis.instruments if i.instrument.symbol == symbol)
    watch = next((w for w in plan.watch if w.instrument.symbol == symbol), None)
    close = item.bars.close[-SESSIONS:]
    change = 100.0 * (close[-1] / close[-2] - 1.0) if close.size > 1 else 0.0
    instrument = item.instrument

    with matplotlib.style.context("default"):
        figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, facecolor="white")
        FigureCanvasAgg(figure)
        try:
            dateline = f"{plan.series} · {plan.as_of:%B} {plan.as_of.day}, {plan.as_of.year}"
            figure.text(0.04, 0.93, dateline, fontsize=15, color=_MUTED, parse_math=False)
            lines = textwrap.wrap(headline, width=48)[:3]
            figure.text(0.04, 0.87, "\n".join(lines), fontsize=28, weight="bold", color=_INK,
                        va="top", linespacing=1.15, parse_math=False)  # fmt: skip
            figure.text(0.04, 0.36, instrument.name, fontsize=20, color=_INK, parse_math=False)
            figure.text(0.04, 0.19, signed_pct(change, 2), fontsize=54, weight="bold",
                        color=_UP if change >= 0 else _DOWN, parse_math=False)  # fmt: skip
            figure.text(0.04, 0.11, f"closed at {quote(float(close[-1]), instrument)}",
                        fontsize=17, color=_MUTED, parse_math=False)  # fmt: skip
            _mini_chart(figure, close, watch)
            figure.text(0.04, 0.03, "Technical commentary from price data. Not investment advice.",
                        fontsize=11, color=_MUTED, parse_math=False)  # fmt: skip
            buffer = io.BytesIO()
            figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
            return buffer.getvalue()
        finally:
            figure.clear()


def _story_symbol(article: Article) -> str:
    """The instrument the headline is about (its first fact's subject), else the final one's."""
    plan = article.plan
    if plan.headline:
        return plan.headline[0].subject.partition(" vs ")[0]
    return plan.final.instrument.symbol


def _mini_chart(figure: object, close: np.ndarray, watch: WatchItem | None) -> None:
    axes = figure.add_axes((0.42, 0.11, 0.54, 0.36))  # type: ignore[attr-defined]
    x = np.arange(close.size, dtype=np.float64)
    axes.plot(x, close, color=_INK, linewidth=2.0)
    low, high = float(close.min()), float(close.max())
    if watch is not None:
        for name, key in (("support", watch.support), ("resistance", watch.resistance)):
            if key is None or not low * 0.9 <= key.price <= high * 1.1:
                continue
            label = f"{key.kind} near {level(key.price, watch.instrument, watch.close)}"
            axes.axhline(key.price, color=_LEVELS[name], linewidth=1.4, linestyle="--")
            axes.text(0.01, key.price, f" {label}", color=_LEVELS[name], fontsize=13, va="bottom",
                      transform=axes.get_yaxis_transform(), parse_math=False)  # fmt: skip
            low, high = min(low, key.price), max(high, key.price)
    pad = (high - low) * 0.08 or high * 0.01
    axes.set_ylim(low - pad, high + pad)
    axes.set_xlim(0, close.size - 1)
    axes.set_xticks([])
    axes.tick_params(labelsize=12, colors=_MUTED)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.set_title(f"last {close.size} sessions", fontsize=12, color=_MUTED, loc="right")
