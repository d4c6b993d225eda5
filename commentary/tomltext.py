"""Parsing the TOML that users write (rule files, playbooks, the configuration), so that no
document, however malformed, escapes as anything but the loader's own one-line error."""

from __future__ import annotations

import contextlib
import hashlib
import json
import sys
import tomllib
from pathlib import Path
from typing import Any

from .errors import CommentaryError


def parse_toml(text: str, origin: str, error: type[CommentaryError]) -> dict[str, Any]:
    """``text`` as a TOML document, or ``error`` naming ``origin`` and what is wrong.

    tomllib recurses once per nesting level and converts integers with Python's digit limit, so
    besides its own ``TOMLDecodeError`` it can raise ``RecursionError`` and ``ValueError``.
    """
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as problem:
        raise error(f"{origin}: not valid TOML ({problem}); fix the syntax there.") from None
    except RecursionError:
        raise error(f"{origin}: tables or lists nest too deeply; flatten them.") from None
    except ValueError:
        raise error(
            f"{origin}: a number has too many digits to read; write it with fewer digits."
        ) from None


#: Bump when the cached form changes.
_CACHE_FORMAT = 1


def parse_toml_cached(text: str, origin: str, error: type[CommentaryError]) -> dict[str, Any]:
    """``parse_toml``, through a cache of parsed documents in the user cache directory keyed by
    the SHA-256 of ``text``: tomllib takes a cold ``generate`` 13 ms on the built-in rules, their
    cached JSON 1 ms. Only a document that parsed, and that JSON gives back equal (no dates, no
    NaN), is kept; an unreadable cache file is parsed anew, and a read-only cache costs speed."""
    path = _cache_path(text)
    try:
        cached = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        cached = None
    if isinstance(cached, dict):
        return cached
    document = parse_toml(text, origin, error)
    try:
        dumped = json.dumps(document, allow_nan=False)
    except (TypeError, ValueError):  # dates, times, NaN: not JSON
        return document
    if json.loads(dumped) == document:
        from .errors import OutputError
        from .files import write_atomic

        with contextlib.suppress(OutputError):
            write_atomic(path, dumped)
    return document


def _cache_path(text: str) -> Path:
    import platformdirs

    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    python = "{}.{}".format(*sys.version_info[:2])
    folder = Path(platformdirs.user_cache_dir("commentary")) / "toml"
    return folder / f"{digest}-py{python}-v{_CACHE_FORMAT}.json"
