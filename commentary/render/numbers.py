"""Number phrasing that never overstates: the filters the templates use for every number.

- ``approx_pct``: "nearly X%" only for values in [0.9·X, X), "more than X%" only above X,
  "about X%" only within 5 % of X, a plain "X%" only when the value rounds to X.
- ``level``: a level the way a trader says it ("near 2,540"), within 0.5 % of the exact value.
- ``quote``: an exact price with the instrument's units: "$173.93" for stocks and ETFs, "2,506.85"
  (points) for indices, never a dollar sign on an index.
"""

from __future__ import annotations

import math
from decimal import Decimal

from ..symbols import Instrument
from . import grammar


def fixed(value: float, digits: int = 1) -> str:
    """
    >>> fixed(52.649, 1), fixed(1234.5, 0), fixed(-0.04, 1)
    ('52.6', '1,234', '0.0')
    """
    text = f"{value:,.{digits}f}"
    return text[1:] if text.startswith("-") and float(text.replace(",", "")) == 0 else text


def decimals_needed(value: float, minimum: int, figures: int) -> int:
    """At least ``minimum`` decimals, more when a small value needs them for ``figures``
    significant digits: a $0.0131 price is not "$0.01", and a MACD of 0.000004 is not "0.00".

    >>> decimals_needed(173.93, 2, 3), decimals_needed(0.0131, 2, 3), decimals_needed(4e-6, 2, 1)
    (2, 4, 6)
    """
    size = abs(value)
    if size == 0 or not math.isfinite(size):
        return minimum
    return max(minimum, figures - 1 - math.floor(math.log10(size)))


def significant(value: float, digits: int = 2, figures: int = 1) -> str:
    """``fixed(value, digits)``, with more decimals when a small value needs them to show
    ``figures`` significant digits (zeros beyond ``digits`` decimals trimmed).

    >>> significant(-0.0412), significant(0.0000041)
    ('-0.04', '0.000004')
    >>> significant(0.5, 2, figures=3), significant(0.0131, 2, figures=3)
    ('0.50', '0.0131')
    """
    decimals = decimals_needed(value, digits, figures)
    text = fixed(value, decimals)
    while decimals > digits and text.endswith("0"):
        text, decimals = text[:-1], decimals - 1
    return text


def pct(value: float, digits: int = 1) -> str:
    """A percentage with its sign dropped (the sentence says up or down).

    >>> pct(-15.349), pct(2.0, 2)
    ('15.3%', '2.00%')
    """
    return f"{fixed(abs(value), digits)}%"


def signed_pct(value: float, digits: int = 1) -> str:
    """
    >>> signed_pct(0.849), signed_pct(-3.88), signed_pct(0.0)
    ('+0.8%', '-3.9%', '0.0%')
    """
    text = fixed(value, digits)
    return f"+{text}%" if value > 0 and text != fixed(0.0, digits) else f"{text}%"


def round_step(value: float) -> float:
    """The step a trader rounds a level to: about a tenth of a percent of it, a 1-2-5 number.

    >>> round_step(48123.0), round_step(2543.2), round_step(173.93), round_step(19.61)
    (50.0, 5.0, 0.2, 0.02)
    """
    raw = abs(value) * 0.001
    if raw <= 0:
        return 0.01
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return float(factor * magnitude)
    return float(10 * magnitude)


def _trader_round(value: float, close: float | None = None) -> float:
    """Round to the coarsest "round" number within 0.5 % of ``value`` (1,000s, 500s, 100s, ...).

    >>> _trader_round(48123.0), _trader_round(2543.24), _trader_round(173.93), _trader_round(6846.7)
    (48000.0, 2550.0, 174.0, 6850.0)
    """
    tolerance = abs(value) * 0.005
    step = round_step(value)
    for factor in (1000, 500, 250, 100, 50, 25, 10, 5, 2, 1, 0.1, 0.01):
        candidate_step = step * factor
        candidate = round(value / candidate_step) * candidate_step
        # A support below the close must not read as above it after rounding, nor the reverse.
        same_side = close is None or (candidate - close) * (value - close) > 0
        if abs(candidate - value) <= tolerance and candidate > 0 and same_side:
            return float(candidate)
    return float(value)


def level(value: float, instrument: Instrument, close: float | None = None) -> str:
    """A support/resistance level rounded as a trader says it, in the instrument's units.

    The result is within 0.5 % of ``value``; templates say "near" or "around" before it. Given
    the ``close``, the rounded level stays on the same side of it as the exact one.

    >>> level(2873.4, Instrument("^GSPC", "S&P 500", "index")), level(
    ...     2873.4, Instrument("^GSPC", "S&P 500", "index"), close=2874.56)
    ('2,875', '2,870')
    """
    rounded = _trader_round(value, close)
    # Print exactly what was rounded to: whole numbers whole, a half step with its cents
    # ("$217.50"), a sub-dollar level with the decimals it needs. Never round a second time.
    # Ten significant digits drop float noise (0.0131000000001) at any size: a fixed count of
    # decimals printed a $0.0000131 level as "$0".
    exact = format(Decimal(f"{rounded:.10g}"), "f")
    exact = exact.rstrip("0").rstrip(".") if "." in exact else exact
    decimals = len(exact.split(".")[1]) if "." in exact else 0
    digits = 0 if decimals == 0 else max(2, decimals)
    text = fixed(rounded, digits)
    return text if instrument.units == "points" else f"${text}"


def quote(value: float, instrument: Instrument) -> str:
    """An exact quote with units: two decimals (three significant digits below 1), thousands
    separators, $ only for prices.

    >>> stock = Instrument("X", "X", "stock")
    >>> quote(173.934, stock), quote(0.5, stock), quote(0.0000131, stock)
    ('$173.93', '$0.50', '$0.0000131')
    """
    text = significant(value, 2, figures=3)
    return text if instrument.units == "points" else f"${text}"


def approx_pct(value: float, style: int = 0) -> str:
    """A truthful approximate percentage of ``abs(value)``.

    ``style`` picks among the true phrasings (0: nearly/more than, 1: about, 2: exact to one
    decimal); every phrase returned is true of the value.

    >>> approx_pct(15.3), approx_pct(14.7), approx_pct(15.02), approx_pct(15.3, 1), approx_pct(0.4)
    ('more than 15%', 'nearly 15%', '15%', 'about 15%', '0.4%')
    """
    value = abs(value)
    if value < 1 or style == 2:
        return pct(value)
    whole = round(value)
    if abs(value - whole) < 0.05:
        return f"{whole:,}%"
    if style == 1 and abs(value - whole) <= 0.05 * whole:
        return f"about {whole:,}%"
    if value > whole:
        return f"more than {whole:,}%"
    if value >= 0.9 * whole:
        return f"nearly {whole:,}%"
    return pct(value)


def bps(value: float) -> str:
    """
    >>> bps(45.4), bps(-1.0)
    ('45 basis points', '1 basis point')
    """
    whole = round(abs(value))
    return f"{whole:,} basis point{'' if whole == 1 else 's'}"


def points(value: float, percentage: bool = False) -> str:
    """A spread in basis points as a trader says it, in whole percentage points: "more than six
    points" reads where "661 basis points" was a figure to decode (the editor's finding), and
    "less than a point" never dresses half a point up as "clearly". In words, it costs no figure.
    ``percentage`` says the unit in full, as on its first use in an article: beside an index,
    "a point" alone reads as an index point (review 6).

    >>> points(30), points(88), points(-100), points(161), points(661.4), points(1250), points(400)
    ('less than a point', 'almost a point', 'a point', 'more than a point', \
'more than six points', 'more than twelve points', 'four points')
    >>> points(661.4, percentage=True), points(30, percentage=True)
    ('more than six percentage points', 'less than a percentage point')
    """
    whole = round(abs(value))
    unit = "percentage point" if percentage else "point"
    if whole < 75:
        return f"less than a {unit}"
    if whole < 100:
        return f"almost a {unit}"
    count, rest = divmod(whole, 100)
    said = f"a {unit}" if count == 1 else f"{grammar.spelled(count)} {unit}s"
    return f"more than {said}" if rest else said
