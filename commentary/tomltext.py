"""Parsing the TOML that users write (rule files, playbooks, the configuration), so that no
document, however malformed, escapes as anything but the loader's own one-line error."""

from __future__ import annotations

import tomllib
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
