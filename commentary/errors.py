"""Every error the library raises on purpose, rooted in one class.

::

    CommentaryError                 anything the user can fix; the CLI prints it as one line, exit 1
    ├── DataError                   prices that cannot be used as they are (file, row, problem, fix)
    │   ├── InsufficientHistory     too few sessions for what was asked
    │   └── StaleData               data ending too long before the article's date
    ├── SourceError                 a source could not deliver
    │   ├── SymbolNotFound          no data for that symbol (with "did you mean")
    │   └── FetchError              the network failed and no cached copy exists
    ├── RuleError                   a rule file that cannot be used (every problem, with its line)
    ├── PlaybookError               a playbook that cannot be used (every problem at once)
    ├── VerificationError           an article making claims its ledger does not support
    ├── TemplateError               a template that does not compile or render (file and line)
    ├── OutputError                 a file that cannot be written (the path and why)
    └── UsageError                  arguments that cannot work (a bad date, an unknown name)

Warnings about data that was safely repaired are ``DataWarning`` (a ``UserWarning``).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class CommentaryError(Exception):
    """Base of every error the user can act on; its message is one sentence with the fix."""


class DataError(CommentaryError):
    """Price data that cannot be used as it is."""


class InsufficientHistory(DataError):
    """Fewer sessions than a computation needs."""


class StaleData(DataError):
    """Data ending too long before the article's date; ``last_dates`` maps each such symbol to
    the date its data ends."""

    def __init__(self, message: str, last_dates: dict[str, str]) -> None:
        super().__init__(message)
        self.last_dates = last_dates


class SourceError(CommentaryError):
    """A source could not deliver prices."""


class SymbolNotFound(SourceError):
    """The source has no data for a symbol."""


class FetchError(SourceError):
    """Fetching from the network failed and there is no cached copy to fall back on."""


class RuleError(CommentaryError):
    """A rule file with problems; the message lists all of them."""


class PlaybookError(CommentaryError):
    """A playbook with problems; the message lists all of them."""


class VerificationError(CommentaryError):
    """An article whose claims do not agree with its ledger; the message lists each one."""


class TemplateError(CommentaryError):
    """A template that cannot be compiled or rendered."""


class OutputError(CommentaryError):
    """A file that cannot be written: a read-only or full disk, a folder in the way. ``reason``
    is the cause alone ("permission denied"), for callers that phrase their own sentence."""

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason or message


class UsageError(CommentaryError):
    """Arguments that cannot work: a malformed date, an unknown option value."""


class DataWarning(UserWarning):
    """Data was repaired safely (sorted, an empty row dropped); the message says what was done."""


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """Return ``" Did you mean X?"`` for the closest choice, or ``""`` when none is close.

    >>> did_you_mean("^GSCP", ["^GSPC", "^IXIC"])
    ' Did you mean ^GSPC?'
    >>> did_you_mean("ZZZZ", ["^GSPC"])
    ''
    """
    options = list(choices)
    folded = {choice.upper(): choice for choice in options}
    close = difflib.get_close_matches(name.upper(), list(folded), n=1, cutoff=0.6)
    return f" Did you mean {folded[close[0]]}?" if close else ""
