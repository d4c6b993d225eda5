"""The subscribers list: a CSV file with a header ``email,name`` (any case, any column order).

Every bad row is reported at once, with its line number, in one ``DataError``::

    subscribers.csv has 2 bad rows: line 3: 'bob@' is not an email address; line 5: ...
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import DataError
from .errors import HeaderInjection

# A deliberately plain address shape: ASCII dot-atoms on both sides, a dotted domain whose labels
# do not start or end with a hyphen. No quoted local parts, no IP literals, no comments.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_ADDRESS = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@{_LABEL}(?:\.{_LABEL})+")
# Control characters (C0, DEL, C1) and the Unicode line/paragraph separators: none belongs in a
# header, and CR/LF would let a value start a new header.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Anything shaped like an RFC 2047 encoded word (``=?charset?q?text?=``), read as leniently as
# Python's email parser reads them: it decodes such words even inside quoted names and then
# writes the decoded text, CR/LF included, onto the wire. Text from input never carries one.
_ENCODED_WORD = re.compile(r"=\?.*?\?=", re.DOTALL)
ENCODED_WORD_PROBLEM = "contains an RFC 2047 encoded word (=?...?=)"
_MAX_ADDRESS = 254


@dataclass(frozen=True)
class Subscriber:
    """One recipient. ``email`` is as written in the file; ``key`` is the ledger's identity."""

    email: str
    name: str = ""

    @property
    def key(self) -> str:
        """The address folded to lower case: duplicates and the sent-ledger use this."""
        return self.email.lower()


def address_problem(address: str) -> str | None:
    """Why ``address`` is not a usable email address, or ``None`` when it is.

    >>> address_problem("ann@example.com") is None
    True
    >>> address_problem("ann@example.com\\r\\nBcc: x@y.z")
    'contains a control character (CR/LF)'
    """
    if _CONTROL.search(address):
        return "contains a control character (CR/LF)"
    if _ENCODED_WORD.search(address):
        return ENCODED_WORD_PROBLEM
    if not address:
        return "is empty"
    if len(address) > _MAX_ADDRESS:
        return f"is longer than {_MAX_ADDRESS} characters"
    if not _ADDRESS.fullmatch(address):
        return f"{address!r} is not an email address"
    return None


def encoded_word(text: str) -> bool:
    """Whether ``text`` holds something a mail parser would decode as an RFC 2047 encoded word.

    >>> encoded_word("=?utf-8?q?Ann=0D=0ABcc=3A_x=40y.z?="), encoded_word("Ann = 2?")
    (True, False)
    """
    return _ENCODED_WORD.search(text) is not None


def check_header_text(label: str, value: str) -> None:
    """Raise ``HeaderInjection`` for a control character or an RFC 2047 encoded word.

    An encoded word is refused rather than decoded: the email library would decode it into any
    text at all (a line break and a ``Bcc:`` header included) and write that on the wire.
    """
    if _CONTROL.search(value):
        raise HeaderInjection(
            f"The {label} contains a line break or control character ({value!r}); "
            "remove it: header values must be one line."
        )
    if encoded_word(value):
        raise HeaderInjection(
            f"The {label} {ENCODED_WORD_PROBLEM}: {value!r}; write the text itself "
            "(commentary encodes it for mail), since mail programs would decode that word into "
            "other text, even a new header line."
        )


def check_address(label: str, address: str) -> None:
    """Raise ``HeaderInjection`` for CR/LF or an address that is not plain ``local@domain``."""
    check_header_text(label, address)
    problem = address_problem(address)
    if problem is not None:
        raise HeaderInjection(f"The {label} {problem}; use a plain address like ann@example.com.")


def read_subscribers(path: Path) -> list[Subscriber]:
    """The subscribers in ``path``, in file order; every bad row reported at once."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return parse_subscribers(handle, source=str(path))
    except FileNotFoundError:
        raise DataError(f"{path}: no such subscribers file; give a CSV with email,name.") from None
    except UnicodeDecodeError as error:
        raise DataError(f"{path} is not UTF-8 text ({error.reason}); save it as UTF-8.") from None


class BadRows(DataError):
    """A subscribers file with bad rows: every one is named; ``valid`` holds the good rows, for a
    send that skips the bad ones on request (``email --skip-invalid``)."""

    def __init__(self, message: str, problems: list[str], valid: list[Subscriber]) -> None:
        super().__init__(message)
        self.problems = problems
        self.valid = valid


def parse_subscribers(lines: Iterable[str], *, source: str = "subscribers") -> list[Subscriber]:
    """Parse CSV ``lines`` (a file opened with ``newline=""``); see ``read_subscribers``.

    >>> parse_subscribers(["Email,Name\\n", "ann@example.com,Ann\\n"])
    [Subscriber(email='ann@example.com', name='Ann')]
    """
    reader = csv.reader(lines, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise DataError(f"{source} is empty; start it with the header line email,name.") from None
    except csv.Error as error:
        raise DataError(f"{source} line 1: {error}; fix the header to email,name.") from None
    columns = [cell.strip().lower() for cell in header]
    if "email" not in columns or "name" not in columns or len(set(columns)) != len(columns):
        raise DataError(
            f"{source} line 1: the header is {','.join(header)!r}; it must name the columns "
            "email and name once each (any case), e.g. email,name."
        )
    email_at, name_at = columns.index("email"), columns.index("name")
    problems: list[str] = []
    subscribers: list[Subscriber] = []
    first_line_of: dict[str, int] = {}
    end = reader.line_num
    while True:
        line = end + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.append(f"line {line}: {error}")
            end = reader.line_num
            continue
        end = reader.line_num
        if not row or all(not cell.strip() for cell in row):
            continue
        if reader.line_num != line or any(_CONTROL.search(cell) for cell in row):
            problems.append(f"line {line}: contains a line break or control character")
            continue
        if len(row) != len(columns):
            problems.append(f"line {line}: has {len(row)} fields, the header has {len(columns)}")
            continue
        address, name = row[email_at].strip(), row[name_at].strip()
        if encoded_word(name):
            problems.append(f"line {line}: the name {ENCODED_WORD_PROBLEM}; write the name itself")
            continue
        problem = address_problem(address)
        if problem is not None:
            problems.append(f"line {line}: the address {problem}")
            continue
        subscriber = Subscriber(address, name)
        if subscriber.key in first_line_of:
            problems.append(
                f"line {line}: {address} is a duplicate of line {first_line_of[subscriber.key]}"
            )
            continue
        first_line_of[subscriber.key] = line
        subscribers.append(subscriber)
    if problems:
        count = f"{len(problems)} bad row{'s' if len(problems) > 1 else ''}"
        raise BadRows(
            f"{source} has {count}: " + "; ".join(problems) + "; fix those rows and run again "
            "(or pass --skip-invalid to send to the valid rows only).",
            problems,
            subscribers,
        )
    if not subscribers:
        raise DataError(f"{source} has no subscribers; add rows under the header email,name.")
    return subscribers
