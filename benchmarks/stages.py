"""Where a batch ticker's time goes: the pipeline's stage functions wrapped with timers.

``staged()`` replaces, for the duration of a ``with`` block and in this process only, the
functions the batch calls for each ticker with timed wrappers. Time is exclusive: a stage called
inside another (the source's ``load`` inside ``analyse``) is taken off its caller, so the costs
add up to the whole. Run the batch with ``workers=1`` inside the block (worker processes import
their own, unwrapped, modules).
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

#: (module, attribute, stage): attributes are replaced where the batch looks them up.
STAGES = (
    ("commentary.batch", "ticker_playbook", "playbook"),
    ("commentary.batch", "_Memo.prepare", "load"),
    ("commentary.batch", "_Memo.load", "load"),
    ("commentary.pipeline", "analyse", "indicators + states"),
    ("commentary.pipeline", "check_quality", "data quality"),
    ("commentary.pipeline", "derive_facts", "rules"),
    ("commentary.pipeline", "plan_article", "plan"),
    ("commentary.pipeline", "render_article", "render"),
    ("commentary.pipeline", "article_ledger", "ledger"),
    ("commentary.batch", "check_article", "verify: full read-back"),
    ("commentary.batch", "check_bound", "verify: bound claims"),
    ("commentary.batch", "render_output", "output format"),
    ("commentary.batch", "dumps", "ledger JSON"),
    ("commentary.batch", "write_atomic", "file write"),
    ("commentary.sinks.Sink", "add", "sink staging"),
    ("commentary.sinks.Sink", "finish", "sink file"),
)


class Clock:
    """Exclusive seconds per stage."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self._stack: list[list[float]] = []  # [start, time spent in nested stages]

    def wrap(self, stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            frame = [time.perf_counter(), 0.0]
            self._stack.append(frame)
            try:
                return function(*args, **kwargs)
            finally:
                self._stack.pop()
                spent = time.perf_counter() - frame[0]
                self.seconds[stage] += spent - frame[1]
                if self._stack:
                    self._stack[-1][1] += spent

        return timed


def _owner(module: str, attribute: str) -> tuple[Any, str]:
    parts = module.split(".")
    for cut in range(len(parts), 0, -1):  # "commentary.sinks.Sink": a class inside a module
        with contextlib.suppress(ImportError):
            owner: Any = importlib.import_module(".".join(parts[:cut]))
            for name in parts[cut:] + attribute.split(".")[:-1]:
                owner = getattr(owner, name)
            return owner, attribute.split(".")[-1]
    raise ImportError(module)


@contextlib.contextmanager
def staged() -> Iterator[Clock]:
    clock = Clock()
    saved = []
    for module, attribute, stage in STAGES:
        owner, name = _owner(module, attribute)
        original = owner.__dict__[name] if isinstance(owner, type) else getattr(owner, name)
        saved.append((owner, name, original))
        setattr(owner, name, clock.wrap(stage, original))
    try:
        yield clock
    finally:
        for owner, name, original in reversed(saved):
            setattr(owner, name, original)
