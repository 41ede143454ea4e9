"""Quitting is instant: the loader is never waited for (issue 20, row 10)."""

from __future__ import annotations

import contextlib
import os
import pty
import select
import signal
import sys
import threading
import time

from tests.test_tui_support import demo_app


async def test_quit_while_loading_sets_cancel_and_does_not_wait():
    started, seen_cancel = threading.Event(), threading.Event()

    def stuck_loader(paths, progress=None, use_cache=True, cancel=None):
        started.set()
        cancel.wait(30)  # a loader that stops only when told (between articles)
        seen_cancel.set()
        time.sleep(30)  # ... and then takes its time anyway
        raise InterruptedError

    app = demo_app(loader=stuck_loader)
    t0 = time.monotonic()
    async with app.run_test(size=(80, 24)) as pilot:
        started.wait(5)
        await pilot.press("q")
    assert time.monotonic() - t0 < 10  # not the 30 s the loader would take
    assert seen_cancel.wait(2) and app.loader_thread.is_alive() and app.loader_thread.daemon


def test_q_quits_at_once_while_a_huge_article_is_extracted(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    # one line of 5 MB: extracting it takes far longer than anyone waits for a quit
    words = " ".join(f"Camp{i % 977} sent {i % 500} troops to Abyei" for i in range(120_000))
    (folder / "huge.txt").write_text(f"date 2024-01-02 {words}\n", encoding="utf-8")
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"), XDG_CONFIG_HOME=str(tmp_path / "config"))
    env.pop("NO_COLOR", None)
    pid, fd = pty.fork()
    if pid == 0:  # the child: the browser on the folder
        os.execvpe(sys.executable, [sys.executable, "-m", "pktui.tui", str(folder)], env)
    seen = b""
    try:
        deadline = time.monotonic() + 30
        while b"Articles" not in seen and time.monotonic() < deadline:
            if select.select([fd], [], [], 0.1)[0]:
                with contextlib.suppress(OSError):
                    seen += os.read(fd, 65536)
        assert b"Articles" in seen, "the browser never painted"
        time.sleep(1.0)  # extraction is under way
        quit_at = time.monotonic()
        os.write(fd, b"q")
        while time.monotonic() - quit_at < 20:
            done, _status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if select.select([fd], [], [], 0.05)[0]:
                with contextlib.suppress(OSError):
                    os.read(fd, 65536)
        else:
            raise AssertionError("pktui still running 20 s after q")
        assert time.monotonic() - quit_at < 5
    finally:
        with contextlib.suppress(ProcessLookupError, ChildProcessError):
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(fd)
