"""Whole articles: golden files, structure, truth of labels, no template debris, variety."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commentary.bars import Bars
from commentary.errors import SymbolNotFound
from commentary.pipeline import Article, write_article
from commentary.playbooks import Playbook, adhoc_playbook, load_playbook
from commentary.render import render_article, to_text
from tests.conftest import build_bars

ARTICLES = Path(__file__).resolve().parent.parent / "samples" / "articles"

#: (playbook, as-of, persona): the bundled examples, which double as golden files.
GOLDEN = [
    ("tech-vs-broad-market", "2008-10-10", None),
    ("tech-vs-broad-market", "2016-11-04", None),
    ("tech-vs-broad-market", "2018-12-31", None),
    ("tech-vs-broad-market", "2018-12-31", "morning-brief"),
    ("mega-caps", "2016-06-24", None),
    ("mega-caps", "2019-12-31", None),
    ("mega-caps", "2020-04-17", None),
    ("default", "2020-03-16", None),
    ("default", "2020-03-23", None),
    ("default", "2020-04-17", None),
    ("tech-vs-broad-market", "2018-12-24", None),
    ("tech-vs-broad-market", "2018-12-26", None),
    ("NVDA", "2023-05-26", None),
    ("desk-items", "2023-09-14", None),
]


def golden_playbook(name: str) -> Playbook:
    """A bundled playbook, or for a bare ticker ("NVDA") the one ``commentary generate NVDA``
    writes: a single ticker, no benchmark."""
    if name.isupper():
        return adhoc_playbook([name], None, "technical-trader", 0)
    return load_playbook(name)


@pytest.fixture(autouse=True)
def pinned_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Goldens pin the date (as-of) and seed (the playbook's); pin locale and timezone too."""
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv("LC_ALL", "C.UTF-8")


def golden_path(playbook: str, as_of: str, persona: str | None) -> Path:
    suffix = f".{persona}" if persona else ""
    return ARTICLES / playbook / f"{as_of}{suffix}.md"


@pytest.mark.parametrize(("playbook", "as_of", "persona"), GOLDEN)
def test_bundled_articles_match_their_golden_files(
    playbook: str, as_of: str, persona: str | None, update_goldens: bool
) -> None:
    """Regenerate with: .venv/bin/pytest tests/test_articles.py --update-goldens"""
    book = golden_playbook(playbook)
    article = write_article(book, as_of=dt.date.fromisoformat(as_of), persona=persona)
    path = golden_path(playbook, as_of, persona)
    if update_goldens:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(article.markdown, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == article.markdown


def article_on(playbook: str, as_of: str) -> Article:
    return write_article(golden_playbook(playbook), as_of=dt.date.fromisoformat(as_of))


def test_article_has_every_part_of_the_voice_sample() -> None:
    article = article_on("mega-caps", "2020-04-17")
    text = article.markdown
    sections = article.plan.sections
    assert text.startswith("# ") and "\n*Mega-Caps vs. the S&P 500 · Data as of the close" in text
    assert "By The Technical Trader desk" in text
    lead = text.split("\n\n")[2]
    assert not lead.startswith("#") and len(lead.split(". ")) >= 2
    titles = re.findall(r"^## (.+)$", text, flags=re.MULTILINE)
    assert len(titles) == len(sections) + 1 == 4 + 4 + 1 + 1
    assert titles[-1] == "Key Levels to Watch"
    assert text.count("**The bottom line:**") == len(sections)
    assert text.count("**The bottom line for traders:**") == 1
    assert re.search(
        r"^- \*\*Apple\*\*(?: \(\$70\.70\))?: support at (?:\$69\.68 \()?the 50-day average", text,
        flags=re.MULTILINE,
    )  # fmt: skip
    assert text.rstrip().endswith("It is not investment advice.*")


@pytest.mark.parametrize("persona", ["technical-trader", "morning-brief"])
def test_a_single_instrument_article_tallies_no_charts(persona: str) -> None:
    """ "All one charts lean bullish" was the tally of a one-instrument article."""
    book = adhoc_playbook(["AAPL"], None, persona, 0)
    text = write_article(book, as_of=dt.date(2020, 4, 17)).markdown
    assert "one chart" not in text and "charts lean" not in text
    assert "\n\n\n" not in text


def test_index_levels_never_carry_a_dollar_sign_and_prices_always_do() -> None:
    written = article_on("mega-caps", "2020-04-17")
    text = written.markdown
    assert "$2," not in text and "$3," not in text  # S&P 500 levels
    # The levels list gives each close unless the article is tight (over its budget).
    text = render_article(dataclasses.replace(written.plan, tight=False))
    assert "S&P** (2,874.56)" in text
    assert "Amazon** ($118.75)" in text


@pytest.mark.parametrize(("playbook", "as_of", "persona"), [g for g in GOLDEN if not g[2]])
def test_labels_agree_with_the_states(playbook: str, as_of: str, persona: None) -> None:
    """ "death cross" only while SMA 50 < SMA 200, "overbought" RSI only at 70 or above."""
    article = article_on(playbook, as_of)
    by_name = {i.instrument.name: i.states for i in article.analysis.instruments}
    for chunk in sections_of(article.markdown)[1:]:
        name = chunk.split(":", 1)[0]
        if name not in by_name:
            continue
        states = by_name[name]
        text = chunk.lower()
        if "death cross" in text or "death-cross" in text:
            assert states.averages.sma_200 is not None
            assert states.averages.sma_50 < states.averages.sma_200, name
        if "golden cross" in text or "golden-cross" in text:
            assert states.averages.sma_200 is not None
            assert states.averages.sma_50 > states.averages.sma_200, name
        for sentence in re.split(r"(?<=\.) ", chunk):
            if "RSI" in sentence and "overbought" in sentence:
                assert states.momentum.rsi >= 70, sentence
            if "RSI" in sentence and "oversold" in sentence:
                assert states.momentum.rsi <= 30, sentence


def sections_of(markdown: str) -> list[str]:
    """Split at section titles (Technical Trader) or bold instrument lines (Morning Brief)."""
    return re.split(r"^(?:## |\*\*)", markdown, flags=re.MULTILINE)


def assert_clean_prose(markdown: str) -> None:
    text = to_text(markdown)
    for word in ("nan", "None", "inf", "NaN", "null", "undefined"):
        assert not re.search(rf"\b{word}\b", text), word
    assert "{{" not in markdown and "}}" not in markdown and "{%" not in markdown
    for line in markdown.splitlines():
        assert "  " not in line.strip(), line
        assert line == line.rstrip(), line
    doubled = re.search(r"\b(\w+) \1\b", text, flags=re.IGNORECASE)
    assert doubled is None, doubled
    assert "\n\n\n" not in markdown
    # The headline and lead speak of several subjects; each section of one.
    for section in sections_of(markdown)[1:]:
        lowered = section.lower()
        assert not ("golden cross" in lowered and "death cross" in lowered), section
        assert not ("golden-cross" in lowered and "death-cross" in lowered), section


@pytest.mark.parametrize(("playbook", "as_of", "persona"), GOLDEN)
def test_golden_articles_are_clean(playbook: str, as_of: str, persona: str | None) -> None:
    assert_clean_prose(golden_path(playbook, as_of, persona).read_text(encoding="utf-8"))


class MemorySource:
    """A ``Source`` over bars built in the test."""

    name = "memory"
    live = False

    def __init__(self, bars: dict[str, Bars]):
        self.bars = bars

    def load(self, symbol: str) -> Bars:
        if symbol not in self.bars:
            raise SymbolNotFound(symbol)
        return self.bars[symbol]


def random_walk(seed: int, sessions: int, drift: float, volatility: float, symbol: str) -> Bars:
    rng = np.random.default_rng(seed)
    close = 100.0 * np.exp(np.cumsum(rng.normal(drift, volatility, sessions)))
    spread = np.abs(rng.normal(0, volatility / 2, sessions))
    opening = close * np.exp(rng.normal(0, volatility / 3, sessions))
    high = np.maximum(opening, close) * (1 + spread)
    low = np.minimum(opening, close) * (1 - spread)
    volume = rng.integers(1, 10, sessions) * 1e6 * (rng.random(sessions) < 0.98)
    return build_bars(
        close, open=opening, high=high, low=low, volume=volume, start="2015-01-02", symbol=symbol
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    sessions=st.integers(60, 900),
    drift=st.floats(-0.004, 0.004),
    volatility=st.floats(0.002, 0.05),
    persona=st.sampled_from(["technical-trader", "morning-brief"]),
)
def test_prose_is_clean_on_random_valid_series(
    seed: int, sessions: int, drift: float, volatility: float, persona: str
) -> None:
    """No nan/None/inf, no template braces, no doubled spaces or words, never both crosses."""
    bars = {
        "AAA": random_walk(seed, sessions, drift, volatility, "AAA"),
        "^BBB": random_walk(seed + 1, sessions, 0.0003, 0.01, "^BBB"),
    }
    book = adhoc_playbook(["AAA"], "^BBB", persona, seed % 7)
    article = write_article(book, MemorySource(bars))
    assert_clean_prose(article.markdown)


def test_consecutive_sessions_read_differently() -> None:
    """The same playbook one session apart: similar facts, different words."""
    before = article_on("default", "2020-04-16").markdown
    after = article_on("default", "2020-04-17").markdown

    def sentences(text: str) -> set[str]:
        body = [line for line in text.splitlines() if line and not line.startswith(("#", "*"))]
        return set(re.split(r"(?<=[.!?])\s+", " ".join(body)))

    shared = sentences(before) & sentences(after)
    assert len(shared) / len(sentences(after)) < 0.15, shared
    assert before.splitlines()[0] != after.splitlines()[0]


def test_same_inputs_give_byte_identical_output() -> None:
    assert (
        article_on("default", "2020-04-17").markdown == article_on("default", "2020-04-17").markdown
    )
