"""Data notes only where they matter: an issue reaches the reader when it lies in the window a
figure in the article depends on; every issue stays in the ledger's ``data_quality``.

The windows:

- **indicators** (RSI, MACD, averages, channels, levels, the 52-week range): the instrument's last
  ``SESSIONS_PER_YEAR`` (252) sessions. Missing sessions and bars on closed days are looked for
  only there, so such an issue always matters while its instrument is in the article.
- **volume**: only a volume reading depends on volume, so zero volume matters when the article
  quotes one and a zero lies in the average's window (``volume.average_window`` sessions and
  the last one).
- **comparisons**: sessions a symbol and its benchmark disagree on matter when the article
  quotes that comparison and one lies in the current streak's span or the year to date (from a
  week before the year began: the base is the previous year's last common close).
- **stale** data always matters: it dates every figure of the instrument.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ..analysis import Analysis
from ..quality import QualityIssue
from ..rules import Fact
from ..settings import DEFAULT_SETTINGS, SESSIONS_PER_YEAR, Settings

#: The year to date's base is the last common close of the previous year: within this of Jan 1.
YEAR_BASE_DAYS = 7


def issues_that_matter(
    analysis: Analysis, quoted: Iterable[Fact], settings: Settings = DEFAULT_SETTINGS
) -> list[QualityIssue]:
    """The issues of ``analysis`` a figure of the article (its ``quoted`` facts) depends on."""
    quoted = list(quoted)
    bars = {item.instrument.symbol: item.bars for item in analysis.instruments}
    pairs = {(p.relative.symbol, p.relative.benchmark): p.relative for p in analysis.comparisons}
    volume = {f.subject for f in quoted if f.topic.startswith("volume")}
    streaks = {f.subject for f in quoted if f.topic.startswith("relative.streak")}
    kept = []
    for issue in analysis.quality:
        series = bars.get(issue.symbol)
        if series is None:
            continue
        if issue.kind == "stale" or not issue.dates:
            kept.append(issue)
            continue
        latest = max(issue.dates)
        if issue.benchmark:
            relative = pairs.get((issue.symbol, issue.benchmark))
            if relative is None:
                continue
            start = dt.date(relative.date.year, 1, 1) - dt.timedelta(days=YEAR_BASE_DAYS)
            subject = f"{issue.symbol} vs {issue.benchmark}"
            if relative.current is not None and subject in streaks:
                start = min(start, relative.current.start)
            if latest >= start:
                kept.append(issue)
            continue
        window = SESSIONS_PER_YEAR
        if issue.kind == "zero_volume":
            if issue.symbol not in volume:
                continue
            window = settings.volume.average_window + 1
        first = series.dates[max(0, len(series) - window)].astype("datetime64[D]").item()
        if latest >= first:
            kept.append(issue)
    return kept
