"""One writer per corpus index at a time: an advisory lock (``fcntl.flock``) on a lock file.

The lock belongs to the open file, so a process killed while holding it (kill -9 included)
releases it at once; nothing stale is left to clean up. A second writer waits, says so once
through ``on_wait``, and gives up when ``cancel`` is set.
"""

from __future__ import annotations

import contextlib
import errno
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

try:
    import fcntl

    HAVE_FLOCK = True
except ImportError:  # pragma: no cover - not on this platform: one writer is the user's care
    HAVE_FLOCK = False

from pktui.knowledge.cancel import Cancel, Cancelled

#: lock files held by this process: a process forked while one is held (an extraction
#: worker) closes its copy, so that the lock goes with this process, even killed
_HELD: set[int] = set()


def _close_held_in_child() -> None:
    for fd in list(_HELD):
        with contextlib.suppress(OSError):
            os.close(fd)
    _HELD.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_held_in_child)


@contextlib.contextmanager
def write_lock(
    path: Path, *, on_wait: Callable[[str], None] | None = None, cancel: Cancel | None = None, poll: float = 0.2
) -> Iterator[None]:
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    _HELD.add(fd)
    try:
        if HAVE_FLOCK:
            told = False
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as exc:
                    if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                        raise
                if not told and on_wait is not None:
                    on_wait(_holder(fd))
                    told = True
                if cancel is not None and cancel.is_set():
                    raise Cancelled()
                time.sleep(poll)
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        _HELD.discard(fd)
        os.close(fd)  # releases the lock


def _holder(fd: int) -> str:
    with contextlib.suppress(OSError, ValueError):
        pid = int(os.pread(fd, 32, 0).decode("ascii").strip() or "0")
        if pid:
            return f"process {pid}"
    return "another process"
