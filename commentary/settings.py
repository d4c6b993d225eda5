"""Every default and threshold in one place, so no stage hides a literal.

``Settings`` is frozen; build a variant with ``dataclasses.replace``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SESSIONS_PER_YEAR = 252


@dataclass(frozen=True)
class DataSettings:
    """What the bars stage accepts."""

    #: Fewer sessions than this is refused: RSI, MACD and ADX need about this many to mean anything.
    min_sessions: int = 60
    #: OHLC inconsistencies up to this fraction of the price are rounding noise and are repaired.
    ohlc_tolerance: float = 0.001
    #: Prices and volumes above this are misread cells, not markets (the dearest share trades
    #: near 10**6, the busiest near 10**11 a day); beyond it indicator sums would overflow.
    max_value: float = 1e15
    #: Prices below this are misread cells too (the cheapest traded tokens are near 10**-8);
    #: below it squares in the indicators underflow to zero.
    min_price: float = 1e-9


@dataclass(frozen=True)
class MomentumSettings:
    rsi_overbought: float = 70.0
    rsi_oversold: float = 30.0
    stoch_overbought: float = 80.0
    stoch_oversold: float = 20.0
    #: ADX below ``adx_weak``: no trend worth the name; at or above ``adx_strong``: a strong one.
    adx_weak: float = 20.0
    adx_strong: float = 25.0
    adx_very_strong: float = 40.0
    #: Bollinger bandwidth at its lowest over this many sessions counts as a squeeze.
    squeeze_lookback: int = 126


@dataclass(frozen=True)
class VolumeSettings:
    average_window: int = 20
    #: Volume at or above this multiple of its average is heavy; at or below ``light_ratio``, light.
    heavy_ratio: float = 1.5
    light_ratio: float = 0.6


@dataclass(frozen=True)
class LevelSettings:
    #: A swing high (low) is the highest high (lowest low) within this many sessions on each side.
    pivot_span: int = 5
    #: Pivots from this many recent sessions build support and resistance.
    lookback: int = SESSIONS_PER_YEAR
    #: Pivots within this fraction of a cluster's lowest price belong to one level.
    cluster_tolerance: float = 0.015
    #: A level needs this many touches to count as support or resistance.
    min_touches: int = 2
    #: A level a bottom line or the levels to watch may name is at most this many average daily
    #: ranges (ATRs) from the close: further away, it is out of reach and the regime is named
    #: instead (docs/levels.md).
    reach_atr: float = 3.0
    #: Closes of this many sessions before the last one are candidate levels ("Thursday's close").
    recent_sessions: int = 10
    #: A candidate nearer the close than this many ATRs is where price is, not a level to watch.
    min_distance_atr: float = 0.02
    #: A close, a session's extreme (today's too), a swing or a pivot cluster nearer the close
    #: than this many ATRs is where price is trading, not a level to watch: "a close under
    #: Thursday's close at 1,645.12 would confirm it" was 0.05 ATR from the Nasdaq's close on
    #: Oct. 10, 2008. Lines
    #: with a name of their own (``NAMED_LINES`` in states/trade_levels.py) count at any distance:
    #: the S&P 500 closed 0.1 ATR above its bear-market line on Dec. 24, 2018, and that line was
    #: the day's story.
    noise_atr: float = 0.25
    #: Candidates within this many ATRs of each other are one level (the better-known one names it).
    merge_atr: float = 0.15
    #: A gap narrower than this many ATRs (from the previous close to the nearest edge of today's
    #: range) is no gap a trader draws: Amazon's 41 cents on April 17, 2020, against a $6 daily
    #: range, was "the top of today's gap". The previous close keeps its own name.
    gap_edge_atr: float = 0.25


@dataclass(frozen=True)
class TrendSettings:
    #: Regression-channel horizons in sessions: about three months, a year and three years.
    channel_horizons: tuple[tuple[str, int], ...] = (
        ("short", 63),
        ("medium", SESSIONS_PER_YEAR),
        ("long", 3 * SESSIONS_PER_YEAR),
    )
    #: Channel slope (% a year) beyond which it is rising or falling rather than sideways.
    flat_slope_pct: float = 5.0
    #: The channel spans this many standard deviations of the residuals on each side.
    channel_sigmas: float = 2.0


@dataclass(frozen=True)
class PerformanceSettings:
    return_windows: tuple[int, ...] = (1, 5, 21, 63)
    #: The "pop" is the largest rise within this many recent sessions.
    pop_window: int = 15
    high_low_window: int = SESSIONS_PER_YEAR


@dataclass(frozen=True)
class FactSettings:
    """Thresholds the built-in rules read (``{ setting = "facts.name" }`` in a rule file)."""

    #: A relative streak needs this many sessions before it is worth a sentence.
    min_streak: int = 4
    #: "The longest since ..." needs this many sessions (a quarter) between the two streaks;
    #: "Netflix's longest since December", said on December 31, tells the reader nothing.
    longest_since_min_gap: int = 63
    #: A golden or death cross at most this many sessions old is news (0: on its session only;
    #: after that it is a standing configuration with an age).
    fresh_cross_sessions: int = 0
    #: A MACD signal-line cross at most this many sessions old is news.
    recent_macd_cross: int = 3
    #: Within this many ATRs of a level, price is "testing" it.
    testing_atr: float = 1.0
    #: A rise at least this large (%) within the pop window is a "pop".
    pop_pct: float = 8.0
    #: A pop that peaked more than this many sessions ago is history, not news.
    pop_recent_sessions: int = 2
    #: A day's move at least this large (%) leads the section.
    big_move_pct: float = 2.0
    #: Within this many percent of the all-time high is "near" it.
    near_high_pct: float = 3.0
    #: A one- or three-month return at least this large (%), up or down, is worth a sentence.
    notable_return_pct: float = 10.0
    #: A year-to-date gap against the benchmark at least this large (points) is worth a sentence.
    ytd_gap_points: float = 1.0
    #: A regression channel must fit at least this well (R²) to be called a channel.
    min_channel_fit: float = 0.5


@dataclass(frozen=True)
class FetchSettings:
    """How long the network may take."""

    #: Seconds one symbol's download may take in all, retries and waits included: a server that
    #: accepts and never answers cost 198 s a symbol through yfinance's own per-request timeouts.
    deadline: float = 60.0


@dataclass(frozen=True)
class EventSettings:
    """The events stage: what is rare today in the instrument's own history (docs/salience.md)."""

    #: Daily returns' standard deviation over this many sessions scales the day's move (z-score).
    volatility_window: int = 63
    #: A previous session's move of at least this much (either way) that today's close took back
    #: in full is said: "wiping out Friday's 9.3% gain" (the S&P 500, March 16, 2020).
    erase_min_pct: float = 2.0
    #: A close across the 50-day average is news after this many sessions on the other side.
    fifty_day_min_sessions: int = 21
    #: Runs ranked against history: a week and a month of sessions.
    week_sessions: int = 5
    month_sessions: int = 21
    #: Drawdown regimes from the closing high (the convention): a correction, a bear market.
    correction_pct: float = 10.0
    bear_pct: float = 20.0
    #: A correction this deep (a point short of ``bear_pct``), at its deepest close, is "within
    #: a point of a bear market": the S&P 500 on December 24, 2018, 19.8% below its record.
    brink_pct: float = 19.0
    #: A rise of this much from the trough of a bear market is a new bull market.
    bull_pct: float = 20.0
    #: Salience from rarity: an event seen once in ``common_sessions`` gets 0.5, once in
    #: ``record_sessions`` (twenty years) or rarer gets 1.0, logarithmic in between.
    common_sessions: float = 21.0
    record_sessions: float = 5040.0
    #: An event is rare enough for a fact when seen at most once in this many sessions.
    rare_sessions: float = 252.0
    #: ... and unmatched for at least this many sessions (a quarter) before "since" is said.
    min_quiet_sessions: int = 63
    #: Base rates: sessions ahead the outcome is measured at, the day's-move thresholds (%) tried
    #: from the largest down, and the fewest declustered cases a rate is stated on.
    base_rate_horizon: int = 21
    base_rate_thresholds: tuple[float, ...] = (10.0, 7.0, 5.0, 4.0, 3.0, 2.0)
    base_rate_min_cases: int = 8
    #: A gap is the session's story when it carries at least this share of the day's move.
    gap_min_share: float = 0.5
    #: The session's shape: a day that was down (up) at least this much at its low (high) and
    #: closed with at most ``intraday_turn_share`` of that move is told as a turn ("it had been
    #: down 7.7% at the low").
    intraday_turn_pct: float = 4.0
    intraday_turn_share: float = 1 / 3
    #: A bear market's low at most this many sessions ago can start a "new" bull market.
    bull_trough_sessions: int = SESSIONS_PER_YEAR
    #: A pop may give back at most this fraction of its gain and still be called a rally.
    pop_max_giveback: float = 0.5


@dataclass(frozen=True)
class WritingSettings:
    """The article's economy (``plan.economy``)."""

    #: At most this many figures per 100 words: past it, the least newsworthy sentences go. The
    #: voice sample runs near 3, our readers' bar is 6 (docs/story.md).
    numbers_per_100_words: float = 6.0


@dataclass(frozen=True)
class Settings:
    data: DataSettings = field(default_factory=DataSettings)
    fetch: FetchSettings = field(default_factory=FetchSettings)
    momentum: MomentumSettings = field(default_factory=MomentumSettings)
    volume: VolumeSettings = field(default_factory=VolumeSettings)
    levels: LevelSettings = field(default_factory=LevelSettings)
    trend: TrendSettings = field(default_factory=TrendSettings)
    performance: PerformanceSettings = field(default_factory=PerformanceSettings)
    facts: FactSettings = field(default_factory=FactSettings)
    events: EventSettings = field(default_factory=EventSettings)
    writing: WritingSettings = field(default_factory=WritingSettings)


DEFAULT_SETTINGS = Settings()
