#!/usr/bin/env python3
"""What a user waits for when opening the browser: first paint, the list filled, a search answered.

Starts ``pktui`` (the installed command, or ``python -m pktui.tui``) in a pseudo-terminal,
reads what it draws, and records when the first frame with the pane bar appears (first
paint), when the article list shows its rows (a date drawn in it: not a progress line, not
the count in the status), and when, after ``/`` and the query are typed (as soon as the list
is there), a result matching ``--expect`` is drawn. Prints the median over several runs, or
the figures as JSON with ``--json``. Everything is measured from the launch.

    python scripts/cold_start.py [--runs 5] [--size 100x30] [--query 'unisfa abyei'] [--json] [-- PATH ...]
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
LIST_ROW = re.compile(rb"\b(1[89]|20)\d\d-[01]\d-[0-3]\d\b")  # a date, as article rows show them


def command(paths: list[str]) -> list[str]:
    exe = shutil.which("pktui", path=os.path.dirname(sys.executable)) or shutil.which("pktui")
    if exe:
        return [exe, *paths]
    return [sys.executable, "-m", "pktui.tui", *paths]


def one_run(
    argv: list[str], cols: int, rows: int, query: str, expect: re.Pattern[bytes], timeout: float = 60.0
) -> tuple[float, float | None, float | None]:
    """(first paint, list filled, search answered) in seconds from the launch."""
    pid, fd = pty.fork()
    if pid == 0:  # child
        os.environ["TERM"] = os.environ.get("TERM", "xterm-256color") or "xterm-256color"
        os.environ.pop("NO_COLOR", None)
        os.execvp(argv[0], argv)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    start = time.perf_counter()
    seen = b""
    after_typing = 0  # where the output after the query was typed starts
    first = listed = answered = None
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([fd], [], [], 0.02)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
            plain = ANSI.sub(b"", seen)
            now = time.perf_counter() - start
            if first is None and FIRST_PAINT.search(plain):
                first = now
                seen_at_paint = len(plain)
            if first is not None and listed is None and LIST_ROW.search(plain, seen_at_paint):
                listed = now
                os.write(fd, b"/")
                time.sleep(0.05)
                os.write(fd, query.encode())
                after_typing = len(plain)
            if listed is not None and answered is None and expect.search(plain, after_typing):
                answered = now
                break
    finally:
        try:
            os.write(fd, b"\x1b")  # esc: leave the search box
            time.sleep(0.05)
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
    return first, listed, answered


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 3) if values else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--size", default="100x30", help="terminal COLSxROWS (100x30)")
    parser.add_argument("--query", default="unisfa abyei", help="typed once the list is filled")
    parser.add_argument("--expect", default="UNISFA", help="a result is on screen when this (regex) is drawn")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("paths", nargs="*")
    args = parser.parse_args()
    cols, rows = (int(n) for n in args.size.lower().split("x"))
    argv = command(args.paths)
    expect = re.compile(args.expect.encode())
    one_run(argv, cols, rows, args.query, expect, args.timeout)  # warm the caches (and the index)
    firsts, lists, answers = [], [], []
    for _ in range(args.runs):
        first, listed, answered = one_run(argv, cols, rows, args.query, expect, args.timeout)
        firsts.append(first)
        lists += [listed] if listed is not None else []
        answers += [answered] if answered is not None else []
    result = {
        "command": " ".join(argv),
        "runs": args.runs,
        "first_paint_s": _median(firsts),
        "first_paint_max_s": round(max(firsts), 3),
        "list_filled_s": _median(lists),
        "search_answered_s": _median(answers),
        "query": args.query,
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"first paint {result['first_paint_s']:.2f} s, list filled {_s(result['list_filled_s'])}, "
            f"'{args.query}' answered {_s(result['search_answered_s'])} (median of {args.runs}, from launch)"
            f"  [{result['command']}]"
        )
    return 0


def _s(value: float | None) -> str:
    return "never (timeout)" if value is None else f"{value:.2f} s"


if __name__ == "__main__":
    raise SystemExit(main())
