#!/usr/bin/env python3
"""Time to first paint of the browser, as a user sees it.

Starts ``pktui`` (the installed command, or ``python -m pktui.tui``) in a pseudo-terminal,
reads what it draws, and records when the first frame with the pane bar appears (first
paint) and when the loaded corpus is on screen (the status shows the article count).
Prints the median over several runs, then the figures as JSON with ``--json``.

    python scripts/cold_start.py [--runs 5] [--size 100x30] [--json] [-- PATH ...]
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import pty
import re
import select
import shutil
import signal
import statistics
import struct
import sys
import termios
import time

ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>]")
FIRST_PAINT = re.compile(rb"1 Articles")
LOADED = re.compile(rb"\d+ articles")


def command(paths: list[str]) -> list[str]:
    exe = shutil.which("pktui", path=os.path.dirname(sys.executable)) or shutil.which("pktui")
    if exe:
        return [exe, *paths]
    return [sys.executable, "-m", "pktui.tui", *paths]


def one_run(argv: list[str], cols: int, rows: int, timeout: float = 20.0) -> tuple[float, float | None]:
    pid, fd = pty.fork()
    if pid == 0:  # child
        os.environ["TERM"] = os.environ.get("TERM", "xterm-256color") or "xterm-256color"
        os.environ.pop("NO_COLOR", None)
        os.execvp(argv[0], argv)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    start = time.perf_counter()
    seen = b""
    first = loaded = None
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            if b"\x1b[6n" in chunk or b"\x1b[c" in chunk:
                pass  # no replies needed: Textual does not wait for them
            seen += chunk
            plain = ANSI.sub(b"", seen)
            now = time.perf_counter() - start
            if first is None and FIRST_PAINT.search(plain):
                first = now
            if first is not None and loaded is None and LOADED.search(plain):
                loaded = now
                break
    finally:
        try:
            os.write(fd, b"\x11")  # ctrl+q
            time.sleep(0.2)
        except OSError:
            pass
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
        os.close(fd)
    if first is None:
        raise SystemExit(f"no first frame within {timeout:.0f} s from {' '.join(argv)}")
    return first, loaded


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--size", default="100x30", help="terminal COLSxROWS (100x30)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("paths", nargs="*")
    args = parser.parse_args()
    cols, rows = (int(n) for n in args.size.lower().split("x"))
    argv = command(args.paths)
    one_run(argv, cols, rows)  # warm the file system cache and .pyc files
    firsts, loads = [], []
    for _ in range(args.runs):
        first, loaded = one_run(argv, cols, rows)
        firsts.append(first)
        if loaded is not None:
            loads.append(loaded)
    result = {
        "command": " ".join(argv),
        "runs": args.runs,
        "first_paint_s": round(statistics.median(firsts), 3),
        "first_paint_max_s": round(max(firsts), 3),
        "corpus_on_screen_s": round(statistics.median(loads), 3) if loads else None,
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"first paint: {result['first_paint_s']:.2f} s (median of {args.runs}, max {result['first_paint_max_s']:.2f} s)"
            + (f"; corpus on screen: {result['corpus_on_screen_s']:.2f} s" if loads else "")
            + f"  [{result['command']}]"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
