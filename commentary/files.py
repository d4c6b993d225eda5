"""Writing files so that a reader never sees half of one, and nothing but the file is touched.

What a path names decides how it is written:

- a regular file, or nothing yet: a temporary file in the same folder, renamed over it (a crash
  leaves the old file or the new one). A symlink is followed, so its target is replaced and the
  link stays a link. A new file gets ``0o666`` less the umask, like any program's; an existing
  one keeps its permission bits (and, where the system allows, its owner and group).
- a character device or a FIFO (``/dev/null``, a terminal, a pipe): written through, since
  renaming over it would replace the device node instead of writing to it.
- this process's own standard output or error (``/dev/stdout`` when the shell redirected it to a
  file): written through that stream, so ``>> log`` is appended to, never replaced.
- a folder or a block device: refused.

Every failure is an ``OutputError`` naming the path, never an ``OSError`` traceback.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from .errors import OutputError

#: Permission bits a new file asks for; the kernel takes the umask off.
_NEW_FILE_MODE = 0o666


def write_atomic(path: Path, data: str | bytes, *, durable: bool = True) -> None:
    """Write ``data`` to ``path`` as the module docstring says (atomically for a regular file).

    ``durable`` also flushes the data to disk before the rename, so a power cut cannot leave an
    empty file under the new name; callers that verify what they find on disk (the batch checks
    each article against its ledger's SHA-256) may skip that flush, which costs more than the
    write.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _refusal(path, folder_problem(path.parent, error), "choose another path") from None
    try:
        stream = _stream_behind(path)
        if stream is not None:
            _write_through(path, stream, payload)
            return
    except OSError as error:
        raise _output_error(path, error) from None
    with replacing(path, durable=durable) as handle:
        handle.write(payload)


@contextlib.contextmanager
def replacing(path: Path, *, durable: bool = True) -> Iterator[BinaryIO]:
    """A binary handle whose bytes replace the regular file at ``path`` (or, through a symlink,
    its target) in one rename when the block ends; nothing changes if the block raises.

    For writers that stream (the Parquet store); ``write_atomic`` is the one to use for bytes
    in memory, as it also writes through to devices and pipes.
    """
    temporary: Path | None = None
    try:
        target = _regular_target(path)
        fd, temporary = _create_beside(target)
        with os.fdopen(fd, "wb") as handle:
            yield handle
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(temporary, target)
        temporary = None
    except OSError as error:
        raise _output_error(path, error) from None
    finally:
        if temporary is not None:
            temporary.unlink(missing_ok=True)


def _stream_behind(path: Path) -> int | None:
    """The file descriptor to write through when ``path`` must not be replaced by a rename: -1
    for a device or FIFO (opened by name), 1 or 2 when it is this process's own stdout or stderr;
    ``None`` for a regular file or nothing."""
    try:
        found = os.stat(path)  # follows symlinks, including /dev/stdout's
    except FileNotFoundError:
        return None
    if stat.S_ISDIR(found.st_mode):
        raise _refusal(path, "it is a folder", "name a file in it")
    if stat.S_ISBLK(found.st_mode):
        raise _refusal(path, "it is a block device", "name a file, a pipe or a terminal")
    for fd in (1, 2):
        with contextlib.suppress(OSError):
            own = os.fstat(fd)
            if (own.st_dev, own.st_ino) == (found.st_dev, found.st_ino):
                return fd
    return None if stat.S_ISREG(found.st_mode) else -1


def _write_through(path: Path, fd: int, payload: bytes) -> None:
    """Write to an open stream (``fd`` 1 or 2) or open ``path`` without creating or truncating
    it (a device or FIFO; a FIFO waits for its reader, as with the shell's ``>``)."""
    if fd in (1, 2):
        import sys

        for stream in (sys.stdout, sys.stderr):  # what Python buffered goes first
            with contextlib.suppress(OSError, ValueError, AttributeError):
                stream.flush()
        _write_all(fd, payload)
        return
    opened = os.open(path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        _write_all(opened, payload)
    finally:
        os.close(opened)


def _write_all(fd: int, payload: bytes) -> None:
    view = memoryview(payload)
    while view:
        view = view[os.write(fd, view) :]


def _regular_target(path: Path) -> Path:
    """The path a rename must land on: ``path`` with every symlink resolved."""
    target = Path(os.path.realpath(path))
    if target.is_symlink():  # realpath gives up on a loop and hands the link back
        raise _refusal(path, "its symlinks form a loop", "fix or remove them")
    return target


def _create_beside(target: Path) -> tuple[int, Path]:
    """A new temporary file next to ``target`` (same folder, so the rename is atomic) with the
    permissions ``target`` will need: its own if it exists, else what the umask allows."""
    for _ in range(100):
        temporary = target.with_name(f".{target.name[:200]}.{secrets.token_hex(6)}.tmp")
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(temporary, flags | getattr(os, "O_BINARY", 0), _NEW_FILE_MODE)
        except FileExistsError:
            continue
        try:
            _keep_permissions(fd, target)
        except BaseException:
            os.close(fd)
            temporary.unlink(missing_ok=True)
            raise
        return fd, temporary
    raise FileExistsError(f"no free temporary name beside {target}")


def _keep_permissions(fd: int, target: Path) -> None:
    """Give the new file the existing file's permission bits, and its owner and group where we
    may (root may; others keep the group if they belong to it). Set-id bits are never copied."""
    try:
        old = os.stat(target)
    except FileNotFoundError:
        return
    if hasattr(os, "fchmod"):
        os.fchmod(fd, stat.S_IMODE(old.st_mode) & 0o777)
    if not hasattr(os, "fchown"):
        return
    new = os.fstat(fd)
    if (new.st_uid, new.st_gid) == (old.st_uid, old.st_gid):
        return
    for owner in (old.st_uid, -1):
        with contextlib.suppress(PermissionError):
            os.fchown(fd, owner, old.st_gid)
            return


def folder_problem(folder: Path, error: OSError) -> str:
    """Why ``folder`` could not be made, in words: a file in the way is named, since the system's
    "file exists" or "not a directory" does not say which one."""
    for ancestor in (*reversed(folder.parents), folder):
        if ancestor.exists() and not ancestor.is_dir():
            return f"{ancestor} is a file, not a folder"
    reason = error.strerror or str(error)
    return reason[0].lower() + reason[1:]


def _output_error(path: Path, error: OSError) -> OutputError:
    reason = error.strerror or str(error)
    fix = "check that its folder exists, is writable and has space"
    return _refusal(path, reason[0].lower() + reason[1:], fix)


def _refusal(path: Path, reason: str, fix: str) -> OutputError:
    return OutputError(f"cannot write {path}: {reason}; {fix}.", reason=reason)
