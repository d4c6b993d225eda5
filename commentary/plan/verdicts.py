"""The lean of a bottom line ("buyers have the upper hand", "leans bearish", "balanced"), derived
from documented inputs and stored in the ledger so the verifier can hold the prose to it.

See docs/verdicts.md. An instrument's lean starts from the balance of its facts (each fact's
polarity weighted by its salience, from -1 to +1): above +0.25 bullish, below -0.25 bearish,
else neutral. The technical rating then has a veto: a rating at or below ``-RATING_VETO`` can
never read bullish, one at or above ``+RATING_VETO`` never bearish (either becomes neutral).
"""

from __future__ import annotations

from ..rules import Polarity

#: The balance of the facts beyond which a section leans one way.
BALANCE_THRESHOLD = 0.25
#: A technical rating this far from zero forbids the opposite lean (TradingView's "sell" band
#: starts at -10; -30 is well inside it, so a bullish call there contradicts the evidence).
RATING_VETO = 30.0


def lean_of(balance: float, rating: float | None) -> Polarity:
    """The lean from the facts' ``balance`` and the technical ``rating`` (None: no veto).

    >>> [lean_of(b, r).value for b, r in ((0.6, -47.0), (0.6, 10.0), (-0.6, 35.0), (0.1, 80.0))]
    ['neutral', 'bullish', 'neutral', 'neutral']
    """
    lean = (
        Polarity.BULLISH
        if balance > BALANCE_THRESHOLD
        else Polarity.BEARISH
        if balance < -BALANCE_THRESHOLD
        else Polarity.NEUTRAL
    )
    if rating is not None:
        if lean is Polarity.BULLISH and rating <= -RATING_VETO:
            return Polarity.NEUTRAL
        if lean is Polarity.BEARISH and rating >= RATING_VETO:
            return Polarity.NEUTRAL
    return lean


def contradicts(lean: str, rating: float | None) -> bool:
    """Whether a stated lean contradicts the rating (what the verifier refuses)."""
    if rating is None:
        return False
    return (lean == "bullish" and rating <= -RATING_VETO) or (
        lean == "bearish" and rating >= RATING_VETO
    )
