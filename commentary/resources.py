"""Where the bundled samples and templates are, installed or run from a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled(name: str) -> Path:
    """The bundled top-level folder ``name`` (``samples`` or ``templates``).

    A wheel carries them under ``commentary/_bundled/``; an editable install or a checkout has
    them beside the package.
    """
    for candidate in (_PACKAGE / "_bundled" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the bundled {name}/ folder is missing; reinstall commentary")


def samples_data_dir() -> Path:
    return bundled("samples") / "data"
