"""What a sending run did."""

from __future__ import annotations

from dataclasses import dataclass, field

from .ledger import LedgerEntry


@dataclass
class SendReport:
    """What one run did. ``in_doubt`` rows were not (re)sent: check them by Message-ID."""

    issue_id: str
    sent: list[str] = field(default_factory=list)
    already_sent: list[str] = field(default_factory=list)
    in_doubt: list[LedgerEntry] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)
    remaining: list[str] = field(default_factory=list)
    reconnects: int = 0

    @property
    def complete(self) -> bool:
        return not (self.in_doubt or self.refused or self.remaining)
