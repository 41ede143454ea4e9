"""Corrections made from a command or the browser, on an open corpus.

:func:`record` checks a correction against the corpus as it stands (the ledger so far applied),
appends it to the ledger and opens the corpus again so that every view, search and figure
obeys it; :func:`undo` takes an entry back the same way. A correction that names nothing in
the corpus raises :class:`~pktui.knowledge.ledger.CorrectionRefused` and leaves the ledger as
it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pktui.knowledge.corrections import check_entry, undo_target
from pktui.knowledge.ledger import CorrectionRefused, Entry, LedgerError, append_entry, read_ledger

__all__ = ["CorrectionRefused", "LedgerUnwritable", "record", "undo", "undo_in"]


class LedgerUnwritable(OSError):
    """The ledger file cannot be written (read-only folder, full disk); the message says where."""


def record(archive: Any, op: str, targets: dict[str, Any], note: str | None = None, *, refresh: bool = True) -> Entry:
    """Check, write and apply one correction; with ``refresh`` the archive is opened again."""
    problem = check_entry(archive.kb, op, targets)
    if problem:
        raise CorrectionRefused(problem)
    entry = _append(_ledger_of(archive), op, targets, note)
    if refresh:
        archive.reopen()
    return entry


def undo(archive: Any, n: int | None = None, note: str | None = None, *, refresh: bool = True) -> tuple[Entry, Entry]:
    """Take back entry ``n`` (default: the newest correction in effect) and open the archive
    again; returns the undo entry and the entry it took back."""
    entry, target = undo_in(_ledger_of(archive), n, note)
    if refresh:
        archive.reopen()
    return entry, target


def undo_in(path: Path, n: int | None = None, note: str | None = None) -> tuple[Entry, Entry]:
    """Append ``undo N`` to the ledger at ``path``; returns the undo entry and its target."""
    try:
        ledger = read_ledger(path)
    except LedgerError as exc:
        raise CorrectionRefused(f"cannot use the ledger: {exc}") from None
    target = undo_target(ledger, n)
    return _append(path, "undo", {"entry": target.n}, note), target


def _ledger_of(archive: Any) -> Path:
    path = archive.ledger
    if path is None:
        raise CorrectionRefused("this corpus was opened without a corrections ledger")
    return Path(path)


def _append(path: Path, op: str, targets: dict[str, Any], note: str | None) -> Entry:
    try:
        return append_entry(path, op, targets, note)
    except LedgerError as exc:
        raise CorrectionRefused(str(exc)) from None
    except OSError as exc:
        raise LedgerUnwritable(
            f"cannot write the ledger {path}: {exc.strerror or exc} (name another with --corrections FILE)"
        ) from None
