"""What applying a ledger did (kept apart from :mod:`.corrections` so that reading a kept
overlay back needs none of the extraction and figures modules that applying one does)."""

from __future__ import annotations

from dataclasses import dataclass, field

from pktui.knowledge.ledger import Entry
from pktui.model import Fact, LoadProblem


@dataclass(slots=True)
class Outcome:
    """What applying a ledger did: the entries applied and the stale ones with the reason."""

    applied: list[int] = field(default_factory=list)
    stale: list[tuple[Entry, str]] = field(default_factory=list)
    #: whether the figures had to be assembled again (a fact or an entity they use changed)
    series_changed: bool = False
    #: ids of the entities the entries made (a split's), in the order they were made (one
    #: removed and made again counts from the second time): the order an incremental apply
    #: keeps them in
    made: list[str] = field(default_factory=list)
    #: what the entries took away, as it was just before: entity id -> its name (merged away,
    #: split off whole, its mentions all rejected) and rejected facts, so that the corrections
    #: view can name them when nothing else holds them (read in memory)
    gone_entities: dict[str, str] = field(default_factory=dict)
    gone_facts: dict[str, Fact] = field(default_factory=dict)

    def problems(self, ledger_path: str) -> list[LoadProblem]:
        return [
            LoadProblem(ledger_path, f"correction {e.n} ({e.describe()}) is stale: {why}", skipped=False)
            for e, why in self.stale
        ]
