"""The technical rating, after TradingView's published method.

Each indicator casts a vote: +1 (buy), -1 (sell) or 0 (neutral). The moving-average group and the
oscillator group are each averaged, and the rating is the mean of the two groups, times 100, so
it runs from -100 to +100. TradingView's bands name it: below -50 strong sell, -50 to -10 sell,
-10 to 10 neutral, 10 to 50 buy, above 50 strong buy; we call them strongly negative, negative,
neutral, positive and strongly positive, because an article describes and does not advise.

Moving averages (SMA 5, 20, 50, 200 and EMA 20): +1 when the average is below the close,
-1 when above, 0 when equal. SMA 200 votes only once it exists.

Oscillators:
- RSI 14: +1 below the oversold threshold and rising; -1 above overbought and falling; else 0.
- Stochastic 14/3/3: +1 with %K and %D both below the oversold threshold and %K above %D; -1 with
  both above overbought and %K below %D; else 0.
- MACD 12/26/9: +1 above its signal line, -1 below.

Reference: https://www.tradingview.com/support/solutions/43000614331-technical-ratings/
"""

from __future__ import annotations

from ..settings import MomentumSettings
from .model import AverageState, MomentumState, RatingLabel, RatingState


def technical_rating(
    averages: AverageState, momentum: MomentumState, settings: MomentumSettings
) -> RatingState:
    """Rate the moving-average and oscillator readings from -100 to +100."""
    close = averages.close
    ma_votes = [
        (name, _sign(close - value))
        for name, value in (
            ("sma_5", averages.sma_5),
            ("sma_20", averages.sma_20),
            ("sma_50", averages.sma_50),
            ("sma_200", averages.sma_200),
            ("ema_20", averages.ema_20),
        )
        if value is not None
    ]
    rsi = momentum.rsi
    if rsi < settings.rsi_oversold and momentum.rsi_rising:
        rsi_vote = 1
    elif rsi > settings.rsi_overbought and not momentum.rsi_rising:
        rsi_vote = -1
    else:
        rsi_vote = 0
    k, d = momentum.stoch_k, momentum.stoch_d
    if k < settings.stoch_oversold and d < settings.stoch_oversold and k > d:
        stoch_vote = 1
    elif k > settings.stoch_overbought and d > settings.stoch_overbought and k < d:
        stoch_vote = -1
    else:
        stoch_vote = 0
    oscillator_votes = [
        ("rsi_14", rsi_vote),
        ("stoch", stoch_vote),
        ("macd", _sign(momentum.macd - momentum.macd_signal)),
    ]
    ma_score = sum(v for _, v in ma_votes) / len(ma_votes)
    oscillator_score = sum(v for _, v in oscillator_votes) / len(oscillator_votes)
    value = (ma_score + oscillator_score) / 2 * 100
    return RatingState(
        value=value,
        label=rating_label(value),
        moving_averages=ma_score * 100,
        oscillators=oscillator_score * 100,
        votes=(*ma_votes, *oscillator_votes),
    )


def rating_label(value: float) -> RatingLabel:
    """
    >>> [rating_label(v).value for v in (-60, -50, -10, 10, 10.5, 50.5)]
    ['strongly negative', 'negative', 'neutral', 'neutral', 'positive', 'strongly positive']
    """
    if value < -50:
        return RatingLabel.STRONGLY_NEGATIVE
    if value < -10:
        return RatingLabel.NEGATIVE
    if value <= 10:
        return RatingLabel.NEUTRAL
    if value <= 50:
        return RatingLabel.POSITIVE
    return RatingLabel.STRONGLY_POSITIVE


def _sign(value: float) -> int:
    return (value > 0) - (value < 0)
