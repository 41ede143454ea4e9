"""Kept for old imports: the generators live in :mod:`pktui.bench.synthetic`, which no command
but ``pktui bench`` loads."""

from pktui.bench.synthetic import KBBuilder, synthetic_kb, write_corpus

__all__ = ["KBBuilder", "synthetic_kb", "write_corpus"]
