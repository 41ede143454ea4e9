"""Stopping long work when the user quits: a flag checked between articles."""

from __future__ import annotations

from typing import Protocol


class Cancel(Protocol):
    """Anything with ``is_set()``: a ``threading.Event``."""

    def is_set(self) -> bool: ...


class Cancelled(InterruptedError):
    """The caller asked to stop (the user quit)."""


def check(cancel: Cancel | None) -> None:
    if cancel is not None and cancel.is_set():
        raise Cancelled()
