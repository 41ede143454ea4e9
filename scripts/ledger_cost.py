#!/usr/bin/env python3
"""What a corrections ledger adds to a reopen, measured in one process (warm, so the figures are
not lost in a new process's start): the index opened and one search answered, plain and with the
ledger, and where the difference goes; then what the browser asks of the corrected corpus.

    python scripts/ledger_cost.py [--rounds 9] [--query 'unisfa abyei'] DIR LEDGER

The first opening with the ledger makes (or extends) what is kept for it and is not counted.
Prints medians in milliseconds as JSON. Measures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pktui.archive as archive_module
from pktui.archive import open_archive


def _timed_steps(steps: dict[str, list[float]]) -> None:
    """Time the opening's steps (the ledger applied, the search opened)."""
    for name in ("_corrected", "_open_search"):
        step = getattr(archive_module, name)

        def timed(*args: Any, _step: Callable[..., Any] = step, _name: str = name) -> Any:
            t = time.perf_counter()
            try:
                return _step(*args)
            finally:
                steps.setdefault(_name.strip("_"), []).append(time.perf_counter() - t)

        setattr(archive_module, name, timed)


def _reopens(folder: Path, ledger: Path | None, query: str, rounds: int) -> dict[str, float]:
    steps: dict[str, list[float]] = {}
    for _ in range(rounds + 1):
        t0 = time.perf_counter()
        archive = open_archive([folder], corrections=ledger)
        t1 = time.perf_counter()
        archive.index.search(query, limit=20)
        t2 = time.perf_counter()
        archive.close()
        steps.setdefault("open", []).append(t1 - t0)
        steps.setdefault("search", []).append(t2 - t1)
    return {k: round(statistics.median(v[1:]) * 1000, 1) for k, v in steps.items()}


def _browser_asks(folder: Path, ledger: Path) -> dict[str, float]:
    from pktui.knowledge.ledger import read_ledger

    merged = [e.targets["into"] for e in read_ledger(ledger).entries if e.op == "merge"]
    archive = open_archive([folder], corrections=ledger, with_search=False)
    kb = archive.kb
    out: dict[str, float] = {}

    def timed(name: str, ask: Callable[[], object]) -> None:
        t = time.perf_counter()
        ask()
        out[name] = round((time.perf_counter() - t) * 1000, 1)

    timed("entity_list_first_screen", lambda: [e.name for e in kb.entities[:40]])
    timed("timeline_first_screen", lambda: list(kb.timeline[:40]))
    if merged:
        timed("merged_entity_detail", lambda: (kb.entity(merged[-1]), list(kb.facts_about(merged[-1]))[:40]))
    archive.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("ledger", type=Path)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--query", default="unisfa abyei")
    args = parser.parse_args()
    steps: dict[str, list[float]] = {}
    _timed_steps(steps)
    plain = _reopens(args.folder, None, args.query, args.rounds)
    steps.clear()
    corrected = _reopens(args.folder, args.ledger, args.query, args.rounds)
    corrected.update({k: round(statistics.median(v[1:]) * 1000, 1) for k, v in steps.items()})
    steps.clear()
    again = _reopens(args.folder, None, args.query, args.rounds)  # (plain before and after: the noise)
    browser = _browser_asks(args.folder, args.ledger)
    print(json.dumps({"plain_ms": plain, "ledger_ms": corrected, "plain_again_ms": again, "browser_ms": browser}))


if __name__ == "__main__":
    main()
