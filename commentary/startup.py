"""Process start-up for the command line: import only what the command uses.

TA-Lib's package imports pandas (and polars) when installed, only to accept their Series as inputs,
which commentary never passes: ``Bars`` hold numpy arrays. For a one-article command that import
costs more than all the work. The CLI, which owns its process, imports TA-Lib with pandas hidden
for that moment; code that needs pandas later still imports it normally. Library users get TA-Lib
as they would import it themselves: this is never called on import of ``commentary``.
"""

from __future__ import annotations

import sys


def import_talib_without_pandas() -> None:
    """Import ``talib`` without its optional pandas wrappers (no-op if either is loaded)."""
    if "talib" in sys.modules or "pandas" in sys.modules:
        return
    sys.modules["pandas"] = None  # type: ignore[assignment]  # import pandas -> ModuleNotFoundError
    try:
        import talib  # noqa: F401
    finally:
        del sys.modules["pandas"]
