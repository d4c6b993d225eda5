"""Reading the files a user names: regular files only, within a size bound, as UTF-8 text.

A FIFO named ``X.csv`` would block the read forever, and a device such as ``/dev/zero`` would
never end: anything but a regular file is refused before it is opened. The file is then opened
without blocking and checked again on the open descriptor, so a file swapped for a FIFO between the
two checks cannot hang a run either.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import CommentaryError, DataError

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def read_text_file(
    path: Path,
    *,
    what: str,
    max_bytes: int,
    too_large: str = "",
    error: type[CommentaryError] = DataError,
) -> str:
    """The text of the regular file ``path`` (UTF-8, a byte-order mark dropped).

    Raises ``error`` (one sentence: the path, the problem, the fix) when ``path`` is missing,
    unreadable, not a regular file, larger than ``max_bytes`` or not UTF-8. ``what`` names the
    expected content ("a price CSV"); ``too_large`` says what to do about a file over the bound.
    """
    try:
        _require_regular(path, os.stat(path).st_mode, what, error)
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(descriptor, "rb") as handle:
            info = os.fstat(handle.fileno())
            _require_regular(path, info.st_mode, what, error)
            if info.st_size > max_bytes:
                raise error(
                    f"{path}: the file is larger than {max_bytes // 2**20} MB, too large for "
                    f"{what}; {too_large or 'give a smaller file'}."
                )
            # One byte over the bound tells a file that grew after the check from one that fits.
            data = handle.read(max_bytes + 1)
    except OSError as failure:
        reason = failure.strerror or type(failure).__name__
        raise error(f"{path}: cannot read the file ({reason}); check the path.") from None
    if len(data) > max_bytes:
        raise error(
            f"{path}: the file grew beyond {max_bytes // 2**20} MB while being read; "
            "read it again once it is complete."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as failure:
        raise error(
            f"{path}: the file is not UTF-8 text (byte {failure.start}); save it as UTF-8."
        ) from None


def _require_regular(path: Path, mode: int, what: str, error: type[CommentaryError]) -> None:
    if stat.S_ISREG(mode):
        return
    kind = next((name for test, name in _KINDS if test(mode)), "a special file")
    raise error(f"{path} is {kind}, not a regular file; give the path of {what}.")
