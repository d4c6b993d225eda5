"""Editor's words set as plain text in Markdown: nothing they write becomes markup.

Backslash escapes (CommonMark and Python-Markdown honour them for ASCII punctuation) stop links,
images, emphasis, code, tables and Hugo shortcodes; a ``#``, ``>``, ``-``, ``+`` or ``1.`` that
would open a block at the start of the text is escaped too, and line breaks become spaces (an
item's text is one paragraph). ``<`` and ``&`` are left to the page, which neutralises raw HTML.
"""

from __future__ import annotations

import re

_INLINE = re.compile(r"([\\`*_{}\[\]|~])")
_BLOCK_START = re.compile(r"^(\s*)([#>+\-]|\d+[.)])")


def plain(text: str) -> str:
    """
    >>> print(plain("[click](javascript:alert(1)) ![p](http://x/t.png) *b*"))
    \\[click\\](javascript:alert(1)) !\\[p\\](http://x/t.png) \\*b\\*
    >>> print(plain("{{ x }}"))
    \\{\\{ x \\}\\}
    >>> plain("# H")
    '\\\\# H'
    """
    flat = " ".join(str(text).split())
    escaped = _INLINE.sub(r"\\\1", flat)
    return _BLOCK_START.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)
