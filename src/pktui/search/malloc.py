"""The C allocator's habits, tuned for a large index (glibc only; elsewhere nothing happens)."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import ctypes


@lru_cache(maxsize=1)
def _libc() -> ctypes.CDLL | None:
    try:
        import ctypes
        import ctypes.util

        libc = ctypes.CDLL(ctypes.util.find_library("c") or None)
        libc.mallopt, libc.malloc_trim  # noqa: B018 - glibc's, or AttributeError
    except (OSError, AttributeError, ImportError):
        return None
    return libc


def keep_large_blocks() -> None:
    """Keep glibc from returning (and page-faulting back) the memory of large temporary ints.

    Bitset arithmetic allocates and frees many ~100 KB integers per query; with glibc's
    default dynamic thresholds each one may be a fresh mmap, which costs more than the
    arithmetic itself.
    """
    libc = _libc()
    if libc is not None:
        libc.mallopt(-1, 256 * 1024 * 1024)  # M_TRIM_THRESHOLD
        libc.mallopt(-3, 32 * 1024 * 1024)  # M_MMAP_THRESHOLD


def release_free_memory() -> None:
    """Give freed pages back to the system (a few milliseconds): during and after the
    index build, so that its temporary arrays do not add up to the peak, and the search
    caches that fill later do not stack on top of them."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
