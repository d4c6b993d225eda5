"""Process start-up for the command line: import only what the command uses.

TA-Lib's package imports pandas (and polars) when installed, only to accept their Series as inputs,
which commentary never passes: ``Bars`` hold numpy arrays. For a one-article command that import
costs more than all the work. The CLI, which owns its process, imports TA-Lib with pandas (and
polars) hidden for that moment; code that needs pandas later still imports it normally. Library
users get TA-Lib as they would import it themselves: this is never called on import of
``commentary``.
"""

from __future__ import annotations

import sys


def import_talib_without_pandas() -> None:
    """Import ``talib`` without its optional pandas and polars wrappers (a no-op once talib or
    pandas is loaded)."""
    if "talib" in sys.modules or "pandas" in sys.modules:
        return
    hidden = [name for name in ("pandas", "polars") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # import -> ModuleNotFoundError
    try:
        import talib  # noqa: F401
    finally:
        for name in hidden:
            del sys.modules[name]
