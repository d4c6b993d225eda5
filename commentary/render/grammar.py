"""Plurals, ordinals and a/an for the words our templates use.

``inflect`` is the general tool, but it takes 1.5 s to import here (more than the rest of an
article's work) and says "a 8-session streak"; the vocabulary of a market article is small and
numerals are what matter, so these few tested rules cover it.
"""

from __future__ import annotations

import re

_IRREGULAR = {
    "touch": "touches",
    "basis point": "basis points",
    "is": "are",
    "was": "were",
    "has": "have",
}


def plural(word: str, count: int) -> str:
    """``word`` for ``count`` of it.

    >>> plural("session", 1), plural("session", 13), plural("touch", 3), plural("day", 0)
    ('session', 'sessions', 'touches', 'days')
    """
    if count == 1:
        return word
    return _IRREGULAR.get(word, word + "s")


_SMALL = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def count(number: int, word: str) -> str:
    """A count with its noun; numbers under ten in words, as style guides ask.

    >>> count(1, "touch"), count(3, "time"), count(13, "session"), count(1000, "session")
    ('one touch', 'three times', '13 sessions', '1,000 sessions')
    >>> count(1, "time"), count(2, "time")
    ('once', 'twice')
    """
    if word == "time" and number in (1, 2):
        return ("once", "twice")[number - 1]
    spelled = _SMALL[number] if 0 <= number < len(_SMALL) else f"{number:,}"
    return f"{spelled} {plural(word, number)}"


_TEENS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
          "eighteen", "nineteen")  # fmt: skip
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def spelled(value: int) -> str:
    """A whole number under a hundred in words, larger ones in digits: for a figure the prose
    gives as a size, not a reading ("more than twelve points").

    >>> spelled(6), spelled(12), spelled(40), spelled(73), spelled(250)
    ('six', 'twelve', 'forty', 'seventy-three', '250')
    """
    if 0 < value < 10:
        return _SMALL[value]
    if 10 <= value < 20:
        return _TEENS[value - 10]
    if 20 <= value < 100:
        tens, units = divmod(value, 10)
        return _TENS[tens - 2] + (f"-{_SMALL[units]}" if units else "")
    return f"{value:,}"


def number(value: int) -> str:
    """Whole numbers under ten in words, larger ones in digits.

    >>> number(3), number(13), number(1500)
    ('three', '13', '1,500')
    """
    return _SMALL[value] if 0 < value < len(_SMALL) else f"{value:,}"


def ordinal(number: int) -> str:
    """
    >>> [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 102, 111)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '102nd', '111th']
    """
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


_VOWEL_SOUND_LETTERS = set("AEFHILMNORSX")  # initialisms read letter by letter: "an RSI", "an S&P"
_SAID_AS_WORDS = {"MACD", "NATO", "NASDAQ"}


def article(phrase: str) -> str:
    """``phrase`` with "a" or "an" in front, right for numerals and initialisms too.

    >>> [article(p) for p in ("8-session streak", "11-day run", "18% pop", "1,000-point drop",
    ...   "80-point gain", "RSI reading", "S&P 500 record", "MACD cross", "hour", "unusual", "one")]
    ... # doctest: +NORMALIZE_WHITESPACE
    ['an 8-session streak', 'an 11-day run', 'an 18% pop', 'a 1,000-point drop', 'an 80-point gain',
     'an RSI reading', 'an S&P 500 record', 'a MACD cross', 'an hour', 'an unusual', 'a one']
    """
    return f"{'an' if _starts_with_vowel_sound(phrase) else 'a'} {phrase}"


def _starts_with_vowel_sound(phrase: str) -> bool:
    digits = re.match(r"[\d,]+", phrase)
    if digits:
        number = digits.group(0).replace(",", "")
        # Said aloud: 8, 11, 18, 80-89, 800-899, 8,000..., 11,000, 18,000... start with a vowel.
        groups = digits.group(0).split(",")
        lead = groups[0]
        return lead.startswith("8") or lead in ("11", "18") or (number.startswith("8"))
    word = re.match(r"[A-Za-z&]+", phrase)
    if not word:
        return False
    text = word.group(0)
    if text.isupper() and len(text) > 1:
        # An initialism is read letter by letter, except those said as words (MACD: "mack-dee").
        return text not in _SAID_AS_WORDS and text[0] in _VOWEL_SOUND_LETTERS
    lower = text.lower()
    if lower.startswith(("hour", "honest", "honor", "heir")):
        return True
    if lower.startswith(("one", "once", "uni", "use", "usu", "eu", "ur")):
        return False
    return lower[0] in "aeiou"
